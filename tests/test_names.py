"""Copy names (issue 14): a name that carries the source language carries the target's
(`x.en.txt` -> `es/x.es.txt`), `--name TEMPLATE` for other conventions, and the manifest,
XLIFF, resume and `review apply` all follow the copy's name. Translated with Apertium."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml import etree

from xlat.naming import NameTemplateError, check_template, copy_name
from xlat.review import xliff

TEXT = ("The city council approved the new budget on Tuesday after a long debate. "
        "The mayor said the works would start in spring.\n")


# (path below the input root, source language, target, expected copy below --out)
DEFAULT_NAMES = [
    ("karabakh.en.txt", "en", "es", "es/karabakh.es.txt"),
    ("notes_en.md", "en", "es", "es/notes_es.md"),
    ("plan_de_en.md", "en", "es", "es/plan_de_es.md"),
    ("en.md", "en", "ca", "ca/ca.md"),
    ("x.EN.md", "en", "es", "es/x.ES.md"),
    ("x.pt_BR.md", "pt-BR", "es", "es/x.es.md"),
    ("x.pt-BR.md", "pt", "es", "es/x.es.md"),
    ("x.en_US.txt", "en", "pt-BR", "pt-BR/x.pt_BR.txt"),
    ("en/2026/x.md", "en", "es", "es/2026/x.md"),
    ("docs/en/x.md", "en", "es", "es/docs/es/x.md"),
    ("EN/x.en.md", "en", "es", "es/x.es.md"),
    # a word that merely looks like a code, or another language's tag: kept
    ("report.final.md", "en", "es", "es/report.final.md"),
    ("plan_de.md", "en", "es", "es/plan_de.md"),
    ("de/x.md", "en", "es", "es/de/x.md"),
    ("sign_in.md", "id", "es", "es/sign_in.md"),
    ("docs/EN/x.md", "en", "es", "es/docs/ES/x.md"),
    ("x.pt-PT.md", "pt-BR", "es", "es/x.pt-PT.md"),
    ("karabakh.txt", "en", "es", "es/karabakh.txt"),
    ("README", "en", "es", "es/README"),
    (".en.md", "en", "es", "es/.en.md"),
]


@pytest.mark.parametrize("relative,source,target,expected", DEFAULT_NAMES,
                         ids=[f"{r}:{s}->{t}" for r, s, t, _ in DEFAULT_NAMES])
def test_default_names(relative, source, target, expected):
    assert copy_name(relative, source, target) == expected


TEMPLATED = [
    ("{relpath}/{stem}.{lang}{suffix}", "en/2026/karabakh.en.txt", "2026/karabakh.es.txt"),
    ("{relpath}/{stem}.{lang}{suffix}", "notes_en.md", "notes.es.md"),
    ("{lang}/{relpath}/{stem}{suffix}", "docs/en/x_en.md", "es/docs/es/x.md"),
    ("{stem}-{lang}{suffix}", "a/b/report.final.md", "report.final-es.md"),
    ("{relpath}/{lang}/{stem}", "a/x.en.md", "a/es/x"),
]


@pytest.mark.parametrize("template,relative,expected", TEMPLATED, ids=[f"{t}:{r}" for t, r, _ in TEMPLATED])
def test_templates(template, relative, expected):
    assert copy_name(relative, "en", "es", check_template(template)) == expected


@pytest.mark.parametrize("template,problem", [
    ("{stem}{ext}", "unknown field {ext}"),
    ("{}{stem}", "unknown field {}"),
    ("{stem!r}", "takes no format"),
    ("{stem:>9}", "takes no format"),
    ("../{stem}", "inside the output folder"),
    ("a/../../{stem}", "inside the output folder"),
    ("/tmp/{stem}", "inside the output folder"),
    ("~/{stem}", "inside the output folder"),
    ("{lang}{suffix}", "without {stem}"),
    ("{stem", "braces"),
])
def test_bad_templates_are_refused(template, problem):
    with pytest.raises(NameTemplateError, match=problem.replace("{", r"\{").replace("}", r"\}")):
        check_template(template)


def _tree(root: Path) -> Path:
    news = root / "news"
    for relative in ("en/2026/karabakh.en.txt", "notes_en.md", "report.final.md", "plan_de.md",
                     "docs/en/x.md"):
        path = news / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(TEXT, encoding="utf-8")
    return news


def _files(out: Path) -> list[str]:
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*")
                  if p.is_file() and not p.name.endswith(".xlf")
                  and p.name not in ("manifest.json", "review.html", ".xlat.lock"))


def test_a_newcomers_tree(xlat, tmp_path):
    news = _tree(tmp_path)
    out = tmp_path / "localized"
    result = xlat("translate", str(news), "--to", "es,ca", "--engine", "apertium", "--out", str(out))
    assert result.code == 0, result.stderr
    assert _files(out) == [
        "ca/2026/karabakh.ca.txt", "ca/docs/ca/x.md", "ca/notes_ca.md", "ca/plan_de.md",
        "ca/report.final.md",
        "es/2026/karabakh.es.txt", "es/docs/es/x.md", "es/notes_es.md", "es/plan_de.md",
        "es/report.final.md"]
    assert (out / "es" / "2026" / "karabakh.es.txt.xlf").is_file()  # the XLIFF follows the copy
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    entry = next(d for d in manifest["documents"] if d["source"].endswith("karabakh.en.txt"))
    assert entry["source"] == str(news / "en" / "2026" / "karabakh.en.txt")  # both recorded
    assert entry["targets"]["es"]["file"] == "es/2026/karabakh.es.txt"
    assert entry["targets"]["es"]["xliff_file"] == "es/2026/karabakh.es.txt.xlf"
    assert "karabakh.es.txt" in result.stdout
    # the language folder given as the argument: the same names
    again = tmp_path / "again"
    assert xlat("translate", str(news / "en"), "--to", "es", "--engine", "apertium",
                "--out", str(again)).code == 0
    assert _files(again) == ["es/2026/karabakh.es.txt"]


def test_the_detected_language_decides(xlat, tmp_path):
    """A name's tag is replaced only when it is the language the document is in."""
    spanish = tmp_path / "mislabelled.de.txt"
    spanish.write_text("El ayuntamiento aprobó el nuevo presupuesto el martes tras un largo "
                       "debate. El alcalde dijo que las obras empezarán en primavera.\n", encoding="utf-8")
    english = tmp_path / "story.en.txt"
    english.write_text(TEXT, encoding="utf-8")
    out = tmp_path / "out"
    result = xlat("translate", str(spanish), str(english), "--to", "ca", "--engine", "apertium",
                  "--out", str(out))
    assert result.code == 0, result.stderr
    assert _files(out) == ["ca/mislabelled.de.txt", "ca/story.ca.txt"]


