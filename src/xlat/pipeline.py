"""Translating documents: read, detect, segment, translate in batches, restore, write.

Documents are processed in chunks (bounded memory); inside a chunk every sentence of one
language pair, from all documents and all targets, goes to its engine in one batch, and a
pivot hop (source -> English) shared by several targets is translated once.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from xlat.assemble import BlockWork
from xlat.config import TranslateSettings
from xlat.detect import UNDETERMINED, LanguageDetector
from xlat.engines.base import EngineError, Translation
from xlat.errors import InputError, IntegrityError, XlatError
from xlat.formats import block_prose, parse
from xlat.glossary import default as default_glossary, load as load_glossary
from xlat.languages import same_language
from xlat.fsutil import write_bytes_atomic
from xlat.manifest import Manifest, sha256
from xlat.memory import Memory
from xlat.render import render_copy
from xlat.model import Document
from xlat.review import xliff
from xlat.review.segments import review_unit
from xlat.routing import Hop, Route, Router
from xlat.sources import Source, expand
from xlat.textio import read_input

CHUNK_SENTENCES = 20000
Progress = Callable[..., None]  # progress(done, total, note="")


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
    repairs: list[str] = field(default_factory=list)
    integrity: list[str] = field(default_factory=list)
    """The integrity gate's findings (status integrity-error when there are any)."""
    settings: str = ""
    xliff: str = ""
    xliff_sha256: str = ""
    flags: dict = field(default_factory=dict)
    from_memory: int = 0
    """Sentences taken from the translation memory (approved by a person)."""
    reused: bool = False
    """Not translated again: the same source and settings gave this output in an earlier run."""

    def to_json(self) -> dict:
        return {"path": self.path, "engine": self.engine, "segments": self.segments,
                "unknown_words": self.unknown_words, "truncated": self.truncated,
                "repairs": self.repairs, "integrity": self.integrity, "flags": self.flags,
                "status": self.status,
                "sha256": self.sha256, "xliff": self.xliff, "xliff_sha256": self.xliff_sha256,
                "settings": self.settings, "from_memory": self.from_memory, "reused": self.reused}


@dataclass
class DocumentOutcome:
    source: Source
    sha256: str
    language: str
    confidence: float
    reliable: bool
    targets: list[TargetOutcome] = field(default_factory=list)
    source_mode: str = "auto"  # --from: auto (detected per document and paragraph) or the code

    def to_json(self) -> dict:
        return {"source": self.source.path, "sha256": self.sha256, "language": self.language,
                "from": self.source_mode,
                "confidence": round(self.confidence, 4), "reliable": self.reliable,
                "targets": {t.language: t.to_json() for t in self.targets}}


@dataclass
class _Job:
    """One document into one target language."""

    outcome: DocumentOutcome
    document: Document
    blocks: list[BlockWork]
    target: str
    routes: dict[str, Route | None]  # per block language; None: already in the target language
    output: Path
    settings_key: str = ""

    def block_route(self, block: BlockWork) -> Route | None:
        return self.routes[block.language]


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
    started, segments = time.monotonic(), 0

    try:
        glossary = load_glossary(settings.glossary) if settings.glossary else default_glossary()
        memory = Memory(settings.memory) if settings.use_memory else None
    except XlatError as exc:
        yield exc
        return

    def finish(jobs: list[_Job]):
        nonlocal segments
        for item in _finish(jobs, router, manifest, settings, memory):
            yield item
            if isinstance(item, DocumentOutcome):
                segments += sum(t.segments for t in item.targets if not t.reused)
                for target in item.targets:
                    if target.integrity:
                        yield IntegrityError(target.path, target.integrity)

    def report(planned: int) -> None:
        if progress:
            rate = segments / max(1e-9, time.monotonic() - started)
            progress(planned, len(sources),
                     f"documents x {len(settings.targets)} languages, {rate:.0f} segments/s")

    try:
        for planned, source in enumerate(sources, 1):
            try:
                jobs, problems, reused = _plan(source, settings, detector, router, out_dir, claimed,
                                               manifest, glossary)
            except XlatError as exc:
                jobs, problems, reused = [], [exc], None
            yield from problems
            if reused is not None and not jobs:  # every target already done: nothing to redo
                manifest.record(reused.to_json())
                yield reused
            chunk.extend(jobs)
            chunk_sentences += sum(len(u.raw) for j in jobs for b in j.blocks for u in b.units)
            if chunk_sentences >= CHUNK_SENTENCES:
                yield from finish(chunk)
                chunk, chunk_sentences = [], 0
            report(planned)
        yield from finish(chunk)
        report(len(sources))
    finally:
        if manifest.documents:
            manifest.save()
            from xlat.review.report import build

            build(out_dir)
        if memory is not None:
            memory.close()


