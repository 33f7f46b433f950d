"""review.html: one self-contained page for the editors (no network, no CDN): every document ×
language with its flag counts, then, block by block (paragraph, heading, list item...), the
source and the target as they will be published (the target read back from the localized copy
itself: quotations inline in the target's marks), the block's segments and flags underneath.
A toggle between this paragraph view and the segment view, keys to go from flag to flag
(j/n next, k/p previous), a filter for flagged blocks and segments only (also
`review.html#flagged`), the repairs explained. Every piece of article text is escaped: an
article cannot inject markup or script into the page. Every interface string goes through
xlat.i18n."""

from __future__ import annotations

import difflib
import html
import re
import shutil
import tempfile
from pathlib import Path

from xlat import __version__
from xlat.errors import XlatError
from xlat.formats import format_for, parse
from xlat.fsutil import open_atomic
from xlat.i18n import _, ngettext, ui_language
from xlat.manifest import Manifest
from xlat.protect import placeholders
from xlat.read.textio import read_input
from xlat.review import xliff

NAME = "review.html"
_PLACEHOLDER = placeholders.PATTERN
_UNIT_ID = re.compile(r"b(\d+)u\d+s\d+\Z")
_FORMATS = {datatype: name for name, datatype in xliff.DATATYPES.items()}

_STYLE = """
body{font:15px/1.45 system-ui,sans-serif;margin:1.5em;color:#222}
h1{font-size:1.4em} h2{font-size:1.15em;margin-top:2em}
table{border-collapse:collapse;width:100%} td,th{border:1px solid #ccc;padding:.35em .5em;vertical-align:top}
th{background:#f3f3f3;text-align:left} .id{color:#777;font-size:.85em;white-space:nowrap}
.code{background:#eef;border-radius:3px;padding:0 .2em;font-family:monospace;font-size:.9em}
.flags{margin:0;padding-left:1.1em;font-size:.9em} .error{color:#b00020} .warning{color:#a05a00}
.info{color:#555} tr.flagged td.target{background:#fff6e5} tr.has-error td.target{background:#ffecec}
body.only-flagged tr.segment:not(.flagged){display:none}
body.only-flagged tbody.block:not(.flagged){display:none}
.count-error{color:#b00020;font-weight:bold} .count-warning{color:#a05a00}
.tm{margin-top:.4em;padding:.2em .4em;background:#f4f8ff;font-size:.9em}
.tm del{background:#ffd7d7} .tm ins{background:#d7f5d7;text-decoration:none}
.views{display:flex;gap:1.5em;flex-wrap:wrap;align-items:center} kbd{border:1px solid #bbb;border-radius:3px;padding:0 .3em;font-size:.85em}
tr.para td{border-top:2px solid #999} td.para-source,td.para-target{white-space:pre-wrap}
tr.para.flagged td.para-target{background:#fff6e5} tr.para.has-error td.para-target{background:#ffecec}
tr.segment td{font-size:.92em} .mk{color:#888;font-family:monospace;font-size:.85em}
section.package .mk{display:none}
.nflags{display:block;margin-top:.3em} button.seg-toggle{display:block;font-size:.8em;margin-top:.3em}
th:first-child{width:8em}
body.view-paragraphs tr.segment{display:none}
body.view-paragraphs tbody.open tr.segment{display:table-row}
body.view-segments tr.para{display:none}
tr:focus{outline:3px solid #1a56db;outline-offset:-3px} tr.current>td:first-child{border-left:4px solid #1a56db}
"""
_SCRIPT = """
(function(){
  var body=document.body, box=document.getElementById('only-flagged');
  var views=document.querySelectorAll('input[name=view]');
  function apply(){body.classList.toggle('only-flagged', box.checked);}
  function view(){
    for(var i=0;i<views.length;i++){body.classList.toggle('view-'+views[i].value, views[i].checked);}
  }
  if(location.hash==='#flagged'){box.checked=true;}
  box.addEventListener('change', apply); apply();
  for(var i=0;i<views.length;i++){views[i].addEventListener('change', view);}
  view();
  document.addEventListener('click', function(e){
    var b=e.target.closest && e.target.closest('button.seg-toggle'); if(!b){return;}
    var open=b.closest('tbody').classList.toggle('open'); b.setAttribute('aria-expanded', open?'true':'false');
  });
  function stops(){
    var all=document.querySelectorAll(body.classList.contains('view-segments')?
      'tr.segment.flagged':'tr.para.flagged, tbody.loose tr.segment.flagged'), out=[];
    for(var i=0;i<all.length;i++){if(all[i].getClientRects().length){out.push(all[i]);}}
    return out;
  }
  function go(step){
    var list=stops(), here=document.activeElement, to=null;
    if(!list.length){return;}
    var inside=here&&here!==body&&here!==document.documentElement;
    if(step>0){
      for(var i=0;i<list.length&&!to;i++){
        if(!inside||here.compareDocumentPosition(list[i])&Node.DOCUMENT_POSITION_FOLLOWING){to=list[i];}
      }
    }else{
      for(var j=list.length-1;j>=0&&!to;j--){
        if(!inside||here.compareDocumentPosition(list[j])&Node.DOCUMENT_POSITION_PRECEDING){to=list[j];}
      }
    }
    if(!to){return;}
    var old=document.querySelector('tr.current'); if(old){old.classList.remove('current');}
    to.classList.add('current'); to.tabIndex=-1;
    to.focus({preventScroll:true}); to.scrollIntoView({block:'center'});
  }
  document.addEventListener('keydown', function(e){
    if(e.ctrlKey||e.metaKey||e.altKey){return;}
    var t=e.target.tagName; if(t==='INPUT'&&e.target.type==='text'||t==='TEXTAREA'||t==='SELECT'){return;}
    if(e.key==='j'||e.key==='n'){go(1);e.preventDefault();}
    else if(e.key==='k'||e.key==='p'){go(-1);e.preventDefault();}
  });
})();
"""


