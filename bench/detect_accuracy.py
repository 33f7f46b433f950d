"""Accuracy and speed of `xlat detect` on the project's own data (never run as a test).

    .venv/bin/python bench/detect_accuracy.py [--json]

Accuracy on tests/data/detect/sentences.tsv: whole paragraphs, single sentences, Azerbaijani /
Armenian / Georgian sentences, and the first 3 and 5 words of each sentence (headline-sized
text), for xlat and for langdetect alone (seeded, as a baseline). Speed: milliseconds per
article for the samples/ articles after start-up (model loaded), median of repeated runs.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from helpers import read_paragraphs, read_sentences  # noqa: E402

from xlat.detect import LanguageDetector  # noqa: E402
from xlat.formats import format_for, prose_blocks  # noqa: E402
from xlat.read.textio import read_input  # noqa: E402

LANGDETECT_TAGS = {"zh-cn": "zh", "zh-tw": "zh-Hant"}


def langdetect_guess(text: str) -> str:
    from langdetect import DetectorFactory, detect
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0
    try:
        lang = detect(text)
    except LangDetectException:
        return "und"
    return LANGDETECT_TAGS.get(lang, lang)


def evaluation_sets() -> dict[str, list[tuple[str, str]]]:
    rows = read_sentences()
    paragraphs, language = read_paragraphs()

    def words(sentence: str, n: int) -> str:
        return " ".join(sentence.split()[:n]) if " " in sentence else sentence[: n * 3]

    return {
        "paragraphs": [(language[p], " ".join(s)) for p, s in paragraphs.items()],
        "sentences": [(lang, s) for lang, _, s in rows],
        "az_hy_ka_sentences": [(lang, s) for lang, _, s in rows if lang in ("az", "hy", "ka")],
        "first_5_words": [(lang, words(s, 5)) for lang, _, s in rows],
        "first_3_words": [(lang, words(s, 3)) for lang, _, s in rows],
    }


def accuracy(guess, items) -> float:
    return sum(guess(text) == lang for lang, text in items) / len(items)


def speed_ms_per_article(detector: LanguageDetector, repeat: int = 20) -> tuple[float, int]:
    articles = []
    for path in sorted((ROOT / "samples").iterdir()):
        fmt = format_for(path)
        if fmt:
            articles.append(prose_blocks(read_input(str(path)).text, fmt))
    detector.guess_document(articles[0])  # load the model once (start-up, not measured)
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        for blocks in articles:
            detector.guess_document(blocks)
        timings.append((time.perf_counter() - start) * 1000 / len(articles))
    chars = sum(len(" ".join(b)) for b in articles) // len(articles)
    return statistics.median(timings), chars


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()

    detector = LanguageDetector()
    start = time.perf_counter()
    detector.guess("warm up the model")
    startup_s = time.perf_counter() - start
    xlat_guess = lambda text: detector.guess_document([text]).language  # noqa: E731
    sets = evaluation_sets()
    result = {"sets": {}}
    for name, items in sets.items():
        result["sets"][name] = {
            "items": len(items),
            "xlat": round(accuracy(xlat_guess, items), 4),
            "langdetect": round(accuracy(langdetect_guess, items), 4),
        }
    ms, chars = speed_ms_per_article(detector)
    result.update(model_load_s=round(startup_s, 3), ms_per_article=round(ms, 2),
                  mean_article_chars=chars)
    if args.json:
        print(json.dumps(result))
        return
    print(f"{'set':22} {'items':>6} {'xlat':>8} {'langdetect':>11}")
    for name, row in result["sets"].items():
        print(f"{name:22} {row['items']:>6} {row['xlat']:>8.1%} {row['langdetect']:>11.1%}")
    print(f"model load {startup_s:.2f} s; {ms:.2f} ms per article "
          f"({chars} characters on average, median of 20 runs over samples/)")


if __name__ == "__main__":
    main()
