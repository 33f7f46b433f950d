"""Translating documents: read, detect, segment, translate in batches, restore, write.

Documents are processed in chunks (bounded memory); inside a chunk every sentence of one
language pair, from all documents and all targets, goes to its engine in one batch, and a
pivot hop (source -> English) shared by several targets is translated once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from xlat.config import TranslateSettings
from xlat.detect import UNDETERMINED, LanguageDetector
from xlat.engines.base import EngineError, Translation
from xlat.errors import InputError, XlatError
from xlat.formats import parse
from xlat.languages import same_language
from xlat.fsutil import write_bytes_atomic
from xlat.manifest import Manifest, sha256
from xlat.model import Document
from xlat.routing import Hop, Route, Router
from xlat.segment import split
from xlat.sources import Source, expand
from xlat.textio import read_input

CHUNK_SENTENCES = 20000
Progress = Callable[[int, int], None]


@dataclass
class TargetOutcome:
    language: str
    path: str
    engine: str
    segments: int = 0
    unknown_words: int = 0
    truncated: int = 0
    status: str = "needs-review"
    sha256: str = ""

    def to_json(self) -> dict:
        return {"path": self.path, "engine": self.engine, "segments": self.segments,
                "unknown_words": self.unknown_words, "truncated": self.truncated,
                "status": self.status, "sha256": self.sha256}


@dataclass
class DocumentOutcome:
    source: Source
    sha256: str
    language: str
    confidence: float
    reliable: bool
    targets: list[TargetOutcome] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"source": self.source.path, "sha256": self.sha256, "language": self.language,
                "confidence": round(self.confidence, 4), "reliable": self.reliable,
                "targets": {t.language: t.to_json() for t in self.targets}}


@dataclass
class _Segment:
    block: int
    text: str  # as in the source
    space_after: str

    @property
    def engine_text(self) -> str:
        return " ".join(self.text.split())


@dataclass
class _Job:
    """One document into one target language."""

    outcome: DocumentOutcome
    document: Document
    segments: list[_Segment]
    leads: dict[int, str]
    target: str
    route: Route | None  # None: the document is already in the target language
    output: Path
    signature: str = ""


class _Batcher:
    """Translates each hop's unique sentences once, in one engine call per hop."""

    def __init__(self, router: Router):
        self.router = router
        self.done: dict[tuple[Hop, str], Translation] = {}

    def run(self, requests: dict[Hop, list[str]]) -> None:
        for hop, texts in requests.items():
            todo = list(dict.fromkeys(t for t in texts if (hop, t) not in self.done))
            if not todo:
                continue
            engine = self.router.engine(hop.engine)
            for text, result in zip(todo, engine.translate_batch(todo, hop.source, hop.target)):
                self.done[(hop, text)] = result


def translate_paths(paths: Iterable[str], settings: TranslateSettings,
                    progress: Progress | None = None,
                    router: Router | None = None) -> Iterator[DocumentOutcome | XlatError]:
    """Translate every document named by `paths` into settings.targets.

    Yields one DocumentOutcome per document written and one XlatError per problem (a file, a
    language pair, an output that must not be overwritten), so the rest still gets done.
    """
    router = router or Router(settings.engine, settings.engine_settings)
    detector = LanguageDetector()
    out_dir = Path(settings.out_dir)
    manifest = Manifest(out_dir)
    sources, errors = expand(list(paths))
    yield from errors
    claimed: dict[Path, str] = {}
    chunk: list[_Job] = []
    chunk_sentences = 0
    try:
        for planned, source in enumerate(sources, 1):
            try:
                jobs, problems = _plan(source, settings, detector, router, out_dir, claimed)
            except XlatError as exc:
                jobs, problems = [], [exc]
            yield from problems
            chunk.extend(jobs)
            chunk_sentences += sum(len(j.segments) for j in jobs)
            if chunk_sentences >= CHUNK_SENTENCES:
                yield from _finish(chunk, router, manifest, settings)
                chunk, chunk_sentences = [], 0
            if progress:
                progress(planned, len(sources))
        yield from _finish(chunk, router, manifest, settings)
    finally:
        if manifest.documents:
            manifest.save()


