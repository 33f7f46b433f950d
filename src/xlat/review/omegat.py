"""An OmegaT project from an xlat output folder, and the translator's work back.

`export_project` writes, per target language, an OmegaT 3.x project:
  omegat.project        the languages; sentence segmentation off (each paragraph is a segment)
  source/<doc>.txt      each document as OmegaT should segment it: one sentence per paragraph,
                        quotations inline and protected text (numbers, links) as its text
  tm/mt/xlat-mt.tmx     xlat's machine translation of each of those sentences (OmegaT shows
                        them as machine-translation matches beside the source)
  tm/xlat-approved.tmx  what the translation memory holds as approved for the pair
  glossary/xlat.txt     the run's glossary, OmegaT's tab-separated format (when it used one)
  xlat-project.json     where the output folder and each document's XLIFF are (the way back)

The way back (`apply_tmx`): the project's omegat/project_save.tmx holds the segments the
translator confirmed. Each is taken apart into xlat's units (quotations are units of their own,
protected text a code found again by its text), written into the document's XLIFF as
`translated`, and the XLIFF is applied as a reviewer's (`review.apply`): the copy is re-rendered
through the integrity gate and the units go to the memory as approved, so the next translate
run reuses them. A segment that cannot be taken apart (a number or a quotation the translator
dropped) is left as it was, and counted.
"""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from xlat.errors import InputError
from xlat.fsutil import write_bytes_atomic, write_text_atomic
from xlat.manifest import Manifest
from xlat.protect import inline
from xlat.protect.placeholders import PATTERN as _PLACEHOLDER
from xlat.render.assemble import BlockWork, style_for
from xlat.review import xliff

PROJECT_FILE = "xlat-project.json"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_OPENERS = {"«": "»", "“": "”", "„": "“", "‘": "’", '"': '"', "‹": "›", "‚": "‘", "「": "」", "»": "«"}


@dataclass
class Sentence:
    """One segment as a CAT tool sees it: a sentence of a block's outer text with its
    quotations inline, and the xlat units it is made of."""

    source: str
    target: str
    unit: str  # the outer sentence's trans-unit id
    quotes: list[str] = field(default_factory=list)  # per quotation, its unit's id prefix (b1u2)


class _Block:
    """A block's units, to expand placeholders into text."""

    def __init__(self, work: BlockWork, units: dict[str, xliff.Unit], target: str, style):
        self.work, self.units, self.target, self.style = work, units, target, style
        self.index_of = {id(u.content): k for k, u in enumerate(work.units)}

    def _unit_text(self, u: int, side: str, depth: int) -> str | None:
        unit = self.work.units[u]
        parts = []
        for s, engine_text in enumerate(unit.engine_texts):
            if unit.needs_engine(s):
                xu = self.units.get(f"b{self.work.index}u{u}s{s}")
                if xu is None:
                    return None
                text = xu.source if side == "source" else xu.target
            else:
                text = engine_text
            expanded = self.expand(text, unit.content, side, depth)
            if expanded is None:
                return None
            parts.append(expanded)
        return " ".join(p for p in parts if p)

    def expand(self, text: str, content: list, side: str, depth: int = 0) -> str | None:
        """`text` (placeholders inside) with atoms as their text and quotations inline."""
        failed = False

        def put(match: re.Match) -> str:
            nonlocal failed
            k = int(match.group(1))
            child = content[k] if k < len(content) else None
            if isinstance(child, inline.Atom):
                return child.text_for(self.target) if side == "target" else child.text
            if isinstance(child, inline.Quote) and depth < 8:
                inner = self._unit_text(self.index_of[id(child.children)], side, depth + 1)
                if inner is None:
                    failed = True
                    return ""
                if side == "source" or self.style is None:
                    return child.span.open_mark + inner + (child.span.close_mark or "")
                opening, closing = self.style.marks(child.level)
                pad = self.style.inside_quotes if opening in "«»‹›" else ""
                return opening + pad + inner + pad + closing
            failed = True
            return ""

        out = _PLACEHOLDER.sub(put, text)
        return None if failed else " ".join(out.split())


