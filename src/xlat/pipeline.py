"""Translating documents: read, detect, segment, translate in batches, restore, write.

Documents are processed in chunks (bounded memory); inside a chunk every sentence of one
language pair, from all documents and all targets, goes to its engine in one batch, and a
pivot hop (source -> English) shared by several targets is translated once.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from xlat.protect import inline
from xlat.render.assemble import BlockWork
from xlat.config import CopySettings, TranslateSettings
from xlat.detect import UNDETERMINED, LanguageDetector
from xlat.translate.engines.base import EngineError, Translation
from xlat.errors import InputError, IntegrityError, XlatError
from xlat.formats import PACKAGES, block_prose, parse, to_bytes
from xlat.protect.glossary import default as default_glossary, load as load_glossary
from xlat.languages import same_language
from xlat.fsutil import write_bytes_atomic
from xlat.manifest import Manifest, sha256
from xlat.outdir import OutputFolder
from xlat import naming
from xlat.i18n import _
from xlat.translate.memory import Memory
from xlat.render import render_copy
from xlat.model import Document
from xlat.review import xliff
from xlat.review.segments import review_unit
from xlat.translate.routing import Hop, Route, Router
from xlat.read.sources import Source, expand

CHUNK_SENTENCES = 20000
"""A window (read, plan, translate, write) ends at this many sentences or at
TranslateSettings.window documents, whichever comes first: a run's memory is flat in the
number of documents (what stays is the manifest's entries, as compact JSON)."""
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
    settings: dict = field(default_factory=dict)
    """The CopySettings record, as JSON."""
    xliff: str = ""
    xliff_sha256: str = ""
    flags: dict = field(default_factory=dict)
    from_memory: int = 0
    """Sentences taken from the translation memory (approved by a person)."""
    reused: bool = False
    """Not translated again: the same source and settings gave this output in an earlier run."""
    file: str = ""
    xliff_file: str = ""
    source_sha256: str = ""
    """The source version (SHA-256 of its bytes) this copy was made from."""
    """The copy and its XLIFF below the output folder (what `review apply` goes by)."""
    text: str | None = None
    """The copy itself, when it goes to standard output (--out -) instead of a file."""

    def to_json(self) -> dict:
        return {"path": self.path, "engine": self.engine, "segments": self.segments,
                "unknown_words": self.unknown_words, "truncated": self.truncated,
                "repairs": self.repairs, "integrity": self.integrity, "flags": self.flags,
                "status": self.status,
                "sha256": self.sha256, "xliff": self.xliff, "xliff_sha256": self.xliff_sha256,
                "settings": self.settings, "from_memory": self.from_memory, "reused": self.reused,
                "file": self.file, "xliff_file": self.xliff_file, "source_sha256": self.source_sha256}


@dataclass
class DocumentOutcome:
    source: Source
    sha256: str
    language: str
    confidence: float
    reliable: bool
    targets: list[TargetOutcome] = field(default_factory=list)
    source_mode: str = "auto"  # --from: auto (detected per document and paragraph) or the code
    encoding: str = "utf-8"
    warnings: list[str] = field(default_factory=list)
    """One-line warnings on how the source was read (a guessed encoding)."""

    def stream_json(self) -> list[dict]:
        """One object per target for standard output (--out -): the copy's text with what a
        script needs to trust it (status, QA flag counts, integrity findings, repairs)."""
        return [{"source": self.source.path, "from": self.language, "language": t.language,
                 "status": t.status, "flags": t.flags, "integrity": t.integrity,
                 "repairs": t.repairs, "engine": t.engine, "segments": t.segments, "text": t.text}
                for t in self.targets if t.text is not None]

    def to_json(self) -> dict:
        return {"source": self.source.path, "source_path": _absolute(self.source.path),
                "sha256": self.sha256, "language": self.language,
                "from": self.source_mode, "encoding": self.encoding,
                "confidence": round(self.confidence, 4), "reliable": self.reliable,
                "targets": {t.language: t.to_json() for t in self.targets}}


def _absolute(path: str) -> str:
    return path if path == "-" else str(Path(path).resolve())


@dataclass
class _Job:
    """One document into one target language."""

    outcome: DocumentOutcome
    document: Document
    blocks: list[BlockWork]
    target: str
    routes: dict[str, Route | None]  # per block language; None: already in the target language
    output: Path
    copy_settings: CopySettings | None = None

    def block_route(self, block: BlockWork) -> Route | None:
        return self.routes[block.language]


class _Batcher:
    """Translates each hop's unique sentences once, in one engine call per hop."""

    def __init__(self, router: Router, pool=None, prefetched: dict | None = None):
        self.router = router
        self.pool = pool  # xlat.translate.cluster.Pool: the engine calls go to its workers
        self.prefetched = dict(prefetched or {})  # hop -> cluster.Pending sent ahead (_prefetch)
        self.done: dict[tuple[Hop, str], Translation] = {}

    def run(self, requests: dict[Hop, list[str]]) -> None:
        pending = {}
        for hop, texts in requests.items():  # every hop's batch out before waiting on any
            todo = list(dict.fromkeys(t for t in texts if (hop, t) not in self.done))
            if not todo:
                continue
            engine = self.router.engine(hop.engine)
            if self.pool is None:
                pending[hop] = (todo, _checked(engine, todo, hop))
                continue
            ahead = self.prefetched.pop(hop, None)
            if ahead is None or ahead.texts != todo:  # the guess was wrong: this batch now
                if ahead is not None:
                    ahead.cancel()
                ahead = self.pool.submit(engine, todo, hop.engine, hop.source, hop.target)
            pending[hop] = (todo, ahead)
        for hop, (todo, answer) in pending.items():
            results = answer if self.pool is None else answer.result()
            for text, result in zip(todo, results):
                self.done[(hop, text)] = result


# Control characters an engine may write (NUL, ESC...): never text of an article.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def _checked(engine, texts: list[str], hop: Hop) -> list[Translation]:
    """The engine's answer, held to the protocol: one Translation of text per sentence, no
    control characters or lone surrogates. Whatever else an engine does (raises, answers
    short, answers None) is an EngineError: one line per document, never a traceback."""
    try:
        results = engine.translate_batch(texts, hop.source, hop.target)
    except EngineError:
        raise
    except Exception as exc:  # noqa: BLE001 - an engine's own failure, whatever its kind
        raise EngineError(f"the {hop.engine} engine failed on {hop.source} -> {hop.target}: "
                          f"{type(exc).__name__}: {exc}") from None
    if not isinstance(results, list) or len(results) != len(texts) or not all(
            isinstance(r, Translation) and isinstance(r.text, str) for r in results):
        raise EngineError(f"the {hop.engine} engine answered {hop.source} -> {hop.target} with "
                          f"something else than one translation per sentence")
    return [r if not _CONTROL.search(r.text) else
            Translation(_CONTROL.sub("", r.text), r.unknown_words, r.truncated, r.notes) for r in results]


def translate_paths(paths: Iterable[str], settings: TranslateSettings,
                    progress: Progress | None = None,
                    router: Router | None = None) -> Iterator[DocumentOutcome | XlatError]:
    """Translate every document named by `paths` into settings.targets.

    Yields one DocumentOutcome per document written and one XlatError per problem (a file, a
    language pair, an output that must not be overwritten), so the rest still gets done.
    """
    router = router or Router(settings.engine, settings.engine_settings)
    folder = OutputFolder(Path(settings.out_dir))
    memory = pool = None
    try:  # glossary, memory, cluster first: when they are unusable, nothing is written at all
        if settings.name is not None:
            try:
                naming.check_template(settings.name, settings.targets)
            except naming.NameTemplateError as exc:
                raise naming.NameTemplateError(f"--name {exc}") from None
        glossary = load_glossary(settings.glossary) if settings.glossary else default_glossary()
        memory = Memory(settings.memory, keep_going=True) if settings.use_memory else None
        if settings.cluster:
            from xlat.translate.cluster import connect

            pool = connect(settings.cluster, settings.engine_settings)
        if not settings.to_stdout:
            folder.lock()  # one run at a time per output folder; leftovers of killed runs removed
    except XlatError as exc:
        if memory is not None:
            memory.close()
        if pool is not None:
            pool.close()
        yield exc
        return
    try:
        yield from _translate_locked(paths, settings, progress, router, folder, glossary, memory, pool)
    finally:
        folder.unlock()
        if memory is not None:
            memory.close()
        if pool is not None:
            pool.close()


def _translate_locked(paths, settings: TranslateSettings, progress: Progress | None, router: Router,
                      folder: OutputFolder, glossary, memory: Memory | None, pool=None
                      ) -> Iterator[DocumentOutcome | XlatError]:
    out_dir = folder.path
    manifest = Manifest(None if settings.to_stdout else out_dir)
    detector = LanguageDetector()
    if settings.to_stdout:  # nothing is written: no output of this run or an earlier one to skip
        sources, errors = expand(list(paths), follow_symlinks=settings.follow_symlinks)
    else:
        languages = {*settings.targets, *(t for d in manifest.documents.values() for t in d.get("targets", {}))}
        recorded = [out_dir / t[key] for d in manifest.documents.values()
                    for t in d.get("targets", {}).values() for key in ("file", "xliff_file")
                    if isinstance(t.get(key), str) and t[key]]  # copies named by --name
        sources, errors = expand(list(paths), follow_symlinks=settings.follow_symlinks, out=out_dir,
                                 outputs=(*(out_dir / t for t in sorted(languages)),
                                          out_dir / "review.html", *recorded))
    yield from errors
    claimed: dict[str, str] = {}  # a copy's path below the output folder -> its source
    chunk: list[_Job] = []
    chunk_sentences = chunk_documents = 0
    started, segments = time.monotonic(), 0

    def finish(jobs: list[_Job], prefetched: dict | None = None):
        nonlocal segments
        for item in _finish(jobs, router, manifest, settings, memory, folder, pool, prefetched):
            yield item
            failure = memory.take_failure() if memory is not None else None
            if failure:  # the memory broke during the run (a full disk...): said once, run goes on
                yield failure
            if isinstance(item, DocumentOutcome):
                segments += sum(t.segments for t in item.targets if not t.reused)
                for target in item.targets:
                    if target.integrity:
                        yield IntegrityError(target.path, target.integrity)

    waiting: list = [[], {}]  # on a cluster: the window whose batches are out, not yet written

    def close(jobs: list[_Job]):
        """A window is planned: translate and write it. On a cluster, its first batches go out
        now and the window before it is written meanwhile (the workers never wait on the
        driver's parsing, rendering and writing)."""
        if pool is None:
            yield from finish(jobs)
            return
        ahead = _prefetch(jobs, router, settings, memory, pool)
        previous, previous_ahead = waiting
        waiting[:] = [jobs, ahead]
        yield from finish(previous, previous_ahead)

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
                try:
                    manifest.record(reused.to_json())
                except XlatError as exc:
                    yield exc
                yield reused
            chunk.extend(jobs)
            chunk_sentences += sum(len(u.raw) for j in jobs for b in j.blocks for u in b.units)
            chunk_documents += 1 if jobs else 0
            if chunk_sentences >= CHUNK_SENTENCES or chunk_documents >= settings.window:
                yield from close(chunk)
                chunk, chunk_sentences, chunk_documents = [], 0, 0
            report(planned)
        yield from close(chunk)
        if waiting[0]:
            yield from close([])
        report(len(sources))
        if manifest.documents and not settings.to_stdout:
            problem = _save(manifest, out_dir)
            if problem:
                yield problem
    finally:
        # interrupted (Ctrl-C, a consumer that stopped): the journal already holds every
        # finished document; folding it into manifest.json is a courtesy that may fail
        if not settings.to_stdout and (manifest.writing or manifest.journal_path.exists()):
            _save(manifest, out_dir)
        manifest.close()


def _save(manifest: Manifest, out_dir: Path) -> XlatError | None:
    """manifest.json and review.html brought up to date (None), or the one-line problem."""
    from xlat.review.report import build

    try:
        manifest.save()
        build(out_dir)
    except XlatError as exc:
        return exc
    except OSError as exc:
        return InputError(str(exc.filename or out_dir), f"cannot write: {exc.strerror or exc}")
    return None


def _plan(source: Source, settings: TranslateSettings, detector: LanguageDetector, router: Router,
          out_dir: Path, claimed: dict[str, str], manifest: Manifest, glossary=None
          ) -> tuple[list[_Job], list[XlatError], DocumentOutcome | None]:
    """The jobs for one document (one per target to translate), the targets it cannot go to,
    and the document's outcome when some targets are reused from an earlier run (resume: same
    source, same settings, output untouched since)."""
    text_input = source.read(settings.encoding)
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
                              guess.reliable if auto else True, source_mode=settings.source,
                              encoding=text_input.encoding, warnings=text_input.warnings)
    work = []
    for block, paragraph in zip(blocks, guess.paragraphs):
        # a paragraph reliably in another language (a quoted statement, a mixed document) is
        # translated from its own language
        block_language = paragraph.language if auto and paragraph.stands_alone else language
        work.append(BlockWork.of(block.index, block.text, block_language, block.markup, glossary))
    jobs, problems, reused = [], [], False
    outputs = {}
    for target in settings.targets:  # every name first: an input whose copy is taken gets none
        try:
            outputs[target] = out_dir / naming.copy_name(source.relative, language, target, settings.name)
        except InputError as exc:
            raise InputError(source.path, exc.problem) from None
        owner = claimed.get(str(outputs[target]))
        if owner is not None and not settings.to_stdout:  # (printed copies take no file)
            how = (_("translate them in separate runs or from their folder") if settings.name is None
                   else _("give --name a template that tells them apart"))
            raise InputError(source.path, _("its copy {copy} would also be {owner}'s; {how}").format(
                copy=outputs[target], owner=owner, how=how))
    for target in settings.targets:
        claimed[str(outputs[target])] = source.path
    for target in settings.targets:
        output = outputs[target]
        routes: dict[str, Route | None] = {}
        try:
            for block_language in dict.fromkeys(b.language for b in work):
                routes[block_language] = (None if same_language(block_language, target)
                                          else router.route(block_language, target))
        except EngineError as exc:
            problems.append(InputError(source.path, str(exc)))
            continue
        key = _copy_settings(router, routes, settings, glossary)
        previous = None if settings.force or settings.to_stdout else manifest.reusable(
            source.path, text_input.sha256, target, key, output)
        if previous:
            known = {k: v for k, v in previous.items() if k in TargetOutcome.__dataclass_fields__}
            outcome.targets.append(TargetOutcome(**{**known, "language": target, "reused": True}))
            reused = True
            continue
        jobs.append(_Job(outcome, document, work, target, routes, output, key))
    return jobs, problems, outcome if reused else None


