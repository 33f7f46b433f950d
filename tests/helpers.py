"""Helpers shared by the tests (importable as `helpers`; pytest puts tests/ on the path)."""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parent.parent
SAMPLES = ROOT / "samples"


def read_sentences() -> list[tuple[str, str, str]]:
    """(language, paragraph id, sentence) rows of tests/data/detect/sentences.tsv."""
    rows = []
    for line in (DATA / "detect" / "sentences.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            lang, paragraph, sentence = line.split("\t")
            rows.append((lang, paragraph, sentence))
    return rows


def read_paragraphs() -> tuple[dict[str, list[str]], dict[str, str]]:
    """The same data by paragraph: (paragraph id -> sentences, paragraph id -> language)."""
    paragraphs: dict[str, list[str]] = {}
    language: dict[str, str] = {}
    for lang, paragraph, sentence in read_sentences():
        paragraphs.setdefault(paragraph, []).append(sentence)
        language[paragraph] = lang
    return paragraphs, language


QUOTE_MARKS = {"de": ("„", "‚"), "fr": ("«", "“"), "es": ("«", "“"), "en": ("“", "‘"), "ca": ("«", "“")}


def format_of(path: Path) -> str:
    return {".md": "markdown", ".html": "html", ".htm": "html"}.get(path.suffix, "text")


def assert_same_structure(source: Path, output: Path) -> None:
    """The localized copy has the source's blocks, skeleton, markup (each tag, link target and
    code span once) and quotations (same nesting, in the target's marks)."""
    from xlat.formats import parse
    from xlat.protect.quotes import find_spans

    target = output.parent.name
    fmt = format_of(source)
    before = parse(source.read_text(encoding="utf-8"), fmt)
    after = parse(output.read_text(encoding="utf-8"), fmt)
    assert len(after.blocks) == len(before.blocks)

    def atoms(document):  # (backslash escapes and entities are text, not structure)
        return sorted(b.text[s:e] for b in document.blocks for s, e in b.markup
                      if not b.text[s:e].startswith(("\\", "&")) and b.text[s:e] not in "<>")

    def quotes(document):
        import re

        inline = re.compile(r"</?(?!(?:br|img|hr|wbr)\b)[a-z][^<>]*(?<!/)>|[*_~]+|!?\[|\]\(.*\)|\]\[.*\]", re.I | re.S)
        spans = []
        for block in document.blocks:
            pieces, position = [], 0
            for start, end in block.markup:  # emphasis, links, inline elements are not there for
                pieces.append(block.text[position:start])  # a quotation mark; other markup is a
                piece = block.text[start:end]  # boundary
                if inline.fullmatch(piece):  # opens: glued to what follows; closes: to what precedes
                    after = block.text[end:end + 1]
                    closing = piece.startswith(("</", "]")) or (piece[0] in "*_~" and (not after or after.isspace()))
                    pieces.append("\x02" if closing else "\x01")
                else:
                    pieces.append("x" if piece.startswith("`") else " ")
                position = end
            pieces.append(block.text[position:])
            text = re.sub(r"\s*\x02", "", re.sub(r"\x01\s*", "", "".join(pieces)))
            # 12" after an odd number of " closes a quotation: no inches
            text = re.sub(r'\d(?=")', lambda m: "x" if text.count('"', 0, m.end()) % 2 else m.group(0), text)
            # (a lone single mark never closed reads as an apostrophe: 'causa)
            spans += [s for s in find_spans(text) if s.end is not None or s.open_mark not in "'’‘"]
        return spans

    if fmt == "html":  # every tag, in order, with its attributes (but <html lang dir>)
        assert _html_structure(output.read_text(encoding="utf-8")) == _html_structure(
            source.read_text(encoding="utf-8"))
    else:
        assert atoms(after) == atoms(before)
        assert [p for p in after.parts if isinstance(p, str)] == [p for p in before.parts if isinstance(p, str)]
    primary, nested = QUOTE_MARKS[target]
    assert [(s.level, s.open_mark) for s in quotes(after)] == [
        (s.level, primary if s.level % 2 == 0 else nested) for s in quotes(before)]
    # every quotation the source closes is closed (with the target's mark), the others stay open
    assert [s.end is not None for s in quotes(after)] == [s.end is not None for s in quotes(before)]
    assert all(not s.repaired for s in quotes(after) if s.end is not None)


def _html_structure(text: str) -> list:
    """Tags in order with attributes, and the text of elements that are never translated."""
    from html.parser import HTMLParser

    events: list = []
    raw = {"code", "pre", "script", "style"}
    state = {"raw": 0}

    class Collector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            attrs = [(k, v) for k, v in attrs if not (tag == "html" and k in ("lang", "dir"))
                     and k not in ("alt", "title")]  # (their text is translated)
            events.append(("start", tag, attrs))
            state["raw"] += tag in raw

        def handle_endtag(self, tag):
            events.append(("end", tag))
            state["raw"] -= tag in raw

        def handle_data(self, data):
            if state["raw"]:
                events.append(("raw", data))

    Collector().feed(text)
    return events


# The test's own view of damage, independent of xlat's gate (a check that shares the gate's
# code could share its blind spots).
RESIDUE = r"</?\s*x\d+\s*/?>|&lt;/?\s*x\d+|[⟦⟧]|⁇|<unk>|&lt;unk&gt;"


def atom_counts(text: str, atoms) -> dict[str, int]:
    """How often each atom stands in `text` as a whole token (not inside a longer one)."""
    import re

    counts = {}
    for atom in atoms:
        before = r"(?<![\w.,])" if re.match(r"[\w$€]", atom) else ""
        after = r"(?![\w])" if re.search(r"\w$", atom) else ""
        counts[atom] = len(re.findall(before + re.escape(atom) + after, text))
    return counts


def assert_intact(source: Path, output: Path, atoms=()) -> None:
    """The copy has no placeholder residue, every atom of the source as often, and the
    source's structure and quotations (assert_same_structure)."""
    import re

    before, after = source.read_text(encoding="utf-8"), output.read_text(encoding="utf-8")
    assert re.findall(RESIDUE, after) == re.findall(RESIDUE, before), "placeholder residue"
    lost = {a: n for a, n in atom_counts(before, atoms).items() if atom_counts(after, [a])[a] < n}
    assert not lost, f"atoms lost: {lost}"
    if source.suffix == ".txt":  # a text's own < and & are text, and stay
        for char in "<&":
            assert after.count(char) >= before.count(char), f"{char!r} lost"
    assert_same_structure(source, output)


def copy_of(out: Path, target: str, source: Path | str, language: str | None = None) -> Path:
    """Where `xlat translate SOURCE --to TARGET --out OUT` puts the copy of a file argument:
    `OUT/TARGET/<its name>`, a language tag in the name (`x.en.txt`, the file's language,
    `language` or the tag itself) written as the target's (`x.es.txt`)."""
    import re

    name = Path(source).name
    match = re.fullmatch(r"(.+)\.([a-z]{2})(\.\w+)", name)
    if match and (language is None or match.group(2) == language):
        name = f"{match.group(1)}.{target}{match.group(3)}"
    return Path(out) / target / name
