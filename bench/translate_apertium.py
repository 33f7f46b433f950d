"""Apertium throughput through xlat vs the `apertium` command alone (never run as a test).

    .venv/bin/python bench/translate_apertium.py [--articles 50]

Makes N distinct articles from samples/karabakh.en.txt (each sentence prefixed "In report i,"
so nothing is deduplicated), then times `xlat translate DIR --to es --engine apertium` (a fresh
process, start-up included) against `apertium eng-spa` run once on the concatenated text.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=50)
    args = parser.parse_args()
    source = (ROOT / "samples" / "karabakh.en.txt").read_text(encoding="utf-8")
    work = Path(tempfile.mkdtemp(prefix="xlat-bench-"))
    try:
        articles = work / "articles"
        articles.mkdir()
        for i in range(args.articles):
            text = re.sub(r"(^|(?<=[.!?] ))([A-Z])", lambda m: f"{m.group(1)}In report {i}, {m.group(2).lower()}",
                          source, flags=re.M)
            (articles / f"a{i:03}.txt").write_text(text, encoding="utf-8")
        xlat = Path(sys.executable).with_name("xlat")
        start = time.perf_counter()
        subprocess.run([str(xlat), "translate", str(articles), "--to", "es", "--engine", "apertium",
                        "--no-tm", "--out", str(work / "out")], check=True, capture_output=True)
        xlat_s = time.perf_counter() - start
        sys.path.insert(0, str(ROOT / "bench"))
        from run import source_sentences

        sentences = len(source_sentences(sorted(articles.iterdir())))
        joined = "".join(p.read_text(encoding="utf-8") for p in sorted(articles.iterdir()))
        start = time.perf_counter()
        subprocess.run(["apertium", "eng-spa"], input=joined, text=True, check=True, capture_output=True)
        raw_s = time.perf_counter() - start
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{args.articles} articles, {sentences} sentences")
    print(f"xlat translate (fresh process): {xlat_s:.2f} s = {sentences / xlat_s:.0f} sentences/s")
    print(f"apertium eng-spa on the concatenated text: {raw_s:.2f} s = {sentences / raw_s:.0f} sentences/s")


if __name__ == "__main__":
    main()