def _copy_settings(router: Router, routes: dict, settings: TranslateSettings, glossary=None
                   ) -> CopySettings:
    """What a localized copy depends on besides its source: engines (with model versions and
    settings), quotation mode, glossary (file and checksum), xlat's version."""
    from xlat import __version__

    engines = tuple(sorted({router.signature(r) for r in routes.values() if r})) or ("copy",)
    return CopySettings(engines, settings.quotes, str(glossary.path) if glossary else None,
                        glossary.checksum if glossary else None, __version__)


@dataclass
class _BlockTask:
    """One block of one job on its way through memory and engines."""

    job: _Job
    block: BlockWork
    route: Route
    sentences: list[tuple[int, int, str]]
    """(unit, sentence, engine text) of every sentence that needs translating."""
    results: dict[int, tuple[str, str]] = field(default_factory=dict)
    """Sentence number -> (translation, origin): mt, cache or tm."""
    todo: list[int] = field(default_factory=list)
    """The sentences no memory had: they go to the engines."""
    current: list[str] = field(default_factory=list)
    """The pending sentences as the last hop left them (the source before any hop)."""
    hops: list[tuple[Hop, list[str]]] = field(default_factory=list)
    """Each hop taken with the texts it was given (for the engines' notes: unknown words...)."""
    fuzzy: dict = field(default_factory=dict)
    """Sentence number -> the memory's best fuzzy match (xlat.translate.fuzzy.Match)."""