def _plan(source: Source, settings: TranslateSettings, detector: LanguageDetector, router: Router,
          out_dir: Path, claimed: dict[Path, str]) -> tuple[list[_Job], list[XlatError]]:
    """The jobs for one document (one per target it can go to) and the targets it cannot."""
    text_input = read_input(source.path)
    try:
        document = parse(text_input.text, source.format)
    except NotImplementedError as exc:
        raise InputError(source.path, str(exc)) from None
    blocks = document.blocks
    guess = detector.guess_document([" ".join(b.text.split()) for b in blocks])
    language = guess.language if settings.source == "auto" else settings.source
    if language == UNDETERMINED:
        raise InputError(source.path, "cannot tell the language (no prose, or too little): use --from LANG")
    outcome = DocumentOutcome(source, text_input.sha256, language,
                              guess.confidence if settings.source == "auto" else 1.0,
                              guess.reliable if settings.source == "auto" else True)
    segments: list[_Segment] = []
    leads: dict[int, str] = {}
    for block in blocks:
        lead, sentences = split(block.text)
        leads[block.index] = lead
        segments += [_Segment(block.index, s.text, s.space_after) for s in sentences]
    jobs, problems = [], []
    for target in settings.targets:
        output = out_dir / target / source.relative
        if output in claimed:
            problems.append(InputError(source.path, f"its output {output} is also {claimed[output]}'s; "
                                                    "translate them in separate runs or from their folder"))
            continue
        claimed[output] = source.path
        if same_language(language, target):
            route = None
        else:
            try:
                route = router.route(language, target)
            except EngineError as exc:
                problems.append(InputError(source.path, str(exc)))
                continue
        jobs.append(_Job(outcome, document, segments, leads, target, route, output))
    return jobs, problems


def _finish(jobs: list[_Job], router: Router, manifest: Manifest,
            settings: TranslateSettings) -> Iterator[DocumentOutcome | XlatError]:
    if not jobs:
        return
    batcher = _Batcher(router)
    depth = max((len(j.route.hops) for j in jobs if j.route), default=0)
    current = {id(j): [s.engine_text for s in j.segments] for j in jobs}
    inputs: dict[int, list[list[str]]] = {id(j): [] for j in jobs}  # each hop's input texts
    for stage in range(depth):
        requests: dict[Hop, list[str]] = {}
        for job in jobs:
            if job.route and stage < len(job.route.hops):
                requests.setdefault(job.route.hops[stage], []).extend(current[id(job)])
        try:
            batcher.run(requests)
        except EngineError as exc:
            for job in jobs:
                yield InputError(job.outcome.source.path, str(exc))
            return
        for job in jobs:
            if job.route and stage < len(job.route.hops):
                hop = job.route.hops[stage]
                inputs[id(job)].append(current[id(job)])
                current[id(job)] = [batcher.done[(hop, t)].text for t in current[id(job)]]
    failed: set[int] = set()
    for job in jobs:
        try:
            _write(job, batcher, inputs[id(job)], current[id(job)], router, manifest, settings)
        except XlatError as exc:
            failed.add(id(job.outcome))
            yield exc
    seen: set[int] = set()
    for job in jobs:
        outcome = job.outcome
        if id(outcome) in seen or id(outcome) in failed:
            continue
        seen.add(id(outcome))
        manifest.record(outcome.to_json())
        yield outcome


def _write(job: _Job, batcher: _Batcher, hop_inputs: list[list[str]], translated: list[str],
           router: Router, manifest: Manifest, settings: TranslateSettings) -> None:
    texts: dict[int, list[str]] = {}
    target = TargetOutcome(job.target, str(job.output), "", len(job.segments))
    for segment, text in zip(job.segments, translated):
        if job.route is None or text == segment.engine_text:
            text = segment.text  # unchanged: keep the source's exact bytes
        texts.setdefault(segment.block, []).append(text + segment.space_after)
    if job.route:
        target.engine = router.signature(job.route)
        for hop, hop_texts in zip(job.route.hops, hop_inputs):
            for text in hop_texts:
                result = batcher.done[(hop, text)]
                target.unknown_words += result.unknown_words
                target.truncated += int(result.truncated)
    else:
        target.engine = "copy (already in the target language)"
        target.status = "copied"
    blocks = [job.leads[b.index] + "".join(texts.get(b.index, [])) for b in job.document.blocks]
    if job.route and settings.quotes == "target":
        blocks = [_typeset(block, job.target) for block in blocks]
    data = job.document.render(blocks).encode("utf-8")
    _check_overwrite(job.output, data, manifest, settings.force)
    write_bytes_atomic(job.output, data)
    target.sha256 = sha256(data)
    job.outcome.targets.append(target)


def _typeset(text: str, locale: str) -> str:
    """Quotation marks and spacing of the target locale (unchanged where xlat has no data)."""
    from xlat.locales import LocaleError
    from xlat.quotes import typeset

    try:
        return typeset(text, locale)
    except LocaleError:
        return text


def _check_overwrite(output: Path, data: bytes, manifest: Manifest, force: bool) -> None:
    """Refuse to replace a localized file that a person may have edited."""
    if force or not output.exists():
        return
    current = sha256(output.read_bytes())
    if current == sha256(data) or current == manifest.written_checksum(str(output)):
        return
    raise InputError(str(output), "exists and was not written by xlat or was edited since; "
                                  "use --force to overwrite it")
