"""review.html in a real headless browser (Debian's chromium): escaping, filter, no network."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import lxml.html
import pytest

import devtools
from xlat.formats import format_for, parse
from xlat.review import report as report_module

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
HOSTILE = ("The editor wrote <script>document.title='pwned'</script> in the article.\n\n"
           "An image <img src=x onerror=\"document.title='pwned'\"> and a “quoted <b>bold</b> word” "
           "followed, with 32,000 readers &amp; more.\n")


@pytest.fixture(scope="module")
def chromium():
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        pytest.fail("chromium is not installed: run scripts/install.sh --test as root")
    return found


def _body_classes(dom: str) -> list[str]:
    return re.search(r'<body class="([^"]*)"', dom).group(1).split()


def _dom(chromium: str, url: str, profile) -> str:
    done = subprocess.run([chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--dump-dom", url],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.fixture
def report(xlat, tmp_path):
    article = tmp_path / "hostile.txt"
    article.write_text(HOSTILE, encoding="utf-8")
    out = tmp_path / "out"
    result = xlat("translate", str(article), "--to", "es", "--engine", "apertium", "--out", str(out))
    assert result.code == 0, result.stderr
    return out / "review.html"


def test_article_text_cannot_run_or_inject(chromium, report, tmp_path):
    page = report.read_text(encoding="utf-8")
    assert "<script>document.title" not in page and "<img" not in page
    dom = _dom(chromium, report.as_uri(), tmp_path / "profile")
    assert "<title>xlat review</title>" in dom  # the injected script did not run
    assert len(re.findall(r"<script\b", dom)) == 1  # only the page's own filter script
    assert "<img" not in dom
    # shown as text: the tags as code chips (kept verbatim), the words between them as words
    text = re.sub(r"<[^>]+>", "", dom)
    assert "&lt;script&gt;document.title='pwned'&lt;/script&gt;" in text
    assert "hostile.txt" in dom and "en → es" in dom


def test_filter_shows_only_flagged_segments(chromium, report, tmp_path):
    plain = _dom(chromium, report.as_uri(), tmp_path / "p1")
    flagged = _dom(chromium, report.as_uri() + "#flagged", tmp_path / "p2")
    assert "only-flagged" not in _body_classes(plain)
    assert "only-flagged" in _body_classes(flagged)
    assert 'id="only-flagged" checked' not in plain


def test_self_contained(report):
    page = report.read_text(encoding="utf-8")
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)
    assert "<link" not in page and "@import" not in page


# -- paragraph view: each block as it will be published, source beside target ---------------

ARTICLES = {
    "txt": ("The council met on Monday. It approved the budget of 40 million.\n\n"
            "The mayor said: “We will build the bridge.” Work starts in 2026.\n\n"
            "Details are at https://example.org/bridge today.\n"),
    "md": ("# The new bridge\n\nThe council met on **Monday**. It approved the budget of 40 million.\n\n"
           "- The mayor said: “We will build the bridge.”\n- Work starts in 2026.\n\n"
           "Details are at [the city site](https://example.org/bridge) today.\n"),
    "html": ("<!DOCTYPE html><html lang=\"en\"><head><title>The new bridge</title></head><body>"
             "<h1>The new bridge</h1><p>The council met on <b>Monday</b>. It approved the budget of "
             "40 million &amp; more.</p><ul><li>The mayor said: “We will build the bridge.”</li>"
             "<li>Work starts in 2026.</li></ul><p>Details are at "
             "<a href=\"https://example.org/bridge\">the city site</a> today.</p></body></html>\n"),
}
QUOTED = ("The minister said: “The bridge is ‘safe’ and it will open.” The mayor replied: "
          "“We will see.” A resident added: “It is ‘too late’, as ‘always’.”\n\n"
          "The council met on Monday.\n")


def _translate(xlat, tmp_path, name: str, text: str) -> tuple[Path, Path]:
    article = tmp_path / name
    article.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    result = xlat("translate", str(article), "--from", "en", "--to", "es", "--engine", "apertium",
                  "--out", str(out))
    assert result.code == 0, result.stderr
    return article, out


def _cells(page: Path, css: str) -> list[str]:
    tree = lxml.html.parse(str(page))
    return [cell.text_content() for cell in tree.getroot().find_class(css)]


@pytest.mark.parametrize("suffix", sorted(ARTICLES))
def test_paragraphs_are_the_copy_as_published(xlat, tmp_path, suffix):
    article, out = _translate(xlat, tmp_path, f"bridge.{suffix}", ARTICLES[suffix])
    copy = out / "es" / article.name
    format_name = format_for(article)
    copy_blocks = [b.text for b in parse(copy.read_text(encoding="utf-8"), format_name).blocks]
    source_blocks = [b.text for b in parse(article.read_text(encoding="utf-8"), format_name).blocks]
    assert len(copy_blocks) >= 3
    page = out / "review.html"
    # the target paragraphs, as text, are the copy's blocks; the source's beside them
    assert _cells(page, "para-target") == copy_blocks
    assert _cells(page, "para-source") == source_blocks
    assert any("40" in block for block in copy_blocks) and any("puente" in block for block in copy_blocks)
    assert any("«" in block for block in copy_blocks)  # the quotation typeset for Spanish, inline
    text = page.read_text(encoding="utf-8")
    assert '<body class="view-paragraphs">' in text  # paragraph view by default
    # the segments are still there, each under its block
    assert re.search(r'<tr class="para[^"]*" id="d1b1">.*?<tr class="segment', text)


def test_quotations_inline_in_the_targets_marks(xlat, tmp_path):
    article, out = _translate(xlat, tmp_path, "quoted.txt", QUOTED)
    copy_blocks = [b.text for b in parse((out / "es" / "quoted.txt").read_text(encoding="utf-8"),
                                         "text").blocks]
    targets = _cells(out / "review.html", "para-target")
    assert targets == copy_blocks
    first = targets[0]
    assert first.count("«") == 3 and first.count("»") == 3 and "“" in first and "”" in first
    assert "“" not in first.split("«", 1)[0]  # the source's marks nowhere outside
    assert _cells(out / "review.html", "para-source")[0] == QUOTED.split("\n\n")[0]
    # the segment view still has each quotation as its own segment, a chip in the sentence
    page = (out / "review.html").read_text(encoding="utf-8")
    assert 'title="x-xlat-quote"' in page


def test_paragraph_text_cannot_inject(chromium, report, tmp_path):
    with devtools.Page(chromium, CHROMIUM_FLAGS, tmp_path / "profile", report.as_uri()) as page:
        assert page.evaluate("document.title") == "xlat review"
        assert page.evaluate("document.querySelectorAll('script').length") == 1
        assert page.evaluate("document.querySelectorAll('img').length") == 0
        first = page.evaluate("document.querySelector('td.para-target').textContent")
    copy = (report.parent / "es" / "hostile.txt").read_text(encoding="utf-8")
    assert first == parse(copy, "text").blocks[0].text and "<script>" in first


FLAGGED = ("The council met on Monday.\n\nZork Blorb Quux.\n\nThe mayor spoke at length.\n\n"
           "The bridge opened in 1998.\n\nGlorp Vintz Kramble.\n")
"""Blocks 2 and 5 come back from Apertium unchanged: flagged (untranslated)."""

_VISIBLE = "(function(s){{return Array.prototype.filter.call(document.querySelectorAll(s)," \
           "function(e){{return e.getClientRects().length>0;}}).length;}})({!r})"
_ACTIVE = ("(function(){var e=document.activeElement;return e.id||"
           "(e.querySelector&&e.querySelector('td.id')?e.querySelector('td.id').textContent:e.tagName);})()")


def test_toggle_and_keys_between_flags(xlat, chromium, tmp_path):
    _, out = _translate(xlat, tmp_path, "flagged.txt", FLAGGED)
    page_text = (out / "review.html").read_text(encoding="utf-8")
    assert page_text.count('<tbody class="block flagged') == 2, page_text
    with devtools.Page(chromium, CHROMIUM_FLAGS, tmp_path / "profile", (out / "review.html").as_uri()) as page:
        visible = lambda selector: page.evaluate(_VISIBLE.format(selector))  # noqa: E731
        # paragraph view: every paragraph; the segments of flagged blocks only
        assert visible("tr.para") == 5
        assert visible("tr.segment") == 2 == visible("tr.segment.flagged")
        # n / j: the next flagged paragraph, focused and scrolled to; k / p: the previous one
        page.press("j")
        assert page.evaluate(_ACTIVE) == "d1b2"
        assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
        page.press("n")
        assert page.evaluate(_ACTIVE) == "d1b5"
        page.press("j")  # the last one: stays
        assert page.evaluate(_ACTIVE) == "d1b5"
        page.press("k")
        assert page.evaluate(_ACTIVE) == "d1b2"
        page.press("p")
        assert page.evaluate(_ACTIVE) == "d1b2"
        assert page.evaluate("document.querySelectorAll('tr.current').length") == 1
        # a block's segments open and close under it
        page.click("#d1b1 button.seg-toggle")
        assert visible("tr.segment") == 3
        page.click("#d1b1 button.seg-toggle")
        assert visible("tr.segment") == 2
        # segment view: every segment, no paragraph rows; the keys go from flagged segment to segment
        page.click("input[name=view][value=segments]")
        assert "view-segments" in page.evaluate("document.body.className")
        assert visible("tr.para") == 0 and visible("tr.segment") == 5
        page.press("j")
        assert page.evaluate(_ACTIVE) == "b1u0s0"
        page.press("j")
        assert page.evaluate(_ACTIVE) == "b4u0s0"
        page.press("k")
        assert page.evaluate(_ACTIVE) == "b1u0s0"
        # only flagged: in either view
        page.click("#only-flagged")
        assert visible("tr.segment") == 2
        page.click("input[name=view][value=paragraphs]")
        assert visible("tr.para") == 2
    flagged = _dom(chromium, (out / "review.html").as_uri() + "#flagged", tmp_path / "p2")
    assert "only-flagged" in _body_classes(flagged)


def test_every_interface_string_goes_through_i18n(xlat, tmp_path, monkeypatch):
    """Each piece of the page's own text is a message of xlat.i18n (a catalog can translate it)."""
    _, out = _translate(xlat, tmp_path, "flagged.txt", FLAGGED)
    monkeypatch.setattr(report_module, "_", lambda message: f"⟪{message}⟫")
    monkeypatch.setattr(report_module, "ngettext",
                        lambda one, many, n: f"⟪{one if n == 1 else many}⟫")
    monkeypatch.setattr(report_module, "ui_language", lambda: "x-test")
    report_module.build(out)
    root = lxml.html.parse(str(out / "review.html")).getroot()
    assert root.get("lang") == "x-test"
    chrome = root.xpath("//title|//h1|//th|//label|//button|//summary|//span[@class='nflags']"
                        "|//section/p|//body/p|//td[@class='id'][not(ancestor::tr[@class!='para' "
                        "and contains(@class,'segment')])]")
    assert len(chrome) > 20
    for element in chrome:
        own = (element.text or "") + "".join(child.tail or "" for child in element)
        if own.strip():
            assert "⟪" in own, lxml.html.tostring(element, encoding="unicode")


def test_without_the_copy_or_the_source_the_segments_still_show(xlat, tmp_path):
    article, out = _translate(xlat, tmp_path, "flagged.txt", FLAGGED)
    copy = out / "es" / "flagged.txt"
    copy_blocks = [b.text for b in parse(copy.read_text(encoding="utf-8"), "text").blocks]
    # the source changed since: the copy's paragraphs alone, and why
    article.write_text("Something else entirely.\n", encoding="utf-8")
    report_module.build(out)
    page = (out / "review.html").read_text(encoding="utf-8")
    assert _cells(out / "review.html", "para-target") == copy_blocks
    assert _cells(out / "review.html", "para-source") == [""] * len(copy_blocks)
    assert "Source paragraphs not shown: " in page and "changed since it was translated" in page
    # the copy gone: every segment, flags and all, in one group, and why
    copy.unlink()
    report_module.build(out)
    page = (out / "review.html").read_text(encoding="utf-8")
    assert _cells(out / "review.html", "para-target") == []
    assert "Paragraphs not shown: the localized copy cannot be read" in page
    assert page.count('<tr class="segment') == 5 and page.count('<tr class="segment flagged') == 2
    assert '<tbody class="block loose open flagged">' in page