def _tasks(jobs: list[_Job], router: Router, settings: TranslateSettings,
           memory: Memory | None) -> list[_BlockTask]:
    """Every block to translate, with what memory already has; the rest goes to the engines."""
    tasks = [_BlockTask(job, block, job.block_route(block), list(block.sentences()))
             for job in jobs for block in job.blocks if job.block_route(block)]
    for task in tasks:
        task.results = _remembered(memory, task.block.language, task.job.target,
                                   _memory_key(router, task.route), [t for _, _, t in task.sentences],
                                   _cache_keys(task, router),
                                   [task.block.units[u].content for u, _, _ in task.sentences])
        task.fuzzy = _fuzzy(memory, task, settings)
        accept = settings.fuzzy_accept
        for i, match in task.fuzzy.items():
            if match.fits and match.quality == 100:  # the approved sentence, its codes renumbered
                task.results[i] = (match.target, "tm")
            elif match.fits and accept is not None and match.quality >= accept:
                task.results[i] = (match.target, "fuzzy")
        task.todo = [i for i in range(len(task.sentences)) if i not in task.results]
        task.current = [task.sentences[i][2] for i in task.todo]
    return tasks


def _requests(tasks: list[_BlockTask], stage: int, router: Router
              ) -> tuple[dict[Hop, list[str]], dict[int, list[tuple[str, list]]]]:
    """What each hop of `stage` is asked, and per task (by id) what its engine is given."""
    requests: dict[Hop, list[str]] = {}
    sent: dict[int, list[tuple[str, list]]] = {}
    for task in tasks:
        if stage < len(task.route.hops):
            hop = task.route.hops[stage]
            sent[id(task)] = _engine_texts(task, router.engine(hop.engine))
            requests.setdefault(hop, []).extend(text for text, _ in sent[id(task)])
    return requests, sent


