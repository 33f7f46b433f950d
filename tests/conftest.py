"""Fixtures: an in-process CLI runner."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest
from click.testing import CliRunner


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str

    def json_lines(self) -> list[dict]:
        return [json.loads(line) for line in self.stdout.splitlines() if line.strip()]


@pytest.fixture
def xlat():
    """Run `xlat ARGS...` in-process; returns exit code, stdout and stderr separately."""
    from xlat.cli import main

    def run(*args: str, input: str | bytes | None = None) -> Result:
        result = CliRunner().invoke(main, list(args), input=input, prog_name="xlat")
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        return Result(result.exit_code, result.stdout, result.stderr)

    return run

