"""Interface messages in the user's language: the catalogs are complete and consistent with the
sources, the language is read as gettext reads it, and `xlat` speaks it (help, errors, plurals)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po
from click.testing import CliRunner

from helpers import ROOT
from xlat import i18n
from xlat.cli import main

LOCALES = ROOT / "locales"
LANGUAGES = ["ca", "de", "es", "fr"]
DOMAINS = ["xlat", "click"]
PLACEHOLDER = re.compile(r"(?<!\{)\{[^{}]*\}(?!\})|%\([a-z_]+\)[sd]|%[sd]")  # not {{ }}: escaped braces


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    i18n.set_ui_language(None)


def _catalog(path: Path):
    with path.open("rb") as f:
        return read_po(f)


def _ids(catalog) -> set:
    return {m.id for m in catalog if m.id}


def _text(message_id) -> str:
    return message_id if isinstance(message_id, str) else message_id[0]


@pytest.mark.parametrize("domain", DOMAINS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_catalog_translates_every_message(lang, domain):
    template = _catalog(LOCALES / f"{domain}.pot")
    catalog = _catalog(LOCALES / lang / "LC_MESSAGES" / f"{domain}.po")
    assert catalog.num_plurals == get_plural(lang).num_plurals
    assert catalog.plural_expr == get_plural(lang).plural_expr
    problems = []
    for message in template:
        if not message.id:
            continue
        found = catalog.get(message.id)
        if found is None:
            problems.append(f"missing: {_text(message.id)!r}")
            continue
        if found.fuzzy:
            problems.append(f"fuzzy: {_text(message.id)!r}")
        forms = list(found.string) if isinstance(found.string, (list, tuple)) else [found.string]
        if message.pluralizable and len(forms) != catalog.num_plurals:
            problems.append(f"{len(forms)} plural forms, not {catalog.num_plurals}: {_text(message.id)!r}")
        for index, form in enumerate(forms):
            if not form:
                problems.append(f"untranslated: {_text(message.id)!r}")
                continue
            # the singular's placeholders in the first form (two-form languages), the plural's
            # in the others
            english = (message.id[0] if index == 0 and catalog.num_plurals == 2 else message.id[-1]) \
                if message.pluralizable else message.id
            if sorted(PLACEHOLDER.findall(form)) != sorted(PLACEHOLDER.findall(english)):
                problems.append(f"placeholders differ: {english!r} -> {form!r}")
            if form.count("\b") != english.count("\b") or form.count("\t") != english.count("\t"):
                problems.append(f"click's \\b / \\t markers differ: {english!r} -> {form!r}")
    assert not problems, "\n".join(problems)


def test_the_template_is_up_to_date_with_the_sources():
    """Every message marked in src/xlat is in locales/xlat.pot and the other way round: a new
    string that was marked but not extracted (run scripts/update-catalogs.sh) fails here."""
    extracted = {message for _, _, message, _, _ in extract_from_dir(
        str(ROOT / "src"), method_map=[("xlat/**.py", "xlat._extract:extract")],
        keywords=DEFAULT_KEYWORDS)}
    extracted = {m if isinstance(m, str) else tuple(m) for m in extracted}
    template = _ids(_catalog(LOCALES / "xlat.pot"))
    assert sorted(map(str, extracted - template)) == [], "run scripts/update-catalogs.sh"
    assert sorted(map(str, template - extracted)) == [], "run scripts/update-catalogs.sh"


def test_the_click_template_covers_the_installed_click():
    extracted = {m if isinstance(m, str) else tuple(m) for _, _, m, _, _ in extract_from_dir(
        os.path.dirname(click.__file__), keywords=DEFAULT_KEYWORDS)}
    assert sorted(map(str, extracted - _ids(_catalog(LOCALES / "click.pot")))) == [], \
        "click changed its messages: run scripts/update-catalogs.sh"


def test_command_help_is_extracted_as_click_shows_it():
    """A command's docstring is a message (cleaned as click cleans it, with its \\b marker)."""
    template = _ids(_catalog(LOCALES / "xlat.pot"))
    detect = next(m for m in template if isinstance(m, str) and m.startswith("Detect the language"))
    assert "\n    " not in detect and "\b\nExamples:\n  xlat detect samples/" in detect


