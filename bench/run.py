"""Speed of xlat against Argos Translate and against CTranslate2 alone (never run as a test).

    .venv/bin/python bench/run.py [--quick] [--json]

Builds (once, cached in bench/.cache) an Argos package shaped like a real one: Transformer
6+6 layers, d_model 512, 8 heads, FFN 2048, int8, a SentencePiece vocabulary of a few
thousand pieces trained on this repository's English text. The weights are random: speed
does not depend on what they mean. A random model never ends a sentence by itself, so every
contender decodes exactly the same number of tokens: at most length_ratio x source + margin
(the same bound, applied alike).

Measures, on N articles made from samples/karabakh.en.txt (50, or 10 with --quick):
  xlat_sps        sentences/s of `xlat translate DIR --to de` (a fresh process: start-up and
                  model load included, memory off so nothing is reused)
  argos_sps       sentences/s of argostranslate.translate.translate() per article, as its CLI
                  and argos-translate-files do (its sentence splitter replaced by a local one,
                  since its own downloads models; its beam and bound set as xlat's)
  raw_sps         sentences/s of CTranslate2 translate_batch on the pre-tokenized sentences,
                  grouped by length as xlat groups them: the engine's own limit
  multi_target    seconds for one article into 4 targets in one run, and in 4 separate runs
  startup_help_s  median of 5 `xlat --help`; startup_detect_s median of 5 `xlat detect FILE`
  peak_rss_mb     peak memory of the N-article xlat run
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import types
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / ".cache"
sys.path.insert(0, str(ROOT / "tests"))

LENGTH_RATIO, LENGTH_MARGIN, BEAM = 1.0, 3, 2
TARGETS = ("de", "fr", "es", "it")


def english_text() -> list[str]:
    """This repository's English prose: README, docstrings and comments, the English sample."""
    lines = []
    for path in [ROOT / "README.md", ROOT / "samples" / "karabakh.en.txt",
                 *sorted((ROOT / "src" / "xlat").rglob("*.py"))]:
        for line in path.read_text(encoding="utf-8").splitlines():
            words = re.findall(r"[A-Za-z][A-Za-z'’-]+", line)
            if len(words) >= 4:
                lines.append(" ".join(words))
    return lines


def build_packages(folder: Path) -> Path:
    """The bench package for en->de (and copies for the other targets), cached by content."""
    from argos_factory import build_package, train_sentencepiece

    text = english_text()
    key = hashlib.sha256("\n".join(text).encode()).hexdigest()[:12]
    cached = CACHE / f"translate-en_de-{key}.argosmodel"
    if not cached.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        sp_model = train_sentencepiece(vocab_size=4000, lines=text)
        built = build_package(CACHE, "en", "de", sentencepiece_model=sp_model, layers=6, d_model=512,
                              heads=8, ffn=2048, quantization="int8")
        built.rename(cached)
    folder.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(cached) as archive:
        archive.extractall(folder)
    original = next(p for p in folder.iterdir() if p.name.startswith("translate-en_de"))
    for target in TARGETS[1:]:  # same weights, another pair: what a 4-target run loads
        copy = folder / f"translate-en_{target}-1_0"
        shutil.copytree(original, copy)
        metadata = json.loads((copy / "metadata.json").read_text())
        metadata.update(to_code=target, to_name=target)
        (copy / "metadata.json").write_text(json.dumps(metadata))
    return original


def make_articles(folder: Path, count: int) -> list[Path]:
    """Distinct articles: the founding article with the words of every sentence shuffled
    (punctuation and quotation marks stay where they are), so no sentence repeats and nothing
    can be reused from one article to the next."""
    source = (ROOT / "samples" / "karabakh.en.txt").read_text(encoding="utf-8")
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(0)
    paths = []
    for i in range(count):
        lines = []
        for line in source.split("\n"):
            pieces = re.split(r"([^\w’'-]+)", line)
            words = pieces[0::2]
            rng.shuffle(words)
            pieces[0::2] = words
            lines.append("".join(pieces))
        path = folder / f"article{i:03}.txt"
        path.write_text("\n".join(lines), encoding="utf-8")
        paths.append(path)
    return paths


def source_sentences(paths: list[Path]) -> list[str]:
    """The articles' sentences, as xlat splits them: the common count for every contender."""
    from xlat.formats.text import parse
    from xlat.protect.segment import split

    sentences = []
    for path in paths:
        for block in parse(path.read_text(encoding="utf-8")).blocks:
            sentences += [" ".join(s.text.split()) for s in split(block.text)[1]]
    return sentences


def xlat_command() -> list[str]:
    beside = Path(sys.executable).with_name("xlat")
    return [str(beside)] if beside.exists() else [sys.executable, "-m", "xlat"]


def engine_options() -> list[str]:
    return ["--beam-size", str(BEAM), "--length-ratio", str(LENGTH_RATIO),
            "--length-margin", str(LENGTH_MARGIN), "--no-tm", "--engine", "argos", "--force"]


