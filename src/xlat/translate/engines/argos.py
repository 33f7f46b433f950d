"""Argos Translate models run directly on CTranslate2, batched, offline.

argostranslate's own translate path imports stanza/torch and downloads sentence-splitting
models at first use; xlat never imports it. Installed packages are read by xlat
(translate.models: no argostranslate needed); each package's CTranslate2 model and tokenizer are loaded once per
engine, and every sentence of a language pair goes through one `translate_batch` call with
token batching. Sentence splitting is xlat's own (segment.py), done before the engine.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from xlat.protect import placeholders

from xlat.config import EngineSettings
from xlat.translate.engines.base import EngineError, Translation
from xlat.i18n import _
from xlat.translate.models import InstalledPackage, installed_packages


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
            disable_unk=True,  # an unknown piece decodes as " ⁇ ": residue, never a word
        )
        for i, output in zip(bucket, outputs):
            results[i] = output
    return results


# How a placeholder ⟦n⟧ may travel through an Argos package: ⟦ and ⟧ are in no Argos
# vocabulary (a SentencePiece unigram model without byte fallback encodes them as <unk>, decoded
# as " ⁇ "), so each package gets the first of these forms that its tokenizer returns intact
# from pieces its vocabularies have. Digits next to punctuation are always protected text in
# xlat, so an article's own "[3]" reaches the engine as "[⟦k⟧]" and cannot pass for a form.
PLACEHOLDER_FORMS = (("[", "]"), ("(", ")"), ("{", "}"), ("<", ">"), ("#", ""), ("@", ""), ("§", ""))


@dataclass(frozen=True)
class PlaceholderForm:
    """One way to write placeholders for a package: `before` n `after`, to the engine and back.

    >>> form = PlaceholderForm("[", "]")
    >>> form.encode("a ⟦0⟧ b [⟦12⟧]")
    'a [0] b [[12]]'
    >>> form.decode("x [ 0 ] y [[12]]")
    'x ⟦0⟧ y [⟦12⟧]'
    """

    before: str
    after: str

    def encode(self, text: str) -> str:
        return placeholders.PATTERN.sub(lambda m: f"{self.before}{m.group(1)}{self.after}", text)

    def decode(self, text: str) -> str:
        pattern = rf"{re.escape(self.before)}\s*(\d+)\s*{re.escape(self.after)}"
        return re.sub(pattern, lambda m: placeholders.make(m.group(1)), text)


KEEP_AS_IS = PlaceholderForm("⟦", "⟧")


def vocabulary(model: Path) -> set[str] | None:
    """The tokens a CTranslate2 model knows on both sides (None: its files say nothing)."""
    sides = []
    for names in (("shared_vocabulary",), ("source_vocabulary", "target_vocabulary")):
        for name in names:
            for suffix, read in ((".json", lambda f: json.loads(f.read_text(encoding="utf-8"))),
                                 (".txt", lambda f: f.read_text(encoding="utf-8").splitlines())):
                file = model / (name + suffix)
                if file.is_file():
                    sides.append(set(read(file)))
        if sides:
            break
    return set.intersection(*sides) if sides else None


def placeholder_form(tokenizer, known: set[str] | None) -> PlaceholderForm:
    """The first form that survives `tokenizer` (decode(encode(x)) == x) as pieces in `known`."""
    for before, after in PLACEHOLDER_FORMS:
        form = PlaceholderForm(before, after)
        probe = form.encode("a ⟦0⟧ b ⟦7⟧, ⟦12⟧ c ⟦305⟧ ⟦46⟧⟦89⟧.")
        pieces = tokenizer.encode([probe])[0]
        if tokenizer.decode(pieces) != probe:
            continue
        if known is not None and any(piece not in known for piece in pieces):
            continue
        return form
    return KEEP_AS_IS


@dataclass
class _Loaded:
    package: InstalledPackage
    translator: object
    tokenizer: object
    device: str
    compute_type: str
    form: PlaceholderForm = KEEP_AS_IS


class ArgosEngine:
    name = "argos"

    def __init__(self, settings: EngineSettings | None = None):
        self.settings = settings or EngineSettings()
        self._packages: dict[tuple[str, str], InstalledPackage] | None = None
        self._loaded: dict[tuple[str, str], _Loaded] = {}
        self._encoders: dict[tuple[str, str], tuple] = {}

    @property
    def packages(self) -> dict[tuple[str, str], InstalledPackage]:
        """The installed packages this engine can translate with, by pair."""
        if self._packages is None:
            self._packages, self._unusable = {}, {}
            for package in installed_packages():
                found = self._unusable if package.problem else self._packages
                found.setdefault((package.source, package.target), package)
            for pair in self._packages:
                self._unusable.pop(pair, None)
        return self._packages

    def pairs(self) -> set[tuple[str, str]]:
        """Only pairs whose package loads here: never one that would fail at the first sentence."""
        return set(self.packages)

    def why_not(self, source: str, target: str) -> str:
        """Why an installed package for the pair cannot be used (empty: none is installed)."""
        self.packages
        package = self._unusable.get((source, target))
        if package is None:
            return ""
        return _("the Argos package {name} is installed but cannot be used: {problem}").format(
            name=package.name, problem=package.problem)

    def _load(self, source: str, target: str) -> _Loaded:
        key = (source, target)
        if key in self._loaded:
            return self._loaded[key]
        package = self.packages.get(key)
        if package is None:
            raise EngineError(self.why_not(source, target)
                              or f"no Argos package installed for {source}->{target}")
        import ctranslate2

        device, compute_type = self._placement()
        try:
            translator = ctranslate2.Translator(
                str(package.path / "model"), device=device, compute_type=compute_type,
                inter_threads=1, intra_threads=self.settings.threads)
        except (RuntimeError, ValueError, OSError) as exc:
            raise EngineError(f"cannot load Argos package {package.name}: {exc}") from None
        tokenizer = package.tokenizer()
        loaded = _Loaded(package, translator, tokenizer, device, compute_type,
                         placeholder_form(tokenizer, vocabulary(package.path / "model")))
        self._loaded[key] = loaded
        return loaded

    def _placement(self) -> tuple[str, str]:
        """The device and compute type models run with ("auto" resolved)."""
        import ctranslate2

        device = self.settings.device
        if device == "auto":
            device = "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"
        compute_type = self.settings.compute_type
        if compute_type == "auto":
            compute_type = "int8" if device == "cpu" else "int8_float16"
        return device, compute_type

    def groups(self, sentences: Sequence[str], source: str, target: str) -> list[list[int]]:
        """The sentences (indices) as translate_batch decodes them together: each group given
        to translate_batch alone is decoded as the same batch, so the output is the same
        whichever worker translates it (a cluster splits a batch along these groups)."""
        package = self.packages.get((source, target))
        if package is None:
            return [list(range(len(sentences)))]
        if (source, target) not in self._encoders:
            tokenizer = package.tokenizer()
            self._encoders[(source, target)] = (
                tokenizer, placeholder_form(tokenizer, vocabulary(package.path / "model")))
        tokenizer, form = self._encoders[(source, target)]
        todo = [i for i, s in enumerate(sentences) if s.strip()]
        blank = [i for i, s in enumerate(sentences) if not s.strip()]
        if not todo:
            return [blank] if blank else []
        tokens = tokenizer.encode([form.encode(" ".join(sentences[i].split())) for i in todo])
        found = [[todo[i] for i in bucket] for bucket in length_buckets([len(t) for t in tokens],
                                                                         self.settings)]
        return found + ([blank] if blank else [])

    def translate_batch(self, sentences: Sequence[str], source: str, target: str) -> list[Translation]:
        loaded = self._load(source, target)
        results = [Translation("") for _ in sentences]
        todo = [i for i, s in enumerate(sentences) if s.strip()]
        if not todo:
            return results
        tokens = loaded.tokenizer.encode([loaded.form.encode(" ".join(sentences[i].split()))
                                          for i in todo])
        prefix = loaded.package.target_prefix
        bounds = [bound(len(t), self.settings) for t in tokens]
        outputs = translate_tokens(loaded.translator, tokens, self.settings, prefix)
        for i, output, bound_ in zip(todo, outputs, bounds):
            hypothesis = list(output.hypotheses[0])
            if prefix and hypothesis[:1] == [prefix]:
                hypothesis = hypothesis[1:]
            truncated = len(hypothesis) >= bound_
            text = loaded.form.decode(loaded.tokenizer.decode(hypothesis[:bound_]))
            results[i] = Translation(text, truncated=truncated,
                                     notes=("cut at the length bound",) if truncated else ())
        return results

    def signature(self, source: str, target: str) -> str:
        package = self.packages.get((source, target))
        if package is None:
            return f"argos:{source}-{target}@missing"
        s = self.settings
        import ctranslate2

        device, compute = self._placement()  # as resolved, loaded or not (the same all run)
        return (f"argos:{package.name}@{package.version}|ctranslate2={ctranslate2.__version__}"
                f"|device={device}|compute={compute}|beam={s.beam_size}"
                f"|length<={s.length_ratio}x+{s.length_margin}")