def _prefetch(jobs: list[_Job], router: Router, settings: TranslateSettings, memory: Memory | None,
              pool) -> dict:
    """A window's first engine batches sent to the cluster now, while the driver still writes
    the window before it (the workers never wait on the driver). Only a guess: the window's
    batches are worked out again when it is finished (the memory may have learnt sentences
    from the window before) and a batch that differs is translated then, so the output is
    the same as without it."""
    if pool is None or not jobs:
        return {}
    try:
        requests, _ = _requests(_tasks(jobs, router, settings, memory), 0, router)
        return {hop: pool.submit(router.engine(hop.engine), list(dict.fromkeys(texts)), hop.engine,
                                 hop.source, hop.target) for hop, texts in requests.items() if texts}
    except (XlatError, OSError):
        return {}  # said when the window is finished, as it would be without the guess


def _finish(jobs: list[_Job], router: Router, manifest: Manifest, settings: TranslateSettings,
            memory: Memory | None, folder: OutputFolder, pool=None, prefetched: dict | None = None
            ) -> Iterator[DocumentOutcome | XlatError]:
    if not jobs:
        return
    batcher = _Batcher(router, pool, prefetched)
    tasks = _tasks(jobs, router, settings, memory)
    for stage in range(max((len(task.route.hops) for task in tasks), default=0)):
        requests, sent = _requests(tasks, stage, router)
        try:
            batcher.run(requests)
        except EngineError as exc:
            for job in {id(j.outcome): j for j in jobs}.values():
                yield InputError(job.outcome.source.path, str(exc))
            return
        for task in tasks:
            if stage < len(task.route.hops):
                hop = task.route.hops[stage]
                task.hops.append((hop, [text for text, _ in sent[id(task)]]))
                task.current = [inline.without_literal_numbers(batcher.done[(hop, text)].text, literals)
                                for text, literals in sent[id(task)]]
    for ahead in batcher.prefetched.values():  # guessed, not asked for after all
        ahead.cancel()
    for task in tasks:
        task.results.update((i, (text, "mt")) for i, text in zip(task.todo, task.current))
        if memory is not None and task.todo:
            keys = _cache_keys(task, router)
            memory.store_machine(task.block.language, task.job.target, _memory_key(router, task.route),
                                 [(keys[i], task.results[i][0]) for i in task.todo])
    for job in jobs:
        try:
            _write(job, [t for t in tasks if t.job is job], batcher, router, manifest, settings, folder)
        except XlatError as exc:
            yield exc
        except OSError as exc:  # a full disk, a folder where the copy should go...
            yield InputError(str(exc.filename or job.output), f"cannot write: {exc.strerror or exc}")
    seen: set[int] = set()
    for job in jobs:
        outcome = job.outcome
        if id(outcome) in seen or not outcome.targets:
            continue  # recorded once, with the targets that were written (or reused)
        seen.add(id(outcome))
        try:
            manifest.record(outcome.to_json())
        except XlatError as exc:
            yield exc
        yield outcome


