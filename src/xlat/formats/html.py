"""HTML: prose is the text between block-level tags; inline elements (a, em, strong, q, span...)
stay inside their sentence as markup spans; script, style, code, pre, kbd, samp, var, svg,
math and anything marked translate="no" are never translated. The localized copy gets
`<html lang>` set to the target language and dir="rtl" for right-to-left targets."""

from __future__ import annotations

import html
import re
from collections import Counter
from html.parser import HTMLParser

from xlat.model import Block, Document

_SKIP = {"script", "style", "code", "pre", "noscript", "template", "svg", "math", "kbd", "samp",
         "var", "textarea"}
_BLOCK = {
    "address", "article", "aside", "blockquote", "body", "caption", "dd", "details", "dialog",
    "div", "dl", "dt", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5",
    "h6", "head", "header", "hr", "html", "li", "main", "nav", "ol", "p", "section", "summary",
    "table", "tbody", "td", "tfoot", "th", "thead", "title", "tr", "ul", "meta", "link",
    "option", "select", "button", "label", "legend", "fieldset", "iframe", "object", "video",
    "audio", "picture", "source", "canvas",
}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
         "track", "wbr"}
_RTL = {"ar", "he", "fa", "ur", "yi", "ps", "sd", "ckb", "dv"}
_LETTER = re.compile(r"[^\W\d_]")
_REFERENCE = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[a-zA-Z][-.a-zA-Z0-9]*);?")
_BAD_REFERENCE = re.compile(r"&#(?!(?:[0-9]+|[xX][0-9a-fA-F]+)(?:[^0-9a-fA-F]|\Z))[0-9A-Za-z]*;?")
"""A character reference that is not one (&#xZZ;, &#;): the parser leaves it as text."""
_UNPARSED = re.compile(r"<[!?/A-Za-z]")
"""Where the parser gave up on a construct and made it text: a comment, CDATA section, tag or
declaration never closed. Kept verbatim, never translated (at the end of the file: all of it)."""
_ATTRIBUTE = re.compile(r"""\s(?:alt|title)\s*=\s*(?:"(?P<value>[^"]*)"|'(?P<value2>[^']*)')""", re.I)


