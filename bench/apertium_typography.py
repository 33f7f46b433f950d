"""Typographic damage left in Apertium copies of the held-out articles (tests/data/heldout):
en→es, en→ca, fr→es. Prints, per pair, the copies, the gate's failures, and counts of
straight apostrophes between letters (where the source wrote ’), spaces before , or .,
spaces before : ; ! ? in a Spanish/Catalan copy, and doubled final periods.

    PYTHONPATH=src python bench/apertium_typography.py
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

HELDOUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "heldout"
CHECKS = {
    "straight apostrophe": re.compile(r"(?<=[^\W\d_])'(?=[^\W\d_])"),
    "space before , or .": re.compile(r"(?<=\S) +[,.](?!\.)(?=\s|$)"),
    "space before : ; ! ?": re.compile(r"(?<=\w)[ \u00a0\u202f][:;!?](?=\s|$)"),
    "doubled period": re.compile(r"(?<=[^\W\d_])\.\.(?!\.)"),
}


def main() -> None:
    totals: dict[str, int] = {}
    for source, targets in (("en", "es,ca"), ("fr", "es")):
        inputs = sorted(str(p) for p in HELDOUT.iterdir() if re.search(rf"\.{source}\.(txt|md|html)$", p.name))
        with tempfile.TemporaryDirectory() as out:
            subprocess.run([sys.executable, "-m", "xlat", "translate", *inputs, "--to", targets, "--from", source,
                            "--engine", "apertium", "--out", out, "--no-tm"], capture_output=True, check=False)
            manifest = json.loads((Path(out) / "manifest.json").read_text(encoding="utf-8"))
            for document in manifest["documents"]:
                src_text = Path(document["source"]).read_text(encoding="utf-8")
                for target, entry in document["targets"].items():
                    key = f"{source}→{target}"
                    totals[f"{key} copies"] = totals.get(f"{key} copies", 0) + 1
                    if entry["status"] == "integrity-error":
                        totals[f"{key} gate failures"] = totals.get(f"{key} gate failures", 0) + 1
                    copy = (Path(out) / target / Path(document["source"]).name).read_text(encoding="utf-8")
                    for name, pattern in CHECKS.items():
                        if name == "straight apostrophe" and "’" not in src_text:
                            continue
                        found = len(pattern.findall(copy))
                        totals[f"{key} {name}"] = totals.get(f"{key} {name}", 0) + found
    for name, count in sorted(totals.items()):
        print(f"{name:40} {count}")


if __name__ == "__main__":
    main()