def _engine_texts(task: _BlockTask, engine) -> list[tuple[str, list]]:
    """The pending sentences as `engine` gets them, each with the numbers sent as themselves
    (for an engine that copies digits: Engine.copies_numbers)."""
    if not getattr(engine, "copies_numbers", False):
        return [(text, []) for text in task.current]
    return [inline.with_literal_numbers(text, task.block.units[task.sentences[i][0]].content)
            for i, text in zip(task.todo, task.current)]


def _memory_key(router: Router, route: Route) -> str:
    """Machine output is reused for the same engine (model, settings) and the same xlat."""
    from xlat import __version__

    return f"{router.signature(route)}|xlat={__version__}"


def _cache_keys(task: _BlockTask, router: Router) -> list[str]:
    """What an engine's output is remembered by: the sentence as the engine saw it. For an
    engine given the numbers themselves that includes them (Catalan elides before "11", not
    before "10": "d'11 milions", "de 10 milions"), else the placeholder text."""
    texts = [text for _, _, text in task.sentences]
    if not any(getattr(router.engine(hop.engine), "copies_numbers", False) for hop in task.route.hops):
        return texts
    return [inline.with_literal_numbers(text, task.block.units[u].content)[0]
            for (u, _, _), text in zip(task.sentences, texts)]


