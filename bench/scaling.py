"""Cost of xlat as adversarial inputs double (never run as a test).

    .venv/bin/python bench/scaling.py [--quick] [--json] [--engine identity|lossy|apertium]
                                      [--family NAME ...]

For each family of hostile input (a run of backticks, inline tags in one paragraph, quotation
marks, quotation nesting, one very long line, a large glossary, many paragraphs...) the whole
`xlat translate` pipeline (read, detect, segment, translate, restore, gate, XLIFF, review.html)
runs in-process on a document of size n and on one of size 2n, each in a fresh subprocess:
  seconds  wall time of translate_paths (best of --repeat runs, after a warm-up document)
  peak_mb  tracemalloc's peak during one more run (Python allocations; start-up excluded)
  out_kb   bytes written under --out (copy, XLIFF, manifest, review.html)
and prints each ratio size-2n / size-n. Doubling an input must at most double its cost: the
exit status is 1 when a time or memory ratio is above 2.5 (noise allowed for).

Engines: `identity` (the default: returns each sentence as it is, so the engine's cost does
not hide xlat's), `lossy` (drops each sentence's first placeholder and repeats its last one:
every sentence goes through the repair path), `apertium` (the real engine, en -> es).
"""

from __future__ import annotations

import argparse
import json
import os
import string
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 2.5
SENTENCE = "The minister said this on Monday in the capital. "


def _letters(i: int) -> str:
    """A distinct lowercase word per number (glossary terms without digits)."""
    out = ""
    i += 26 * 26
    while i:
        i, r = divmod(i, 26)
        out = string.ascii_lowercase[r] + out
    return out


def _glossary(n: int) -> tuple[str, str]:
    terms = [f"Nova {_letters(i).capitalize()} Institute" for i in range(n)]
    toml = "".join(f'[glossary."{t}"]\nes = "Instituto {t.split()[1]}"\n' for t in terms)
    paragraphs = ["".join(f"The {t} met the minister. " for t in terms[i:i + 10])
                  for i in range(0, n, 10)]
    return "\n\n".join(paragraphs) + "\n", toml


# name -> (suffix, n for --quick, n, document(n) -> (text, glossary TOML or None))
FAMILIES = {
    "backticks": (".md", 1500, 4000, lambda n: (SENTENCE + "`" * n + " end.\n", None)),
    "backtick-words": (".md", 1500, 4000, lambda n: (SENTENCE + "`a " * n + "end.\n", None)),
    "stars": (".md", 3000, 8000, lambda n: (SENTENCE + "*" * n + " end.\n", None)),
    "underscores": (".md", 3000, 8000, lambda n: (SENTENCE + "_" * n + " end.\n", None)),
    "brackets": (".md", 3000, 8000, lambda n: (SENTENCE + "[" * n + " end.\n", None)),
    "bracket-words": (".md", 1500, 4000, lambda n: (SENTENCE + "[a " * n + "](x) end.\n", None)),
    "angles": (".md", 3000, 8000, lambda n: (SENTENCE + "<" * n + " end.\n", None)),
    "tildes": (".md", 3000, 8000, lambda n: (SENTENCE + "~" * n + " end.\n", None)),
    "emphasis-words": (".md", 1500, 4000, lambda n: (SENTENCE + "*a _b " * n + "end.\n", None)),
    "tags-open": (".html", 1500, 3000, lambda n: ("<p>" + SENTENCE + "Word <b>word. " * n + "</p>\n", None)),
    "tags-closed": (".html", 1500, 3000,
                    lambda n: ("<p>" + SENTENCE + "Word <b>word</b>. " * n + "</p>\n", None)),
    "quote-marks": (".txt", 20000, 50000, lambda n: (SENTENCE + '"' * n + " end.\n", None)),
    "quoted-words": (".txt", 1500, 4000, lambda n: (SENTENCE + 'He said "yes" twice. ' * n + "\n", None)),
    "nesting": (".txt", 1000, 2000, lambda n: (SENTENCE + "«word " * n + "end" + "»" * n + ".\n", None)),
    "nesting-open": (".txt", 1000, 2000, lambda n: (SENTENCE + '"word ' * n + "end.\n", None)),
    "measures": (".txt", 1500, 4000, lambda n: (SENTENCE + 'It is 12" wide. ' * n + "\n", None)),
    "line": (".txt", 1000, 3000,
             lambda n: ((SENTENCE + 'He said "yes" to 12 of them at www.example.com. ') * n + "\n", None)),
    "glossary": (".txt", 300, 1000, _glossary),
    "paragraphs": (".txt", 500, 1500, lambda n: ((SENTENCE + 'He said "yes" to 12 of them.\n\n') * n, None)),
    "html-paragraphs": (".html", 500, 1500, lambda n: ("<html><body>" + ('<p title="A note">' + SENTENCE
                        + '<img alt="A view" src="x.png"> He said "yes" to 12 of them.</p>\n') * n
                        + "</body></html>\n", None)),
    "md-paragraphs": (".md", 500, 1500, lambda n: (("- " + SENTENCE + 'He said *"yes"* to [12](u) of them.\n\n') * n, None)),
}


# -- one measurement (in a subprocess of its own) -------------------------------------------