def _blocks(entry: dict, target_entry: dict, document: xliff.XliffFile, language: str):
    """The blocks of a document as xlat translated it (same tree as the XLIFF's units)."""
    from xlat.config import CopySettings
    from xlat.formats import format_for, parse
    from xlat.read.textio import read_input
    from xlat.review.apply import _glossary_of

    label = target_entry.get("xliff", "")
    source_path = Path(entry.get("source_path") or entry.get("source", ""))
    if not source_path.is_file():
        raise InputError(label, f"its source {source_path} is not there any more")
    source = read_input(str(source_path), entry.get("encoding"))
    if source.sha256 != entry.get("sha256"):
        raise InputError(label, f"its source {source_path} has changed since it was translated")
    recorded = CopySettings.from_json(target_entry.get("settings")) or CopySettings(())
    glossary = _glossary_of(recorded, label)
    style = style_for(language, recorded.quotes)
    units = {u.id: u for u in document.units}
    parsed = parse(source.text, format_for(source_path) or "text")
    for block in parsed.blocks:
        work = BlockWork.of(block.index, block.text, document.source_language, block.markup, glossary)
        yield _Block(work, units, language, style), glossary


def sentences(entry: dict, target_entry: dict, document: xliff.XliffFile, language: str) -> list[Sentence]:
    """The document's segments as a CAT tool would have them, with xlat's translation."""
    found = []
    for block, _ in _blocks(entry, target_entry, document, language):
        work = block.work
        outer = work.units[0] if work.units else None
        if outer is None:
            continue
        for s, engine_text in enumerate(outer.engine_texts):
            if not outer.needs_engine(s):
                continue
            unit_id = f"b{work.index}u0s{s}"
            unit = block.units.get(unit_id)
            if unit is None:
                continue
            source = block.expand(unit.source, outer.content, "source")
            target = block.expand(unit.target, outer.content, "target")
            if source is None or target is None:
                continue
            quotes = [f"b{work.index}u{block.index_of[id(outer.content[k].children)]}"
                      for k in _ids(unit.source)
                      if k < len(outer.content) and isinstance(outer.content[k], inline.Quote)]
            found.append(Sentence(source, target, unit_id, quotes))
    return found


def _ids(text: str) -> list[int]:
    return [int(k) for k in _PLACEHOLDER.findall(text)]


# -- export ------------------------------------------------------------------------------------

def _tmx(pairs: list[tuple[str, str]], source_lang: str, target_lang: str) -> bytes:
    root = ET.Element("tmx", {"version": "1.4"})
    ET.SubElement(root, "header", {
        "creationtool": "xlat", "creationtoolversion": _version(), "segtype": "sentence",
        "o-tmf": "xlat", "adminlang": "en", "srclang": source_lang, "datatype": "plaintext"})
    body = ET.SubElement(root, "body")
    for source, target in dict.fromkeys(pairs):
        tu = ET.SubElement(body, "tu")
        for lang, text in ((source_lang, source), (target_lang, target)):
            ET.SubElement(ET.SubElement(tu, "tuv", {_XML_LANG: lang}), "seg").text = text
    ET.indent(root, space=" ")
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8") + b"\n"


def _version() -> str:
    from xlat import __version__

    return __version__


def _project_xml(source_lang: str, target_lang: str) -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<omegat>
  <project version="1.0">
    <source_dir>__DEFAULT__</source_dir>
    <source_dir_excludes/>
    <target_dir>__DEFAULT__</target_dir>
    <tm_dir>__DEFAULT__</tm_dir>
    <glossary_dir>__DEFAULT__</glossary_dir>
    <glossary_file>__DEFAULT__</glossary_file>
    <dictionary_dir>__DEFAULT__</dictionary_dir>
    <source_lang>{escape(source_lang)}</source_lang>
    <target_lang>{escape(target_lang)}</target_lang>
    <source_tok>org.omegat.tokenizer.LuceneStandardTokenizer</source_tok>
    <target_tok>org.omegat.tokenizer.LuceneStandardTokenizer</target_tok>
    <sentence_seg>false</sentence_seg>
    <support_default_translations>true</support_default_translations>
    <remove_tags>false</remove_tags>
  </project>