def _remembered(memory: Memory | None, source: str, target: str, engine: str,
                texts: list[str], keys: list[str], contents: list[list] = ()) -> dict[int, tuple[str, str]]:
    """Sentences the memory can answer: approved by a person first (by the sentence, then by
    its visible text: numbers, URLs and terms as themselves, as another tool's memory has them,
    the found translation taking its placeholders back where it has each atom's text exactly
    once), then this engine's output (by `keys`, the sentence as the engine saw it)."""
    if memory is None:
        return {}
    approved = memory.approved(source, target, texts)
    shown = {}
    for i, (text, content) in enumerate(zip(texts, contents)):
        if text not in approved:
            found = inline.visible(text, content, target)
            if found is not None:
                shown[i] = found
    by_text = memory.approved(source, target, [text for text, _ in shown.values()]) if shown else {}
    cached = memory.cached(source, target, engine, [k for t, k in zip(texts, keys) if t not in approved])
    found = {}
    for i, (text, key) in enumerate(zip(texts, keys)):
        back = None
        if i in shown and shown[i][0] in by_text:
            back = inline.with_placeholders(by_text[shown[i][0]], shown[i][1])
        if text in approved:
            found[i] = (approved[text], "tm")
        elif back is not None:
            found[i] = (back, "tm")
        elif key in cached:
            found[i] = (cached[key], "cache")
    return found


def _fuzzy(memory: Memory | None, task: _BlockTask, settings: TranslateSettings) -> dict:
    """The best fuzzy match of each sentence the memory had no exact answer for."""
    if memory is None or not settings.fuzzy_threshold:
        return {}
    rest = {i: task.sentences[i][2] for i in range(len(task.sentences))
            if task.results.get(i, ("", ""))[1] not in ("tm",)}
    if not rest:
        return {}
    found = memory.fuzzy(task.block.language, task.job.target, rest.values(), settings.fuzzy_threshold)
    return {i: found[text] for i, text in rest.items() if text in found}


