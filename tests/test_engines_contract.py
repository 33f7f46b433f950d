"""The engine contract: every engine passes the same tests (real engines, no mocks)."""

from __future__ import annotations

import shutil

import pytest

from xlat.config import EngineSettings
from xlat.translate.engines import Engine, EngineError, Translation, create
from xlat.translate.models import install_file

SENTENCES = [
    "The city council approved a new budget on Tuesday.",
    "",
    "Residents reported explosions near the city.",
    "The ministry said only military targets would be struck.",
]


@pytest.fixture(params=["apertium", "argos"])
def engine_pair(request, argos_dir, argos_files):
    if request.param == "apertium":
        if not shutil.which("apertium"):
            pytest.fail("apertium is not installed: run scripts/install.sh as root")
        return create("apertium"), ("en", "es")
    install_file(argos_files["en-de"])
    # float32 so that a sentence's translation does not depend on its batch neighbours
    return create("argos", EngineSettings(compute_type="float32", beam_size=2)), ("en", "de")


def test_is_an_engine(engine_pair):
    engine, pair = engine_pair
    assert isinstance(engine, Engine)
    assert pair in engine.pairs()
    assert all(isinstance(s, str) and isinstance(t, str) for s, t in engine.pairs())


def test_one_translation_per_sentence_in_order(engine_pair):
    engine, (source, target) = engine_pair
    batch = engine.translate_batch(SENTENCES, source, target)
    assert len(batch) == len(SENTENCES)
    assert all(isinstance(t, Translation) for t in batch)
    assert batch[1].text == ""
    assert all(t.text.strip() for i, t in enumerate(batch) if i != 1)
    singles = [engine.translate_batch([s], source, target)[0].text for s in SENTENCES]
    assert [t.text for t in batch] == singles


def test_deterministic(engine_pair):
    engine, (source, target) = engine_pair
    first = engine.translate_batch(SENTENCES, source, target)
    assert engine.translate_batch(SENTENCES, source, target) == first


def test_signature(engine_pair):
    engine, (source, target) = engine_pair
    signature = engine.signature(source, target)
    assert signature.startswith(engine.name + ":") and signature == engine.signature(source, target)


def test_unknown_pair_is_an_engine_error(engine_pair):
    engine, _ = engine_pair
    with pytest.raises(EngineError):
        engine.translate_batch(["Hello."], "ja", "ko")


def test_empty_batch(engine_pair):
    engine, (source, target) = engine_pair
    assert engine.translate_batch([], source, target) == []


# Placeholders in every position, adjacent, doubled, inside quotation marks; a text's own
# markup characters, entities, emoji and right-to-left text.
TORTURE = [
    "⟦0⟧ The mayor said ⟦1⟧.",
    "The mayor ⟦0⟧⟦1⟧ said ⟦2⟧ ⟦2⟧ nothing ⟦3⟧",
    "He said “⟦0⟧” and ‘⟦1⟧’ twice.",
    "Profits < costs & taxes > 3; see &amp; and &lt;b&gt; too.",
    'A "quoted" word; and \'single\' ones.',
    "Emoji 😀 and العربية text ⟦0⟧ here.",
    "⟦0⟧",
    "⟦0⟧ ⟦1⟧",
    "The ⟦12⟧ bridge's supports ⟦3⟧, ⟦4⟧.",
]


def _torture(engine, source, target):
    from xlat.protect import placeholders

    for sentence, result in zip(TORTURE, engine.translate_batch(TORTURE, source, target)):
        text = result.text
        assert not placeholders.residue(placeholders.strip(text)), (sentence, text)
        assert all(sentence.count(c) == text.count(c) for c in '<>&;"'), (sentence, text)
        yield sentence, text


def test_torture_set_through_every_installed_apertium_pair():
    engine = create("apertium")
    if not engine.pairs():
        pytest.fail("no Apertium pair is installed: run scripts/install.sh as root")
    from xlat.protect import placeholders

    for source, target in sorted(engine.pairs()):
        for sentence, text in _torture(engine, source, target):
            # Apertium keeps its tags: every placeholder comes back, as often as it went
            assert sorted(placeholders.ids(text)) == sorted(placeholders.ids(sentence)), (source, target, text)


def test_torture_set_through_the_tiny_argos_model(argos_dir, argos_files):
    install_file(argos_files["en-de"])
    engine = create("argos")
    # nonsense output, but never a placeholder's residue, never an unknown piece
    assert len(list(_torture_argos(engine))) == len(TORTURE)


def _torture_argos(engine):
    from xlat.protect import placeholders

    for result in engine.translate_batch(TORTURE, "en", "de"):
        assert not placeholders.residue(placeholders.strip(result.text)), result.text
        yield result


def test_apertium_never_moves_words_between_sentences():
    engine = create("apertium")
    first, second = engine.translate_batch(["every 15 min", "Tram 3"], "en", "es")
    assert "min" in first.text and "3" in second.text and "min" not in second.text, (first, second)
