"""Argos Translate models run directly on CTranslate2, batched, offline.

argostranslate's own translate path imports stanza/torch and downloads sentence-splitting
models at first use; xlat never imports it. Installed packages are read through
argostranslate.package; each package's CTranslate2 model and tokenizer are loaded once per
engine, and every sentence of a language pair goes through one `translate_batch` call with
token batching. Sentence splitting is xlat's own (segment.py), done before the engine.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

from xlat.config import EngineSettings
from xlat.engines.base import EngineError, Translation
from xlat.models import InstalledPackage, PackageError, installed_packages


def bound(source_tokens: int, settings: EngineSettings) -> int:
    """The most tokens a translation may have: a looping model cannot run away."""
    return int(math.ceil(settings.length_ratio * source_tokens)) + settings.length_margin


def length_buckets(lengths: Sequence[int], settings: EngineSettings) -> list[list[int]]:
    """Indices grouped by similar source length, each group within the token budget: one
    translate_batch call per group, so a short sentence is never decoded up to a long
    sentence's length bound."""
    order = sorted(range(len(lengths)), key=lambda i: (lengths[i], i))
    buckets: list[list[int]] = []
    budget = 0
    for i in order:
        if not buckets or budget + lengths[i] > settings.max_batch_tokens:
            buckets.append([])
            budget = 0
        buckets[-1].append(i)
        budget += lengths[i]
    return buckets


def translate_tokens(translator, tokens: list[list[str]], settings: EngineSettings, prefix: str = ""):
    """CTranslate2 results for pre-tokenized sentences, in order, batched by length."""
    results: list = [None] * len(tokens)
    for bucket in length_buckets([len(t) for t in tokens], settings):
        batch = [tokens[i] for i in bucket]
        outputs = translator.translate_batch(
            batch,
            target_prefix=[[prefix] for _ in batch] if prefix else None,
            beam_size=settings.beam_size,
            max_batch_size=settings.max_batch_tokens,
            batch_type="tokens",
            max_decoding_length=max(bound(len(t), settings) for t in batch) + (1 if prefix else 0),
            return_scores=False,
        )
        for i, output in zip(bucket, outputs):
            results[i] = output
    return results


@dataclass
class _Loaded:
    package: InstalledPackage
    translator: object
    tokenizer: object
    device: str
    compute_type: str


class ArgosEngine:
    name = "argos"

    def __init__(self, settings: EngineSettings | None = None):
        self.settings = settings or EngineSettings()
        self._packages: dict[tuple[str, str], InstalledPackage] | None = None
        self._loaded: dict[tuple[str, str], _Loaded] = {}

    @property
    def packages(self) -> dict[tuple[str, str], InstalledPackage]:
        if self._packages is None:
            try:
                self._packages = {(p.source, p.target): p for p in installed_packages()}
            except PackageError as exc:  # argostranslate missing: no pairs, and say why on use
                self._missing = str(exc)
                self._packages = {}
        return self._packages

    def pairs(self) -> set[tuple[str, str]]:
        return set(self.packages)

    def _load(self, source: str, target: str) -> _Loaded:
        key = (source, target)
        if key in self._loaded:
            return self._loaded[key]
        package = self.packages.get(key)
        if package is None:
            raise EngineError(getattr(self, "_missing", None)
                              or f"no Argos package installed for {source}->{target}")
        import ctranslate2

        device = self.settings.device
        if device == "auto":
            device = "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"
        compute_type = self.settings.compute_type
        if compute_type == "auto":
            compute_type = "int8" if device == "cpu" else "int8_float16"
        try:
            translator = ctranslate2.Translator(
                str(package.path / "model"), device=device, compute_type=compute_type,
                inter_threads=1, intra_threads=self.settings.threads)
        except (RuntimeError, ValueError, OSError) as exc:
            raise EngineError(f"cannot load Argos package {package.name}: {exc}") from None
        loaded = _Loaded(package, translator, package.tokenizer(), device, compute_type)
        self._loaded[key] = loaded
        return loaded

    def translate_batch(self, sentences: Sequence[str], source: str, target: str) -> list[Translation]:
        loaded = self._load(source, target)
        results = [Translation("") for _ in sentences]
        todo = [i for i, s in enumerate(sentences) if s.strip()]
        if not todo:
            return results
        tokens = loaded.tokenizer.encode([" ".join(sentences[i].split()) for i in todo])
        prefix = loaded.package.target_prefix
        bounds = [bound(len(t), self.settings) for t in tokens]
        outputs = translate_tokens(loaded.translator, tokens, self.settings, prefix)
        for i, output, bound_ in zip(todo, outputs, bounds):
            hypothesis = list(output.hypotheses[0])
            if prefix and hypothesis[:1] == [prefix]:
                hypothesis = hypothesis[1:]
            truncated = len(hypothesis) >= bound_
            results[i] = Translation(loaded.tokenizer.decode(hypothesis[:bound_]), truncated=truncated,
                                     notes=("cut at the length bound",) if truncated else ())
        return results

    def signature(self, source: str, target: str) -> str:
        package = self.packages.get((source, target))
        if package is None:
            return f"argos:{source}-{target}@missing"
        s = self.settings
        import ctranslate2

        loaded = self._loaded.get((source, target))
        device = loaded.device if loaded else s.device
        compute = loaded.compute_type if loaded else s.compute_type
        return (f"argos:{package.name}@{package.version}|ctranslate2={ctranslate2.__version__}"
                f"|device={device}|compute={compute}|beam={s.beam_size}"
                f"|length<={s.length_ratio}x+{s.length_margin}")