# -- the language, as gettext reads the environment ------------------------------------------

@pytest.mark.parametrize("environ, expected", [
    ({"LANG": "es_ES.UTF-8"}, "es"),
    ({"LANG": "de_DE.UTF-8", "LC_MESSAGES": "fr_FR.UTF-8"}, "fr"),
    ({"LANG": "de_DE.UTF-8", "LC_ALL": "ca_ES.UTF-8"}, "ca"),
    ({"LANG": "de_DE.UTF-8", "LANGUAGE": "ja:fr:de"}, "fr"),   # the first one with a catalog
    ({"LANG": "C", "LANGUAGE": "de"}, "en"),                    # a C locale: English (GNU gettext)
    ({"LANG": "C.UTF-8"}, "en"),
    ({"LANG": "POSIX"}, "en"),
    ({}, "en"),
    ({"LANG": "ja_JP.UTF-8"}, "en"),                            # no catalog: English, silently
    ({"LANG": "ca_ES.UTF-8@valencia"}, "ca"),
    ({"LANG": "de_CH.UTF-8"}, "de"),
    ({"LANG": "en_GB.UTF-8", "LANGUAGE": "en:es"}, "en"),
    ({"LANG": "es_ES.UTF-8", "XLAT_UI_LANG": "fr"}, "fr"),
])
def test_language_from_the_environment(monkeypatch, environ, expected):
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG", "XLAT_UI_LANG"):
        monkeypatch.delenv(var, raising=False)
    for var, value in environ.items():
        monkeypatch.setenv(var, value)
    assert i18n.set_ui_language(None) == expected
    assert i18n.ui_language() == expected


@pytest.mark.parametrize("tag, expected", [("es", "es"), ("fr-CA", "fr"), ("de_AT", "de"),
                                           ("pt-BR", "en"), ("xx", "en"), ("../es", "en")])
def test_ui_lang_option_values(tag, expected):
    assert i18n.set_ui_language(tag) == expected


def test_plural_forms_follow_the_catalog():
    i18n.set_ui_language("es")
    assert i18n.ngettext("{n} document", "{n} documents", 1).format(n=1) == "1 documento"
    assert i18n.ngettext("{n} document", "{n} documents", 3).format(n=3) == "3 documentos"
    assert i18n.ngettext("{n} document", "{n} documents", 0).format(n=0) == "0 documentos"
    i18n.set_ui_language("fr")  # French: 0 and 1 take the singular
    assert i18n.ngettext("{n} document", "{n} documents", 0).format(n=0) == "0 document"
    assert i18n.ngettext("{n} document", "{n} documents", 2).format(n=2) == "2 documents"


def test_a_catalog_compiles_in_memory_from_its_po():
    """A source checkout without built .mo files still speaks the language."""
    import gettext
    import io

    compiled = i18n.compile_po(LOCALES / "de" / "LC_MESSAGES" / "click.po")
    assert gettext.GNUTranslations(io.BytesIO(compiled)).gettext("Usage:") == "Aufruf:"


# -- xlat in the language --------------------------------------------------------------------

