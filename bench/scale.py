"""Beyond one machine: speed-up on a Ray cluster, and a driver's memory flat in the run's size.

    .venv/bin/python bench/scale.py [--quick] [--json]      (needs xlat[cluster]: Ray)

  sps_1_worker, sps_2_workers   sentences/s of a run with --cluster local:1 and local:2 (each
                                worker one model thread: --threads 1), on N articles of
                                bench/run.py with its bench package (a real-sized Argos model,
                                random weights); timed from the first planned document, after
                                the cluster is up, to the run's end (last document, manifest
                                and review.html written; the local cluster's shutdown after it
                                is not counted); 80 articles, one window
  speedup                       sps_2_workers / sps_1_worker (target >= 1.7 on 2 free cores)
  rss_1k_mb, rss_10k_mb         peak memory (RSS) of the process running the pipeline for
                                1,000 and 10,000 articles (an identity engine: the driver's own
                                cost, not a model's; --quick: 200 and 2,000, said in
                                memory_articles)
  rss_ratio                     rss_10k_mb / rss_1k_mb (target <= 1.2)

Each figure comes from a fresh process (`--measure`), so no run inherits another's memory.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))


def _speed(folder: Path, workers: int, count: int) -> dict:
    import run as bench  # bench/run.py: its package and articles

    os.environ["ARGOS_PACKAGES_DIR"] = str(folder / "packages")
    bench.build_packages(folder / "packages")
    paths = bench.make_articles(folder / "articles", count)
    sentences = len(bench.source_sentences(paths))
    from xlat.config import EngineSettings, TranslateSettings
    from xlat.pipeline import translate_paths

    settings = TranslateSettings(
        targets=("de",), source="en", engine="argos", out_dir=str(folder / f"out{workers}"),
        use_memory=False, force=True, cluster=f"local:{workers}",
        engine_settings=EngineSettings(beam_size=bench.BEAM, length_ratio=bench.LENGTH_RATIO,
                                       length_margin=bench.LENGTH_MARGIN, threads=1))
    from xlat.translate import cluster

    first, end = [], []
    close = cluster.Pool.close
    cluster.Pool.close = lambda pool: (end.append(time.perf_counter()), close(pool))[1]
    results = list(translate_paths([str(p) for p in paths], settings,
                                   progress=lambda *a, **k: first or first.append(time.perf_counter())))
    seconds = end[0] - first[0]
    failed = [str(r) for r in results if not hasattr(r, "targets")]
    if failed:
        raise SystemExit(f"scale: the run failed: {failed[0]}")
    return {"sentences": sentences, "seconds": round(seconds, 2), "sps": round(sentences / seconds, 1)}


def _memory(folder: Path, count: int) -> dict:
    import run as bench

    from xlat.config import TranslateSettings
    from xlat.pipeline import translate_paths
    from xlat.translate import engines
    from xlat.translate.engines.base import Translation

    class Identity:
        name = "identity"

        def pairs(self):
            return {("en", "de")}

        def translate_batch(self, sentences, source, target):
            return [Translation(s) for s in sentences]

        def signature(self, source, target):
            return "identity"

    engines.register("identity", lambda settings: Identity())
    paths = bench.make_articles(folder / "articles", count)
    settings = TranslateSettings(targets=("de",), source="en", engine="identity",
                                 out_dir=str(folder / "out"), use_memory=False, fuzzy_threshold=0)
    done = sum(1 for r in translate_paths([str(p) for p in paths], settings) if hasattr(r, "targets"))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"articles": count, "written": done, "rss_mb": round(peak, 1)}


def _in_subprocess(*args: str) -> dict:
    done = subprocess.run([sys.executable, __file__, "--measure", *args], capture_output=True, text=True,
                          env={**os.environ, "RAY_USAGE_STATS_ENABLED": "0"})
    if done.returncode != 0:
        raise SystemExit(f"scale: measuring {' '.join(args)} failed: {done.stderr.strip()[-800:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="12 articles for speed (80 without), 200 and 2,000 for memory")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--measure", nargs=3, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.measure:
        what, folder, n = options.measure
        result = (_speed(Path(folder), int(what[-1]), int(n)) if what.startswith("speed")
                  else _memory(Path(folder), int(n)))
        print(json.dumps(result))
        return
    speed_articles = 12 if options.quick else 80
    small, large = (200, 2000) if options.quick else (1000, 10000)
    with tempfile.TemporaryDirectory(prefix="xlat-scale-") as tmp:
        one = _in_subprocess("speed1", f"{tmp}/s1", str(speed_articles))
        two = _in_subprocess("speed2", f"{tmp}/s2", str(speed_articles))
        low = _in_subprocess("memory", f"{tmp}/m1", str(small))
        high = _in_subprocess("memory", f"{tmp}/m2", str(large))
    result = {
        "sps_1_worker": one["sps"], "sps_2_workers": two["sps"],
        "speedup": round(two["sps"] / one["sps"], 2),
        "rss_1k_mb": low["rss_mb"], "rss_10k_mb": high["rss_mb"],
        "rss_ratio": round(high["rss_mb"] / low["rss_mb"], 3),
        "speed_articles": speed_articles, "speed_sentences": one["sentences"],
        "memory_articles": [small, large], "cpus": os.cpu_count(),
    }
    if options.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:16} {value}")


if __name__ == "__main__":
    main()
