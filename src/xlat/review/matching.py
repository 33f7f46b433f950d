"""Which trans-unit of an XLIFF a CAT tool wrote back goes to which sentence of the source.

xlat's own units are found by id (``b<block>u<unit>s<sentence>``). Tools add units of their
own: translate-toolkit's po2xliff appends the PO's entries (numeric ids, sources without their
codes) to the template it was given. Those are matched by source: the text without codes and
with white space collapsed. A unit that repeats what xlat wrote is ignored; one that changes it
is the translator's edit; two units giving one sentence different targets, and units matching
no sentence (merged or split by the tool, or from another document), are refused by name,
never dropped in silence.
"""

from __future__ import annotations

from dataclasses import replace

from xlat.errors import InputError
from xlat.protect import placeholders
from xlat.review import xliff


def plain(text: str) -> str:
    """The words of a sentence or target: codes left out, white space collapsed."""
    return " ".join(placeholders.strip(text).split())


def _named(unit: xliff.Unit) -> str:
    words = plain(unit.source)
    shown = words if len(words) <= 50 else words[:47] + "..."
    return f"trans-unit {unit.id} (“{shown}”)"


def resolve(label: str, units: list[xliff.Unit], sentences: dict[str, str],
            approve_all: bool = False) -> tuple[dict[str, xliff.Unit], list[InputError]]:
    """The unit to apply to each sentence id (`sentences`: id -> the sentence as the engine saw
    it) and the units refused, one InputError each."""
    refused: list[InputError] = []
    by_id: dict[str, xliff.Unit] = {}
    others: list[xliff.Unit] = []
    for unit in units:
        if unit.id in sentences:
            if unit.id in by_id:
                if unit.target != by_id[unit.id].target:
                    refused.append(InputError(label, f"{_named(unit)}: a second unit with this id, "
                                                     "with another target; not applied"))
                continue
            if unit.source != sentences[unit.id]:
                raise InputError(label, f"trans-unit {unit.id}: its source is not the source "
                                        "document's sentence any more")
            by_id[unit.id] = unit
        elif plain(unit.source) or plain(unit.target):
            others.append(unit)
    by_words: dict[str, list[str]] = {}
    for sentence_id, text in sentences.items():
        by_words.setdefault(plain(text), []).append(sentence_id)
    chosen = dict(by_id)
    edits: dict[str, list[xliff.Unit]] = {}
    for unit in others:
        ids = by_words.get(plain(unit.source))
        if not ids:
            refused.append(InputError(label, f"{_named(unit)}: {_unmatched(unit, sentences)}; not applied"))
            continue
        for sentence_id in ids:  # a sentence repeated in the document: the same edit for each
            mine = by_id.get(sentence_id)
            reference = None if mine is None else (mine.proposal if mine.proposal is not None else mine.target)
            approves = approve_all or unit.state in xliff.APPROVED_STATES
            if reference is not None and plain(unit.target) == plain(reference):
                if approves and mine.state not in xliff.APPROVED_STATES:  # confirmed as it was
                    chosen[sentence_id] = replace(mine, state="translated")
                continue
            edits.setdefault(sentence_id, []).append(unit)
    for sentence_id, units_of in edits.items():
        mine = by_id.get(sentence_id)
        targets = {plain(u.target) for u in units_of}
        if mine is not None and mine.edited:
            targets.add(plain(mine.target))
        if len(targets) > 1:
            for unit in units_of:
                refused.append(InputError(label, f"{_named(unit)}: another unit gives sentence "
                                                 f"{sentence_id} another target; not applied"))
            continue
        unit = units_of[0]
        base = mine or xliff.Unit(sentence_id, sentences[sentence_id], "")
        reference = None if mine is None else (mine.proposal if mine.proposal is not None else mine.target)
        chosen[sentence_id] = replace(
            base, target=unit.target, state=unit.state, foreign=unit.foreign,
            proposal=reference if reference is not None else "",
            id=f"{sentence_id} (as {unit.id})")
    return chosen, refused


def _unmatched(unit: xliff.Unit, sentences: dict[str, str]) -> str:
    """Why a unit matches no sentence, as precisely as can be told."""
    words = plain(unit.source)
    ordered = list(sentences.items())
    for i, (first, _) in enumerate(ordered):
        joined = ""
        for j in range(i, len(ordered)):
            joined = f"{joined} {plain(ordered[j][1])}".strip()
            if joined == words and j > i:
                return (f"its source is sentences {first} to {ordered[j][0]} merged; edit them "
                        "one by one")
            if not words.startswith(joined):
                break
    for sentence_id, text in ordered:
        if words and words in plain(text) and words != plain(text):
            return f"its source is part of sentence {sentence_id} (split); edit the whole sentence"
    return "its source is no sentence of the source document"
