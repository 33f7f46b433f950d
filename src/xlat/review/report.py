"""review.html: one self-contained page for the editors (no network, no CDN): every document ×
language with its flag counts, then source and target side by side, flags highlighted, a
filter for flagged segments only (also `review.html#flagged`), the repairs explained. Every
piece of article text is escaped: an article cannot inject markup or script into the page."""

from __future__ import annotations

import difflib
import html
import re
import shutil
import tempfile
from pathlib import Path

from xlat import __version__
from xlat.protect import placeholders
from xlat.errors import XlatError
from xlat.fsutil import open_atomic
from xlat.manifest import Manifest
from xlat.review import xliff

NAME = "review.html"
_PLACEHOLDER = placeholders.PATTERN

_STYLE = """
body{font:15px/1.45 system-ui,sans-serif;margin:1.5em;color:#222}
h1{font-size:1.4em} h2{font-size:1.15em;margin-top:2em}
table{border-collapse:collapse;width:100%} td,th{border:1px solid #ccc;padding:.35em .5em;vertical-align:top}
th{background:#f3f3f3;text-align:left} .id{color:#777;font-size:.85em;white-space:nowrap}
.code{background:#eef;border-radius:3px;padding:0 .2em;font-family:monospace;font-size:.9em}
.flags{margin:0;padding-left:1.1em;font-size:.9em} .error{color:#b00020} .warning{color:#a05a00}
.info{color:#555} tr.flagged td.target{background:#fff6e5} tr.has-error td.target{background:#ffecec}
body.only-flagged tr.segment:not(.flagged){display:none}
.count-error{color:#b00020;font-weight:bold} .count-warning{color:#a05a00}
.tm{margin-top:.4em;padding:.2em .4em;background:#f4f8ff;font-size:.9em}
.tm del{background:#ffd7d7} .tm ins{background:#d7f5d7;text-decoration:none}
"""
_SCRIPT = """
(function(){
  var box=document.getElementById('only-flagged');
  function apply(){document.body.classList.toggle('only-flagged', box.checked);}
  if(location.hash==='#flagged'){box.checked=true;}
  box.addEventListener('change', apply); apply();
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
    return "".join(
        f'<div class="tm" title="fuzzy match from the translation memory">TM {quality}%: '
        f"{_diff(unit.source, source, unit.placeholders)} → {_show(target, unit.placeholders)}</div>"
        for quality, source, target in unit.matches)


def _flag_items(notes: list[str]) -> str:
    items = []
    for note in notes:
        severity = note.split(" ", 1)[0]
        css = severity if severity in ("error", "warning", "info") else "info"
        items.append(f'<li class="{css}">{html.escape(note)}</li>')
    return f'<ul class="flags">{"".join(items)}</ul>' if items else ""


def build(out_dir: Path) -> Path:
    """Write out_dir/review.html from the manifest and the XLIFF files beside the copies.

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
            if target.get("xliff") and Path(target["xliff"]).is_file():
                try:
                    units = xliff.read(Path(target["xliff"])).units
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
            rows = []
            for unit in units:
                severities = {n.split(" ", 1)[0] for n in unit.notes}
                css = "segment" + (" flagged" if unit.notes else "") + (" has-error" if "error" in severities else "")
                rows.append(
                    f'<tr class="{css}"><td class="id">{html.escape(unit.id)}</td>'
                    f'<td class="source">{_show(unit.source, unit.placeholders)}</td>'
                    f'<td class="target">{_show(unit.target, unit.placeholders)}'
                    f"{_flag_items(unit.notes)}{_matches(unit)}</td></tr>")
            repairs = "".join(f"<li>{html.escape(r)}</li>" for r in target.get("repairs", []))
            integrity = "".join(f'<li class="error">{html.escape(r)}</li>' for r in target.get("integrity", []))
            sections_file.write((
                f'<section id="{anchor}"><h2>{html.escape(source)} → {html.escape(language)}</h2>'
                f"<p>Output: {html.escape(target.get('path', ''))} · engine: "
                f"{html.escape(target.get('engine', ''))}</p>"
                + (f'<div class="integrity"><p class="error"><strong>Integrity errors: this copy is '
                   f'not fit to publish as it is</strong></p><ul class="flags">{integrity}</ul></div>'
                   if integrity else "")
                + (f"<details><summary>Repairs made by xlat ({len(target.get('repairs', []))})"
                   f"</summary><ul>{repairs}</ul></details>" if repairs else "")
                + '<table><tr><th>Segment</th><th>Source</th><th>Translation</th></tr>'
                + "".join(rows) + "</table></section>").encode("utf-8"))


def _head() -> str:
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "style-src 'unsafe-inline'; script-src 'unsafe-inline'\">"
        f"<title>xlat review</title><style>{_STYLE}</style></head><body>"
        f"<h1>xlat review</h1><p>Generated by xlat {html.escape(__version__)}. Every translation "
        "needs review; flagged segments first.</p>"
        '<p><label><input type="checkbox" id="only-flagged"> Only flagged segments</label></p>'
        "<table><tr><th>Document</th><th>Languages</th><th>Status</th><th>Segments</th>"
        "<th>Errors</th><th>Warnings</th><th>Notes</th></tr>")