class _Scanner(HTMLParser):
    """Records each piece of the source with its offsets: tags, text, entities, the rest."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=False)
        self.text = text
        self.lines = [0] + [m.end() for m in re.finditer("\n", text)]
        self.events: list[tuple[str, int, int, str, dict]] = []  # kind, start, end, tag, attrs

    def _start(self) -> int:
        line, column = self.getpos()
        return self.lines[line - 1] + column

    def _tag_end(self, start: int) -> int:
        end = self.text.find(">", start)
        return len(self.text) if end < 0 else end + 1

    def handle_starttag(self, tag, attrs):
        start = self._start()
        raw = self.get_starttag_text() or ""
        self.events.append(("start", start, start + len(raw), tag, dict(attrs)))

    def handle_startendtag(self, tag, attrs):
        start = self._start()
        raw = self.get_starttag_text() or ""
        self.events.append(("void", start, start + len(raw), tag, dict(attrs)))

    def handle_endtag(self, tag):
        start = self._start()
        self.events.append(("end", start, self._tag_end(start), tag, {}))

    def handle_data(self, data):
        start = self._start()
        self.events.append(("data", start, start + len(data), "", {}))
        for match in _BAD_REFERENCE.finditer(self.text, start, start + len(data)):  # &#xZZ;: kept
            self.events.append(("entity", match.start(), match.end(), "", {}))

    @classmethod
    def scan(cls, text: str) -> "_Scanner":
        """The events of `text`. An & of "&#" that starts no character reference is hidden
        from the parser (Python's stops reading tags after one: the rest would be text); the
        offsets are the text's own."""
        scanner = cls(text)
        scanner.feed(_BAD_REFERENCE.sub(lambda m: "\x01" + m.group(0)[1:], text))
        scanner.close()
        return scanner

    def _reference(self, _name):
        # the reference as written: "&amp;", or "&amp" with no semicolon (never up to a ";"
        # further on, which would swallow the words between as markup)
        start = self._start()
        match = _REFERENCE.match(self.text, start)
        self.events.append(("entity", start, match.end() if match else start + 1, "", {}))

    handle_entityref = handle_charref = _reference

    def _other(self, _data):
        start = self._start()
        self.events.append(("other", start, start, "", {}))

    handle_comment = handle_decl = handle_pi = unknown_decl = _other


def parse(text: str) -> Document:
    scanner = _Scanner.scan(text)
    parts: list = []
    position = 0  # everything before this offset is in parts
    run_start = 0
    markup: list[tuple[int, int]] = []
    skip_depth = skip_start = 0
    skip_stack: list[str] = []
    blocks = 0

    def boundary(at: int) -> None:
        nonlocal position, run_start, markup, blocks
        run = text[run_start:at]
        prose = list(run)
        for start, end in markup:
            prose[start - run_start:end - run_start] = " " * (end - start)
        if _LETTER.search("".join(prose)):
            lead = len(run) - len(run.lstrip())
            trail = len(run.rstrip())
            body_start, body_end = run_start + lead, run_start + trail
            # markup at the edges of the run stays in the skeleton
            spans = sorted((s, e) for s, e in markup if body_start <= s and e <= body_end)
            first, last = 0, len(spans)  # the spans left inside the body (no pop(0): linear)
            while first < last and spans[first][0] == body_start and \
                    not _typographic(text[slice(*spans[first])]):
                body_start = spans[first][1]
                first += 1
                while body_start < body_end and text[body_start].isspace():
                    body_start += 1
            while first < last and spans[last - 1][1] == body_end and \
                    not _typographic(text[slice(*spans[last - 1])]):
                body_end = spans[last - 1][0]
                last -= 1
                while body_end > body_start and text[body_end - 1].isspace():
                    body_end -= 1
            spans = spans[first:last]
            if _LETTER.search(text[body_start:body_end]):
                parts.append(text[position:body_start])
                parts.append(_block(blocks, text[body_start:body_end],
                                    [(s - body_start, e - body_start) for s, e in spans]))
                blocks += 1
                position = body_end
        markup = []
        run_start = at

    prose_at = -1  # the run_start of the run in which text with letters was last seen
    events = scanner.events
    last_tag = max((i for i, event in enumerate(events) if event[0] != "data"), default=-1)
    for number, (kind, start, end, tag, attrs) in enumerate(events):
        if kind == "data" and _UNPARSED.match(text, start):
            if number > last_tag:  # an unterminated construct at the end: the rest is skeleton
                boundary(start)
                run_start = len(text)
                break
            kind = "entity"  # one the parser could not read in the middle: verbatim, as markup
        if skip_depth:
            if kind == "start" and tag == skip_stack[-1]:
                skip_depth += 1
            elif kind == "end" and tag == skip_stack[-1]:
                skip_depth -= 1
                if not skip_depth:
                    skip_stack.pop()
                    if tag in _BLOCK:  # a whole block not to translate: skeleton
                        run_start = end
                    else:
                        markup.append((skip_start, end))
            continue
        if kind == "data":
            if _LETTER.search(text, start, end):
                prose_at = run_start  # a sentence is going on in this run
            continue
        skipped = tag in _SKIP or (attrs.get("translate") or "").lower() == "no"
        if kind == "start" and skipped and tag not in _VOID:
            if tag in _BLOCK:
                boundary(start)
            skip_depth, skip_start = 1, start
            skip_stack.append(tag)
        elif kind in ("start", "void") and tag not in _BLOCK and prose_at == run_start \
                and _ATTRIBUTE.search(text, start, end):
            # an inline element inside a sentence (<abbr title>, <a title>, <img alt>) never
            # cuts its paragraph in two: the tag is markup, its alt/title kept as they are
            markup.append((start, end))
        elif kind in ("start", "void") and _ATTRIBUTE.search(text, start, end):
            # alt and title text is prose of its own: the run so far ends here, the values
            # become blocks, the rest of the tag is skeleton
            boundary(start)
            for match in _ATTRIBUTE.finditer(text, start, end):
                group = "value" if match.group("value") is not None else "value2"
                value_start, value_end = match.span(group)
                if not _LETTER.search(match.group(group)):
                    continue
                parts.append(text[position:value_start])
                value = match.group(group)
                references = sorted(m.span() for pattern in (_ENTITY, _BAD_REFERENCE)
                                    for m in pattern.finditer(value))
                parts.append(_block(blocks, value, references, attribute=True))
                blocks += 1
                position = value_end
            run_start = end
        elif kind in ("start", "void", "end") and tag in _BLOCK:
            boundary(start)
            run_start = end
        elif kind in ("start", "void", "end", "entity"):
            markup.append((start, end))
        elif kind == "other":
            boundary(start)
            run_start = _other_end(text, start)
    if skip_depth:
        markup.append((skip_start, len(text)))
    boundary(len(text))
    parts = [p for p in parts if p != ""]
    if position < len(text):
        parts.append(text[position:])
    return Document("html", merge_strings(parts))


_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|\w{1,32});")
# Quotation marks and apostrophes written as character references are text to xlat: a
# quotation written &ldquo;…&rdquo; is a quotation, We&rsquo;re one word.
_TYPOGRAPHIC = set("\"'“”‘’„‚«»‹›\u00a0\u202f")  # (and the no-break spaces French puts inside « »)


def _typographic(piece: str) -> bool:
    return bool(_ENTITY.fullmatch(piece)) and html.unescape(piece) in _TYPOGRAPHIC


