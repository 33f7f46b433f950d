"""The `xlat` command: parse options, call the library, print, map outcomes to exit codes.

Exit codes: 0 everything done; 1 some inputs failed (each failure one line on stderr naming the
file, the others still processed); 2 usage error.
"""

from __future__ import annotations

import enum
import json
import sys

import click

from xlat import __version__
from xlat.cli_i18n import Group, Option, PercentMessage, option
from xlat.i18n import N_, _, set_ui_language


class ExitStatus(enum.IntEnum):
    OK = 0
    INPUT_FAILED = 1
    USAGE = 2


def _error_line(message: str) -> None:
    click.echo(_("xlat: error: {message}").format(message=message), err=True)


class _Progress:
    """A one-line counter on stderr, only when stderr is a terminal and there are several
    documents; cleared when the work ends."""

    def __init__(self, label: str):
        self.label = label
        self.shown = False

    def __call__(self, done: int, total: int, note: str = "") -> None:
        if total > 1 and sys.stderr.isatty():
            sys.stderr.write(f"\r\033[K{self.label} {done}/{total} {note}".rstrip())
            sys.stderr.flush()
            self.shown = True

    def close(self) -> None:
        if self.shown:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()


def _parse_expect(ctx, param, value):
    if value is None:
        return None
    from xlat.api import supported_detection_languages
    from xlat.languages import LanguageCodeError, parse_list

    try:
        return parse_list(value, supported_detection_languages())
    except LanguageCodeError as exc:
        raise click.BadParameter(str(exc)) from None


def _parse_encoding(ctx, param, value):
    from xlat.errors import InputError
    from xlat.read.textio import check_encoding

    try:
        return check_encoding(value)
    except InputError as exc:
        raise click.BadParameter(exc.problem) from None


_FOLLOW_SYMLINKS = option(
    "--follow-symlinks", is_flag=True,
    help=N_("Read symbolic links that lead outside the folder given (refused by default)."))
_ENCODING = option(
    "--encoding", metavar="ENC", callback=_parse_encoding,
    help=N_("The inputs' encoding when it is not UTF-8 (cp1252, cp1251, latin-1...); auto: UTF-8, "
         "else cp1252 or cp1251 when the whole file fits it (a guess, reported)."))


def _set_ui_language(ctx, param, value):
    if value:
        set_ui_language(value)
    return value


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="xlat", cls=Option,
                      help=N_("Show the version and exit."),
                      message=PercentMessage(N_("%(prog)s, version %(version)s")))
@option("--ui-lang", metavar="LANG", is_eager=True, expose_value=False, callback=_set_ui_language,
        help=N_("Language of xlat's messages: es, fr, de, ca or en (default: $XLAT_UI_LANG, else "
                "LANGUAGE, LC_ALL, LC_MESSAGES, LANG)."))
def main() -> None:
    """Offline translation and localization of news articles.

    Detect each article's language, translate it offline into several languages, keep its
    structure and quotations, and write localized copies for human review.
    """


@main.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@option("--json", "as_json", is_flag=True,
              help=N_("One JSON object per input, one per line (JSON Lines)."))
@option("--expect", metavar="LANGS", callback=_parse_expect,
              help=N_("Comma-separated languages to choose from, e.g. en,ru,uk."))
@_ENCODING
@_FOLLOW_SYMLINKS
def detect(paths: tuple[str, ...], as_json: bool, expect: list[str] | None, encoding: str | None,
           follow_symlinks: bool) -> None:
    """Detect the language of articles, and of each of their paragraphs.

    PATH is a file (.txt, .md, .html, .docx, .odt), a directory (searched for those) or - for standard
    input. Markup, code, URLs and e-mail addresses are ignored. Short or letterless text is
    marked unreliable rather than guessed; "und" means nothing can be said.

    \b
    Examples:
      xlat detect samples/
      xlat detect --json --expect en,ru article.txt
      echo "Guten Morgen, wie geht es Ihnen heute?" | xlat detect -
    """
    from xlat.api import detect_paths

    rows: list = []
    progress = _Progress(_("detecting"))
    failed = _report(detect_paths(paths, expect, progress=progress, encoding=encoding,
                                  follow_symlinks=follow_symlinks), progress,
                     as_json, rows.append)
    if rows:
        _print_detect_table(rows)
    sys.exit(ExitStatus.INPUT_FAILED if failed else ExitStatus.OK)


