"""`xlat review apply` and `xlat tm export|import`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from xlat.cli_i18n import group, option
from xlat.i18n import N_, _, ngettext

_TM_OPTION = option("--tm", "tm_path", metavar="PATH", type=click.Path(dir_okay=False),
                          help=N_("Translation memory file (default: $XLAT_DATA_DIR/memory.sqlite)."))


def _error(message: str) -> None:
    click.echo(_("xlat: error: {message}").format(message=message), err=True)


@group()
def review() -> None:
    """Bring a reviewer's corrections back."""


@review.command("apply")
@click.argument("files", nargs=-1, required=True, metavar="FILE.xlf|project_save.tmx...")
@_TM_OPTION
@option("--no-tm", is_flag=True, help=N_("Do not store approved segments in the memory."))
@option("--approve", is_flag=True,
              help=N_("Approve every unit of the files (for tools that cannot set states)."))
@option("--json", "as_json", is_flag=True, help=N_("One JSON object per file (JSON Lines)."))
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

    \b
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
                refused = (ngettext(", {n} unit not applied (listed below)",
                                    ", {n} units not applied (listed below)",
                                    len(result.refused)).format(n=len(result.refused))
                           if result.refused else "")
                click.echo(f"{result.xliff} -> {result.output}: "
                           + ngettext("{n} approved segment", "{n} approved segments",
                                      result.approved).format(n=result.approved)
                           + refused + ("" if result.changed or refused else _(" (no change)")))
    except XlatError as exc:  # the memory cannot be opened: nothing was applied
        failed += 1
        _error(str(exc))
    sys.exit(1 if failed else 0)


@group()
def tm() -> None:
    """The translation memory as TMX 1.4."""


@tm.command("export")
@option("--tmx", "tmx_file", required=True, metavar="FILE", type=click.Path(dir_okay=False),
              help=N_("TMX file to write."))
@_TM_OPTION
@option("--from-out", "out_dir", metavar="DIR", type=click.Path(file_okay=False, exists=True),
              help=N_("Instead of the memory: the copies of this output folder, one unit per sentence "
                   "with its quotations inline, as CAT tools segment."))
@option("--lang", "language", metavar="LANG", help=N_("With --from-out: only this target language."))
def tm_export(tmx_file, tm_path, out_dir, language) -> None:
    """Write the approved segments of the memory to a TMX 1.4 file.

    With --from-out, write the sentences of an output folder's copies instead (whole
    sentences, quotations, numbers and links inline as text), for CAT tools whose
    segmentation is by sentence.

    \b
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
            click.echo(ngettext("{n} sentence written to {path}", "{n} sentences written to {path}",
                                count).format(n=count, path=tmx_file))
            return
        with Memory(tm_path, writable=False) as memory:
            count = export(memory, Path(tmx_file))
    except XlatError as exc:
        _error(str(exc))
        sys.exit(1)
    click.echo(ngettext("{n} translation unit written to {path}",
                        "{n} translation units written to {path}", count).format(n=count, path=tmx_file))


@tm.command("import")
@click.argument("tmx_file", metavar="FILE", type=click.Path(dir_okay=False))
@_TM_OPTION
def tm_import(tmx_file, tm_path) -> None:
    """Store the translation units of a TMX file as approved segments.

    Each unit gives one pair per variant besides its source: the variant in the TMX's
    srclang (of the unit, else of the header; the first variant when srclang is *all*)
    paired with each other one. The file is stored whole or, on any error, not at all.

    \b
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
    skipped = (" " + ngettext("({n} of {total} unit skipped: no variant in its source language, "
                              "or nothing to pair)",
                              "({n} of {total} units skipped: no variant in their source language, "
                              "or nothing to pair)", imported.units).format(
        n=imported.skipped, total=imported.units) if imported.skipped else "")
    click.echo(ngettext("{n} segment pair imported from {path}", "{n} segment pairs imported from {path}",
                        imported.pairs).format(n=imported.pairs, path=tmx_file) + skipped)
    for source, target in sorted(_unroutable(imported.languages)):
        click.echo(_("xlat: warning: {path}: {source} -> {target} is a pair no installed engine "
                     "translates: its entries are used only once such an engine is installed").format(
            path=tmx_file, source=source, target=target), err=True)


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