</omegat>
"""


@dataclass
class Exported:
    project: str
    language: str
    documents: int
    segments: int
    approved: int
    glossary_terms: int


def _targets(manifest: Manifest, language: str | None):
    languages = sorted({lang for entry in manifest.documents.values() for lang in entry.get("targets", {})})
    if language:
        if language not in languages:
            raise InputError(str(manifest.path), f"no document was translated to {language!r} "
                                                 f"(targets: {', '.join(languages) or 'none'})")
        return [language]
    if not languages:
        raise InputError(str(manifest.path), "records no translated document")
    return languages


def export_project(out_dir: Path, project_dir: Path, language: str | None = None,
                   memory=None) -> list[Exported]:
    """Write one OmegaT project per target language of the output folder `out_dir` (into
    `project_dir`, or `project_dir/<lang>` when there are several)."""
    if not (out_dir / "manifest.json").is_file():
        raise InputError(str(out_dir), "is not an xlat output folder (no manifest.json)")
    manifest = Manifest(out_dir)
    languages = _targets(manifest, language)
    done = []
    for lang in languages:
        where = project_dir if len(languages) == 1 else project_dir / lang
        done.append(_export_one(out_dir, manifest, lang, where, memory))
    return done


def export_sentences(out_dir: Path, path: Path, language: str | None = None) -> int:
    """A TMX of the copies of the output folder `out_dir` as a CAT tool segments them: one unit
    per sentence with its quotations inline and numbers and links as their text (the copies'
    current targets: reviewed where a reviewer changed them). Returns the number of units."""
    if not (out_dir / "manifest.json").is_file():
        raise InputError(str(out_dir), "is not an xlat output folder (no manifest.json)")
    manifest = Manifest(out_dir)
    units: list[tuple[str, str, str, str]] = []
    for lang in _targets(manifest, language):
        for source, entry in sorted(manifest.documents.items()):
            target_entry = entry.get("targets", {}).get(lang)
            if not target_entry or not target_entry.get("xliff"):
                continue
            document = xliff.read(_xliff_of(out_dir, target_entry))
            units += [(document.source_language, lang, found.source, found.target)
                      for found in sentences(entry, target_entry, document, lang)]
    if not units:
        raise InputError(str(out_dir), "has no translated sentence to export")
    source_langs = [u[0] for u in units]
    srclang = max(sorted(set(source_langs)), key=source_langs.count)
    root = ET.Element("tmx", {"version": "1.4"})
    ET.SubElement(root, "header", {
        "creationtool": "xlat-sentences", "creationtoolversion": _version(), "segtype": "sentence",
        "o-tmf": "xlat", "adminlang": "en", "srclang": srclang, "datatype": "plaintext"})
    body = ET.SubElement(root, "body")
    for source_lang, target_lang, source, target in dict.fromkeys(units):
        tu = ET.SubElement(body, "tu", {} if source_lang == srclang else {"srclang": source_lang})
        for lang, text in ((source_lang, source), (target_lang, target)):
            ET.SubElement(ET.SubElement(tu, "tuv", {_XML_LANG: lang}), "seg").text = text
    ET.indent(root, space=" ")
    try:
        write_bytes_atomic(path, b'<?xml version="1.0" encoding="UTF-8"?>\n'
                           + ET.tostring(root, encoding="utf-8") + b"\n")
    except OSError as exc:
        raise InputError(str(path), f"cannot write: {exc.strerror or exc}") from None
    return len(dict.fromkeys(units))


def _xliff_of(out_dir: Path, target_entry: dict) -> Path:
    recorded = target_entry.get("xliff_file")
    return out_dir / recorded if recorded else Path(target_entry.get("xliff") or "")


def _export_one(out_dir: Path, manifest: Manifest, lang: str, project: Path, memory) -> Exported:
    mt_pairs, documents, names, source_langs, glossaries = [], {}, set(), set(), []
    for source, entry in sorted(manifest.documents.items()):
        target_entry = entry.get("targets", {}).get(lang)
        if not target_entry or not target_entry.get("xliff"):
            continue
        xlf = _xliff_of(out_dir, target_entry)
        document = xliff.read(xlf)
        source_langs.add(document.source_language)
        found = sentences(entry, target_entry, document, lang)
        name = Path(target_entry.get("file") or Path(source).name)
        name = name.relative_to(name.parts[0]) if len(name.parts) > 1 and name.parts[0] == lang else name
        name = name.with_name(name.name + ".txt")
        while str(name) in names:
            name = name.with_name("_" + name.name)
        names.add(str(name))
        text = "\n\n".join(s.source for s in found) + "\n"
        write_text_atomic(project / "source" / name, text)
        mt_pairs += [(s.source, s.target) for s in found]
        documents[str(name)] = {"source": source, "xliff": str(xlf.resolve())}
        recorded = target_entry.get("settings") or {}
        if recorded.get("glossary"):
            glossaries.append(recorded["glossary"])
    if not documents:
        raise InputError(str(manifest.path), f"no XLIFF recorded for {lang}")
    source_lang = sorted(source_langs)[0]
    for folder in ("target", "tm/mt", "glossary", "omegat", "dictionary"):
        (project / folder).mkdir(parents=True, exist_ok=True)
    write_text_atomic(project / "omegat.project", _project_xml(source_lang, lang))
    write_bytes_atomic(project / "tm" / "mt" / "xlat-mt.tmx", _tmx(mt_pairs, source_lang, lang))
    approved = 0
    if memory is not None:
        pairs = [(s, t) for sl, tl, s, t, _ in memory.human_segments()
                 if sl == source_lang and tl == lang and not _PLACEHOLDER.search(s + t)]
        write_bytes_atomic(project / "tm" / "xlat-approved.tmx", _tmx(pairs, source_lang, lang))
        approved = len(pairs)
    terms = 0
    if glossaries:
        from xlat.protect.glossary import load

        rows = []
        for path in dict.fromkeys(glossaries):
            for term in load(path).terms.values():
                rows.append(f"{term.text}\t{term.text_for(lang)}\n")
        write_text_atomic(project / "glossary" / "xlat.txt", "".join(dict.fromkeys(rows)))
        terms = len(rows)
    write_text_atomic(project / PROJECT_FILE, json.dumps(
        {"output": str(out_dir.resolve()), "source_language": source_lang, "target_language": lang,
         "documents": documents}, ensure_ascii=False, indent=1) + "\n")
    return Exported(str(project), lang, len(documents), len(mt_pairs), approved, terms)


# -- the way back ------------------------------------------------------------------------------

def read_pairs(path: Path) -> dict[str, str]:
    """source -> target of a TMX as OmegaT writes project_save.tmx (inline tags as text);
    parsed with the hardened TMX reader's rules (no DTD subset, no entities)."""
    from xlat.review.tmx import read_units

    pairs: dict[str, str] = {}
    for source_lang, target_lang, source, target in read_units(path):
        pairs[" ".join(source.split())] = target
    return pairs


