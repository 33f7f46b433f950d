"""Language detection: scripts first, then a deterministic n-gram model, then context.

1. The dominant script narrows the candidates (Armenian, Georgian, Greek, Korean... decide on
   their own; a Cyrillic text is never Latvian).
2. Among several candidates, every 1-3-gram of the text is scored against langdetect's profiles
   (see ngram_model.py); frequent function words break ties between close neighbours
   (da/no/sv, cs/sk, hr/sl, es/ca/pt...). Azerbaijani is scored as Turkish plus the letters that
   only Azerbaijani uses.
3. In a document, short or unreliable paragraphs lean on their neighbours.

Everything here is a pure function of the text: no sampling, no randomness.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable, Sequence

from xlat.detect import scripts
from xlat._data import package_toml

UNDETERMINED = "und"

# Thresholds, in letters and probability. Below RELIABLE_LETTERS a text is too short to be sure
# (a headline, a name); its guess is reported but marked unreliable.
RELIABLE_LETTERS = 24
RELIABLE_CONFIDENCE = 0.80
# A paragraph this short takes its neighbours' language unless its own evidence is clear.
SHORT_LETTERS = 60
CONTEXT_PRIOR = 0.85
# Function-word evidence per occurrence (nats), applied among near competitors only.
WORD_WEIGHT = 5.0
NEAR_MARGIN = 12.0
# Temperature of the reported confidence: the naive Bayes sum over-counts correlated n-grams.
CONFIDENCE_TEMPERATURE = 0.5
# Prose in a script that separates words has at most this many letters per word on average
# (German compounds included); more, and it is not prose (random bytes, a blob): undetermined.
MAX_LETTERS_PER_WORD = 20
_DENSE_SCRIPTS = ("HAN", "KANA", "HANGUL")
_DENSE_FACTOR = 3

_URL = re.compile(r"\b(?:https?://|ftp://|www\.)\S+", re.IGNORECASE)
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?|'n\b")


@dataclass(frozen=True)
class Guess:
    """The language of one piece of text."""

    language: str
    confidence: float
    reliable: bool
    letters: int = 0
    # Posterior over the candidates, kept for context smoothing (language -> probability).
    posterior: dict = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class ParagraphGuess:
    index: int
    language: str
    confidence: float
    reliable: bool
    letters: int = 0

    @property
    def stands_alone(self) -> bool:
        """Long and clear enough to be in another language than the document around it."""
        return self.reliable and self.letters >= SHORT_LETTERS

    def to_json(self) -> dict:
        return {"index": self.index, "language": self.language,
                "confidence": round(self.confidence, 4)}


@dataclass(frozen=True)
class DocumentGuess:
    language: str
    confidence: float
    reliable: bool
    paragraphs: tuple[ParagraphGuess, ...]

    @property
    def languages(self) -> list[str]:
        """Every language with at least one reliable paragraph, in order of appearance."""
        seen: list[str] = []
        for p in self.paragraphs:
            if p.reliable and p.language != UNDETERMINED and p.language not in seen:
                seen.append(p.language)
        return seen


class LanguageDetector:
    """Detects languages; build once, call many times (the n-gram model loads on first use)."""

    def __init__(self, expect: Iterable[str] | None = None):
        tables = package_toml("scripts.toml")
        self._script_langs: dict[str, list[str]] = tables["scripts"]
        self._profile_tags: dict[str, str] = tables["profile_tags"]
        self._az = tables["azerbaijani"]
        self._unspaced = frozenset(tables.get("unspaced", ()))
        self.expect = frozenset(expect) if expect else None
        if self.expect:
            unknown = sorted(self.expect - self.supported())
            if unknown:
                raise ValueError(f"unsupported language(s) for --expect: {', '.join(unknown)}")

    def supported(self) -> set[str]:
        return {lang for langs in self._script_langs.values() for lang in langs}

    # -- one text ---------------------------------------------------------------------------
    def guess(self, text: str) -> Guess:
        text = _EMAIL.sub(" ", _URL.sub(" ", text))
        counts = scripts.letter_counts(text)
        letters = sum(counts.values())
        script = scripts.dominant_script(counts)
        candidates = [c for c in self._script_langs.get(script, []) if self._allowed(c)]
        if not candidates or not self._words_apart(text, letters, script):
            return Guess(UNDETERMINED, 0.0, False, letters)
        if len(candidates) == 1:
            posterior = {candidates[0]: 1.0}
            confidence = min(1.0, _letter_weight(counts) / RELIABLE_LETTERS)
        else:
            posterior = self._posterior(scripts.keep_script(text, script), candidates)
            confidence = max(posterior.values())
        language = max(posterior, key=posterior.__getitem__)
        weight = _letter_weight(counts)
        reliable = weight >= RELIABLE_LETTERS and confidence >= RELIABLE_CONFIDENCE
        return Guess(language, confidence, reliable, weight, posterior)

    def _words_apart(self, text: str, letters: int, script: str) -> bool:
        """Whether the text has words as prose has them: in a script that separates words, a
        space every few letters (random high bytes read as cp1252 have letters, no words)."""
        if script in self._unspaced or letters < RELIABLE_LETTERS:
            return True
        return letters <= MAX_LETTERS_PER_WORD * len(text.split())

    def _allowed(self, language: str) -> bool:
        return self.expect is None or language in self.expect

    def _posterior(self, text: str, candidates: list[str]) -> dict[str, float]:
        model, columns = _model()
        from langdetect.utils.ngram import NGram

        rows = model.ngram_rows(NGram.normalize_vi(text))
        all_ll = model.log_likelihood(rows)
        ll: dict[str, float] = {}
        for lang in candidates:
            profile = self._az["like"] if lang == "az" else lang
            ll[lang] = float(all_ll[columns[self._profile_name(profile)]])
        if "az" in ll:
            ll = self._azerbaijani(text, ll)
        ll = self._function_words(text, ll)
        return _softmax(ll, temperature=max(1.0, CONFIDENCE_TEMPERATURE * math.sqrt(len(rows))))

    def _profile_name(self, language: str) -> str:
        for profile, tag in self._profile_tags.items():
            if tag == language:
                return profile
        return language

    def _azerbaijani(self, text: str, ll: dict[str, float]) -> dict[str, float]:
        schwa = text.count("ə") + text.count("Ə")
        q_x = sum(text.count(c) for c in "qxQX")
        others = sum(1 for ch in text if ch.isalpha()) - schwa - q_x
        ll = dict(ll)
        ll["az"] += (self._az["schwa"] * schwa + self._az["q_x"] * q_x
                     + self._az["per_other_letter"] * others)
        if "tr" in ll:
            ll["tr"] -= self._az["schwa"] * schwa
        return ll

    def _function_words(self, text: str, ll: dict[str, float]) -> dict[str, float]:
        words = _function_word_table()
        best = max(ll.values())
        near = [lang for lang, value in ll.items() if value >= best - NEAR_MARGIN]
        if len(near) < 2 or not all(lang in words.languages for lang in near):
            return ll
        bonus = dict.fromkeys(near, 0.0)
        for token in _WORD.findall(text.lower()):
            for lang in words.index.get(token, ()):
                if lang in bonus:
                    bonus[lang] += WORD_WEIGHT
        return {lang: value + bonus.get(lang, 0.0) for lang, value in ll.items()}

    # -- a document -------------------------------------------------------------------------
    def guess_document(self, paragraphs: Sequence[str]) -> DocumentGuess:
        guesses = [self.guess(p) for p in paragraphs]
        guesses = _lean_on_neighbours(guesses)
        paragraph_guesses = tuple(
            ParagraphGuess(i, g.language, g.confidence, g.reliable, g.letters) for i, g in enumerate(guesses))
        return DocumentGuess(*_document_vote(guesses), paragraph_guesses)


def _letter_weight(counts) -> int:
    """Letters, counting a CJK ideograph, kana or Hangul syllable as the several letters of
    information it carries."""
    dense = sum(counts.get(s, 0) for s in _DENSE_SCRIPTS)
    return sum(counts.values()) + (_DENSE_FACTOR - 1) * dense


def _lean_on_neighbours(guesses: list[Guess]) -> list[Guess]:
    """Short paragraphs (headlines, bylines, names) take the language of the text around them.

    An unreliable paragraph takes its nearest substantial neighbour's language whenever that
    language is possible for its script; a short but reliable one weighs its own evidence
    against a prior that favours the neighbour's language.
    """
    anchors = [i for i, g in enumerate(guesses) if g.reliable and g.letters >= SHORT_LETTERS]
    if not anchors:
        return guesses
    out = list(guesses)
    for i, g in enumerate(guesses):
        if g.language == UNDETERMINED or (g.reliable and g.letters >= SHORT_LETTERS):
            continue
        nearest = min(anchors, key=lambda a: (abs(a - i), a))
        context = guesses[nearest].language
        if context not in g.posterior:
            continue
        others = max(1, len(g.posterior) - 1)
        weighted = {lang: p * (CONTEXT_PRIOR if lang == context else (1 - CONTEXT_PRIOR) / others)
                    for lang, p in g.posterior.items()}
        total = sum(weighted.values())
        posterior = {lang: p / total for lang, p in weighted.items()}
        language = context if not g.reliable else max(posterior, key=posterior.__getitem__)
        if language != g.language:
            out[i] = Guess(language, posterior[language], False, g.letters, posterior)
    return out


def _document_vote(guesses: list[Guess]) -> tuple[str, float, bool]:
    """The document's language is the one most of its letters are written in."""
    letters: dict[str, int] = {}
    weighted_conf: dict[str, float] = {}
    for g in guesses:
        if g.language == UNDETERMINED:
            continue
        letters[g.language] = letters.get(g.language, 0) + g.letters
        weighted_conf[g.language] = weighted_conf.get(g.language, 0.0) + g.confidence * g.letters
    total = sum(letters.values())
    if not total:
        return UNDETERMINED, 0.0, False
    language = max(letters, key=lambda lang: (letters[lang], lang))
    confidence = weighted_conf[language] / total
    reliable = total >= RELIABLE_LETTERS and confidence >= RELIABLE_CONFIDENCE
    if not any(g.reliable for g in guesses if g.language == language):
        reliable = False
    return language, confidence, reliable


