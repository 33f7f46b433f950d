"""What each format counts as prose (the text detection looks at)."""

from __future__ import annotations

from xlat.detect import LanguageDetector
from xlat.formats import format_for, prose_blocks

CODE = "\n".join(f"def function_number_{i}(value):\n    return value.strip().lower()" for i in range(12))


def test_suffixes():
    assert [format_for(p) for p in ("a.TXT", "b.md", "c.markdown", "d.html", "e.HTM", "f.csv",
                                    "g.docx", "h.ODT", "i.doc")] == [
        "text", "markdown", "markdown", "html", "html", None, "docx", "odt", None]


def test_text_paragraphs_at_blank_lines_or_lines():
    assert prose_blocks("One\nstill one\n\n  \nTwo\n", "text") == ["One still one", "Two"]
    assert prose_blocks("First line\nSecond line\n", "text") == ["First line", "Second line"]


def test_markdown_prose_only():
    text = ("---\ntitle: Front matter is not prose\n---\n\n# Heading *here*\n\n"
            "A [link text](https://example.com/url) and `inline code` and <b>html</b>.\n\n"
            "```python\nprint('code block')\n```\n\n    indented code\n\n"
            "| Cell one | Cell two |\n|---|---|\n| x | y |\n\n- item ![alt words](pic.png)\n\n"
            "> quoted text\n")
    assert prose_blocks(text, "markdown") == [
        "Heading here", "A link text and and html.", "Cell one", "Cell two", "x", "y",
        "item alt words", "quoted text"]


def test_html_prose_only():
    text = ("<html><head><title>Title</title><style>p{color:red}</style>"
            "<script>var english = 'not prose';</script></head><body>"
            "<p>Hello <em>there</em>, friend<br>next line</p><pre>pre text</pre>"
            "<p translate='no'>Brand Name</p><div>one<code>code</code>two</div>"
            "<p>caf&eacute; &amp; more</p></body></html>")
    assert prose_blocks(text, "html") == [
        "Title", "Hello there, friend next line", "one two", "café & more"]


def test_code_does_not_outvote_prose_in_markdown():
    german = ("Der Stadtrat hat am Dienstag nach langer Debatte den neuen Haushalt beschlossen, "
              "die Opposition kritisierte die Kürzungen bei den Bibliotheken.")
    text = f"{german}\n\n```\n{CODE}\n```\n"
    assert LanguageDetector().guess_document(prose_blocks(text, "markdown")).language == "de"


def test_scripts_do_not_outvote_prose_in_html():
    french = ("Le conseil municipal a adopté mardi un nouveau budget après un débat de plus de six "
              "heures, et l'opposition dénonce la baisse des crédits des bibliothèques.")
    text = f"<html><body><script>{CODE}</script><p>{french}</p><pre>{CODE}</pre></body></html>"
    assert LanguageDetector().guess_document(prose_blocks(text, "html")).language == "fr"


def test_html_localize_sets_lang_and_direction():
    from xlat.formats.html import localize

    assert localize('<!DOCTYPE html><html lang="en"><body>', "ar") == '<!DOCTYPE html><html lang="ar" dir="rtl"><body>'
    assert localize("<html><body>", "de") == '<html lang="de"><body>'
    assert localize('<html lang="he" dir="rtl">', "fr") == '<html lang="fr">'
    assert localize("<p>no html element</p>", "de") == "<p>no html element</p>"


def test_text_lines_that_are_lines_stay_lines():
    text = "By Dana Whitfield\nOct. 8, 2025\n\nThe council met on Tuesday and\nvoted late.\n"
    assert prose_blocks(text, "text") == ["By Dana Whitfield", "Oct. 8, 2025",
                                          "The council met on Tuesday and voted late."]


def test_an_inline_element_with_a_title_does_not_cut_its_paragraph():
    from xlat.formats import parse

    html = '<p>“We met the <abbr title="chief executive">CEO</abbr> twice,” Lee said.</p>'
    (block,) = parse(html, "html").blocks
    assert block.text.startswith("“We met") and block.text.endswith("Lee said.")
