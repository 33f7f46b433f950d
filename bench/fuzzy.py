"""Fuzzy matches from the translation memory: hit rate and lookup time (never run as a test).

    PYTHONPATH=src .venv/bin/python bench/fuzzy.py [--entries 100000] [--queries 1000]
                                                   [--threshold 75] [--seed 1] [--json]

Fills a fresh memory (SQLite, in a temporary folder) with --entries approved en -> es sentences
(words drawn Zipf-like from the samples' vocabulary, 6 to 30 words, some with ⟦n⟧ codes), then
looks up --queries sentences of each kind:
  one-word    a stored sentence with one word replaced      (expected: that sentence)
  two-words   ... with two words replaced                   (expected: that sentence, when >= threshold)
  renumbered  a stored sentence with its codes renumbered   (expected: that sentence, 100%)
  unrelated   a new random sentence                         (expected: nothing)
and prints, per kind: hit rate (the expected sentence found), wrong (another sentence found,
or something found where nothing was expected), mean and p95 lookup time; the index build
time; and, on a sample, the recall of the candidate index against scoring every entry with
rapidfuzz (exhaustive search: what the index saves).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

from rapidfuzz import fuzz, process

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from xlat.translate.fuzzy import normal  # noqa: E402
from xlat.translate.memory import Memory  # noqa: E402


def vocabulary() -> list[str]:
    words: dict[str, int] = {}
    for path in (ROOT / "samples").rglob("*"):
        if path.is_file() and path.suffix in (".txt", ".md", ".html"):
            for word in re.findall(r"[A-Za-z]{2,}", path.read_text(encoding="utf-8", errors="ignore")):
                words[word.lower()] = words.get(word.lower(), 0) + 1
    ranked = sorted(words, key=words.get, reverse=True)
    return ranked or [f"word{n}" for n in range(3000)]


class Sentences:
    def __init__(self, seed: int):
        self.random = random.Random(seed)
        self.words = vocabulary()
        self.weights = [1 / (rank + 10) for rank in range(len(self.words))]

    def words_of(self, n: int) -> list[str]:
        return self.random.choices(self.words, self.weights, k=n)

    def make(self) -> str:
        words = self.words_of(self.random.randint(6, 30))
        if self.random.random() < 0.4:  # a number, a link or a quotation in it
            for k in range(self.random.randint(1, 3)):
                words.insert(self.random.randrange(len(words) + 1), f"⟦{k * 2 + 1}⟧")
        words[0] = words[0].capitalize()
        return " ".join(words) + "."

    def change(self, sentence: str, n: int) -> str:
        words = sentence[:-1].split(" ")
        spots = [i for i, w in enumerate(words) if "⟦" not in w]
        for i in self.random.sample(spots, min(n, len(spots))):
            words[i] = self.words_of(1)[0]
        return " ".join(words) + "."


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--threshold", type=int, default=75)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--exhaustive-sample", type=int, default=100)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    gen = Sentences(args.seed)
    entries = list(dict.fromkeys(gen.make() for _ in range(args.entries)))
    known = set(entries)
    results: dict = {"entries": len(entries), "threshold": args.threshold}
    with tempfile.TemporaryDirectory() as folder:
        memory = Memory(Path(folder) / "tm.sqlite")
        memory.approve("en", "es", [(s, f"ES {s}") for s in entries])
        started = time.perf_counter()
        memory.fuzzy("en", "es", ["warm up: the index is built here"], args.threshold)
        results["index_build_s"] = round(time.perf_counter() - started, 2)
        picks = gen.random.sample(entries, min(args.queries, len(entries)))
        kinds = {
            "one-word": [(gen.change(s, 1), s) for s in picks],
            "two-words": [(gen.change(s, 2), s) for s in picks],
            "renumbered": [(re.sub(r"⟦(\d+)⟧", lambda m: f"⟦{int(m.group(1)) + 10}⟧", s), s)
                           for s in picks if "⟦" in s],
            "unrelated": [(gen.make(), None) for _ in picks],
        }
        for kind, queries in kinds.items():
            queries = [(q, s) for q, s in queries if q not in known or s is None]
            times, hits, wrong, reachable = [], 0, 0, 0
            for query, expected in queries:
                started = time.perf_counter()
                match = memory.fuzzy("en", "es", [query], args.threshold).get(query)
                times.append(time.perf_counter() - started)
                score = fuzz.ratio(normal(query), normal(expected)) if expected else 0
                reachable += int(expected is not None and score >= args.threshold)
                if match is not None and expected is not None and normal(match.source) == normal(expected):
                    hits += 1
                elif match is not None and (expected is None or match.quality < score):
                    wrong += 1  # found where nothing was expected, or a worse sentence
            times.sort()
            results[kind] = {
                "queries": len(queries),
                "expected_above_threshold": reachable,
                "hit_rate": round(hits / max(1, reachable), 4) if kind != "unrelated" else None,
                "wrong": wrong,
                "mean_ms": round(1000 * statistics.fmean(times), 3) if times else None,
                "p95_ms": round(1000 * times[int(0.95 * (len(times) - 1))], 3) if times else None,
            }
        # the index against scoring every entry (what a lookup without an index costs)
        normals = [normal(s) for s in entries]
        sample = kinds["two-words"][:args.exhaustive_sample]
        agree, times = 0, []
        for query, _ in sample:
            started = time.perf_counter()
            best = process.extractOne(normal(query), normals, scorer=fuzz.ratio,
                                      score_cutoff=args.threshold)
            times.append(time.perf_counter() - started)
            match = memory.fuzzy("en", "es", [query], args.threshold).get(query)
            agree += int((best is None and match is None) or
                         (best is not None and match is not None and int(best[1]) == match.quality))
        results["exhaustive"] = {"queries": len(sample), "same_best_quality": agree,
                                 "mean_ms": round(1000 * statistics.fmean(times), 3)}
        memory.close()
    if args.json:
        print(json.dumps(results))
    else:
        print(f"{results['entries']} entries, threshold {args.threshold}%, "
              f"index built in {results['index_build_s']} s")
        for kind in kinds:
            r = results[kind]
            rate = "" if r["hit_rate"] is None else f"hit rate {100 * r['hit_rate']:.1f}% "
            print(f"  {kind:11} {r['queries']:5} queries ({r['expected_above_threshold']} above the "
                  f"threshold): {rate}wrong {r['wrong']}, mean {r['mean_ms']} ms, p95 {r['p95_ms']} ms")
        e = results["exhaustive"]
        print(f"  exhaustive rapidfuzz over every entry: {e['mean_ms']} ms per lookup; the index "
              f"found the same best quality for {e['same_best_quality']} of {e['queries']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