def _show(text: str, placeholders: dict) -> str:
    """Escaped text with placeholders shown as what they stand for."""
    out, position = [], 0
    for match in _PLACEHOLDER.finditer(text):
        out.append(html.escape(text[position:match.start()]))
        ctype, equiv = placeholders.get(match.group(1), ("", ""))
        label = equiv or f"⟦{match.group(1)}⟧"
        out.append(f'<span class="code" title="{html.escape(ctype)}">{html.escape(label)}</span>')
        position = match.end()
    out.append(html.escape(text[position:]))
    return "".join(out)


def _diff(new: str, old: str, placeholders: dict) -> str:
    """The memory's sentence `old` against the new one, word by word: words only in the
    memory's <del>, words only in the new sentence <ins>; every piece escaped."""
    a, b = re.split(r"(\s+)", old), re.split(r"(\s+)", new)
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(_show("".join(a[i1:i2]), placeholders))
            continue
        if i2 > i1:
            out.append(f"<del>{_show(''.join(a[i1:i2]), placeholders)}</del>")
        if j2 > j1:
            out.append(f"<ins>{_show(''.join(b[j1:j2]), placeholders)}</ins>")
    return "".join(out)


def _matches(unit: xliff.Unit) -> str:
    """The fuzzy matches of a unit: quality, the memory's sentence with the differences to
    this one highlighted, and its approved translation."""
    title = html.escape(_("fuzzy match from the translation memory"))
    return "".join(
        f'<div class="tm" title="{title}">'
        + html.escape(_("TM {quality}%:").format(quality=quality))
        + f" {_diff(unit.source, source, unit.placeholders)} → {_show(target, unit.placeholders)}</div>"
        for quality, source, target in unit.matches)


def _flag_items(notes: list[str]) -> str:
    items = []
    for note in notes:
        severity = note.split(" ", 1)[0]
        css = severity if severity in ("error", "warning", "info") else "info"
        items.append(f'<li class="{css}">{html.escape(note)}</li>')
    return f'<ul class="flags">{"".join(items)}</ul>' if items else ""


def _section_class(target: dict, datatype: str) -> str:
    """A Word or OpenDocument copy's markup is package XML: hidden in the paragraph view (the
    words read as the paragraph; the markup is still in the page, as in the copy)."""
    name = (_FORMATS.get(datatype) or format_for(Path(target.get("path") or "")) or "")
    return ' class="package"' if name in ("docx", "odt") else ""


def _paragraph(block) -> str:
    """A block's text exactly as it stands, escaped; its markup (tags, link targets) shown
    dimmed, so that the words read as the paragraph they are."""
    out, position = [], 0
    for start, end in block.markup:
        out.append(html.escape(block.text[position:start]))
        out.append(f'<span class="mk">{html.escape(block.text[start:end])}</span>')
        position = end
    out.append(html.escape(block.text[position:]))
    return "".join(out)


def _segment_row(unit: xliff.Unit) -> str:
    severities = {n.split(" ", 1)[0] for n in unit.notes}
    css = "segment" + (" flagged" if unit.notes else "") + (" has-error" if "error" in severities else "")
    return (f'<tr class="{css}"><td class="id">{html.escape(unit.id)}</td>'
            f'<td class="source">{_show(unit.source, unit.placeholders)}</td>'
            f'<td class="target">{_show(unit.target, unit.placeholders)}'
            f"{_flag_items(unit.notes)}{_matches(unit)}</td></tr>")


