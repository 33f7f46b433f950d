"""`xlat review apply`: a reviewer's XLIFF back into the localized copy and the memory."""

from __future__ import annotations

import json

import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from xlat.protect import inline, placeholders
from xlat.render.assemble import BlockWork
from xlat.config import CopySettings
from xlat.detect import LanguageDetector
from xlat.errors import InputError, IntegrityError, XlatError
from xlat.formats import block_prose, format_for, parse, to_bytes
from xlat.fsutil import write_bytes_atomic
from xlat.languages import is_tag, same_language
from xlat.manifest import JOURNAL, NAME, Manifest, sha256
from xlat.outdir import OutputFolder
from xlat.translate.memory import Memory
from xlat.render import render_copy
from xlat.review import matching, xliff
from xlat.read.textio import read_input


@dataclass
class Applied:
    xliff: str
    output: str
    changed: int
    approved: int
    repairs: list[str]
    integrity: list[str] = field(default_factory=list)
    """The integrity gate's findings on the re-rendered copy (empty: it holds together)."""
    refused: list[InputError] = field(default_factory=list)
    """Units not applied (their target lacks a code of the source's, or has one too many)."""

    def to_json(self) -> dict:
        return {"xliff": self.xliff, "output": self.output, "changed": self.changed,
                "approved": self.approved, "repairs": self.repairs, "integrity": self.integrity,
                "refused": [e.problem for e in self.refused],
                "status": "integrity-error" if self.integrity else "applied"}


def apply(path: Path, memory: Memory | None, approve_all: bool = False) -> Applied:
    """Re-render the localized copy of `path` (an XLIFF written by xlat and edited by a
    reviewer, or as a CAT tool wrote it back) with its targets, store approved ones in
    `memory` (state translated, final or signed-off, approved="yes", changed by the reviewer,
    or every unit with `approve_all`), update the manifest. Units are matched to the source's
    sentences by id and by source (review.matching); units that match none, or give one
    sentence two targets, are refused by name."""
    label = str(path)
    if path.is_symlink():
        raise InputError(label, "is a symbolic link; give the XLIFF in its output folder")
    document = xliff.read(path)
    for attribute, value in (("target-language", document.target_language),
                             ("source-language", document.source_language)):
        if not is_tag(value):  # it becomes <html lang>, a folder and a memory key: a tag, or nothing
            raise InputError(label, f"{attribute} {value[:40]!r} is not a language tag")
    place = locate(path)
    entry = place.document
    if document.original != place.source:
        raise InputError(label, f"its original {document.original!r} is not the source the "
                                f"manifest records for it ({place.source})")
    if document.target_language != place.language:
        raise InputError(label, f"its target-language {document.target_language!r} is not the "
                                f"language the manifest records for it ({place.language})")
    source_path = Path(entry.get("source_path") or place.source)
    if not source_path.is_file():
        raise InputError(label, f"its source {place.source} is not there any more")
    source = read_input(str(source_path), entry.get("encoding"))  # as it was translated
    # a file a tool wrote back without xlat's header: the manifest's checksum says the source is
    # the one translated, and each unit's source is compared with the sentence it goes to
    recorded = document.source_sha256 if document.has_header else entry.get("sha256")
    if source.sha256 != recorded or source.sha256 != entry.get("sha256"):
        raise InputError(label, f"its source {place.source} has changed since it was "
                                "translated: translate it again, then review the new XLIFF")
    with place.folder:  # one writer at a time in an output folder
        return _apply(path, document, place, source_path, source, memory, approve_all)


