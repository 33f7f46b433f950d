"""Glossary: terms with their translation per language, or "keep as is" (names, brands).

A term found in the source becomes a placeholder the engine cannot touch and is written in
the target as the glossary says; QA checks it is there. Two file formats:

TOML (also the [glossary] table of an xlat.toml in the working directory)::

    [glossary."Nagorno-Karabakh"]
    keep = true                      # the same in every language
    [glossary."Defense Ministry"]
    es = "Ministerio de Defensa"
    de = "Verteidigungsministerium"

TSV: a header `term<TAB>es<TAB>de...`, then one term per line; `=` keeps the term as is, an
empty cell leaves it as is too. A term is matched whole-word and case-sensitively; in a
language it has no translation for, it is kept as is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from xlat._data import load_toml_text
from xlat.errors import InputError, XlatError

CONFIG_FILE = "xlat.toml"


class GlossaryError(XlatError):
    pass


@dataclass(frozen=True)
class Term:
    text: str
    translations: dict = field(default_factory=dict)

    def text_for(self, language: str) -> str:
        return self.translations.get(language) or self.translations.get(language.split("-")[0]) or self.text


@dataclass
class Glossary:
    terms: dict[str, Term]
    checksum: str = ""
    path: str = ""

    def __post_init__(self):
        self._matcher = _Matcher(self.terms)

    def find(self, text: str) -> list[tuple[int, int, Term]]:
        """(start, end, term) of each term in `text`, whole words, left to right, the longest
        term where several start at one place. The cost is the text's length times the
        longest term's at most, whatever the number of terms."""
        return [(start, end, self.terms[name]) for start, end, name in self._matcher.find(text)]


_END = ""  # a trie node's key for "a term ends here" (no character is the empty string)


class _Matcher:
    """A character trie of the terms: `find` gives what the pattern
    (?<!\\w)(?:term1|term2|...)(?!\\w), longest terms first, would give, in one walk per
    word start instead of one attempt per term."""

    def __init__(self, names):
        self.root: dict = {}
        for name in names:
            node = self.root
            for char in name:
                node = node.setdefault(char, {})
            node[_END] = name
        firsts = "".join(re.escape(c) for c in sorted(k for k in self.root if k))
        self.starts = re.compile(rf"(?<!\w)[{firsts}]") if firsts else None

    def find(self, text: str) -> list[tuple[int, int, str]]:
        found = []
        if self.starts is None:
            return found
        position = 0
        while True:
            match = self.starts.search(text, position)
            if match is None:
                return found
            start = match.start()
            node, best = self.root, None
            for i in range(start, len(text)):
                node = node.get(text[i])
                if node is None:
                    break
                if _END in node and not _is_word(text, i + 1):
                    best = (i + 1, node[_END])
            if best is None:
                position = start + 1
            else:
                found.append((start, best[0], best[1]))
                position = best[0]


def _is_word(text: str, i: int) -> bool:
    """Whether text[i] is a word character as re's \\w sees it (False past the end)."""
    return i < len(text) and (text[i].isalnum() or text[i] == "_")


def load(path: str | Path) -> Glossary:
    from xlat.read.textio import read_input

    path = Path(path)
    try:  # as strictly as an article: UTF-8, no NUL, a regular file (never a FIFO or a device)
        read = read_input(str(path))
    except InputError as exc:
        problem = exc.problem.split("; ")[0]  # a glossary is UTF-8, always: no --encoding hint
        raise GlossaryError(f"{path}: cannot read the glossary: {problem}") from None
    text = read.text
    checksum = read.sha256[:16]
    if path.suffix.lower() in (".tsv", ".tab", ".txt"):
        return Glossary(_from_tsv(text, path), checksum, str(path.resolve()))
    try:
        table = load_toml_text(text)
    except ValueError as exc:
        raise GlossaryError(f"{path}: not valid TOML ({exc})") from None
    return Glossary(_from_table(table.get("glossary", {}), path), checksum, str(path.resolve()))


def _from_table(table: dict, path: Path) -> dict[str, Term]:
    if not isinstance(table, dict):
        raise GlossaryError(f"{path}: [glossary] must be a table of terms")
    terms = {}
    for name, entry in table.items():
        if not name.strip():
            raise GlossaryError(f"{path}: glossary term {name!r} is empty: a term needs a word")
        if not isinstance(entry, dict):
            raise GlossaryError(f"{path}: glossary term {name!r} must be a table (keep = true, or es = \"...\")")
        keep = entry.get("keep", False)
        if not isinstance(keep, bool):
            raise GlossaryError(f"{path}: glossary term {name!r}: keep must be true or false "
                                f"(a TOML boolean, not {keep!r})")
        for language, value in entry.items():
            if language != "keep" and not isinstance(value, str):
                raise GlossaryError(f"{path}: glossary term {name!r}: {language} must be a string, "
                                    f"not {value!r}")
        translations = {k: v for k, v in entry.items() if k != "keep" and v}
        terms[name] = Term(name, {} if keep else translations)
    return terms


def _from_tsv(text: str, path: Path) -> dict[str, Term]:
    lines = [line.rstrip("\r") for line in text.split("\n") if line.strip() and not line.startswith("#")]
    if not lines:
        return {}
    header = lines[0].split("\t")
    terms = {}
    for number, line in enumerate(lines[1:], 2):
        cells = line.split("\t")
        if not cells[0].strip():
            raise GlossaryError(f"{path}: line {number}: no term in the first column")
        translations = {lang.strip(): cell.strip() for lang, cell in zip(header[1:], cells[1:])
                        if cell.strip() and cell.strip() != "="}
        terms[cells[0].strip()] = Term(cells[0].strip(), translations)
    return terms


def default() -> Glossary | None:
    """The [glossary] of ./xlat.toml, if there is one."""
    config = Path(CONFIG_FILE)
    if not config.is_file():
        return None
    glossary = load(config)
    return glossary if glossary.terms else None