def run_xlat(articles: Path, out: Path, targets: str, env: dict) -> tuple[float, float]:
    """(seconds, peak RSS MB) of one `xlat translate` process."""
    start = time.perf_counter()
    done = subprocess.run([*xlat_command(), "translate", str(articles), "--to", targets, "--from", "en",
                           "--out", str(out), "--json", *engine_options()],
                          capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"xlat translate failed: {done.stderr.strip()[-500:]}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return seconds, peak


def bench_argos(paths: list[Path]) -> float:
    """Seconds for argostranslate.translate.translate() on each article (model load included)."""
    for name in ("stanza", "minisbd", "spacy"):  # its sentence splitters: not installed, not used
        module = types.ModuleType(name)
        if name == "minisbd":
            module.SBDetect = object
            module.models = types.SimpleNamespace(cache_dir="")
        sys.modules.setdefault(name, module)
    import ctranslate2
    import argostranslate.translate as argos_translate

    from xlat.protect.segment import split

    class LocalSentencizer:
        def __init__(self, pkg):
            self.pkg = pkg

        def split_sentences(self, text: str) -> list[str]:
            return [s.text for s in split(text)[1]]

    class Bounded:
        """Argos's translator with xlat's length bound, so both decode the same lengths."""

        def __init__(self, *args, **kwargs):
            self.translator = ctranslate2.Translator(*args, **kwargs)

        def translate_batch(self, tokens, **options):
            if tokens:
                options["max_decoding_length"] = max(int(LENGTH_RATIO * len(t) + 0.999) + LENGTH_MARGIN
                                                     for t in tokens)
            return self.translator.translate_batch(tokens, **options)

    argos_translate.MiniSBDSentencizer = LocalSentencizer
    argos_translate.ctranslate2 = types.SimpleNamespace(Translator=Bounded)
    start = time.perf_counter()
    for path in paths:
        argos_translate.translate(path.read_text(encoding="utf-8"), "en", "de")
    return time.perf_counter() - start


def bench_raw(package: Path, sentences: list[str]) -> float:
    """Seconds for CTranslate2 alone on the same sentences, pre-tokenized (load not counted)."""
    import ctranslate2
    import sentencepiece

    from xlat.config import EngineSettings
    from xlat.translate.engines.argos import translate_tokens

    tokenizer = sentencepiece.SentencePieceProcessor(model_file=str(package / "sentencepiece.model"))
    tokens = tokenizer.encode(sentences, out_type=str)
    translator = ctranslate2.Translator(str(package / "model"), device="cpu", compute_type="int8")
    settings = EngineSettings(beam_size=BEAM, length_ratio=LENGTH_RATIO, length_margin=LENGTH_MARGIN)
    start = time.perf_counter()
    translate_tokens(translator, tokens, settings)
    return time.perf_counter() - start


def median_seconds(command: list[str], env: dict, runs: int = 5) -> float:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, env=env, check=True)
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10 articles instead of 50")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    count = 10 if args.quick else 50

    work = Path(tempfile.mkdtemp(prefix="xlat-bench-"))
    home = work / "home"
    env = dict(os.environ, HOME=str(home), XDG_DATA_HOME=str(home / "data"),
               XDG_CACHE_HOME=str(home / "cache"), XDG_CONFIG_HOME=str(home / "config"),
               ARGOS_PACKAGES_DIR=str(work / "packages"), XLAT_DATA_DIR=str(home / "xlat"),
               ARGOS_BEAM_SIZE=str(BEAM), ARGOS_COMPUTE_TYPE="int8", ARGOS_DEVICE_TYPE="cpu")
    os.environ.update(env)  # this process too (argostranslate reads it when imported)
    try:
        package = build_packages(work / "packages")
        paths = make_articles(work / "articles", count)

        sentences = len(source_sentences(paths))
        seconds, peak_rss = run_xlat(work / "articles", work / "out", "de", env)
        xlat_sps = sentences / seconds
        argos_sps = sentences / bench_argos(paths)
        raw_sps = sentences / bench_raw(package, source_sentences(paths))

        one = work / "one"
        one.mkdir()
        shutil.copy(paths[0], one / paths[0].name)
        together, _ = run_xlat(one, work / "multi", ",".join(TARGETS), env)
        separate = sum(run_xlat(one, work / f"single-{t}", t, env)[0] for t in TARGETS)

        startup_help = median_seconds([*xlat_command(), "--help"], env)
        startup_detect = median_seconds([*xlat_command(), "detect", str(paths[0])], env)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    result = {  # exactly the keys scripts read
        "xlat_sps": round(xlat_sps, 2), "argos_sps": round(argos_sps, 2), "raw_sps": round(raw_sps, 2),
        "ratio_vs_argos": round(xlat_sps / argos_sps, 3), "ratio_vs_raw": round(xlat_sps / raw_sps, 3),
        "multi_target": {"targets": len(TARGETS), "one_run_s": round(together, 2),
                         "separate_runs_s": round(separate, 2)},
        "startup_help_s": round(startup_help, 3), "startup_detect_s": round(startup_detect, 3),
        "peak_rss_mb": round(peak_rss, 1),
    }
    if args.json:
        print(json.dumps(result))
        return
    print(f"{count} articles, {sentences} sentences, en -> de, beam {BEAM}, 6+6 layers d512 int8, "
          f"{os.cpu_count()} CPUs")
    rows = [("xlat translate (fresh process)", f"{xlat_sps:.1f} sentences/s"),
            ("argostranslate.translate per article", f"{argos_sps:.1f} sentences/s"),
            ("CTranslate2 translate_batch alone", f"{raw_sps:.1f} sentences/s"),
            ("ratio vs argos / vs raw", f"{xlat_sps / argos_sps:.2f} / {xlat_sps / raw_sps:.2f}"),
            (f"1 article -> {len(TARGETS)} targets: one run / separate runs",
             f"{together:.1f} s / {separate:.1f} s"),
            ("xlat --help / xlat detect (median of 5)", f"{startup_help:.3f} s / {startup_detect:.3f} s"),
            ("peak memory of the xlat run", f"{peak_rss:.0f} MB")]
    width = max(len(r[0]) for r in rows)
    for name, value in rows:
        print(f"{name.ljust(width)}  {value}")


if __name__ == "__main__":
    main()