def _apply(path: Path, document: xliff.XliffFile, place: Place, source_path: Path, source,
           memory: Memory | None, approve_all: bool = False) -> Applied:
    label = str(path)
    entry, target_entry = place.document, place.target
    out_dir = place.folder.path
    manifest = Manifest(out_dir)  # read again under the lock
    output = place.folder.inside(place.output)
    recorded = CopySettings.from_json(target_entry.get("settings")) or CopySettings(())
    quotes = recorded.quotes
    glossary = _glossary_of(recorded, label)

    fmt = format_for(source_path) or "text"
    parsed = parse(source.text, fmt)
    guess = LanguageDetector().guess_document(block_prose(parsed))
    target = document.target_language
    works, languages, sentences = [], [], {}
    for block, paragraph in zip(parsed.blocks, guess.paragraphs):
        detected = entry.get("from", "auto") == "auto" and paragraph.stands_alone
        language = paragraph.language if detected else document.source_language
        work = BlockWork.of(block.index, block.text, language, block.markup, glossary)
        works.append(work)
        languages.append(language)
        for u, s, engine_text in work.sentences():
            sentences[f"b{block.index}u{u}s{s}"] = engine_text
    chosen, refused = matching.resolve(label, document.units, sentences, approve_all)
    translations, origins, approved_pairs = {}, {}, []
    codes: dict[tuple[str, str], str] = {}  # (language, source) -> its placeholders' texts
    for block, work, language in zip(parsed.blocks, works, languages):
        found, whose = {}, {}
        for u, s, engine_text in work.sentences():
            unit = chosen.get(f"b{block.index}u{u}s{s}")
            if unit is None:
                continue
            problem = _codes_problem(unit) or _order_problem(unit, work.units[u].content)
            if problem:  # never guessed into place: the unit is refused, by name
                refused.append(InputError(label, f"trans-unit {unit.id}: {problem}; not applied"))
                if unit.proposal is not None and inline.same_codes(unit.source, unit.proposal):
                    found[(u, s)], whose[(u, s)] = unit.proposal, "mt"
                continue
            person = approve_all or unit.state in xliff.APPROVED_STATES or unit.edited
            found[(u, s)], whose[(u, s)] = unit.target, "human" if person else "mt"
            if person:  # a person's word: remembered
                approved_pairs.append((language, unit.source, unit.target))
                codes[(language, unit.source)] = json.dumps(
                    inline.code_texts(unit.source, work.units[u].content, target), ensure_ascii=False)
        if found or not same_language(language, target):
            translations[block.index], origins[block.index] = found, whose
    copy = render_copy(parsed, works, translations, origins, target, quotes)
    data = to_bytes(parsed, copy.text, target)
    previous = output.read_bytes() if output.exists() else b""
    changed = int(previous != data)
    if memory is not None:  # first: a memory that fails leaves the copy and manifest as they were
        with memory.transaction():
            for language in {pair[0] for pair in approved_pairs}:
                memory.approve(language, target, [(s, t) for lang, s, t in approved_pairs if lang == language],
                               {s: codes[(language, s)] for lang, s, _ in approved_pairs if lang == language})
    manifest.will_write(str(place.target.get("path", output)), sha256(data))
    write_bytes_atomic(output, data)
    if entry:  # a manifest always records the XLIFF's copy (locate)
        all_approved = chosen and (approve_all or all(u.state in xliff.APPROVED_STATES
                                                      for u in chosen.values()))
        status = copy.status if copy.integrity or not all_approved else "reviewed"
        target_entry.update(sha256=sha256(data), xliff_sha256=sha256(path.read_bytes()),
                            status=status, integrity=copy.integrity, flags=copy.flag_counts(),
                            reviewed_repairs=copy.repairs)
        manifest.record({**entry, "targets": {target: target_entry}})
        manifest.save()
        from xlat.review.report import build

        build(out_dir)
    return Applied(label, str(output), changed, len(approved_pairs), copy.repairs, copy.integrity,
                   refused)


@dataclass
class Place:
    """Where an XLIFF belongs: the output folder whose manifest records it, and the entries."""

    folder: OutputFolder
    manifest: Manifest
    source: str
    language: str
    document: dict
    target: dict
    output: Path