def _run(*args: str, **environ: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items()
           if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG", "XLAT_UI_LANG")}
    env.update(environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH")]))
    return subprocess.run([sys.executable, "-m", "xlat", *args], capture_output=True, text=True,
                          env=env)


def _english_help_sentences(lang: str) -> list[str]:
    """The first words of every help text and click string that the language translates."""
    sentences = []
    for domain in DOMAINS:
        for message in _catalog(LOCALES / lang / "LC_MESSAGES" / f"{domain}.po"):
            if not message.id or message.pluralizable or message.string == message.id:
                continue
            words = message.id.split()
            if len(words) >= 3 and "{" not in " ".join(words[:5]) and "%" not in message.id:
                sentences.append(" ".join(words[:5]))
    return sentences


def _assert_no_english(output: str, lang: str) -> None:
    flat = " ".join(output.split())
    left = [s for s in _english_help_sentences(lang) if s in flat]
    assert left == [], f"English left in the {lang} help: {left}"


def test_help_in_spanish_from_lang():
    out = _run("--help", LANG="es_ES.UTF-8")
    assert out.returncode == 0, out.stderr
    for spanish in ("Uso: xlat", "Opciones:", "Órdenes:", "Mostrar este mensaje y salir.",
                    "Traducción y localización de artículos de noticias sin conexión.",
                    "Traduce artículos a uno o varios idiomas, sin conexión."):
        assert spanish in out.stdout
    _assert_no_english(out.stdout, "es")
    assert "Usage:" not in out.stdout and "Show this message" not in out.stdout


def test_subcommand_help_in_german_from_lang():
    out = _run("translate", "--help", LANG="de_DE.UTF-8")
    assert out.returncode == 0, out.stderr
    for german in ("Aufruf: xlat translate", "Optionen:", "Beispiele:", "Zielsprachen",
                   "Datei des Translation Memory", "[Standard: auto]", "[erforderlich]"):
        assert german in out.stdout
    _assert_no_english(out.stdout, "de")


@pytest.mark.parametrize("args", [("--ui-lang", "fr", "--help"), ("--help", "--ui-lang", "fr"),
                                  ("--ui-lang=fr", "detect", "--help")])
def test_ui_lang_option(args):
    out = _run(*args, LANG="es_ES.UTF-8")
    assert out.returncode == 0, out.stderr
    assert "Utilisation\u00a0: xlat" in out.stdout and "Afficher ce message et quitter." in out.stdout
    _assert_no_english(out.stdout, "fr")


def test_language_names_follow_ui_lang():
    out = _run("--ui-lang", "es", "languages", LANG="C")
    assert out.returncode == 0, out.stderr
    assert "inglés → español" in out.stdout and "IDIOMAS" in out.stdout


def test_c_locale_is_english():
    out = _run("--help", LANG="C", LANGUAGE="de")
    assert out.returncode == 0
    assert "Usage: xlat" in out.stdout and "Show this message and exit." in out.stdout
    assert "Offline translation and localization of news articles." in out.stdout


def _all_commands(group: click.Group, path=()):
    for name, command in sorted(group.commands.items()):
        yield (*path, name)
        if isinstance(command, click.Group):
            yield from _all_commands(command, (*path, name))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_help_page_is_translated(lang):
    """Every command's --help, whole (usage, help, options, defaults), in the language, also
    after the same process showed it in English (click keeps what it built)."""
    for path in [(), *_all_commands(main)]:
        i18n.set_ui_language("en")
        english = CliRunner().invoke(main, [*path, "--help"], prog_name="xlat")
        assert "Show this message and exit." in english.output
        i18n.set_ui_language(lang)
        result = CliRunner().invoke(main, [*path, "--help"], prog_name="xlat")
        assert result.exit_code == 0, result.output
        _assert_no_english(result.output, lang)
        assert "Usage:" not in result.output, path


def test_an_error_line_in_spanish(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    out = _run("detect", str(empty), str(tmp_path / "nowhere.txt"), LANG="es_ES.UTF-8")
    assert out.returncode == 1
    assert out.stderr.splitlines() == [f"xlat: error: {tmp_path / 'nowhere.txt'}: no existe el archivo o la carpeta",
                                       f"xlat: error: {empty}: archivo vacío"]
    usage = _run("detect", "--no-such-option", LANG="es_ES.UTF-8")
    assert usage.returncode == 2
    assert "Error: No existe la opción '--no-such-option'." in usage.stderr
    assert "Pruebe 'xlat detect --help' para obtener ayuda." in usage.stderr


def test_an_error_line_in_german(tmp_path):
    out = _run("translate", str(tmp_path), "--to", "es", "--engine", "nope", LANG="de_DE.UTF-8")
    assert out.returncode == 2
    assert "Fehler: Ungültiger Wert für '--engine': 'nope' ist keiner von auto, " in out.stderr


def test_counts_in_a_summary_take_the_plural_form(tmp_path):
    def tmx(units: int) -> Path:
        path = tmp_path / f"{units}.tmx"
        body = "".join(f'<tu><tuv xml:lang="en"><seg>Hello number {i}.</seg></tuv>'
                       f'<tuv xml:lang="es"><seg>Hola número {i}.</seg></tuv></tu>' for i in range(units))
        path.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header '
                        'srclang="en" datatype="plaintext" segtype="sentence" adminlang="en" '
                        'o-tmf="test" creationtool="test" creationtoolversion="1"/><body>'
                        f"{body}</body></tmx>", encoding="utf-8")
        return path

    memory = str(tmp_path / "memory.sqlite")
    one = _run("tm", "import", "--tm", memory, str(tmx(1)), LANG="es_ES.UTF-8")
    three = _run("tm", "import", "--tm", memory, str(tmx(3)), LANG="es_ES.UTF-8")
    assert one.returncode == three.returncode == 0, one.stderr + three.stderr
    assert one.stdout.strip() == f"1 par de segmentos importado de {tmp_path / '1.tmx'}"
    assert three.stdout.strip() == f"3 pares de segmentos importados de {tmp_path / '3.tmx'}"
    english = _run("tm", "import", "--tm", memory, str(tmx(1)), LANG="C")
    assert english.stdout.strip() == f"1 segment pair imported from {tmp_path / '1.tmx'}"


# -- nothing left unmarked -------------------------------------------------------------------

def test_every_command_and_option_translates_its_help():
    """Commands and options are xlat.cli_i18n's (help looked up when shown): an option made
    with plain click.option would show English help whatever the language."""
    from xlat import cli_i18n

    for path in [(), *_all_commands(main)]:
        command = main
        for name in path:
            command = command.commands[name]
        assert isinstance(command, (cli_i18n.Command, cli_i18n.Group)), path
        for param in command.params:
            if isinstance(param, click.Option) and param.help:
                assert isinstance(param, cli_i18n.Option), (path, param.name)


_SHOWN = {"echo", "_error", "_error_line", "_fail", "BadParameter", "UsageError", "ClickException"}


def _literal_words(node) -> list[str]:
    """The English words of string literals in a message expression (not inside _()...)."""
    import ast

    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return re.findall(r"[A-Za-z]{2,}", node.value)
    if isinstance(node, ast.JoinedStr):
        return [w for part in node.values if isinstance(part, ast.Constant)
                for w in _literal_words(part)]
    if isinstance(node, ast.BinOp):
        return _literal_words(node.left) + _literal_words(node.right)
    if isinstance(node, ast.IfExp):
        return _literal_words(node.body) + _literal_words(node.orelse)
    return []


@pytest.mark.parametrize("module", ["cli.py", "cli_models.py", "cli_review.py", "cli_export.py"])
def test_cli_messages_are_marked(module):
    """Every message the CLI prints is a translated one: a string literal with words given to
    click.echo, an error helper or a click exception fails here."""
    import ast

    tree = ast.parse((ROOT / "src" / "xlat" / module).read_text(encoding="utf-8"))
    unmarked = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name in _SHOWN:
                for arg in node.args[:1]:
                    if _literal_words(arg):
                        unmarked.append(f"{module}:{node.lineno}: {ast.unparse(arg)[:70]}")
    assert unmarked == [], "\n".join(unmarked)
