"""`xlat export omegat`, and `review apply` of an OmegaT project's project_save.tmx."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from xlat.cli_i18n import group, option
from xlat.i18n import N_, _, ngettext


def _error(message: str) -> None:
    click.echo(_("xlat: error: {message}").format(message=message), err=True)


@group()
def export() -> None:
    """Hand a run to a translator's tools."""


@export.command("omegat")
@click.argument("out_dir", metavar="OUTDIR", type=click.Path(file_okay=False))
@click.argument("project_dir", metavar="PROJECT", type=click.Path(file_okay=False))
@option("--lang", "language", metavar="LANG", help=N_("Only this target language."))
@option("--tm", "tm_path", metavar="PATH", type=click.Path(dir_okay=False),
              help=N_("Translation memory file (default: $XLAT_DATA_DIR/memory.sqlite)."))
@option("--no-tm", is_flag=True, help=N_("Do not put the approved memory in the project."))
def export_omegat(out_dir, project_dir, language, tm_path, no_tm) -> None:
    """An OmegaT project from the output folder OUTDIR of `xlat translate`.

    One project per target language (PROJECT, or PROJECT/<lang> when the run had several):
    source/ has each document one sentence per segment, tm/mt/xlat-mt.tmx xlat's machine
    translation of each (shown beside the source), tm/xlat-approved.tmx the approved memory,
    glossary/xlat.txt the run's glossary. Bring the work back with
    `xlat review apply PROJECT/omegat/project_save.tmx`.

    \b
    Example:
      xlat export omegat localized omegat-es
    """
    from xlat.errors import XlatError
    from xlat.review.omegat import export_project
    from xlat.translate.memory import Memory

    try:
        memory = None if no_tm else Memory(tm_path, writable=False)
        try:
            done = export_project(Path(out_dir), Path(project_dir), language, memory)
        finally:
            if memory is not None:
                memory.close()
    except XlatError as exc:
        _error(str(exc))
        sys.exit(1)
    for project in done:
        parts = [ngettext("{n} document", "{n} documents", project.documents),
                 ngettext("{n} segment with machine translation",
                          "{n} segments with machine translation", project.segments),
                 ngettext("{n} approved memory entry", "{n} approved memory entries",
                          project.approved)]
        parts = [part.format(n=n) for part, n in
                 zip(parts, (project.documents, project.segments, project.approved))]
        if project.glossary_terms:
            parts.append(ngettext("{n} glossary term", "{n} glossary terms",
                                  project.glossary_terms).format(n=project.glossary_terms))
        click.echo(f"{project.project} ({project.language}): " + ", ".join(parts))


def apply_omegat(files: list[str], tm_path: str | None, no_tm: bool, as_json: bool) -> int:
    """`review apply` of project_save.tmx files; the number that failed."""
    from xlat.errors import IntegrityError, XlatError
    from xlat.review.omegat import apply_tmx
    from xlat.translate.memory import Memory

    failed = 0
    try:
        memory = None if no_tm else Memory(tm_path)
    except XlatError as exc:
        _error(str(exc))
        return len(files)
    try:
        for path in files:
            try:
                done = apply_tmx(Path(path), memory)
            except XlatError as exc:
                failed += 1
                _error(str(exc))
                continue
            for result in done.results:
                if isinstance(result, XlatError):
                    failed += 1
                    _error(str(result))
                    continue
                for problem in [*result.refused] + ([IntegrityError(result.output, result.integrity)]
                                                   if result.integrity else []):
                    failed += 1
                    _error(str(problem))
                if as_json:
                    click.echo(json.dumps({**result.to_json(), "tmx": path}, ensure_ascii=False))
                else:
                    click.echo(f"{path} -> {result.output}: "
                               + ngettext("{n} approved segment", "{n} approved segments",
                                          result.approved).format(n=result.approved)
                               + ("" if result.changed else _(" (no change)")))
            if done.not_taken_apart:
                failed += 1
                _error(ngettext("{path}: {n} of {total} confirmed segment not applied (a number, "
                                "link or quotation of the source is missing in the translation)",
                                "{path}: {n} of {total} confirmed segments not applied (a number, "
                                "link or quotation of the source is missing in the translation)",
                                done.confirmed).format(path=path, n=done.not_taken_apart,
                                                       total=done.confirmed))
            elif not done.confirmed:
                _error(_("{path}: no confirmed segment matches the project's documents").format(path=path))
                failed += 1
    finally:
        if memory is not None:
            memory.close()
    return failed
