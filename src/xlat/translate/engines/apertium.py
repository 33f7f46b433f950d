"""Apertium: rule-based translation from Debian packages (apertium, apertium-eng-spa, ...).

Installed modes are found with `apertium -l` (mode `eng-spa` serves en -> es). A batch is one
`apertium -z` process in its HTML format: each sentence is a <p> of its own, ended by a NUL
(so no rule reorders words across two sentences), and xlat's placeholders are empty tags that Apertium keeps whole. Unknown-word marks (*word) are removed from the output
and counted for QA.
"""

from __future__ import annotations

import functools
import os
import html
import re
import shutil
import subprocess
from typing import Sequence

from xlat.protect import placeholders
from xlat._data import package_toml
from xlat.config import EngineSettings
from xlat.translate.engines.base import EngineError, Translation

_MODE = re.compile(r"^([a-z]{2,3})-([a-z]{2,3})$")
_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)
# Apertium's marks: * unknown word, # generation error, @ transfer error.
_MARK = re.compile(r"(?<![^\W\d_*#@])([*#@])(?=\w)")  # after a digit too: 5*k, 3*pm
_TIMEOUT_S = 600
# Every form Apertium has been seen to return a placeholder tag <xN/> in (versions differ):
# self-closing with or without a space, as an open/close pair, and the same entity-escaped.
_TAG_PAIR = re.compile(r"<\s*x(\d+)\s*>\s*<\s*/\s*x\1\s*>|&lt;\s*x(\d+)\s*&gt;\s*&lt;/\s*x\2\s*&gt;")
_TAG = re.compile(r"<\s*x(\d+)\s*/?\s*>|&lt;\s*x(\d+)\s*/?\s*&gt;")


def _codes() -> dict[str, str]:
    return package_toml("engines.toml")["apertium"]["codes"]


def debian_package(source: str, target: str) -> str | None:
    """The Debian package that provides source -> target, when xlat knows one."""
    table = package_toml("engines.toml")["apertium"]["debian"]
    return table.get(f"{source}-{target}") or table.get(f"{target}-{source}")


class ApertiumEngine:
    name = "apertium"
    copies_numbers = True  # its transfer rules flush a tag they cannot place to the sentence end

    def __init__(self, settings: EngineSettings | None = None, executable: str = "apertium"):
        self.executable = shutil.which(executable)
        self._signatures: dict[str, str] = {}
        self._last_error = ""

    @functools.cached_property
    def modes(self) -> dict[tuple[str, str], str]:
        """(source, target) -> mode name, for the modes Apertium lists."""
        if not self.executable:
            return {}
        try:
            listing = subprocess.run([self.executable, "-l"], capture_output=True, text=True,
                                     encoding="utf-8", errors="replace", env=_environment(),
                                     timeout=60).stdout
        except (OSError, subprocess.SubprocessError):
            return {}
        codes = _codes()
        modes = {}
        for line in listing.split():
            match = _MODE.match(line.strip())
            if not match:
                continue  # variants (eng-cat_valencia) and helper modes
            source, target = (codes.get(c, c) for c in match.groups())
            modes.setdefault((source, target), line.strip())
        return modes

    def pairs(self) -> set[tuple[str, str]]:
        return set(self.modes)

    def translate_batch(self, sentences: Sequence[str], source: str, target: str) -> list[Translation]:
        mode = self.modes.get((source, target))
        if mode is None:
            raise EngineError(f"Apertium has no {source}->{target} mode installed")
        cleaned = [_to_apertium(" ".join(s.split())) for s in sentences]
        todo = [i for i, s in enumerate(cleaned) if s]
        results = [Translation("") for _ in sentences]
        if not todo:
            return results
        outputs = self._run(mode, [cleaned[i] for i in todo])
        if len(outputs) != len(todo):  # should not happen; never guess the alignment
            outputs = [self._one(mode, cleaned[i]) for i in todo]
        for i, raw in zip(todo, outputs):
            results[i] = _unmark(_from_apertium(raw.strip()), sentences[i])
        return results

    def _one(self, mode: str, sentence: str) -> str:
        found = self._run(mode, [sentence])
        if len(found) != 1:
            raise EngineError(f"apertium {mode} answered a sentence with nothing: {self._last_error}")
        return found[0]

    def _run(self, mode: str, sentences: list[str]) -> list[str]:
        try:
            # -z: each sentence ends in a NUL and is translated on its own; without it, the
            # rules join a sentence without final punctuation to the next ("every 15 min" +
            # "Tram 3" -> "Cada 15 Tranvía" + "de min. 3")
            done = subprocess.run([self.executable, "-z", "-f", "html", mode],
                                  input="".join(f"<p>{s}</p>\0" for s in sentences),
                                  capture_output=True, text=True, encoding="utf-8",
                                  errors="replace", env=_environment(), timeout=_TIMEOUT_S)
        except (OSError, subprocess.SubprocessError) as exc:
            raise EngineError(f"apertium {mode} failed: {exc}") from None
        if done.returncode != 0:
            detail = (done.stderr.strip().splitlines() or ["no message"])[-1]
            raise EngineError(f"apertium {mode} failed (exit {done.returncode}): {detail}")
        self._last_error = (done.stderr.strip().splitlines() or ["no message"])[-1]
        return _PARAGRAPH.findall(done.stdout)

    def signature(self, source: str, target: str) -> str:
        mode = self.modes.get((source, target), f"{source}-{target}")
        if mode not in self._signatures:
            self._signatures[mode] = f"apertium:{mode}@{_data_version(mode)}"
        return self._signatures[mode]