def _plan(source: Source, settings: TranslateSettings, detector: LanguageDetector, router: Router,
          out_dir: Path, claimed: dict[Path, str], manifest: Manifest, glossary=None
          ) -> tuple[list[_Job], list[XlatError], DocumentOutcome | None]:
    """The jobs for one document (one per target to translate), the targets it cannot go to,
    and the document's outcome when some targets are reused from an earlier run (resume: same
    source, same settings, output untouched since)."""
    text_input = read_input(source.path)
    try:
        document = parse(text_input.text, source.format)
    except NotImplementedError as exc:
        raise InputError(source.path, str(exc)) from None
    blocks = document.blocks
    guess = detector.guess_document(block_prose(document))
    auto = settings.source == "auto"
    language = guess.language if auto else settings.source
    if language == UNDETERMINED:
        raise InputError(source.path, "cannot tell the language (no prose, or too little): use --from LANG")
    # a guess is not enough to translate from: some paragraph must reliably be in the language
    if auto and not any(p.reliable and p.language == language for p in guess.paragraphs):
        raise InputError(source.path, f"cannot tell the language reliably (too little text; it "
                                      f"might be {language}): use --from LANG")
    outcome = DocumentOutcome(source, text_input.sha256, language, guess.confidence if auto else 1.0,
                              guess.reliable if auto else True, source_mode=settings.source)
    work = []
    for block, paragraph in zip(blocks, guess.paragraphs):
        # a paragraph reliably in another language (a quoted statement, a mixed document) is
        # translated from its own language
        block_language = paragraph.language if auto and paragraph.stands_alone else language
        work.append(BlockWork.of(block.index, block.text, block_language, block.markup, glossary))
    jobs, problems, reused = [], [], False
    for target in settings.targets:
        output = out_dir / target / source.relative
        if output in claimed:
            problems.append(InputError(source.path, f"its output {output} is also {claimed[output]}'s; "
                                                    "translate them in separate runs or from their folder"))
            continue
        claimed[output] = source.path
        routes: dict[str, Route | None] = {}
        try:
            for block_language in dict.fromkeys(b.language for b in work):
                routes[block_language] = (None if same_language(block_language, target)
                                          else router.route(block_language, target))
        except EngineError as exc:
            problems.append(InputError(source.path, str(exc)))
            continue
        key = _settings_key(router, routes, settings, glossary)
        previous = None if settings.force else manifest.reusable(source.path, text_input.sha256, target,
                                                                   key, output)
        if previous:
            known = {k: v for k, v in previous.items() if k in TargetOutcome.__dataclass_fields__}
            outcome.targets.append(TargetOutcome(**{**known, "language": target, "reused": True}))
            reused = True
            continue
        jobs.append(_Job(outcome, document, work, target, routes, output, key))
    return jobs, problems, outcome if reused else None


def _settings_key(router: Router, routes: dict, settings: TranslateSettings, glossary=None) -> str:
    """What a localized copy depends on besides its source: engines (with model versions and
    settings), quotation mode, glossary (file and checksum), xlat's version."""
    from xlat import __version__

    engines = sorted({router.signature(r) for r in routes.values() if r}) or ["copy"]
    terms = f"|glossary={glossary.path}#{glossary.checksum}" if glossary else ""
    return f"{'; '.join(engines)}|quotes={settings.quotes}{terms}|xlat={__version__}"


def _finish(jobs: list[_Job], router: Router, manifest: Manifest, settings: TranslateSettings,
            memory: Memory | None = None) -> Iterator[DocumentOutcome | XlatError]:
    if not jobs:
        return
    batcher = _Batcher(router)
    # per (job, block): every sentence's text, what memory already has, what goes to engines
    work = [(job, block, [text for _, _, text in block.sentences()]) for job in jobs
            for block in job.blocks if job.block_route(block)]
    known: dict[tuple[int, int], dict[int, tuple[str, str]]] = {}
    pending: dict[tuple[int, int], list[int]] = {}
    for job, block, texts in work:
        key = (id(job), block.index)
        known[key] = _remembered(memory, block.language, job.target, _memory_key(router, job, block), texts)
        pending[key] = [i for i in range(len(texts)) if i not in known[key]]
    current = {(id(job), block.index): [texts[i] for i in pending[(id(job), block.index)]]
               for job, block, texts in work}
    history: dict[tuple[int, int], list[tuple[Hop, list[str]]]] = {key: [] for key in current}
    depth = max((len(job.block_route(block).hops) for job, block, _ in work), default=0)
    for stage in range(depth):
        requests: dict[Hop, list[str]] = {}
        for job, block, _ in work:
            hops = job.block_route(block).hops
            if stage < len(hops):
                requests.setdefault(hops[stage], []).extend(current[(id(job), block.index)])
        try:
            batcher.run(requests)
        except EngineError as exc:
            for job in {id(j.outcome): j for j in jobs}.values():
                yield InputError(job.outcome.source.path, str(exc))
            return
        for job, block, _ in work:
            hops = job.block_route(block).hops
            key = (id(job), block.index)
            if stage < len(hops):
                history[key].append((hops[stage], current[key]))
                current[key] = [batcher.done[(hops[stage], t)].text for t in current[key]]
    final: dict[tuple[int, int], list[tuple[str, str]]] = {}
    for job, block, texts in work:
        key = (id(job), block.index)
        results = dict(known[key])
        results.update((i, (text, "mt")) for i, text in zip(pending[key], current[key]))
        final[key] = [results[i] for i in range(len(texts))]
        if memory is not None and pending[key]:
            memory.store_machine(block.language, job.target, _memory_key(router, job, block),
                                 [(texts[i], results[i][0]) for i in pending[key]])
    failed: set[int] = set()
    for job in jobs:
        try:
            _write(job, batcher, final, history, router, manifest, settings)
        except XlatError as exc:
            failed.add(id(job.outcome))
            yield exc
        except OSError as exc:  # a full disk, a folder where the copy should go...
            failed.add(id(job.outcome))
            yield InputError(str(exc.filename or job.output), f"cannot write: {exc.strerror or exc}")
    seen: set[int] = set()
    for job in jobs:
        outcome = job.outcome
        if id(outcome) in seen or id(outcome) in failed:
            continue
        seen.add(id(outcome))
        manifest.record(outcome.to_json())
        yield outcome