def _block(index: int, text: str, spans: list[tuple[int, int]], attribute: bool = False) -> Block:
    """A block whose character references for quotation marks and apostrophes are written
    as the characters themselves (valid in any UTF-8 HTML); other markup spans stay. In an
    attribute value, &quot; and &#39; stay references: as characters they would end it."""
    out, kept, position, shift = [], [], 0, 0
    for start, end in spans:
        piece = text[start:end]
        if _typographic(piece) and not (attribute and html.unescape(piece) in "\"'"):
            out.append(text[position:start] + html.unescape(piece))
            position = end
            shift += len(piece) - 1
            continue
        kept.append((start - shift, end - shift))
    out.append(text[position:])
    return Block(index, "".join(out), tuple(kept))


def _other_end(text: str, start: int) -> int:
    """The end of a comment, doctype or processing instruction starting at `start`."""
    if text.startswith("<!--", start):
        end = text.find("-->", start + 4)
        return len(text) if end < 0 else end + 3
    end = text.find(">", start)
    return len(text) if end < 0 else end + 1


def merge_strings(parts: list) -> list:
    """Skeleton parts with neighbouring strings joined (blocks stay where they are)."""
    merged: list = []
    for part in parts:
        if isinstance(part, str) and merged and isinstance(merged[-1], str):
            merged[-1] += part
        else:
            merged.append(part)
    return merged


def visible(text: str) -> str:
    return html.unescape(text)


TEXT, ATTRIBUTE = "text", "attribute"


def escape(text: str, context: str = TEXT) -> str:
    r"""Translated text (an engine's, a reviewer's, the memory's, a glossary's) as HTML in
    `context`: nothing in it can become a tag or a reference, nor end an attribute value
    whichever quote delimits it. The one HTML escaper: every translated piece goes through it.

    >>> escape("L'home <b> & \"x\""), escape("L'home", ATTRIBUTE)
    ("L'home &lt;b&gt; &amp; &quot;x&quot;", 'L&#39;home')
    """
    text = (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))
    return text.replace("'", "&#39;") if context == ATTRIBUTE else text


def contexts(document: Document) -> dict[int, str]:
    """Where each block of `document` sits, by index: in an attribute value (alt='…',
    title="…") or in text. An attribute value's block follows the skeleton that opens it with
    its quote. One pass over the document."""
    found, before = {}, ""
    for part in document.parts:
        if isinstance(part, Block):
            found[part.index] = ATTRIBUTE if re.search(r"""=\s*["']\Z""", before) else TEXT
            before = ""
        else:
            before = part
    return found


def localize(text: str, target: str) -> str:
    """Set <html lang> to the target and dir="rtl" for right-to-left languages. The target
    must be a well-formed BCP 47 tag: nothing else is ever written into the attribute."""
    from xlat.languages import LanguageCodeError, is_tag

    if not is_tag(target):
        from xlat.i18n import _

        raise LanguageCodeError(_("{tag} is not a language tag: not written into <html lang>").format(
            tag=repr(target)))
    match = re.search(r"<html\b[^>]*>", text, re.I)
    if not match:
        return text
    tag = match.group(0)
    new = re.sub(r"""\slang\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+)""", f' lang="{target}"', tag, flags=re.I)
    if new == tag and " lang=" not in tag.lower():
        new = tag[:5] + f' lang="{target}"' + tag[5:]
    rtl = target.split("-")[0] in _RTL
    has_dir = re.search(r"\sdir\s*=", new, re.I)
    if rtl and not has_dir:
        new = new[:-1].rstrip("/") + ' dir="rtl">' if not new.endswith("/>") else new
    elif not rtl and has_dir:
        new = re.sub(r"""\sdir\s*=\s*(?:"rtl"|'rtl'|rtl)""", "", new, flags=re.I)
    return text[:match.start()] + new + text[match.end():]


def elements(text: str) -> Counter:
    """Every element of `text` as a browser's parser would build it: (tag, its attribute names),
    counted (<html> left out: the copy's lang and dir are xlat's). A translated value that
    ends its attribute early shows here as attributes the source never had."""
    scanner = _Scanner.scan(text)
    return Counter((tag, tuple(sorted(attrs))) for kind, _, _, tag, attrs in scanner.events
                   if kind in ("start", "void") and tag != "html")


def prose_of_markup(piece: str) -> str:
    """What a markup span counts as in prose: entities their character, breaks and skipped
    elements a space, tags nothing."""
    import html as html_module

    if piece.startswith("&"):
        return html_module.unescape(piece)
    return " " if re.match(r"<(br|/?(code|kbd|samp|var|svg|math|script))\b", piece) else ""


def prose_blocks(text: str) -> list[str]:
    """The prose of each block for detection: entities decoded, tags dropped, skipped
    elements and line breaks as spaces."""
    return parse(text).prose(prose_of_markup)