def _to_apertium(text: str) -> str:
    """Text in Apertium's HTML format: placeholders ⟦n⟧ become empty tags, which Apertium keeps
    whole and in place (in its text format it splits ⟦, n and ⟧ and moves them around)."""
    return placeholders.PATTERN.sub(lambda m: f"<x{m.group(1)}/>", html.escape(text, quote=False))


def _from_apertium(text: str) -> str:
    """Apertium's HTML back to text with ⟦n⟧: its tags in any form, its escaping reversed
    (a closing tag left alone, without its opening one, is dropped: it carries nothing).

    >>> _from_apertium('a <x1/> b <x2></x2> c <x3 /> &lt;x4/&gt; &amp;lt; &lt;b&gt; "q"')
    'a ⟦1⟧ b ⟦2⟧ c ⟦3⟧ ⟦4⟧ &lt; <b> "q"'
    """
    def put(match: re.Match) -> str:
        return placeholders.make(match.group(1) or match.group(2))

    text = _TAG.sub(put, _TAG_PAIR.sub(put, text))
    return html.unescape(re.sub(r"<\s*/\s*x\d+\s*>", "", text))


def _unmark(text: str, source: str) -> Translation:
    """Remove Apertium's marks (but not a *, # or @ the source itself had) and count them."""
    unknown = 0

    def strip(match: re.Match) -> str:
        nonlocal unknown
        word = text[match.start():].split(None, 1)[0]
        if word in source:
            return match.group(0)
        if match.group(1) == "*":
            unknown += 1
        return ""

    return Translation(_MARK.sub(strip, text), unknown_words=unknown)


@functools.lru_cache(maxsize=None)
def _data_version(mode: str) -> str:
    """The version of the Debian package that installed a mode ('unknown' elsewhere)."""
    try:
        owner = subprocess.run(["dpkg", "-S", f"/usr/share/apertium/modes/{mode}.mode"],
                               capture_output=True, text=True, timeout=30).stdout
        package = owner.split(":", 1)[0].strip()
        if not package:
            return "unknown"
        version = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", package],
                                 capture_output=True, text=True, timeout=30).stdout.strip()
        return f"{package}={version}" if version else package
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def _environment() -> dict[str, str]:
    """Apertium's environment: the user's, in a locale every system has. Its C++ programs abort
    at start ("locale::facet::_S_create_c_locale name not valid") when LANG or LC_* name a
    locale that is not installed (LANG=es_ES.UTF-8 on a bare Debian), and exit 0 all the same."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("LC_") and k != "LANGUAGE"}
    environment.update(LANG="C.UTF-8", LC_ALL="C.UTF-8")
    return environment