def locate(path: Path) -> Place:
    """The output folder and manifest entry of the XLIFF at `path`: the nearest folder above it
    whose manifest records this very file. Only what that manifest names is read or written
    (never what the XLIFF itself claims: its `original` could name any file)."""
    real = Path(os.path.realpath(path))
    for folder in real.parents:
        if not (folder / NAME).is_file() and not (folder / JOURNAL).is_file():
            continue
        manifest = Manifest(folder)
        for source, document in manifest.documents.items():
            for language, target in document.get("targets", {}).items():
                recorded = target.get("xliff_file")
                where = folder / recorded if recorded else Path(target.get("xliff") or "")
                if not target.get("xliff") or Path(os.path.realpath(where)) != real:
                    continue
                # the copy is the file beside the XLIFF that the manifest records as its copy
                output = real.with_name(real.name[:-len(".xlf")])
                recorded = folder / target["file"] if target.get("file") else Path(target.get("path", ""))
                if not real.name.endswith(".xlf") or Path(os.path.realpath(recorded)) != output:
                    raise InputError(str(path), "the manifest does not record the localized copy "
                                                "beside it; apply it where xlat wrote it")
                return Place(OutputFolder(folder), manifest, source, language, document, target, output)
    raise InputError(str(path), "is not an XLIFF of an xlat output folder (no manifest.json "
                                "above it records it); apply it where xlat wrote it")


def _order_problem(unit: xliff.Unit, content: list) -> str:
    """Inline codes in an order that would break the markup (a closing tag before its opening
    one, elements crossing): empty when the order is fine."""
    source, target = placeholders.ids(unit.source), placeholders.ids(unit.target)
    if inline.well_nested(inline.markup_of(content, source)) and \
            not inline.well_nested(inline.markup_of(content, target)):
        order = " ".join(f'<x id="{k}"/>' for k in target if inline.markup_of(content, [k]))
        return f"codes in an order that breaks the markup ({order})"
    return ""


def _codes_problem(unit: xliff.Unit) -> str:
    """What is wrong with the inline codes of a unit's target (empty: each of the source's,
    once)."""
    if unit.foreign:
        return f"inline element {', '.join(dict.fromkeys(unit.foreign))} where xlat wrote <x/> codes"
    expected, found = Counter(placeholders.ids(unit.source)), Counter(placeholders.ids(unit.target))
    if expected == found:
        return ""

    def name(k: int) -> str:
        ctype, equiv = unit.placeholders.get(str(k), ("", ""))
        shown = equiv.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r")  # one line
        return f'<x id="{k}"/>' + (f" ({shown})" if equiv else "")

    missing = [name(k) for k in sorted((expected - found).elements())]
    extra = [name(k) for k in sorted((found - expected).elements())]
    return "; ".join(([f"missing code {', '.join(missing)}"] if missing else [])
                     + ([f"code {', '.join(extra)} more often than in the source"] if extra else []))


def _glossary_of(recorded: CopySettings, label: str):
    """The glossary the translation used (recorded in the manifest's settings)."""
    from xlat.protect.glossary import load

    if not recorded.glossary:
        return None
    if not Path(recorded.glossary).is_file():
        raise InputError(label, f"the glossary it was translated with ({recorded.glossary}) is gone")
    glossary = load(recorded.glossary)
    if glossary.checksum != recorded.glossary_sha256:
        raise InputError(label, f"the glossary {recorded.glossary} changed since the translation: "
                                "translate again, then review the new XLIFF")
    return glossary


def apply_paths(paths: list[str], memory_path: str | None = None, use_memory: bool = True,
                approve_all: bool = False):
    """Apply each XLIFF; yields Applied or XlatError per file (the others still applied)."""
    memory = Memory(memory_path) if use_memory else None
    try:
        for path in paths:
            try:
                applied = apply(Path(path), memory, approve_all)
                yield applied
                yield from applied.refused
                if applied.integrity:
                    yield IntegrityError(applied.output, applied.integrity)
            except XlatError as exc:
                yield exc
            except RecursionError:  # inline elements nested thousands deep
                yield InputError(path, "elements nested too deeply to be read; not applied")
            except OSError as exc:
                yield InputError(str(exc.filename or path), f"cannot write: {exc.strerror or exc}")
    finally:
        if memory is not None:
            memory.close()