def _report(results, progress: _Progress, as_json: bool, show) -> int:
    """Print each result (JSON Lines, or through `show`) and each error (one line on stderr)
    as they come; return how many inputs failed."""
    from xlat.errors import XlatError

    failed = 0
    try:
        for result in results:
            progress.close()
            if isinstance(result, XlatError):
                failed += 1
                _error_line(str(result))
                continue
            for warning in getattr(result, "warnings", ()):  # (a guessed encoding)
                click.echo(_("xlat: warning: {message}").format(message=warning), err=True)
            if as_json:
                click.echo(json.dumps(result.to_json(), ensure_ascii=False))
            else:
                show(result)
    finally:
        progress.close()
    return failed


def _print_detect_table(rows) -> None:
    from xlat.languages import display_name, user_locale

    locale = user_locale()
    lines = [(_("PATH"), _("LANGUAGE"), _("CONFIDENCE"), _("NOTE"))]
    for row in rows:
        guess = row.guess
        name = display_name(guess.language, locale) if guess.language != "und" else _("undetermined")
        notes = []
        if not guess.reliable:
            notes.append(_("unreliable"))
        others = [lang for lang in guess.languages if lang != guess.language]
        if others:
            notes.append(_("also {languages}").format(languages=", ".join(others)))
        lines.append((row.source.path, f"{guess.language} ({name})",
                      f"{guess.confidence:.2f}", "; ".join(notes)))
    widths = [max(len(line[i]) for line in lines) for i in range(3)]
    for line in lines:
        cells = "  ".join(cell.ljust(width) for cell, width in zip(line, widths))
        click.echo(f"{cells}  {line[3]}".rstrip())


def _known_languages() -> set[str]:
    from babel import Locale

    from xlat.api import supported_detection_languages
    from xlat.languages import canonical

    known = {canonical(code) for code in Locale("en").languages}
    return known | supported_detection_languages()


def _parse_targets(ctx, param, value):
    from xlat.languages import LanguageCodeError, parse_list

    try:
        return parse_list(value, _known_languages())
    except LanguageCodeError as exc:
        raise click.BadParameter(str(exc)) from None


def _parse_engine(ctx, param, value):
    from xlat.translate import engines

    if value != "auto" and value not in engines.names():
        raise click.BadParameter(_("{value} is not one of auto, {engines}").format(
            value=repr(value), engines=", ".join(engines.names())))
    return value


def _parse_name(ctx, param, value, targets=()):
    from xlat.naming import NameTemplateError, check_template

    if value is None:
        return None
    try:
        return check_template(value, targets)
    except NameTemplateError as exc:
        raise click.BadParameter(str(exc), param_hint="--name") from None


def _parse_source(ctx, param, value):
    if value == "auto":
        return value
    languages = _parse_targets(ctx, param, value)
    if len(languages) != 1:
        raise click.BadParameter(_("takes one language (auto or a code such as {example}), not a "
                                   "list: {value}").format(example=languages[0], value=repr(value)))
    return languages[0]


@main.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@option("--to", "targets", required=True, metavar="LANGS", callback=_parse_targets,
              help=N_("Target languages, comma-separated: es,ca,pt-BR."))
@option("--from", "source", default="auto", show_default=True, metavar="auto|LANG",
              callback=_parse_source, help=N_("Source language; auto detects it per document."))
@option("--out", "out_dir", default=None, metavar="DIR|-", type=click.Path(file_okay=False, allow_dash=True),
        help=N_("Output folder (default: localized), or - for standard output: the text "
                "itself for one input and one target, else JSON Lines; nothing is written to "
                "disk. Reading standard input (PATH -) means --out - unless DIR is given."))
@option("--name", "name_template", default=None, metavar="TEMPLATE", callback=_parse_name,
        help=N_("Name copies below DIR with the fields {stem} {lang} {suffix} {relpath}, e.g. "
                "'{relpath}/{stem}.{lang}{suffix}' (default: <lang>/<path below the input>, "
                "a language tag in the name made the target's: x.en.md -> es/x.es.md)."))
@option("--engine", default="auto", show_default=True, metavar="auto|argos|apertium",
              callback=_parse_engine,
              help=N_("auto: Argos when it has a path (direct or via English), else Apertium."))
@option("--quotes", default="target", show_default=True, type=click.Choice(["target", "source"]),
              help=N_("Render quotations with the target language's marks, or keep the source's."))
@option("--force", is_flag=True,
              help=N_("Overwrite localized files even when they were edited after xlat wrote them."))
@option("--json", "as_json", is_flag=True,
        help=N_("One JSON object per document (JSON Lines); with --out -, one per document and "
                "target, text included, even for one of each."))