def _read_blocks(path: Path, format_name: str, encoding: str | None = None,
                 sha256: str | None = None) -> list:
    """The blocks of a file as its format parses them; XlatError naming what stands in the way."""
    text = read_input(str(path), encoding)
    if sha256 and text.sha256 != sha256:
        raise XlatError(_("{path}: changed since it was translated").format(path=path))
    return parse(text.text, format_name).blocks


def _paragraphs(out_dir: Path, document: dict, target: dict, datatype: str
                ) -> tuple[list | None, list | None, str]:
    """(source blocks, copy blocks, why not) for a document x language. The copy's blocks
    are read from the localized copy itself: what the page shows is what will be published."""
    copy_path = out_dir / target["file"] if target.get("file") else Path(target.get("path") or "")
    format_name = _FORMATS.get(datatype) or format_for(copy_path) or "text"
    try:
        copy = _read_blocks(copy_path, format_name)
    except Exception as exc:  # noqa: BLE001 - any copy the page cannot read: segments only
        return None, None, _("the localized copy cannot be read ({problem})").format(problem=exc)
    source_path = document.get("source_path") or document.get("source") or ""
    source, why = None, ""
    if source_path in ("", "-"):
        why = _("the source was standard input")
    else:
        try:
            source = _read_blocks(Path(source_path), format_name, document.get("encoding"),
                                  document.get("sha256"))
        except Exception as exc:  # noqa: BLE001 - shown without the source then
            why = _("the source cannot be read ({problem})").format(problem=exc)
    if source is not None and len(source) != len(copy):
        source, why = None, _("the copy has {copy} blocks, the source {source}").format(
            copy=len(copy), source=len(source))
    return source, copy, why


def build(out_dir: Path) -> Path:
    """Write out_dir/review.html from the manifest, the XLIFF files and the copies.

    Written as it is read, one document at a time (the summary table and the sections go to two
    unnamed temporary files, then into the page): memory stays flat however many articles the
    run had."""
    manifest = Manifest(out_dir)
    with tempfile.TemporaryFile(dir=out_dir) as summary_file, \
            tempfile.TemporaryFile(dir=out_dir) as sections_file:
        _write_parts(manifest, summary_file, sections_file)
        path = out_dir / NAME
        with open_atomic(path) as out:
            out.write(_head().encode("utf-8"))
            summary_file.seek(0)
            shutil.copyfileobj(summary_file, out)
            out.write(b"</table>")
            sections_file.seek(0)
            shutil.copyfileobj(sections_file, out)
            out.write(f"<script>{_SCRIPT}</script></body></html>\n".encode("utf-8"))
    return path


def _write_parts(manifest: Manifest, summary_file, sections_file) -> None:
    """The summary rows and the sections, one document x language at a time."""
    number = 0
    for source, document in sorted(manifest.documents.items()):
        for language, target in sorted(document.get("targets", {}).items()):
            number += 1
            anchor = f"d{number}"
            units: list[xliff.Unit] = []
            datatype = ""
            xlf = manifest.out_dir / target["xliff_file"] if target.get("xliff_file") else \
                Path(target.get("xliff") or "")
            if target.get("xliff") and xlf.is_file():
                try:
                    read = xliff.read(xlf)
                    units, datatype = read.units, read.datatype
                except XlatError:
                    units = []
            counts = {"error": 0, "warning": 0, "info": 0}
            for unit in units:
                for note in unit.notes:
                    severity = note.split(" ", 1)[0]
                    if severity in counts:
                        counts[severity] += 1
            summary_file.write((
                f'<tr><td><a href="#{anchor}">{html.escape(source)}</a></td>'
                f"<td>{html.escape(document.get('language', ''))} → {html.escape(language)}</td>"
                f"<td>{html.escape(target.get('status', ''))}</td><td>{len(units)}</td>"
                f'<td class="count-error">{counts["error"]}</td>'
                f'<td class="count-warning">{counts["warning"]}</td><td>{counts["info"]}</td></tr>'
            ).encode("utf-8"))
            source_blocks, copy_blocks, why = _paragraphs(manifest.out_dir, document, target, datatype)
            repairs = "".join(f"<li>{html.escape(r)}</li>" for r in target.get("repairs", []))
            integrity = "".join(f'<li class="error">{html.escape(r)}</li>' for r in target.get("integrity", []))
            output = html.escape(_("Output: {path} · engine: {engine}").format(
                path=target.get("path", ""), engine=target.get("engine", "")))
            sections_file.write((
                f'<section id="{anchor}"{_section_class(target, datatype)}><h2>{html.escape(source)} → {html.escape(language)}</h2>'
                f"<p>{output}</p>"
                + ('<div class="integrity"><p class="error"><strong>'
                   + html.escape(_("Integrity errors: this copy is not fit to publish as it is"))
                   + f'</strong></p><ul class="flags">{integrity}</ul></div>' if integrity else "")
                + ("<details><summary>" + html.escape(_("Repairs made by xlat ({count})").format(
                    count=len(target.get("repairs", [])))) + f"</summary><ul>{repairs}</ul></details>"
                   if repairs else "")
                + ('<p class="info">' + html.escape(_("Paragraphs not shown: {why}").format(why=why))
                   + "</p>" if why and copy_blocks is None else "")
                + ('<p class="info">' + html.escape(_("Source paragraphs not shown: {why}").format(why=why))
                   + "</p>" if why and copy_blocks is not None else "")
                + "<table><thead><tr><th>" + html.escape(_("Block · segment")) + "</th><th>"
                + html.escape(_("Source")) + "</th><th>" + html.escape(_("Translation"))
                + "</th></tr></thead>").encode("utf-8"))
            _write_blocks(sections_file, anchor, units, source_blocks, copy_blocks)
            sections_file.write(b"</table></section>")