def read_document_pairs(path: Path, project: Path) -> dict[str, str]:
    """source -> target of a target document OmegaT wrote (target/NAME), paired paragraph by
    paragraph with the exported source/NAME (one sentence per paragraph). Paragraphs OmegaT
    left as the source (untranslated) are not pairs."""
    from xlat.read.textio import read_input

    try:
        relative = Path(os.path.realpath(path)).relative_to(Path(os.path.realpath(project / "target")))
    except ValueError:
        raise InputError(str(path), "is not in the project's target/ folder") from None
    source_path = project / "source" / relative
    if not source_path.is_file():
        raise InputError(str(path), f"has no source document {source_path} in the project")
    sources = _paragraphs(read_input(str(source_path)).text)
    targets = _paragraphs(read_input(str(path), label=str(path)).text)
    if len(sources) != len(targets):
        raise InputError(str(path), f"has {len(targets)} paragraphs where its source has "
                                    f"{len(sources)}: segments were merged or split; not applied")
    return {" ".join(source.split()): target for source, target in zip(sources, targets)
            if target.strip() and " ".join(target.split()) != " ".join(source.split())}


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n[ \t]*\n", text.strip("\ufeff\n")) if p.strip()]


def is_project_file(path: Path) -> bool:
    """A project_save.tmx or a target document of a project `xlat export omegat` made."""
    try:
        project, _ = _project_of(path)
    except InputError:
        return False
    if path.suffix.lower() == ".tmx":
        return True
    return Path(os.path.realpath(project / "target")) in Path(os.path.realpath(path)).parents


