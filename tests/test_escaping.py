"""Escaping by context: hostile text from any source (an engine, a glossary, a reviewer, the
memory, the article itself) through every format (txt, md, html) never becomes markup. The HTML
copies, the Markdown copies rendered to HTML and review.html are opened in headless chromium:
nothing that a hostile string carries runs."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
from lxml import etree

from xlat.formats import html as html_format
from xlat.formats import markdown as markdown_format
from xlat.formats import parse
from xlat import languages
from xlat.render import gate, render_copy
from xlat.render.assemble import BlockWork
from xlat.review import xliff
from xlat.translate import engines
from xlat.translate.engines.base import Translation

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
                  "--virtual-time-budget=2000"]
# What a hostile string does when it runs: a <title>PWNED</title> appears (the sources have no
# title of their own), or the body gets data-pwned="1".
RUN = "document.title='PWNED'"
HOSTILE = [
    f"<script>{RUN}</script>",
    f"<img src=x onerror=\"{RUN}\">",
    f"\" onerror=\"{RUN}\" x=\"",
    "' onerror='document.body.setAttribute(`data-pwned`,1)' x='",
    f"L'home onerror={RUN} d'x",
    f"javascript:{RUN}",
    f"[click me](javascript:{RUN})",
    f"<javascript:{RUN}>",
    "AT&T &amp; &lt;script&gt; &#60;b&#62; &#xZZ;",
    f"]]><script>{RUN}</script>",
    f"</textarea><script>{RUN}</script>",
    f"--><script>{RUN}</script><!--",
    f"<svg onload={RUN}>",
    f"<a href=\"javascript:{RUN}\">here</a>",
]
_CODE = "Zed"  # each sentence carries Zed<letter>: the engine answers with HOSTILE[letter]


def _elements(text: str) -> Counter:
    """(tag, attribute names) of every element, as Python's HTML parser builds them (the
    test's own view, not xlat's)."""
    found: Counter = Counter()

    class Parser(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag != "html":
                found[(tag, tuple(sorted(name for name, _ in attrs)))] += 1

    parser = Parser()
    parser.feed(text)
    parser.close()
    return found


def _letter(k: int) -> str:
    return chr(ord("a") + k)


def _html_source(words=lambda k: f"{_CODE}{_letter(k)}") -> str:
    body = []
    for k in range(len(HOSTILE)):
        w = words(k)
        body.append(
            f"<h2>{w} heading words here</h2>\n<p>{w} paragraph text is here.</p>\n"
            f"<img alt='{w} single quoted alt' src=x{k}>\n"
            f"<img title=\"{w} double quoted title\" src=y{k}>\n"
            f"<p><a href=\"https://example.org/{k}\" title='{w} link title'>{w} link words</a></p>\n")
    return "<html><head><meta charset=\"utf-8\"></head><body>\n" + "".join(body) + \
        "<textarea>kept</textarea>\n</body></html>\n"


def _md_source(words=lambda k: f"{_CODE}{_letter(k)}") -> str:
    return "".join(f"## {words(k)} heading words\n\n{words(k)} paragraph text is here, see "
                   f"[{words(k)} link words](https://example.org/{k}).\n\n"
                   f"![{words(k)} image alt](x{k}.png)\n\n" for k in range(len(HOSTILE)))


def _txt_source(words=lambda k: f"{_CODE}{_letter(k)}") -> str:
    return "".join(f"{words(k)} paragraph text is here.\n\n" for k in range(len(HOSTILE)))


class Hostile:
    """An engine that puts a hostile string before every sentence it translates."""

    name = "hostile"

    def pairs(self):
        return {("en", "es"), ("en", "ca")}

    def translate_batch(self, sentences, source, target):
        out = []
        for sentence in sentences:
            found = re.search(_CODE + "([a-z])", sentence)
            hostile = HOSTILE[ord(found.group(1)) - ord("a")] if found else HOSTILE[0]
            out.append(Translation(f"{hostile} {sentence}"))
        return out

    def signature(self, source, target):
        return "hostile"


@pytest.fixture(scope="module")
def chromium():
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        pytest.fail("chromium is not installed: run scripts/install.sh --test as root")
    return found


def _dom(chromium: str, page: Path, profile: Path) -> str:
    done = subprocess.run([chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--dump-dom",
                           page.as_uri()], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def _markdown_to_html(text: str) -> str:
    from markdown_it import MarkdownIt

    return ("<html><head><meta charset=\"utf-8\"></head><body>"
            + MarkdownIt("commonmark").enable("table").render(text) + "</body></html>\n")


def _write_sources(folder: Path, words=lambda k: f"{_CODE}{_letter(k)}") -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / "a.html", folder / "a.md", folder / "a.txt"]
    for path, make in zip(paths, (_html_source, _md_source, _txt_source)):
        path.write_text(make(words), encoding="utf-8")
    return paths


def _assert_harmless(chromium: str, sources: list[Path], out: Path, language: str, tmp: Path) -> None:
    """Every HTML that xlat wrote (and every Markdown copy as HTML) has the source's elements
    and attributes, and nothing in it runs in a browser."""
    tmp.mkdir(parents=True, exist_ok=True)
    pages = [out / "review.html"]
    for source in sources:
        copy = out / language / source.name
        assert copy.is_file(), copy
        text = copy.read_text(encoding="utf-8")
        if source.suffix == ".html":
            assert _elements(text) == _elements(source.read_text(encoding="utf-8"))
            pages.append(copy)
        elif source.suffix == ".md":
            rendered = _markdown_to_html(text)
            source_rendered = _markdown_to_html(source.read_text(encoding="utf-8"))
            assert _elements(rendered) == _elements(source_rendered), rendered
            assert "javascript:" not in " ".join(re.findall(r"""(?:href|src)\s*=\s*["'][^"']*""", rendered))
            page = tmp / f"{language}-{source.stem}.md.html"
            page.write_text(rendered, encoding="utf-8")
            pages.append(page)
    for number, page in enumerate(pages):
        dom = _dom(chromium, page, tmp / f"profile-{number}")
        assert "<title>PWNED" not in dom and 'data-pwned="1"' not in dom, page
        assert not re.search(r"<script\b", dom) or page.name == "review.html", page
        if page.name == "review.html":  # only the page's own filter script
            assert len(re.findall(r"<script\b", dom)) == 1


# -- units: the one escaper per format, by context ------------------------------------------

@pytest.mark.parametrize("hostile", HOSTILE)
def test_html_escape_keeps_every_context_closed(hostile):
    for delimiter in "'\"":
        page = f"<p title={delimiter}{html_format.escape(hostile, 'attribute')}{delimiter}>" \
               f"{html_format.escape(hostile)}</p>"
        assert _elements(page) == _elements("<p title=x>x</p>")
        assert html.unescape(page.split(">", 1)[1][:-4]) == hostile


def test_attribute_references_for_its_quotes_stay_references():
    source = '<img title="say &quot;hi&quot; now" alt=\'it&#39;s here, &quot;now&quot;\' src=x>\n'
    document = parse(source, "html")
    assert document.render([b.text for b in document.blocks]) == source
    curly = '<img alt=\'it&rsquo;s\' src=x>'  # (other marks as characters: safe anywhere)
    assert parse(curly, "html").render([b.text for b in parse(curly, "html").blocks]) == "<img alt='it’s' src=x>"


def test_a_value_breaking_out_of_its_attribute_is_an_integrity_error():
    source = "<html><body><img alt='The man walked home' src=x></body></html>\n"
    copy = source.replace("The man walked home", "L'home onerror=alert(1) ha caminat")
    findings = [str(f) for f in gate.check(parse(source, "html"), copy)]
    assert any("attributes differ" in f and "onerror" in f for f in findings), findings


def test_markdown_link_text_with_escapes_stays_a_link():
    source = "See [\\]\\> the man](https://example.org/a) now.\n"
    document = parse(source, "markdown")
    (block,) = document.blocks
    assert (4, 5) in block.markup  # the opener is markup, not text
    assert gate.check(document, source) == []


def test_a_markdown_copy_that_adds_or_loses_elements_is_an_integrity_error():
    source = "The man walked [home](https://example.org/a).\n"
    for copy in ("El hombre caminó \\[a casa](https://example.org/a).\n",
                 "El hombre <img src=x onerror=alert(1)> caminó [a casa](https://example.org/a).\n"):
        findings = [str(f) for f in gate.check(parse(source, "markdown"), copy)]
        assert any("attributes differ" in f for f in findings), (copy, findings)


def test_markdown_escape_leaves_no_reference_or_markup():
    from markdown_it import MarkdownIt

    for hostile in HOSTILE:
        rendered = MarkdownIt("commonmark").render(markdown_format.escape(hostile))
        assert html.unescape(re.sub(r"</?p>|\n", "", rendered)) == hostile


def test_a_newline_in_translated_markdown_text_starts_no_block():
    from markdown_it import MarkdownIt

    rendered = MarkdownIt("commonmark").render(markdown_format.escape("Uno.\n\n# Dos\n\n    tres"))
    assert rendered.count("<p>") == 1 and "<h1>" not in rendered and "<pre>" not in rendered


def test_a_glossary_translation_is_escaped_like_engine_text(tmp_path):
    from xlat.protect.glossary import load

    glossary_file = tmp_path / "g.tsv"
    glossary_file.write_text("term\tes\nMayor\t<b onmouseover=x>Alcalde' \"&\n", encoding="utf-8")
    source = "<html><body><p>The Mayor spoke.</p><img alt='The Mayor spoke' src=x></body></html>\n"
    document = parse(source, "html")
    works = [BlockWork.of(b.index, b.text, "en", b.markup, load(glossary_file)) for b in document.blocks]
    translations = {w.index: {(u, s): text.replace("The", "El").replace("spoke", "habló")
                              for u, s, text in w.sentences()} for w in works}
    copy = render_copy(document, works, translations, {}, "es")
    assert "<b onmouseover" not in copy.text
    assert "El &lt;b onmouseover=x&gt;Alcalde' &quot;&amp; habló." in copy.text
    assert "alt='El &lt;b onmouseover=x&gt;Alcalde&#39; &quot;&amp; habló'" in copy.text
    assert not copy.integrity, copy.integrity


@pytest.mark.parametrize("tag,ok", [("es", True), ("pt-BR", True), ("zh-Hant", True),
                                    ("sr-Latn-RS", True), ("es\"><script>", False), ("es\n", False),
                                    ("", False), ("e s", False), ("es'", False)])
def test_a_language_tag_is_bcp47_or_nothing(tag, ok):
    assert languages.is_tag(tag) is ok
    page = "<html><body><p>Hola.</p></body></html>"
    if ok:
        assert f'<html lang="{tag}"' in html_format.localize(page, tag)
    else:
        with pytest.raises(languages.LanguageCodeError):
            html_format.localize(page, tag)


def test_a_hostile_target_language_in_a_reviewed_xliff_is_refused(xlat, tmp_path):
    source = tmp_path / "a.html"
    source.write_text("<html><body><p>The city council approved the budget.</p></body></html>\n",
                      encoding="utf-8")
    out = tmp_path / "out"
    assert xlat("translate", str(source), "--to", "es", "--from", "en", "--engine", "apertium",
                "--out", str(out), "--no-tm").code == 0
    xlf = out / "es" / "a.html.xlf"
    copy = out / "es" / "a.html"
    before = copy.read_bytes()
    data = xlf.read_text(encoding="utf-8").replace(
        'target-language="es"', 'target-language="es&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"')
    xlf.write_text(data, encoding="utf-8")
    result = xlat("review", "apply", str(xlf))
    assert result.code == 1
    (line,) = result.stderr.splitlines()
    assert str(xlf) in line and "target-language" in line and "not a language tag" in line
    assert copy.read_bytes() == before and "<script>" not in copy.read_text(encoding="utf-8")


def test_catalan_apostrophes_stay_inside_a_single_quoted_alt(xlat, tmp_path):
    """Apertium's Catalan writes L'home by itself: it must not end alt='…'."""
    source = tmp_path / "a.html"
    source.write_text("<html><body><p>A photograph.</p><img alt='The man walked to the house' "
                      "src=x></body></html>\n", encoding="utf-8")
    out = tmp_path / "out"
    result = xlat("translate", str(source), "--to", "ca", "--from", "en", "--engine", "apertium",
                  "--out", str(out), "--no-tm")
    assert result.code == 0, result.stderr
    copy = (out / "ca" / "a.html").read_text(encoding="utf-8")
    # the apostrophe is there: typeset as ’ for Catalan (issue 11), or a straight one as a reference
    assert "L’home" in copy or "&#39;" in copy
    assert _elements(copy) == _elements(source.read_text(encoding="utf-8"))


# -- every source of text, every format, in a browser ---------------------------------------

@pytest.mark.slow
def test_engine_output_never_runs(xlat, chromium, tmp_path):
    engines.register("hostile", lambda settings: Hostile())
    sources = _write_sources(tmp_path / "news")
    out = tmp_path / "out"
    xlat("translate", *map(str, sources), "--to", "es", "--from", "en", "--engine", "hostile",
         "--out", str(out), "--no-tm")
    _assert_harmless(chromium, sources, out, "es", tmp_path)


@pytest.mark.slow
def test_glossary_translations_never_run(xlat, chromium, tmp_path):
    glossary = tmp_path / "glossary.tsv"
    glossary.write_text("term\tes\n" + "".join(f"{_CODE}{_letter(k)}\t{h}\n" for k, h in enumerate(HOSTILE)),
                        encoding="utf-8")
    sources = _write_sources(tmp_path / "news")
    out = tmp_path / "out"
    xlat("translate", *map(str, sources), "--to", "es", "--from", "en", "--engine", "apertium",
         "--out", str(out), "--no-tm", "--glossary", str(glossary))
    assert "onerror" in (out / "es" / "a.html").read_text(encoding="utf-8")  # the terms are there
    _assert_harmless(chromium, sources, out, "es", tmp_path)


@pytest.mark.slow
def test_reviewer_and_memory_text_never_runs(xlat, chromium, tmp_path):
    sources = _write_sources(tmp_path / "news")
    out = tmp_path / "out"
    assert xlat("translate", *map(str, sources), "--to", "es", "--from", "en", "--engine", "apertium",
                "--out", str(out)).code == 0
    for source in sources:
        xlf = out / "es" / f"{source.name}.xlf"
        tree = etree.parse(str(xlf))
        ns = {"x": xliff.NS}
        for unit in tree.iterfind(".//x:trans-unit", ns):
            found = re.search(_CODE + "([a-z])", "".join(unit.find("x:source", ns).itertext()))
            target = unit.find("x:target", ns)
            target.text = HOSTILE[ord(found.group(1)) - ord("a") if found else 0] + " " + (target.text or "")
            target.set("state", "final")
        tree.write(str(xlf), encoding="UTF-8", xml_declaration=True)
        xlat("review", "apply", str(xlf))
    assert "onerror" in (out / "es" / "a.html").read_text(encoding="utf-8")
    _assert_harmless(chromium, sources, out, "es", tmp_path / "review")
    # approved, remembered, and written again by a later run: escaped again
    again = tmp_path / "again"
    xlat("translate", *map(str, sources), "--to", "es", "--from", "en", "--engine", "apertium",
         "--out", str(again))
    assert "onerror" in (again / "es" / "a.html").read_text(encoding="utf-8")
    _assert_harmless(chromium, sources, again, "es", tmp_path / "memory")


@pytest.mark.slow
def test_hostile_text_in_the_source_never_runs(xlat, chromium, tmp_path):
    """The article's own words (written as text: escaped in HTML, as they are in Markdown and
    plain text) through a real engine, into Spanish and Catalan."""
    folder = tmp_path / "news"
    folder.mkdir()
    words = {".html": lambda k: html.escape(HOSTILE[k]) + " The man",
             ".md": lambda k: markdown_format.escape(HOSTILE[k]) + " The man",
             ".txt": lambda k: HOSTILE[k] + " The man"}
    sources = []
    for suffix, make in ((".html", _html_source), (".md", _md_source), (".txt", _txt_source)):
        path = folder / f"a{suffix}"
        path.write_text(make(words[suffix]), encoding="utf-8")
        sources.append(path)
    out = tmp_path / "out"
    xlat("translate", *map(str, sources), "--to", "es,ca", "--from", "en", "--engine", "apertium",
         "--out", str(out), "--no-tm")
    for language in ("es", "ca"):
        _assert_harmless(chromium, sources, out, language, tmp_path / language)


# -- silent damage: what the HTML parser cannot read is kept as written ---------------------

_TAIL_CASES = {
    "comment": "<!-- never closed, the old paragraph about the mayor and the bridge",
    "script": "<script>var note = 'the mayor said the bridge will open';",
    "cdata": "<![CDATA[ the mayor said the bridge will open",
    "tag": '<a href="https://example.org/the mayor said',
    "declaration": "<!DOCTYPE the mayor said the bridge",
}


@pytest.mark.parametrize("case", sorted(_TAIL_CASES))
def test_an_unterminated_construct_at_the_end_is_kept_verbatim(xlat, tmp_path, case):
    head = "<html><body><p>The city council approved the budget on Tuesday.</p>\n"
    source = tmp_path / "a.html"
    source.write_text(head + _TAIL_CASES[case], encoding="utf-8")
    assert [b.text for b in parse(source.read_text(encoding="utf-8"), "html").blocks] == \
        ["The city council approved the budget on Tuesday."]
    out = tmp_path / "out"
    result = xlat("translate", str(source), "--to", "es", "--from", "en", "--engine", "apertium",
                  "--out", str(out), "--no-tm")
    assert result.code == 0, result.stderr
    copy = (out / "es" / "a.html").read_text(encoding="utf-8")
    assert copy.endswith(_TAIL_CASES[case]) and "presupuesto" in copy


def test_an_invalid_character_reference_survives_as_written(xlat, tmp_path):
    source = tmp_path / "a.html"
    source.write_text("<html><body><p>The bad reference &#xZZ; and &#; stay in the text of the "
                      "article, &amp so does this.</p><img title='A bad &#xZZ; reference in "
                      "the title of the photograph' src=x></body></html>\n", encoding="utf-8")
    out = tmp_path / "out"
    result = xlat("translate", str(source), "--to", "es", "--from", "en", "--engine", "apertium",
                  "--out", str(out), "--no-tm")
    assert result.code == 0, result.stderr
    copy = (out / "es" / "a.html").read_text(encoding="utf-8")
    assert copy.count("&#xZZ;") == 2 and "&#;" in copy and "&amp " in copy
    assert "#xZZ" not in copy.replace("&#xZZ;", "") and "&lt;/p&gt;" not in copy
    assert _elements(copy) == _elements(source.read_text(encoding="utf-8"))


def test_a_reference_without_its_semicolon_does_not_swallow_the_words_after_it():
    (block,) = parse("<p>Words &amp here and there &copy; now</p>", "html").blocks
    assert [block.text[s:e] for s, e in block.markup] == ["&amp", "&copy;"]