def _write(job: _Job, tasks: list[_BlockTask], batcher: _Batcher, router: Router,
           manifest: Manifest, settings: TranslateSettings, folder: OutputFolder) -> None:
    target = TargetOutcome(job.target, str(job.output), "", settings=job.copy_settings.to_json(),
                           source_sha256=job.outcome.sha256)
    translations: dict[int, dict] = {}
    origins: dict[int, dict] = {}
    signatures: list[str] = []
    for task in tasks:
        target.segments += len(task.sentences)
        for hop, inputs in task.hops:
            for text in inputs:
                result = batcher.done[(hop, text)]
                target.unknown_words += result.unknown_words
                target.truncated += int(result.truncated)
        keys = [(u, s) for u, s, _ in task.sentences]
        translations[task.block.index] = {key: task.results[i][0] for i, key in enumerate(keys)}
        origins[task.block.index] = {key: task.results[i][1] for i, key in enumerate(keys)}
        target.from_memory += sum(1 for text, origin in task.results.values() if origin == "tm")
        signature = router.signature(task.route)
        if signature not in signatures:
            signatures.append(signature)
    copy = render_copy(job.document, job.blocks, translations, origins, job.target, settings.quotes)
    matches = {f"b{task.block.index}u{task.sentences[i][0]}s{task.sentences[i][1]}": match
               for task in tasks for i, match in task.fuzzy.items()}
    target.engine = "; ".join(signatures) or "copy (already in the target language)"
    target.repairs, target.integrity, target.status = copy.repairs, copy.integrity, copy.status
    target.flags = copy.flag_counts()
    if settings.to_stdout:  # the copy is the caller's to print: nothing on disk
        if job.document.format in PACKAGES:
            raise InputError(job.outcome.source.path, _(
                "a {format} copy is a package, not text: it cannot be printed; use --out DIR").format(
                format=job.document.format))
        target.text = copy.text
        job.outcome.targets.append(target)
        return
    data = to_bytes(job.document, copy.text, job.target)
    output = folder.inside(job.output)
    _check_overwrite(output, data, manifest, settings.force)
    xlf = folder.inside(output.with_name(output.name + ".xlf"))
    xlf_data = None
    if copy.segments:
        xlf_data = xliff.render(xliff.XliffFile(
            job.outcome.source.path, job.outcome.language, job.target,
            xliff.DATATYPES.get(job.document.format, "plaintext"), job.outcome.sha256,
            target.engine, [review_unit(s, matches.get(s.id)) for s in copy.segments],
            str(Path(job.outcome.source.path).resolve())))
        _check_overwrite(xlf, xlf_data, manifest, settings.force)
        target.xliff, target.xliff_sha256 = str(xlf), sha256(xlf_data)
        target.xliff_file = xlf.relative_to(folder.path).as_posix()
    target.file = output.relative_to(folder.path).as_posix()
    target.sha256 = sha256(data)
    # journaled before writing: if the run dies between the two writes and the document's
    # entry, the next run knows these files as its own and replaces them
    manifest.will_write(str(output), target.sha256)
    if xlf_data is not None:
        manifest.will_write(str(xlf), target.xliff_sha256)
        write_bytes_atomic(xlf, xlf_data)
    write_bytes_atomic(output, data)
    job.outcome.targets.append(target)


def _check_overwrite(output: Path, data: bytes | None, manifest: Manifest, force: bool) -> None:
    """Refuse to replace a localized file (or XLIFF) that a person may have edited."""
    if force or not output.exists():
        return
    current = sha256(output.read_bytes())
    if (data is not None and current == sha256(data)) or manifest.written_by_xlat(str(output), current):
        return
    raise InputError(str(output), "exists and was not written by xlat or was edited since; "
                                  "use --force to overwrite it")
