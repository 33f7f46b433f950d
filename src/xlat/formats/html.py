"""HTML: prose is the text of the page; script, style, code, pre and translate="no" are not."""

from __future__ import annotations

from html.parser import HTMLParser

_SKIP = {"script", "style", "code", "pre", "noscript", "template", "svg", "math", "kbd", "samp", "var"}
_BLOCK = {
    "address", "article", "aside", "blockquote", "body", "caption", "dd", "details", "dialog",
    "div", "dl", "dt", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5",
    "h6", "head", "header", "hr", "html", "li", "main", "nav", "ol", "p", "section", "summary",
    "table", "tbody", "td", "tfoot", "th", "thead", "title", "tr", "ul",
}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
         "track", "wbr"}


class _ProseCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self._current: list[str] = []
        self._stack: list[tuple[str, bool]] = []  # (tag, starts a skipped region)

    @property
    def _skipping(self) -> bool:
        return any(skip for _, skip in self._stack)

    def handle_starttag(self, tag, attrs):
        if tag == "br":
            self._current.append(" ")
        elif tag in _BLOCK:
            self._flush()
        if tag in _VOID:
            return
        attributes = dict(attrs)
        skip = tag in _SKIP or (attributes.get("translate") or "").lower() == "no"
        self._stack.append((tag, skip))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        for depth in range(len(self._stack) - 1, -1, -1):
            if self._stack[depth][0] == tag:
                del self._stack[depth:]
                break
        if tag in _BLOCK:
            self._flush()

    def handle_data(self, data):
        if not self._skipping:
            self._current.append(data)

    def _flush(self):
        words = " ".join("".join(self._current).split())
        if words:
            self.blocks.append(words)
        self._current = []

    def close(self):
        super().close()
        self._flush()


def prose_blocks(text: str) -> list[str]:
    collector = _ProseCollector()
    collector.feed(text)
    collector.close()
    return collector.blocks