def _find_quotes(text: str, count: int) -> list[tuple[int, int]] | None:
    """(start, end) of the first `count` outermost quotations of `text` (marks included)."""
    found, i = [], 0
    while len(found) < count:
        while i < len(text) and text[i] not in _OPENERS:
            i += 1
        if i >= len(text):
            return None
        opening, closing = text[i], _OPENERS[text[i]]
        depth, j = 1, i + 1
        while j < len(text):
            if text[j] == closing and (opening != closing or depth == 1):
                depth -= 1
                if depth == 0:
                    break
            elif text[j] == opening and opening != closing:
                depth += 1
            j += 1
        if j >= len(text):
            return None
        found.append((i, j + 1))
        i = j + 1
    return found


def _codes_back(text: str, unit_source: str, content: list, language: str) -> str | None:
    """`text` with each atom of `unit_source` put back as its placeholder (found by its text,
    left to right); None when one is missing."""
    taken: list[tuple[int, int, str]] = []
    for k in _ids(unit_source):
        child = content[k] if k < len(content) else None
        if not isinstance(child, inline.Atom):
            continue
        needle = child.text_for(language)
        start = 0
        while True:
            at = text.find(needle, start)
            if at < 0:
                return None
            clash = any(a < at + len(needle) and at < b for a, b, _ in taken)
            boundary = needle[:1].isdigit() and (at > 0 and text[at - 1].isdigit() or
                                                 text[at + len(needle):at + len(needle) + 1].isdigit())
            if not clash and not boundary:
                break
            start = at + 1
        taken.append((at, at + len(needle), f"⟦{k}⟧"))
    out, position = [], 0
    for a, b, code in sorted(taken):
        out += [text[position:a], code]
        position = b
    return "".join(out) + text[position:]


def take_apart(sentence: Sentence, target: str, block: _Block) -> dict[str, str] | None:
    """The xlat unit targets (id -> target with placeholders) of a translator's segment."""
    work = block.work
    outer = work.units[0]
    unit = block.units[sentence.unit]
    quote_ids = [k for k in _ids(unit.source) if isinstance(outer.content[k], inline.Quote)]
    spans = _find_quotes(target, len(quote_ids))
    if spans is None:
        return None
    result: dict[str, str] = {}
    pieces, position = [], 0
    for k, (a, b) in zip(quote_ids, spans):
        pieces += [target[position:a], f"⟦{k}⟧"]
        position = b
        inner_index = block.index_of[id(outer.content[k].children)]
        inner_unit = work.units[inner_index]
        wanted = [s for s in range(len(inner_unit.raw)) if inner_unit.needs_engine(s)]
        inner_text = target[a + 1:b - 1].strip(" \u00a0\u202f\u2009")
        if len(wanted) != 1 or len(inner_unit.raw) != 1 or _quote_in(inner_unit):
            continue  # several sentences quoted: the outer sentence only
        inner_id = f"b{work.index}u{inner_index}s{wanted[0]}"
        inner_xu = block.units.get(inner_id)
        if inner_xu is None:
            continue
        back = _codes_back(inner_text, inner_xu.source, inner_unit.content, block.target)
        if back is not None:
            result[inner_id] = back
    pieces.append(target[position:])
    back = _codes_back("".join(pieces), unit.source, outer.content, block.target)
    if back is None:
        return None
    result[sentence.unit] = " ".join(back.split())
    return result