def _write_blocks(out, anchor: str, units: list[xliff.Unit], source_blocks, copy_blocks) -> None:
    """One <tbody> per block: its paragraph row (source and copy side by side), then its
    segments. Without the copy's blocks, the segments alone."""
    by_block: dict[int, list[xliff.Unit]] = {}
    loose: list[xliff.Unit] = []
    for unit in units:
        match = _UNIT_ID.match(unit.id)
        if copy_blocks is not None and match and int(match.group(1)) < len(copy_blocks):
            by_block.setdefault(int(match.group(1)), []).append(unit)
        else:
            loose.append(unit)
    for index, block in enumerate(copy_blocks or ()):
        segments = by_block.get(index, [])
        notes = [note for unit in segments for note in unit.notes]
        severities = {note.split(" ", 1)[0] for note in notes}
        css = (" flagged" if notes else "") + (" has-error" if "error" in severities else "")
        label = html.escape(_("¶ {number}").format(number=index + 1))
        extra = ""
        if notes:
            extra += '<span class="nflags">' + html.escape(ngettext(
                "{count} flag", "{count} flags", len(notes)).format(count=len(notes))) + "</span>"
        if segments:
            extra += (f'<button type="button" class="seg-toggle" aria-expanded="{"true" if notes else "false"}">'
                      + html.escape(ngettext("{count} segment", "{count} segments", len(segments)).format(
                          count=len(segments))) + "</button>")
        source_cell = _paragraph(source_blocks[index]) if source_blocks is not None else ""
        out.write((
            f'<tbody class="block{css}{" open" if notes else ""}">'
            f'<tr class="para{css}" id="{anchor}b{index + 1}"><td class="id">{label}{extra}</td>'
            f'<td class="para-source">{source_cell}</td>'
            f'<td class="para-target">{_paragraph(block)}</td></tr>'
            + "".join(_segment_row(unit) for unit in segments) + "</tbody>").encode("utf-8"))
    if loose:
        flagged = any(unit.notes for unit in loose)
        out.write((f'<tbody class="block loose open{" flagged" if flagged else ""}">'
                   + "".join(_segment_row(unit) for unit in loose) + "</tbody>").encode("utf-8"))


def _head() -> str:
    title = html.escape(_("xlat review"))
    return (
        f"<!DOCTYPE html>\n<html lang=\"{html.escape(ui_language())}\"><head><meta charset=\"utf-8\">"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "style-src 'unsafe-inline'; script-src 'unsafe-inline'\">"
        f"<title>{title}</title><style>{_STYLE}</style></head><body class=\"view-paragraphs\">"
        f"<h1>{title}</h1><p>"
        + html.escape(_("Generated by xlat {version}. Every translation needs review; flagged "
                        "segments first.").format(version=__version__))
        + '</p><div class="views"><span role="radiogroup" aria-label="'
        + html.escape(_("View")) + '"><label><input type="radio" name="view" value="paragraphs" checked> '
        + html.escape(_("Paragraphs")) + '</label> <label><input type="radio" name="view" value="segments"> '
        + html.escape(_("Segments")) + '</label></span>'
        + '<label><input type="checkbox" id="only-flagged"> ' + html.escape(_("Only flagged segments"))
        + "</label><span>"
        + html.escape(_("Keys: {next} next flag, {previous} previous flag")).format(
            next="<kbd>j</kbd>/<kbd>n</kbd>", previous="<kbd>k</kbd>/<kbd>p</kbd>")
        + "</span></div><table><tr><th>" + html.escape(_("Document")) + "</th><th>"
        + html.escape(_("Languages")) + "</th><th>" + html.escape(_("Status")) + "</th><th>"
        + html.escape(_("Segments")) + "</th><th>" + html.escape(_("Errors")) + "</th><th>"
        + html.escape(_("Warnings")) + "</th><th>" + html.escape(_("Notes")) + "</th></tr>")