@option("--beam-size", default=2, show_default=True, type=click.IntRange(1, 16),
              help=N_("Argos beam width (1 = greedy, fastest)."))
@option("--device", default="auto", show_default=True, type=click.Choice(["auto", "cpu", "cuda"]),
              help=N_("Where Argos models run."))
@option("--compute-type", default="auto", show_default=True, metavar="TYPE",
              help=N_("CTranslate2 compute type (auto = int8 on CPU, int8_float16 on GPU)."))
@option("--threads", default=0, show_default=True, type=click.IntRange(0, 256),
              help=N_("CPU threads per model (0 = all cores)."))
@option("--length-ratio", default=2.0, show_default=True, type=click.FloatRange(0.5, 10),
              help=N_("Argos output bound: at most this many times the source tokens..."))
@option("--length-margin", default=10, show_default=True, type=click.IntRange(0, 1000),
              help=N_("...plus this many (a looping model cannot run away)."))
@option("--tm", "tm_path", metavar="PATH", type=click.Path(dir_okay=False),
              help=N_("Translation memory file (default: $XLAT_DATA_DIR/memory.sqlite)."))
@option("--no-tm", is_flag=True, help=N_("Neither use nor fill the translation memory."))
@option("--glossary", metavar="FILE", type=click.Path(dir_okay=False, exists=True),
              help=N_("Terms and their translations, or keep-as-is (TOML or TSV; default: the "
                   "[glossary] of ./xlat.toml)."))
@option("--fuzzy-threshold", default=75, show_default=True, type=click.IntRange(0, 100),
              metavar="PCT", help=N_("Offer approved sentences at least this similar as fuzzy "
                                  "matches in the XLIFF (0: none)."))
@option("--fuzzy-accept", default=None, type=click.IntRange(50, 100), metavar="PCT",
              help=N_("Use a fuzzy match at least this similar as the proposal instead of the "
                   "engine's output (default: never)."))
@option("--cluster", default=None, metavar="ADDRESS", envvar="XLAT_CLUSTER",
              help=N_("Translate on a Ray cluster: local[:N] (N workers on this machine), auto, "
                   "ray://HOST:10001 or HOST:PORT (default: $XLAT_CLUSTER; none: this process). "
                   "Needs pip install 'xlat[cluster]'."))
@option("--window", default=200, show_default=True, type=click.IntRange(1, 100000), metavar="N",
        help=N_("Documents read, translated and written together (memory is flat in the run's "
                "size; runs compared file for file need the same window)."))
@_FOLLOW_SYMLINKS
@_ENCODING
def translate(paths, targets, source, out_dir, name_template, engine, quotes, force, as_json,
              beam_size, device, compute_type, threads, length_ratio, length_margin, tm_path, no_tm,
              glossary, fuzzy_threshold, fuzzy_accept, cluster, window, follow_symlinks, encoding) -> None:
    """Translate articles into one or more languages, offline.

    Writes DIR/<lang>/<path below the argument> for each target (a file argument keeps its
    name, a directory argument the tree below it; a language tag in a name becomes the
    target's: karabakh.en.txt -> es/karabakh.es.txt) and DIR/manifest.json. Localized files
    that a person edited since xlat wrote them are not overwritten without --force.
    With - as PATH (or --out -) the translation goes to standard output instead.

    \b
    Examples:
      xlat translate samples/karabakh.en.txt --to es,ca
      xlat translate news/ --to es --from en --out build/localized --json
      echo "Good morning, everyone." | xlat translate - --to es --from en
    """
    from xlat.config import EngineSettings, TranslateSettings
    from xlat.pipeline import translate_paths

    if out_dir is None:
        out_dir = "-" if "-" in paths else "localized"
    if out_dir == "-" and name_template is not None:
        raise click.BadParameter(_("it names files, and with --out - nothing is written"),
                                 param_hint="--name")
    if name_template is not None and len(targets) > 1:
        _parse_name(None, None, name_template, targets)
    settings = TranslateSettings(
        targets=tuple(targets), source=source, engine=engine, out_dir=out_dir, quotes=quotes,
        force=force, engine_settings=EngineSettings(
            device=device, compute_type=compute_type, beam_size=beam_size, threads=threads,
            length_ratio=length_ratio, length_margin=length_margin),
        memory=tm_path, use_memory=not no_tm, glossary=glossary, follow_symlinks=follow_symlinks,
        encoding=encoding, fuzzy_threshold=fuzzy_threshold, fuzzy_accept=fuzzy_accept,
        cluster=cluster or None, name=name_template, window=window)

    def show(result) -> None:
        outputs = ", ".join(t.path for t in result.targets)
        click.echo(f"{result.source.path} ({result.language}) -> {outputs}")

    progress = _Progress(_("translating"))
    if settings.to_stdout:
        failed = _stream(translate_paths(paths, settings, progress=progress), progress,
                         plain=not as_json and len(targets) == 1 and _one_file(paths))
    else:
        failed = _report(translate_paths(paths, settings, progress=progress), progress, as_json, show)
    sys.exit(ExitStatus.INPUT_FAILED if failed else ExitStatus.OK)