def _quote_in(unit) -> bool:
    return any(isinstance(child, inline.Quote) for child in unit.content)


@dataclass
class AppliedProject:
    tmx: str
    confirmed: int
    """Segments of project_save.tmx found in the project's documents."""
    not_taken_apart: int
    results: list


def _project_of(path: Path) -> tuple[Path, dict]:
    for folder in [path.parent, *path.parents]:
        if (folder / PROJECT_FILE).is_file():
            try:
                return folder, json.loads((folder / PROJECT_FILE).read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise InputError(str(folder / PROJECT_FILE), f"cannot be read: {exc}") from None
    raise InputError(str(path), f"is not in an OmegaT project exported by xlat (no {PROJECT_FILE} "
                                "above it); export one with `xlat export omegat`")


def apply_tmx(path: Path, memory) -> AppliedProject:
    """Bring the segments of an OmegaT project's project_save.tmx back into the XLIFFs and the
    copies (see the module's docstring)."""
    from xlat.review import apply as review_apply

    project, recorded = _project_of(path)
    pairs = read_pairs(path) if path.suffix.lower() == ".tmx" else read_document_pairs(path, project)
    out_dir = Path(recorded["output"])
    manifest = Manifest(out_dir)
    language = recorded["target_language"]
    confirmed = not_taken = 0
    results = []
    for name, doc in recorded.get("documents", {}).items():
        entry = manifest.documents.get(doc["source"])
        target_entry = (entry or {}).get("targets", {}).get(language)
        if not target_entry:
            results.append(InputError(str(path), f"{doc['source']}: no longer in {out_dir}'s manifest"))
            continue
        xlf = Path(doc["xliff"])
        document = xliff.read(xlf)
        targets: dict[str, str] = {}
        for block, _ in _blocks(entry, target_entry, document, language):
            outer = block.work.units[0] if block.work.units else None
            if outer is None:
                continue
            for s, engine_text in enumerate(outer.engine_texts):
                unit_id = f"b{block.work.index}u0s{s}"
                unit = block.units.get(unit_id)
                if unit is None or not outer.needs_engine(s):
                    continue
                source = block.expand(unit.source, outer.content, "source")
                if source is None or source not in pairs:
                    continue
                confirmed += 1
                quotes = [f"b{block.work.index}u{block.index_of[id(outer.content[k].children)]}"
                          for k in _ids(unit.source) if isinstance(outer.content[k], inline.Quote)]
                parts = take_apart(Sentence(source, "", unit_id, quotes), pairs[source], block)
                if parts is None:
                    not_taken += 1
                    continue
                targets.update(parts)
        if not targets:
            continue
        review_apply.locate(xlf)  # an XLIFF its output folder's manifest records, nothing else
        _write_targets(xlf, targets)
        results.append(review_apply.apply(xlf, memory))
    return AppliedProject(str(path), confirmed, not_taken, results)


def _write_targets(path: Path, targets: dict[str, str]) -> None:
    """Set these units' targets in the XLIFF at `path` (state translated), nothing else."""
    document = xliff.read(path)
    for unit in document.units:
        if unit.id in targets:
            unit.target = targets[unit.id]
            unit.state = "translated"
    xliff.write(path, document)
