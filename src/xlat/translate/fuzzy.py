"""Fuzzy matches: the approved sentence of the memory nearest to a new one.

Sentences are compared as the engine sees them with every placeholder written alike (``⟦⟧``):
"since ⟦3⟧." and "since ⟦0⟧." are the same sentence with a different number or link in it. A
match's target gets the new sentence's codes (`adapt`: the k-th code of the match's source
becomes the k-th code of the new one); when the two do not have as many codes, the target
cannot carry the new sentence's codes and the match is only shown, never proposed.

Candidates come from an inverted index of word trigrams (and words, for short sentences) built
once per language pair on first use; only the few sentences sharing the most of them are scored
(rapidfuzz's indel ratio, as CAT tools' "match quality" in percent), so a lookup stays fast on
100,000 entries.

>>> index = Index([("The council approves the ⟦1⟧ budget.", "El consejo aprueba el presupuesto ⟦1⟧.")])
>>> match = index.best("The council approves the ⟦4⟧ plan.", 75)
>>> match.quality, match.target
(85, 'El consejo aprueba el presupuesto ⟦4⟧.')
>>> index.best("Something else entirely.", 75) is None
True
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from rapidfuzz import fuzz

from xlat.protect import placeholders

CANDIDATES = 40
"""How many sentences (sharing the most trigrams with the new one) are scored."""
_WORD = re.compile(r"⟦⟧|\w+", re.UNICODE)


def normal(text: str) -> str:
    """The sentence compared: placeholders alike, white space collapsed, case kept."""
    return " ".join(placeholders.PATTERN.sub("⟦⟧", text).split())


def _features(text: str) -> set[str]:
    words = _WORD.findall(text.lower())
    grams = {" ".join(words[i:i + 3]) for i in range(len(words) - 2)}
    if len(words) < 12:  # a changed word spoils three trigrams of few: pairs of words too
        grams |= {" ".join(words[i:i + 2]) for i in range(len(words) - 1)}
    return grams | set(words) if len(words) < 6 else grams


@dataclass(frozen=True)
class Match:
    quality: int
    """Percent similarity of the two sentences (placeholders alike)."""
    source: str
    """The memory's sentence, with the new sentence's codes where they could be mapped."""
    target: str
    """Its approved translation, likewise."""
    fits: bool
    """The codes map one to one: `target` carries exactly the new sentence's codes."""


def adapt(text: str, old: list[int], new: list[int]) -> str:
    """`text` with code old[k] written as new[k] (codes without a counterpart left out)."""
    mapping = {str(o): str(n) for o, n in zip(old, new)}
    return placeholders.PATTERN.sub(
        lambda m: placeholders.make(mapping[m.group(1)]) if m.group(1) in mapping else "", text)


class Index:
    """The approved (source, target) pairs of one language pair, ready for fuzzy lookups."""

    def __init__(self, pairs):
        self.sources: list[str] = []
        self.targets: list[str] = []
        self.normals: list[str] = []
        self.postings: dict[str, list[int]] = {}
        for source, target in pairs:
            n = len(self.sources)
            self.sources.append(source)
            self.targets.append(target)
            self.normals.append(normal(source))
            for feature in _features(self.normals[-1]):
                self.postings.setdefault(feature, []).append(n)

    def __len__(self) -> int:
        return len(self.sources)

    def best(self, sentence: str, threshold: int) -> Match | None:
        """The best match at or above `threshold` percent (None: none)."""
        query = normal(sentence)
        features = _features(query)
        if not features or not self.sources:
            return None
        shared: Counter[int] = Counter()
        limit = max(1000, len(self.sources) // 10)  # a feature in every tenth sentence tells little
        for feature in features:
            posting = self.postings.get(feature)
            if posting and len(posting) <= limit:
                shared.update(posting)
        best, best_score = None, float(threshold) - 1e-9
        for n, _ in shared.most_common(CANDIDATES):
            candidate = self.normals[n]
            if 200 * min(len(candidate), len(query)) / (len(candidate) + len(query)) < threshold:
                continue  # the lengths alone keep it below the threshold
            score = fuzz.ratio(query, candidate, score_cutoff=best_score)
            if score > best_score:
                best, best_score = n, score
        if best is None:
            return None
        old, new = placeholders.ids(self.sources[best]), placeholders.ids(sentence)
        fits = len(old) == len(new) and sorted(placeholders.ids(self.targets[best])) == sorted(old)
        return Match(int(best_score), adapt(self.sources[best], old, new),
                     adapt(self.targets[best], old, new), fits)
