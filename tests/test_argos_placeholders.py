"""Placeholders through an Argos package's own tokenizer. `⟦3⟧` is in no Argos vocabulary: a
SentencePiece unigram model trained like Argos's (no byte fallback, no user symbols) turns it
into <unk> pieces, decoded as " ⁇ 3 ⁇ ". Each package gets a form its tokenizer keeps."""

from __future__ import annotations

import pytest

from argos_factory import train_sentencepiece
from xlat.translate.engines.argos import KEEP_AS_IS, PlaceholderForm, placeholder_form, vocabulary
from xlat.translate.models import install_file, installed_packages


@pytest.fixture(scope="module")
def argos_like(tmp_path_factory):
    """A SentencePiece model trained like an Argos package's, on the sample articles."""
    from xlat.translate.models import _SentencePiece

    path = tmp_path_factory.mktemp("sp") / "sentencepiece.model"
    path.write_bytes(train_sentencepiece())
    tokenizer = _SentencePiece(path)
    processor = tokenizer.processor
    return tokenizer, {processor.id_to_piece(i) for i in range(processor.get_piece_size())}


def test_the_raw_placeholder_does_not_survive_such_a_tokenizer(argos_like):
    tokenizer, _ = argos_like
    processor = tokenizer.processor
    assert processor.decode(processor.encode("a ⟦3⟧ b")) != "a ⟦3⟧ b"  # the reason for all this


def test_a_form_the_tokenizer_keeps_is_chosen(argos_like):
    tokenizer, known = argos_like
    form = placeholder_form(tokenizer, known)
    assert form != KEEP_AS_IS
    text = "⟦0⟧ The mayor ⟦1⟧⟦2⟧ said “⟦3⟧” on ⟦12⟧, [⟦4⟧] too."
    pieces = tokenizer.encode([form.encode(text)])[0]
    assert all(piece in known for piece in pieces)
    processor = tokenizer.processor
    ids = processor.encode(form.encode(text))  # through ids, as a model's output is
    assert processor.unk_id() not in ids
    assert form.decode(processor.decode(ids)) == text


def test_the_next_form_when_the_vocabulary_lacks_the_first(argos_like):
    tokenizer, known = argos_like
    form = placeholder_form(tokenizer, known - {"[", "▁["})
    assert form not in (KEEP_AS_IS, PlaceholderForm("[", "]"))
    assert placeholder_form(tokenizer, set()) == KEEP_AS_IS  # nothing fits: the gate will judge


def test_each_installed_package_gets_its_form(argos_dir, argos_files):
    from xlat.translate.engines import create

    install_file(argos_files["en-de"])
    (package,) = installed_packages()
    assert vocabulary(package.path / "model")  # read from the CTranslate2 model's files
    engine = create("argos")
    loaded = engine._load("en", "de")
    assert loaded.form != KEEP_AS_IS
    (result,) = engine.translate_batch(["The mayor ⟦0⟧ said ⟦1⟧ today."], "en", "de")
    assert "⁇" not in result.text and "<unk>" not in result.text
