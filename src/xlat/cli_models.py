"""`xlat models ...` and `xlat languages`: what can be translated, and Argos package management."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from xlat.cli_i18n import command, group, option
from xlat.i18n import N_, _


def _fail(message: str, code: int = 1) -> None:
    click.echo(_("xlat: error: {message}").format(message=message), err=True)
    sys.exit(code)


def _router():
    from xlat.translate.routing import Router

    return Router("auto")


@group()
def models() -> None:
    """Manage Argos Translate packages (models) and list what each engine offers."""


@models.command("list")
@option("--available", is_flag=True, help=N_("Also list the Argos index's packages (online)."))
@option("--json", "as_json", is_flag=True, help=N_("One JSON object: installed (and available)."))
def models_list(available: bool, as_json: bool) -> None:
    """List installed models: Argos packages and Apertium modes.

    \b
    Examples:
      xlat models list
      xlat models list --available --json
    """
    from xlat.translate.models import PackageError, available_packages, installed_packages

    router = _router()
    try:
        argos = [p.to_json() for p in installed_packages()]
    except PackageError as exc:
        argos = []
        click.echo(_("xlat: warning: {message}").format(message=exc), err=True)
    apertium = router.engine("apertium")
    installed = argos + [{"engine": "apertium", "from": s, "to": t, "version": "",
                          "package": mode, "path": ""}
                         for (s, t), mode in sorted(apertium.modes.items())]
    result = {"installed": installed}
    if available:
        try:
            result["available"] = [p.to_json() for p in available_packages()]
        except PackageError as exc:
            if as_json:
                click.echo(json.dumps(result, ensure_ascii=False))
            _fail(str(exc))
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False))
        return
    rows = [(_("ENGINE"), _("FROM"), _("TO"), _("VERSION"), _("PACKAGE"))]
    rows += [(m["engine"], m["from"], m["to"], m["version"], m["package"]) for m in installed]
    if any(m.get("problem") for m in installed):  # installed, but the engine cannot use it
        rows = [row + (note,) for row, note in zip(
            rows, [_("NOTE")] + [_("cannot be used: {problem}").format(problem=m["problem"])
                                 if m.get("problem") else "" for m in installed])]
    if not installed:
        click.echo(_("No models installed. Install one with: xlat models install FROM TO "
                     "(online) or xlat models install FILE.argosmodel"), err=True)
    else:
        _table(rows)
    if available:
        click.echo("\n" + _("Available from the Argos index (xlat models install FROM TO):"))
        _table([(_("FROM"), _("TO"), _("VERSION"), _("PACKAGE"))] +
               [(p["from"], p["to"], p["version"], p["package"]) for p in result["available"]])


def _table(rows) -> None:
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]
    for row in rows:
        click.echo("  ".join(str(c).ljust(w) for c, w in zip(row, widths)).rstrip())


@models.command("install")
@click.argument("args", nargs=-1, required=True, metavar="(FROM TO | FILE.argosmodel...)")
def models_install(args: tuple[str, ...]) -> None:
    """Install Argos packages: FROM TO from the Argos index (online), or local .argosmodel
    files or folders of them (offline). A package replaces the one installed for its pair.

    \b
    Examples:
      xlat models install en de
      xlat models install ~/Downloads/translate-en_de-1_9.argosmodel
      xlat models install /media/usb/argos-models/
    """
    from xlat.translate.models import PackageError, install_pair, install_paths

    paths = [Path(a) for a in args]
    if len(args) == 2 and not any(p.exists() or a.endswith(".argosmodel") for p, a in zip(paths, args)):
        source, target = (_language(a) for a in args)
        try:
            package, replaced = install_pair(source, target)
        except PackageError as exc:
            _fail(str(exc))
        _report_install(package, replaced)
        return
    failed = 0
    for path, result, replaced in install_paths(paths):
        if isinstance(result, PackageError):
            failed += 1
            click.echo(_("xlat: error: {message}").format(message=result), err=True)
        else:
            _report_install(result, replaced)
    sys.exit(1 if failed else 0)


def _language(code: str) -> str:
    from xlat.cli import _known_languages
    from xlat.languages import LanguageCodeError, parse_list

    try:
        return parse_list(code, _known_languages())[0]
    except LanguageCodeError as exc:
        raise click.UsageError(str(exc)) from None


def _report_install(package, replaced) -> None:
    note = "".join(_(" (replaced {name} {version})").format(name=old.name, version=old.version)
                   for old in replaced)
    click.echo(_("installed {source} -> {target}: {name} {version} in {path}").format(
        source=package.source, target=package.target, name=package.name,
        version=package.version, path=package.path) + note)
    if package.problem:
        click.echo(_("xlat: warning: {name} cannot be used yet: {problem}").format(
            name=package.name, problem=package.problem), err=True)


@models.command("remove")
@click.argument("source", metavar="FROM")
@click.argument("target", metavar="TO")
def models_remove(source: str, target: str) -> None:
    """Remove the Argos package for a language pair.

    \b
    Example:
      xlat models remove en de
    """
    from xlat.translate.models import PackageError, remove

    try:
        removed = remove(_language(source), _language(target))
    except PackageError as exc:
        _fail(str(exc))
    for package in removed:
        click.echo(_("removed {source} -> {target}: {name} {version}").format(
            source=package.source, target=package.target, name=package.name,
            version=package.version))


@command()
@option("--json", "as_json", is_flag=True, help=N_("One JSON object with every pair."))
def languages(as_json: bool) -> None:
    """Every language pair each engine can translate now, with language names.

    Pairs marked "via en" go through English (two models). Names follow your locale (--ui-lang, else LANG).

    \b
    Example:
      xlat languages --json
    """
    from xlat.languages import display_name, user_locale
    from xlat.translate.routing import AUTO_ORDER, PIVOT

    router = _router()
    locale = user_locale()
    pairs = []
    for name in AUTO_ORDER:
        direct = router.engine(name).pairs()
        found = {(s, t): None for s, t in direct}
        for s, m in direct:
            for m2, t in direct:
                if m == m2 == PIVOT and s != t and (s, t) not in found:
                    found[(s, t)] = PIVOT
        for (s, t), via in sorted(found.items()):
            pairs.append({"engine": name, "from": s, "to": t, "via": via,
                          "from_name": display_name(s, locale), "to_name": display_name(t, locale)})
    if as_json:
        click.echo(json.dumps({"pairs": pairs}, ensure_ascii=False))
        return
    if not pairs:
        click.echo(_("No engine can translate anything yet: install Apertium pairs (apt-get install "
                     "apertium-eng-spa) or Argos packages (xlat models install ...)."), err=True)
        return
    rows = [(_("FROM"), _("TO"), _("LANGUAGES"), _("ENGINE"))]
    for p in pairs:
        via = _(" (via {language})").format(language=p["via"]) if p["via"] else ""
        rows.append((p["from"], p["to"], f"{p['from_name']} → {p['to_name']}", p["engine"] + via))
    _table(rows)
