"""A deterministic n-gram language model built from langdetect's profiles.

langdetect scores text by sampling n-grams at random, so it answers differently from run to
run unless seeded, and the sampling throws information away on short text. We use the same
profiles (1- to 3-grams of 55 languages) and the same normalisation, but score *every* n-gram
with a smoothed naive Bayes sum: the answer is a pure function of the text.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources

import numpy as np

# langdetect's smoothing: each n-gram multiplies a language's probability by (p + alpha/BASE_FREQ).
_SMOOTHING = 0.5 / 10000
# Longer n-grams say more about a language than single letters, which close languages share;
# the naive Bayes sum weighs them accordingly (measured with bench/detect_accuracy.py).
ORDER_WEIGHTS = {1: 0.5, 2: 1.0, 3: 1.5}


@dataclass(frozen=True)
class NgramModel:
    languages: tuple[str, ...]
    vocabulary: dict[str, int]
    log_probs: np.ndarray  # shape (len(vocabulary), len(languages)), float32

    @classmethod
    def from_langdetect(cls) -> "NgramModel":
        folder = resources.files("langdetect") / "profiles"
        profiles = [json.loads((folder / name).read_text(encoding="utf-8"))
                    for name in sorted(p.name for p in folder.iterdir())]
        vocabulary: dict[str, int] = {}
        for profile in profiles:
            for gram in profile["freq"]:
                if 1 <= len(gram) <= 3:
                    vocabulary.setdefault(gram, len(vocabulary))
        probs = np.zeros((len(vocabulary), len(profiles)), dtype=np.float32)
        for column, profile in enumerate(profiles):
            totals = profile["n_words"]
            rows, values = [], []
            for gram, count in profile["freq"].items():
                if 1 <= len(gram) <= 3:
                    rows.append(vocabulary[gram])
                    values.append(count / totals[len(gram) - 1])
            probs[rows, column] = values
        log_probs = np.log(probs + _SMOOTHING)
        order = np.zeros(len(vocabulary), dtype=np.float64)
        for gram, row in vocabulary.items():
            order[row] = ORDER_WEIGHTS[len(gram)]
        log_probs = (log_probs * order[:, None]).astype(np.float32)
        languages = tuple(profile["name"] for profile in profiles)
        return cls(languages, vocabulary, log_probs)

    def ngram_rows(self, text: str) -> list[int]:
        """Row indices of every known 1-3-gram of `text`, as langdetect extracts them.

        Words are padded with spaces; words written in capitals (acronyms) are skipped.
        """
        vocabulary = self.vocabulary
        rows: list[int] = []
        normalize = _normalizer()
        grams = " "
        capital_word = False
        for raw in text:
            ch = normalize(raw)
            last = grams[-1]
            if last == " ":
                grams = " "
                capital_word = False
                if ch == " ":
                    continue
            elif len(grams) >= 3:
                grams = grams[1:]
            grams += ch
            if ch.isupper():
                capital_word = last.isupper()
            if capital_word:
                continue
            if ch != " ":
                row = vocabulary.get(ch)
                if row is not None:
                    rows.append(row)
            if len(grams) >= 2:
                row = vocabulary.get(grams[-2:])
                if row is not None:
                    rows.append(row)
            if len(grams) >= 3:
                row = vocabulary.get(grams)
                if row is not None:
                    rows.append(row)
        return rows

    def log_likelihood(self, rows: list[int]) -> np.ndarray:
        """Sum of smoothed log-probabilities per language (zeros when there are no rows)."""
        if not rows:
            return np.zeros(len(self.languages), dtype=np.float64)
        return self.log_probs[np.asarray(rows, dtype=np.intp)].sum(axis=0, dtype=np.float64)


_NORMALIZE_CACHE: dict[str, str] = {}


def _normalizer():
    from langdetect.utils.ngram import NGram

    cache = _NORMALIZE_CACHE

    def normalize(ch: str) -> str:
        out = cache.get(ch)
        if out is None:
            out = cache[ch] = NGram.normalize(ch)
        return out

    return normalize
