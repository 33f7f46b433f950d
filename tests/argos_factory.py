"""Build small but genuine Argos Translate packages (.argosmodel) for tests and benchmarks.

A package is a zip of one folder holding metadata.json, a CTranslate2 model (model/) and a
SentencePiece model (sentencepiece.model). Here the Transformer's weights are seeded random
numbers, so the translations are nonsense; everything else (files, formats, loading, decoding)
is what a real package has. No torch: CTranslate2's model spec is filled with numpy arrays.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent


def training_text() -> list[str]:
    """A few KB of text in five languages: the sample articles."""
    lines = []
    for path in sorted(p for p in (HERE.parent / "samples").iterdir() if p.suffix in (".txt", ".md", ".html")):
        lines += [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return lines


def train_sentencepiece(vocab_size: int = 400, lines: list[str] | None = None,
                        user_symbols: list[str] | None = None) -> bytes:
    import sentencepiece as spm

    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines or training_text()), model_writer=model,
        vocab_size=vocab_size, model_type="unigram", character_coverage=1.0,
        hard_vocab_limit=False, minloglevel=2, num_threads=1,
        user_defined_symbols=user_symbols or [])
    return model.getvalue()


def _set(spec, name: str, value) -> None:
    obj = spec
    parts = name.split("/")
    for part in parts[:-1]:
        match = re.fullmatch(r"(.+)_(\d+)", part)
        if match and isinstance(getattr(obj, match.group(1), None), list):
            obj = getattr(obj, match.group(1))[int(match.group(2))]
        else:
            obj = getattr(obj, part)
    setattr(obj, parts[-1], value)


def build_model(folder: Path, vocabulary: list[str], layers: int = 2, d_model: int = 64,
                heads: int = 4, ffn: int = 128, seed: int = 0, quantization: str | None = None) -> None:
    """Save a Transformer with seeded random weights as a CTranslate2 model in `folder`."""
    from ctranslate2.specs import transformer_spec

    rng = np.random.default_rng(seed)
    spec = transformer_spec.TransformerSpec.from_config(num_layers=(layers, layers), num_heads=heads)
    vocab = len(vocabulary)
    shapes = {
        "embeddings_0/weight": (vocab, d_model), "embeddings/weight": (vocab, d_model),
        "projection/weight": (vocab, d_model),
        "self_attention/linear_0/weight": (3 * d_model, d_model),
        "self_attention/linear_1/weight": (d_model, d_model),
        "attention/linear_0/weight": (d_model, d_model),
        "attention/linear_1/weight": (2 * d_model, d_model),
        "attention/linear_2/weight": (d_model, d_model),
        "ffn/linear_0/weight": (ffn, d_model), "ffn/linear_1/weight": (d_model, ffn),
    }
    for name, value in spec.variables().items():
        if value is not None:
            continue
        if name.endswith("/gamma"):
            array = np.ones(d_model, dtype=np.float32)
        elif name.endswith("/beta"):
            array = np.zeros(d_model, dtype=np.float32)
        else:
            shape = next(s for suffix, s in shapes.items() if name.endswith(suffix))
            array = (rng.standard_normal(shape) / np.sqrt(shape[-1])).astype(np.float32)
        _set(spec, name, array)
    spec.register_source_vocabulary(vocabulary)
    spec.register_target_vocabulary(vocabulary)
    spec.validate()
    spec.optimize(quantization=quantization)
    folder.mkdir(parents=True, exist_ok=True)
    spec.save(str(folder))


def build_package(out_dir: Path, from_code: str = "en", to_code: str = "de", *,
                  seed: int = 0, target_prefix: str = "", version: str = "1.0",
                  sentencepiece_model: bytes | None = None, **model_options) -> Path:
    """Write `translate-<from>_<to>-<version>.argosmodel` into out_dir and return its path."""
    import sentencepiece as spm

    sp_bytes = sentencepiece_model or train_sentencepiece()
    sp = spm.SentencePieceProcessor(model_proto=sp_bytes)
    vocabulary = [sp.id_to_piece(i) for i in range(sp.get_piece_size())]
    name = f"translate-{from_code}_{to_code}-{version.replace('.', '_')}"
    work = out_dir / f".build-{name}"
    build_model(work / "model", vocabulary, seed=seed, **model_options)
    metadata = {
        "package_version": version, "argos_version": "1.9", "from_code": from_code,
        "from_name": from_code, "to_code": to_code, "to_name": to_code, "type": "translate",
        "target_prefix": target_prefix,
        "description": "xlat test package: random weights, nonsense output",
    }
    path = out_dir / f"{name}.argosmodel"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{name}/metadata.json", json.dumps(metadata, indent=2))
        archive.writestr(f"{name}/sentencepiece.model", sp_bytes)
        archive.writestr(f"{name}/README.md", "Random weights; for testing xlat only.\n")
        for file in sorted((work / "model").iterdir()):
            archive.write(file, f"{name}/model/{file.name}")
    for file in (work / "model").iterdir():
        file.unlink()
    (work / "model").rmdir()
    work.rmdir()
    return path