def _memory_key(router: Router, job: _Job, block: BlockWork) -> str:
    """Machine output is reused for the same engine (model, settings) and the same xlat."""
    from xlat import __version__

    return f"{router.signature(job.block_route(block))}|xlat={__version__}"


def _remembered(memory: Memory | None, source: str, target: str, engine: str,
                texts: list[str]) -> dict[int, tuple[str, str]]:
    """Sentences the memory can answer: approved by a person first, then this engine's output."""
    if memory is None:
        return {}
    approved = memory.approved(source, target, texts)
    cached = memory.cached(source, target, engine, [t for t in texts if t not in approved])
    found = {}
    for i, text in enumerate(texts):
        if text in approved:
            found[i] = (approved[text], "tm")
        elif text in cached:
            found[i] = (cached[text], "cache")
    return found


def _write(job: _Job, batcher: _Batcher, final: dict, history: dict, router: Router,
           manifest: Manifest, settings: TranslateSettings) -> None:
    target = TargetOutcome(job.target, str(job.output), "", settings=job.settings_key)
    translations: dict[int, dict] = {}
    origins: dict[int, dict] = {}
    signatures: list[str] = []
    for block in job.blocks:
        route = job.block_route(block)
        if route is None:
            continue
        key = (id(job), block.index)
        sentences = list(block.sentences())
        target.segments += len(sentences)
        for hop, inputs in history[key]:
            for text in inputs:
                result = batcher.done[(hop, text)]
                target.unknown_words += result.unknown_words
                target.truncated += int(result.truncated)
        translations[block.index] = {(u, s): text for (u, s, _), (text, _) in zip(sentences, final[key])}
        origins[block.index] = {(u, s): origin for (u, s, _), (_, origin) in zip(sentences, final[key])}
        target.from_memory += sum(1 for origin in origins[block.index].values() if origin == "tm")
        signature = router.signature(route)
        if signature not in signatures:
            signatures.append(signature)
    copy = render_copy(job.document, job.blocks, translations, origins, job.target, settings.quotes)
    target.engine = "; ".join(signatures) or "copy (already in the target language)"
    target.repairs, target.integrity, target.status = copy.repairs, copy.integrity, copy.status
    target.flags = copy.flag_counts()
    data = copy.text.encode("utf-8")
    _check_overwrite(job.output, data, manifest, settings.force)
    xlf = job.output.with_name(job.output.name + ".xlf")
    if copy.segments:
        _check_overwrite(xlf, None, manifest, settings.force)
        xliff.write(xlf, xliff.XliffFile(
            job.outcome.source.path, job.outcome.language, job.target,
            xliff.DATATYPES.get(job.document.format, "plaintext"), job.outcome.sha256,
            target.engine, [review_unit(s) for s in copy.segments],
            str(Path(job.outcome.source.path).resolve())))
        target.xliff = str(xlf)
        target.xliff_sha256 = sha256(xlf.read_bytes())
    write_bytes_atomic(job.output, data)
    target.sha256 = sha256(data)
    job.outcome.targets.append(target)


def _check_overwrite(output: Path, data: bytes | None, manifest: Manifest, force: bool) -> None:
    """Refuse to replace a localized file (or XLIFF) that a person may have edited."""
    if force or not output.exists():
        return
    current = sha256(output.read_bytes())
    if (data is not None and current == sha256(data)) or current == manifest.written_checksum(str(output)):
        return
    raise InputError(str(output), "exists and was not written by xlat or was edited since; "
                                  "use --force to overwrite it")