def test_name_template_resume_and_review(xlat, tmp_path):
    news = _tree(tmp_path)
    out = tmp_path / "site"
    args = ("translate", str(news), "--to", "es,ca", "--engine", "apertium", "--out", str(out),
            "--name", "{relpath}/{stem}.{lang}{suffix}", "--json")
    first = xlat(*args)
    assert first.code == 0, first.stderr
    assert _files(out) == ["2026/karabakh.ca.txt", "2026/karabakh.es.txt", "docs/ca/x.ca.md",
                           "docs/es/x.es.md", "notes.ca.md", "notes.es.md", "plan_de.ca.md",
                           "plan_de.es.md", "report.final.ca.md", "report.final.es.md"]
    # resume: the same run again reuses every copy under its name
    second = xlat(*args)
    assert second.code == 0, second.stderr
    assert all(t["reused"] for d in second.json_lines() for t in d["targets"].values())
    # review apply finds the renamed copy through the manifest
    xlf = out / "notes.es.md.xlf"
    tree = etree.parse(str(xlf))
    target = tree.find(".//x:trans-unit/x:target", {"x": xliff.NS})
    target.text = "REVISADO por una persona."
    target.set("state", "final")
    tree.write(str(xlf), encoding="UTF-8", xml_declaration=True)
    applied = xlat("review", "apply", str(xlf), "--json")
    assert applied.code == 0, applied.stderr
    assert "REVISADO por una persona." in (out / "notes.es.md").read_text(encoding="utf-8")
    # another template: translated again under the new names (not taken for the old ones)
    third = xlat(*args[:-3], "--name", "{lang}-{stem}{suffix}", "--json")
    assert third.code == 0, third.stderr
    assert not any(t["reused"] for d in third.json_lines() for t in d["targets"].values())
    assert (out / "es-notes.md").is_file()


def test_copies_written_beside_the_sources_are_not_inputs_next_time(xlat, tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "about.md").write_text(TEXT, encoding="utf-8")
    args = ("translate", str(site), "--to", "es", "--from", "en", "--engine", "apertium",
            "--out", str(site), "--name", "{relpath}/{stem}.{lang}{suffix}")
    assert xlat(*args).code == 0
    result = xlat(*args)
    assert result.code == 0, result.stderr
    assert _files(site) == ["about.es.md", "about.md"]


def test_two_inputs_one_name(xlat, tmp_path):
    for folder in ("a", "b"):
        (tmp_path / "in" / folder).mkdir(parents=True)
        (tmp_path / "in" / folder / "x.md").write_text(TEXT, encoding="utf-8")
    out = tmp_path / "out"
    result = xlat("translate", str(tmp_path / "in"), "--to", "es", "--engine", "apertium",
                  "--out", str(out), "--name", "{lang}/{stem}{suffix}")
    assert result.code == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith("xlat: error: ") and str(tmp_path / "in" / "b" / "x.md") in line
    assert "would also be" in line and "--name" in line
    assert _files(out) == ["es/x.md"]
    assert "b/x.md" not in (out / "manifest.json").read_text(encoding="utf-8")


def test_a_name_of_xlats_own_files_is_refused(xlat, tmp_path):
    source = tmp_path / "review.txt"
    source.write_text(TEXT, encoding="utf-8")
    out = tmp_path / "out"
    result = xlat("translate", str(source), "--to", "es", "--engine", "apertium", "--out", str(out),
                  "--name", "{stem}.html")
    assert result.code == 1
    (line,) = result.stderr.splitlines()
    assert "xlat's own files" in line and "review.txt" in line


@pytest.mark.parametrize("args,problem", [
    (("--name", "{stem}{ext}"), "unknown field {ext}"),
    (("--name", "../{stem}{suffix}"), "inside the output folder"),
    (("--name", "{stem}{suffix}"), "without {lang} the copies into es, ca"),
    (("--name", "{lang}/{stem}{suffix}", "--out", "-"), "nothing is written"),
])
def test_template_errors_are_usage_errors(xlat, tmp_path, args, problem):
    source = tmp_path / "a.txt"
    source.write_text(TEXT, encoding="utf-8")
    result = xlat("translate", str(source), "--to", "es,ca", "--out", str(tmp_path / "out"), *args)
    assert result.code == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and problem in errors[0]
    assert not (tmp_path / "out").exists()


def test_the_library_refuses_a_bad_template_in_one_line(tmp_path):
    from xlat import TranslateSettings, translate_paths

    settings = TranslateSettings(("es", "ca"), out_dir=str(tmp_path / "out"), name="{stem}")
    (problem,) = list(translate_paths([str(tmp_path)], settings))
    assert isinstance(problem, NameTemplateError) and str(problem).startswith("--name '{stem}'")
    assert not (tmp_path / "out").exists()
