"""`xlat review apply` and `xlat tm export|import`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

_TM_OPTION = click.option("--tm", "tm_path", metavar="PATH", type=click.Path(dir_okay=False),
                          help="Translation memory file (default: $XLAT_DATA_DIR/memory.sqlite).")


def _error(message: str) -> None:
    click.echo(f"xlat: error: {message}", err=True)


@click.group()
def review() -> None:
    """Bring a reviewer's corrections back."""


@review.command("apply")
@click.argument("files", nargs=-1, required=True, metavar="FILE.xlf|project_save.tmx...")
@_TM_OPTION
@click.option("--no-tm", is_flag=True, help="Do not store approved segments in the memory.")
@click.option("--approve", is_flag=True,
              help="Approve every unit of the files (for tools that cannot set states).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per file (JSON Lines).")
def review_apply(files, tm_path, no_tm, approve, as_json) -> None:
    """Merge edited XLIFF files (as a CAT tool leaves them) back into their localized copies.

    Each copy is re-rendered from its source with the XLIFF's targets (structure kept, quotes
    re-typeset); targets in state translated, final or signed-off go to the translation
    memory as approved, so later runs reuse them; the manifest is updated. An XLIFF whose
    source changed since is refused. Units are matched by id, else by source (XLIFF 1.1 and
    files without xlat's header, as translate-toolkit writes them, included); units that match
    no sentence, or give one sentence two targets, are listed and the exit status is 1.

    An OmegaT project's omegat/project_save.tmx (a project from `xlat export omegat`) brings
    back every segment the translator confirmed there, approved.

    \\b
    Example:
      xlat review apply localized/es/article.md.xlf
      xlat review apply omegat-es/omegat/project_save.tmx
    """
    from xlat.errors import XlatError
    from xlat.review.apply import apply_paths

    failed = 0
    from xlat.review.omegat import is_project_file

    # an OmegaT project's project_save.tmx or target documents (a project xlat exported)
    project = [f for f in files if f.lower().endswith(".tmx") or is_project_file(Path(f))]
    if project:
        from xlat.cli_export import apply_omegat

        failed += apply_omegat(project, tm_path, no_tm, as_json)
    files = [f for f in files if f not in project]
    try:
        for result in apply_paths(files, tm_path, not no_tm, approve):
            if isinstance(result, XlatError):
                failed += 1
                _error(str(result))
            elif as_json:
                click.echo(json.dumps(result.to_json(), ensure_ascii=False))
            else:
                refused = (f", {len(result.refused)} units not applied (listed below)"
                           if result.refused else "")
                click.echo(f"{result.xliff} -> {result.output}: {result.approved} approved segments"
                           + refused + ("" if result.changed or refused else " (no change)"))
    except XlatError as exc:  # the memory cannot be opened: nothing was applied
        failed += 1
        _error(str(exc))
    sys.exit(1 if failed else 0)


@click.group()
def tm() -> None:
    """The translation memory as TMX 1.4."""


@tm.command("export")
@click.option("--tmx", "tmx_file", required=True, metavar="FILE", type=click.Path(dir_okay=False),
              help="TMX file to write.")
@_TM_OPTION
@click.option("--from-out", "out_dir", metavar="DIR", type=click.Path(file_okay=False, exists=True),
              help="Instead of the memory: the copies of this output folder, one unit per sentence "
                   "with its quotations inline, as CAT tools segment.")
@click.option("--lang", "language", metavar="LANG", help="With --from-out: only this target language.")
def tm_export(tmx_file, tm_path, out_dir, language) -> None:
    """Write the approved segments of the memory to a TMX 1.4 file.

    With --from-out, write the sentences of an output folder's copies instead (whole
    sentences, quotations, numbers and links inline as text), for CAT tools whose
    segmentation is by sentence.

    \\b
    Examples:
      xlat tm export --tmx approved.tmx
      xlat tm export --tmx sentences.tmx --from-out localized
    """
    from xlat.errors import XlatError
    from xlat.translate.memory import Memory
    from xlat.review.tmx import export

    try:
        if out_dir:
            from xlat.review.omegat import export_sentences

            count = export_sentences(Path(out_dir), Path(tmx_file), language)
            click.echo(f"{count} sentences written to {tmx_file}")
            return
        with Memory(tm_path, writable=False) as memory:
            count = export(memory, Path(tmx_file))
    except XlatError as exc:
        _error(str(exc))
        sys.exit(1)
    click.echo(f"{count} translation units written to {tmx_file}")


@tm.command("import")
@click.argument("tmx_file", metavar="FILE", type=click.Path(dir_okay=False))
@_TM_OPTION
def tm_import(tmx_file, tm_path) -> None:
    """Store the translation units of a TMX file as approved segments.

    Each unit gives one pair per variant besides its source: the variant in the TMX's
    srclang (of the unit, else of the header; the first variant when srclang is *all*)
    paired with each other one. The file is stored whole or, on any error, not at all.

    \\b
    Example:
      xlat tm import agency.tmx
    """
    from xlat.errors import XlatError
    from xlat.translate.memory import Memory
    from xlat.review.tmx import import_

    try:
        with Memory(tm_path) as memory:
            imported = import_(memory, Path(tmx_file))
    except XlatError as exc:
        _error(str(exc))
        sys.exit(1)
    skipped = (f" ({imported.skipped} of {imported.units} units skipped: no variant in their "
               "source language, or nothing to pair)" if imported.skipped else "")
    click.echo(f"{imported.pairs} segment pairs imported from {tmx_file}{skipped}")
    for source, target in sorted(_unroutable(imported.languages)):
        click.echo(f"xlat: warning: {tmx_file}: {source} -> {target} is a pair no installed engine "
                   "translates: its entries are used only once such an engine is installed", err=True)


def _unroutable(pairs) -> set:
    """The (source, target) pairs no installed engine can translate, directly or via English."""
    from xlat.translate.engines.base import EngineError
    from xlat.translate.routing import Router

    router = Router()
    missing = set()
    for source, target in pairs:
        try:
            router.route(source, target)
        except EngineError:
            missing.add((source, target))
    return missing