def _register_engines() -> None:
    import re

    from xlat.translate import engines
    from xlat.translate.engines.base import Translation

    class Identity:
        name = "identity"

        def pairs(self):
            return {("en", "es")}

        def translate_batch(self, sentences, source, target):
            return [Translation(s) for s in sentences]

        def signature(self, source, target):
            return self.name

    class Lossy(Identity):
        name = "lossy"

        def translate_batch(self, sentences, source, target):
            out = []
            for s in sentences:
                codes = re.findall(r"⟦\d+⟧", s)
                if codes:
                    s = s.replace(codes[0], "", 1) + " " + codes[-1]
                out.append(Translation(s))
            return out

    engines.register("identity", lambda settings: Identity())
    engines.register("lossy", lambda settings: Lossy())


def _translate(folder: Path, name: str, text: str, glossary: str | None, engine: str) -> int:
    """Translate one document; the bytes written under the output folder."""
    from xlat.config import TranslateSettings
    from xlat.errors import XlatError
    from xlat.pipeline import translate_paths

    suffix = FAMILIES[name][0] if name in FAMILIES else ".txt"
    path = folder / f"article{suffix}"
    path.write_text(text, encoding="utf-8")
    glossary_path = None
    if glossary:
        glossary_path = folder / "glossary.toml"
        glossary_path.write_text(glossary, encoding="utf-8")
    out = folder / "out"
    settings = TranslateSettings(targets=("es",), source="en", engine=engine, out_dir=str(out),
                                 use_memory=False, force=True,
                                 glossary=str(glossary_path) if glossary_path else None)
    for result in translate_paths([str(path)], settings):
        if isinstance(result, XlatError) and "integrity" not in str(result):
            print(f"{name}: {result}", file=sys.stderr)
    return sum(p.stat().st_size for p in out.rglob("*") if p.is_file())


def measure(name: str, n: int, engine: str, repeat: int) -> dict:
    _register_engines()
    text, glossary = FAMILIES[name][3](n)
    with tempfile.TemporaryDirectory(prefix="xlat-scaling-") as folder:
        _translate(Path(folder) / "", "warm-up", SENTENCE * 3, None, engine)  # lazy imports, models
    seconds = []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory(prefix="xlat-scaling-") as folder:
            start = time.perf_counter()
            size = _translate(Path(folder), name, text, glossary, engine)
            seconds.append(time.perf_counter() - start)
    with tempfile.TemporaryDirectory(prefix="xlat-scaling-") as folder:
        tracemalloc.start()
        _translate(Path(folder), name, text, glossary, engine)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return {"seconds": min(seconds), "peak_mb": peak / 2**20, "out_kb": size / 1024,
            "input_kb": len(text.encode("utf-8")) / 1024}


def _measure_in_subprocess(name: str, n: int, engine: str, repeat: int, timeout: float) -> dict:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "src"),
                                                                    os.environ.get("PYTHONPATH")]))}
    try:
        done = subprocess.run([sys.executable, __file__, "--measure", name, str(n), "--engine", engine,
                               "--repeat", str(repeat)], capture_output=True, text=True, env=env,
                              timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"error": f"took more than {timeout:.0f} s"}
    if done.returncode:
        return {"error": (done.stderr.strip().splitlines() or ["failed"])[-1][:200]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--engine", default="identity", choices=["identity", "lossy", "apertium"])
    parser.add_argument("--family", action="append", choices=sorted(FAMILIES), help="only these")
    parser.add_argument("--repeat", type=int, default=2, help="timed runs per size (the best counts)")
    parser.add_argument("--timeout", type=float, default=300, help="seconds per measurement")
    parser.add_argument("--measure", nargs=2, metavar=("FAMILY", "N"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        name, n = args.measure
        print(json.dumps(measure(name, int(n), args.engine, args.repeat)))
        return
    results: dict[str, dict] = {}
    worst = 0.0
    for name in args.family or FAMILIES:
        _, quick_n, full_n, _ = FAMILIES[name]
        n = quick_n if args.quick else full_n
        small = _measure_in_subprocess(name, n, args.engine, args.repeat, args.timeout)
        large = _measure_in_subprocess(name, 2 * n, args.engine, args.repeat, args.timeout)
        entry = {"n": n, "small": small, "large": large}
        if "error" in small or "error" in large:
            entry["ratio"] = None
            worst = float("inf")
        else:
            entry["ratio"] = {key: round(large[key] / max(small[key], 1e-9), 2)
                              for key in ("seconds", "peak_mb", "out_kb")}
            worst = max(worst, entry["ratio"]["seconds"], entry["ratio"]["peak_mb"])
        results[name] = entry
        if not args.json:
            _print(name, entry)
    if args.json:
        print(json.dumps({"engine": args.engine, "limit": LIMIT, "worst_ratio": worst, "families": results}))
    else:
        print(f"worst ratio {worst:.2f} (limit {LIMIT})")
    sys.exit(1 if worst > LIMIT else 0)


def _print(name: str, entry: dict) -> None:
    small, large = entry["small"], entry["large"]
    if entry["ratio"] is None:
        print(f"{name:<15} n={entry['n']:<6} {small.get('error') or large.get('error')}")
        return
    r = entry["ratio"]
    print(f"{name:<15} n={entry['n']:<6} {small['seconds']:7.2f} s -> {large['seconds']:7.2f} s "
          f"x{r['seconds']:<5}  {small['peak_mb']:7.1f} MB -> {large['peak_mb']:7.1f} MB x{r['peak_mb']:<5}  "
          f"out {small['out_kb']:8.0f} KB -> {large['out_kb']:8.0f} KB x{r['out_kb']}", flush=True)


if __name__ == "__main__":
    main()
