"""An engine for the cluster tests, importable by Ray's worker processes (tests/ on their path):
it writes a line to $XLAT_TEST_ENGINE_LOG when it is constructed and when it translates, and
can make its worker die once (the first batch after $XLAT_TEST_DIE_ONCE is named)."""

from __future__ import annotations

import os
from pathlib import Path

from xlat.translate.engines.base import Translation


def _log(event: str) -> None:
    with open(os.environ["XLAT_TEST_ENGINE_LOG"], "a", encoding="utf-8") as log:
        log.write(f"{event} {os.getpid()}\n")


class Counted:
    name = "counted"

    def __init__(self, settings=None):
        _log("construct")

    def pairs(self):
        return {("en", "de")}

    def groups(self, sentences, source, target):
        return [[i] for i in range(len(sentences))]  # one task per sentence: spread over actors

    def translate_batch(self, sentences, source, target):
        if os.environ.get("XLAT_TEST_DIE_ALWAYS"):
            os._exit(1)  # a batch that kills every worker it is given
        marker = os.environ.get("XLAT_TEST_DIE_ONCE")
        if marker and not Path(marker).exists():
            Path(marker).write_text("died\n", encoding="utf-8")
            os._exit(1)  # the worker process dies mid-batch, as a lost node's would
        _log("translate")
        return [Translation(f"{s[::-1]} [{target}]") for s in sentences]

    def signature(self, source, target):
        return f"counted:{source}-{target}"


def factory(settings):
    return Counted(settings)
