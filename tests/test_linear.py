"""Hostile inputs cost in proportion to their size, and no depth of nesting is a crash.

No timing assertion here (speed lives in bench/scaling.py): an input whose cost used to explode
(minutes for a few thousand backticks) runs in a subprocess under a generous time limit, and
everything else is a property of size: a review unit's placeholders, the number of units.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from xlat.config import TranslateSettings
from xlat.errors import XlatError
from xlat.pipeline import translate_paths
from xlat.protect import inline, placeholders
from xlat.protect.glossary import GlossaryError, load
from xlat.protect.quotes import MAX_DEPTH, find_spans
from xlat.render.assemble import BlockWork, assemble
from xlat.review.segments import review_unit
from xlat.translate import engines
from xlat.translate.engines.base import Translation

SRC = Path(__file__).resolve().parent.parent / "src"
LIMIT_S = 60  # far above what linear code needs, far below what the old backtracking took


class Identity:
    name = "identity-linear"

    def pairs(self):
        return {("en", "es")}

    def translate_batch(self, sentences, source, target):
        return [Translation(s) for s in sentences]

    def signature(self, source, target):
        return self.name


@pytest.fixture
def identity(engine_registry):
    engines.register(Identity.name, lambda settings: Identity())
    return Identity.name


def _translate(folder: Path, name: str, text: str, engine: str, glossary: Path | None = None):
    path = folder / name
    path.write_text(text, encoding="utf-8")
    settings = TranslateSettings(targets=("es",), source="en", engine=engine, out_dir=str(folder / "out"),
                                 use_memory=False, glossary=str(glossary) if glossary else None)
    results = list(translate_paths([str(path)], settings))
    errors = [str(r) for r in results if isinstance(r, XlatError)]
    manifest = json.loads((folder / "out" / "manifest.json").read_text(encoding="utf-8"))
    return manifest["documents"][0]["targets"]["es"], errors


def _runs_within_limit(code: str) -> None:
    """Run `code` in a fresh interpreter; it must finish (it used to take minutes or more)."""
    try:
        done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                              timeout=LIMIT_S, env={"PYTHONPATH": str(SRC), "PATH": ""})
    except subprocess.TimeoutExpired:
        pytest.fail(f"did not finish in {LIMIT_S} s")
    assert done.returncode == 0, done.stderr[-2000:]


# -- Markdown inline markup: runs of one character -------------------------------------------

@pytest.mark.parametrize("run,count", [
    ("`", 6000),  # a code span's closing run searched by backtracking: cubic
    ("[", 100_000),  # a link opener's lookahead, an empty link's pattern: quadratic
    ("_", 100_000),  # an e-mail pattern tried from inside a run of word characters
    ("*", 100_000), ("~", 100_000), ("<", 100_000), ("<!--", 30_000), ("[^", 50_000),
    ("](x (", 30_000), ("a  ", 50_000),
])
def test_a_run_of_markup_characters_is_parsed_gated_and_built_in_linear_time(run, count):
    _runs_within_limit(f"""
        from xlat.formats import parse
        from xlat.protect import inline
        from xlat.render import gate
        text = "The minister said this. " + {run!r} * {count} + " end.\\n"
        document = parse(text, "markdown")
        for block in document.blocks:
            inline.build(block.text, list(block.markup))
        gate.check(document, text)
    """)


def test_code_spans_pair_whole_runs():
    from xlat.formats.markdown import markup_spans

    text = "a ``b`` c `d` e ``` f"
    assert [text[s:e] for s, e in markup_spans(text)] == ["``b``", "`d`"]


def test_long_runs_of_word_characters_and_numbers_are_linear():
    _runs_within_limit("""
        from xlat.protect import inline
        from xlat.render import qa
        from xlat.detect import LanguageDetector
        text = "Word " + "a." * 100000 + " " + "_" * 200000 + ' 12" wide' * 20000
        inline.build(text)
        qa.check_links(text, text)
        LanguageDetector().guess(text)
    """)


# -- inline tags and quotation marks in one paragraph ------------------------------------------

def _segments(text: str, markup=()):
    block = BlockWork.of(0, text, "en", markup)
    translations = {(u, s): t for u, s, t in block.sentences()}
    return assemble(block, translations, None).segments


def test_a_review_unit_names_only_its_own_placeholders():
    text = "".join(f"Word <b>number {i}</b> here. " for i in range(300))
    markup = [(m.start(), m.end()) for m in __import__("re").finditer(r"</?b>", text)]
    segments = _segments(text, markup)
    assert len(segments) == 300
    for segment in segments:
        unit = review_unit(segment)
        own = set(placeholders.ids(segment.source)) | set(placeholders.ids(segment.target))
        assert len(own) == 3  # <b>, the number, </b>
        assert set(unit.placeholders) == {str(k) for k in own}


def test_a_single_line_paragraph_takes_memory_in_proportion(tmp_path, identity):
    import tracemalloc

    warm = tmp_path / "warm"
    warm.mkdir()
    _translate(warm, "a.txt", "The minister said so on Monday.\n", identity)  # models loaded once
    peaks, sizes = [], []
    for n in (300, 600):
        folder = tmp_path / str(n)
        folder.mkdir()
        tracemalloc.start()
        entry, errors = _translate(folder, "a.txt", 'He said "yes" to 12 of them. ' * n + "\n", identity)
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
        assert not errors, errors
        sizes.append(Path(entry["xliff"]).stat().st_size)
    assert peaks[1] < 2.5 * peaks[0], peaks  # each unit its own placeholders: no n x n table
    assert sizes[1] < 2.2 * sizes[0], sizes


def test_many_quotation_marks_in_one_paragraph(tmp_path, identity):
    entry, errors = _translate(tmp_path, "a.txt", "The minister said. " + '"' * 20000 + " end.\n", identity)
    assert not errors and entry["status"] == "needs-review", (errors, entry["integrity"])
    assert Path(entry["xliff"]).stat().st_size < 400 * 20000


# -- nesting ---------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "The minister said. " + "«word " * 400 + "end" + "»" * 400 + ".\n",
    "The minister said. " + '"word ' * 3000 + "end.\n",
])
def test_deep_quotation_nesting_is_flattened_and_flagged(tmp_path, identity, text):
    entry, errors = _translate(tmp_path, "a.txt", text, identity)
    assert not errors, errors
    assert entry["status"] == "needs-review", entry["integrity"]
    (flattened,) = [r for r in entry["repairs"] if f"nested deeper than {MAX_DEPTH}" in r]
    assert "kept as plain text" in flattened
    assert (tmp_path / "out" / "es" / "a.txt").read_text(encoding="utf-8").count("word") == text.count("word")


def test_nesting_depth_is_capped_in_spans_and_units():
    text = "«a " * 1000 + "b" + "»" * 1000
    spans = find_spans(text)
    assert max(s.level for s in spans) == MAX_DEPTH - 1
    assert len(inline.units(inline.build(text))) == MAX_DEPTH + 1


def test_markup_nesting_is_no_recursion():
    text = "<b>" * 5000 + "word" + "</b>" * 5000
    pieces = [(piece, "") for piece in ["<b>"] * 5000 + ["</b>"] * 5000]
    assert inline.well_nested(pieces)
    segments = _segments(text, [(3 * i, 3 * i + 3) for i in range(5000)] +
                         [(5004 + 4 * i, 5008 + 4 * i) for i in range(5000)])
    assert len(segments) == 1


# -- glossaries ------------------------------------------------------------------------------

@pytest.mark.parametrize("entry,message", [
    ('[glossary.""]\nkeep = true\n', "is empty"),
    ('[glossary."  "]\nes = "x"\n', "is empty"),
    ('[glossary."Red Cross"]\nkeep = "false"\n', "keep must be true or false"),
    ('[glossary."Red Cross"]\nkeep = 1\n', "keep must be true or false"),
    ('[glossary."Red Cross"]\nes = 5\n', "es must be a string"),
])
def test_a_bad_glossary_entry_is_one_error_naming_file_and_entry(tmp_path, entry, message):
    path = tmp_path / "terms.toml"
    path.write_text(entry, encoding="utf-8")
    with pytest.raises(GlossaryError) as error:
        load(path)
    assert str(path) in str(error.value) and message in str(error.value)
    assert "\n" not in str(error.value)


def test_a_large_glossary_costs_in_proportion_to_the_text(tmp_path):
    terms = [f"Nova {chr(65 + i % 26)}{chr(97 + i // 26 % 26)}{chr(97 + i // 676)} Institute" for i in range(5000)]
    path = tmp_path / "terms.toml"
    path.write_text("".join(f'[glossary."{t}"]\nes = "Instituto"\n' for t in terms), encoding="utf-8")
    glossary = load(path)
    text = " ".join(f"The {t} met the {t.split()[1]} minister." for t in terms)
    found = glossary.find(text)
    assert [text[s:e] for s, e, _ in found] == terms
    _runs_within_limit(f"""
        from xlat.protect.glossary import load
        glossary = load({str(path)!r})
        text = "The Nova Institute met the minister. " * 200000
        assert glossary.find(text) == []
    """)


def test_glossary_matches_longest_whole_words(tmp_path):
    path = tmp_path / "terms.toml"
    path.write_text('[glossary."Red Cross"]\nkeep = true\n[glossary."Red"]\nkeep = true\n'
                    '[glossary."C++"]\nkeep = true\n', encoding="utf-8")
    text = "Red Crossing, Red Cross, Redd, C++ and C+++"
    assert [text[s:e] for s, e, _ in load(path).find(text)] == ["Red", "Red Cross", "C++", "C++"]


def test_restore_repairs_many_placeholders_in_one_pass():
    _runs_within_limit("""
        from xlat.protect import inline, placeholders
        n = 100000
        raw = " ".join(f"w{i} ⟦{i}⟧" for i in range(n))
        content = [inline.Atom(str(i), "protected") for i in range(n)]
        repairs = []
        out = inline.restore(raw, raw, raw.replace("⟦0⟧", "") + " x", content, repairs)
        assert sorted(placeholders.ids(out)) == list(range(n))
        assert any("dropped" in r for r in repairs)
        literals = [(k, "12") for k in range(n)]
        assert placeholders.ids(inline.without_literal_numbers("12 " * n, literals)) == list(range(n))
    """)
