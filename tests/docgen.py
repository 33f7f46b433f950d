"""Hypothesis strategies for articles: txt, md and html documents with nested quotations,
numbers, links, e-mail addresses, emphasis and (in plain text) a text's own < and &.

The prose is English and French news vocabulary, so that real engines (Apertium) translate
it; what is checked on the output is structure, never wording.
"""

from __future__ import annotations

import html

from hypothesis import strategies as st

EN_WORDS = ("the mayor said that the city council will vote on the new budget next week "
            "residents of the old town want more buses and a safer bridge over the river "
            "officials reported heavy rain in the north").split()
FR_WORDS = ("le maire a dit que le conseil municipal votera le nouveau budget la semaine "
            "prochaine les habitants de la vieille ville veulent plus de bus").split()
ES_WORDS = ("el alcalde dijo que el consejo municipal votará el nuevo presupuesto la semana "
            "próxima los vecinos del casco antiguo quieren más autobuses y un puente seguro").split()
CA_WORDS = ("l'alcalde va dir que el consell municipal votarà el nou pressupost la setmana "
            "vinent els veïns del barri vell volen més autobusos i un pont segur").split()
VOCABULARY = {"en": EN_WORDS, "fr": FR_WORDS, "es": ES_WORDS, "ca": CA_WORDS}
NUMBERS = ("1988", "12,000", "3.5", "42", "7", "2026", "1,5", "15:30", "$250", "€12")
URLS = ("https://example.org/news/a-1", "http://www.example.com/x?y=2", "www.example.net/page")
EMAILS = ("press@example.org", "j.doe@city.example.com")
HANDLES = ("@cityhall", "#budget2026")
QUOTES = {  # level 0 and level 1 marks a writer might use
    "en": (("“", "”"), ("‘", "’")),
    "ascii": (('"', '"'), ("'", "'")),
    "fr": (("« ", " »"), ("“", "”")),
}


@st.composite
def words(draw, vocabulary, min_size=2, max_size=7) -> str:
    picked = draw(st.lists(st.sampled_from(vocabulary), min_size=min_size, max_size=max_size))
    return " ".join(picked)


@st.composite
def sentence(draw, vocabulary, fmt: str, depth: int = 0, marks: str = "en") -> str:
    """One sentence: words with atoms, maybe a quotation (nested up to two levels)."""
    pieces = [draw(words(vocabulary))]
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(["number", "url", "email", "handle", "quote", "markup", "words"]
                                    + (["lt"] if fmt == "text" else [])))
        if kind == "number":
            pieces.append(draw(st.sampled_from(NUMBERS)))
        elif kind == "url":
            url = draw(st.sampled_from(URLS))
            pieces.append(f"[{draw(words(vocabulary, 1, 3))}]({'https://' + url if url.startswith('www') else url})"
                          if fmt == "markdown" and draw(st.booleans()) else url)
        elif kind == "email":
            pieces.append(draw(st.sampled_from(EMAILS)))
        elif kind == "handle":
            pieces.append(draw(st.sampled_from(HANDLES)))
        elif kind == "quote" and depth < 2:
            opening, closing = QUOTES[marks][min(depth, 1)]
            inner = draw(sentence(vocabulary, fmt, depth + 1, marks)).rstrip(".")
            pieces.append(f"{opening}{inner}{closing}")
        elif kind == "markup":
            inner = draw(words(vocabulary, 1, 3))
            if fmt == "markdown":
                pieces.append(draw(st.sampled_from([f"*{inner}*", f"**{inner}**", f"`{inner}`"])))
            elif fmt == "html":
                pieces.append(draw(st.sampled_from([f"<em>{inner}</em>", f"<b>{inner}</b>",
                                                    f'<a href="https://example.org/{len(inner)}">{inner}</a>'])))
            else:
                pieces.append(inner)
        elif kind == "lt":
            pieces.append(draw(st.sampled_from(["a < b", "Smith & Sons", "x <= 3", "&amp;",
                                                "<script>alert(1)</script>"])))
        else:
            pieces.append(draw(words(vocabulary, 1, 4)))
        pieces.append(draw(words(vocabulary, 1, 3)))
    text = " ".join(pieces)
    return text[0].upper() + text[1:] + "." if depth == 0 else text


@st.composite
def document(draw, fmt: str, language: str = "en") -> str:
    vocabulary = VOCABULARY[language]
    marks = draw(st.sampled_from(["en", "ascii"] if language == "en" else ["fr", "ascii"]))
    paragraphs = [" ".join(draw(st.lists(sentence(vocabulary, fmt, 0, marks), min_size=1, max_size=3)))
                  for _ in range(draw(st.integers(1, 4)))]
    # one paragraph long enough that the language is beyond doubt
    paragraphs[0] = " ".join(w.capitalize() if i == 0 else w for i, w in enumerate(
        (vocabulary * 2)[:24])) + ". " + paragraphs[0]
    if fmt == "text":
        return "\n\n".join(paragraphs) + "\n"
    if fmt == "markdown":
        return "# " + draw(words(vocabulary, 2, 4)).capitalize() + "\n\n" + "\n\n".join(paragraphs) + "\n"
    body = "".join(f"<p>{p.replace('&', '&amp;') if '<' not in p else p}</p>\n" for p in paragraphs)
    return (f"<!DOCTYPE html>\n<html lang=\"{language}\"><head><title>{html.escape(draw(words(vocabulary, 2, 4)))}"
            f"</title></head><body>\n{body}</body></html>\n")


SUFFIX = {"text": ".txt", "markdown": ".md", "html": ".html"}