def _one_file(paths) -> bool:
    """One argument that is standard input or a file (a folder may hold any number)."""
    import os

    return len(paths) == 1 and (paths[0] == "-" or not os.path.isdir(paths[0]))


def _stream(results, progress: _Progress, plain: bool) -> int:
    """Translations to standard output (--out -): the text itself when `plain` (one input, one
    target), else one JSON object per document and target (JSON Lines); errors on stderr."""

    def show(result) -> None:
        for item in result.stream_json():
            if plain:
                click.echo(item["text"], nl=False)
            else:
                click.echo(json.dumps(item, ensure_ascii=False))

    return _report(results, progress, False, show)


@main.command()
@option("--lang", "locale", required=True, metavar="LOCALE",
              help=N_("Locale whose typography to apply: fr, de-CH, pt-BR, ja..."))
@option("--explain", is_flag=True, help=N_("List each change and why on standard error."))
@option("--json", "as_json", is_flag=True,
              help=N_("Print one JSON object: the text and its changes (position, was, now, why)."))
@click.argument("path", default="-", metavar="[PATH|-]")
@_ENCODING
def typeset(locale: str, explain: bool, as_json: bool, path: str, encoding: str | None) -> None:
    """Re-typeset quotation marks, apostrophes and punctuation spacing of text for a locale.

    Reads PATH (or standard input) and writes the result to standard output: nested
    quotations get the locale's marks by level, apostrophes (it’s, ’90s, the reporters’)
    and primes (6′ 2″) their own glyphs, French its narrow no-break spaces. A mark whose
    reading is not sure (a stray or empty quotation) is left as it was.

    \b
    Examples:
      echo 'He said "it is “fine”" today.' | xlat typeset --lang de
      xlat typeset --lang fr-CH article.txt > article.fr-CH.txt
      echo "'Twas the reporters' night" | xlat typeset --lang en --explain
    """
    import json

    from xlat.errors import XlatError
    from xlat.locales import LocaleError, resolve
    from xlat.protect.typeset import explain as explain_typography
    from xlat.read.textio import read_input

    try:
        resolve(locale)
    except LocaleError as exc:
        raise click.BadParameter(str(exc), param_hint="--lang") from None
    try:
        text = read_input(path, encoding, regular_only=False).text  # <(...) is fine here
    except XlatError as exc:
        _error_line(str(exc))
        sys.exit(ExitStatus.INPUT_FAILED)
    result, changes = explain_typography(text, locale)
    if as_json:
        click.echo(json.dumps({"text": result, "changes": [c.as_dict() for c in changes]}, ensure_ascii=False))
        return
    click.echo(result, nl=False)
    if explain:
        for change in changes:
            click.echo(f"{change.position}: {change.was!r} -> {change.now!r}: {change.why}", err=True)


def _register_subcommands() -> None:
    from xlat.cli_models import languages, models
    from xlat.cli_export import export
    from xlat.cli_review import review, tm

    main.add_command(models)
    main.add_command(languages)
    main.add_command(review)
    main.add_command(tm)
    main.add_command(export)


_register_subcommands()


def _ui_lang_argument(argv: list[str]) -> str | None:
    """The --ui-lang given before the subcommand, so that even what click prints before it
    reads the option (xlat --help --ui-lang de) is in that language."""
    for index, arg in enumerate(argv):
        if arg == "--ui-lang" and index + 1 < len(argv):
            return argv[index + 1]
        if arg.startswith("--ui-lang="):
            return arg.split("=", 1)[1]
        if arg in main.commands:
            break
    return None


def run(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status instead of exiting."""
    set_ui_language(_ui_lang_argument(sys.argv[1:] if argv is None else argv))
    try:
        main.main(args=argv, prog_name="xlat", standalone_mode=True)
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else ExitStatus.USAGE)
    return ExitStatus.OK