def _softmax(ll: dict[str, float], temperature: float) -> dict[str, float]:
    top = max(ll.values())
    weights = {lang: math.exp((value - top) / temperature) for lang, value in ll.items()}
    total = sum(weights.values())
    return {lang: w / total for lang, w in weights.items()}


@dataclass(frozen=True)
class _FunctionWords:
    languages: frozenset
    index: dict  # word -> tuple of languages


@lru_cache(maxsize=1)
def _function_word_table() -> _FunctionWords:
    table = package_toml("function_words.toml")["words"]
    index: dict[str, list[str]] = {}
    for lang, words in table.items():
        for word in words.split():
            index.setdefault(word, []).append(lang)
    return _FunctionWords(frozenset(table), {w: tuple(langs) for w, langs in index.items()})


@lru_cache(maxsize=1)
def _model():
    """The n-gram model (about 0.2 s to build), loaded once per process on first use."""
    from xlat.detect.ngram_model import NgramModel

    model = NgramModel.from_langdetect()
    columns = {lang: i for i, lang in enumerate(model.languages)}
    return model, columns


def detect_text(text: str, expect: Iterable[str] | None = None) -> DocumentGuess:
    """Detect the language of `text`, paragraph by paragraph (paragraphs split at blank lines)."""
    from xlat.formats.text import prose_blocks

    return LanguageDetector(expect).guess_document(prose_blocks(text))


__all__ = ["LanguageDetector", "DocumentGuess", "ParagraphGuess", "Guess", "detect_text",
           "UNDETERMINED"]
