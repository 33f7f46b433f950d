"""OmegaT round trip with Debian's OmegaT 3.6 in console mode: export a project from a real
Apertium run, OmegaT loads it and matches every segment with xlat's machine translation, a
translator's edit in project_save.tmx comes back through `review apply` and is reused."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

OMEGAT_JAR = "/usr/share/omegat/OmegaT.jar"
ARTICLE = """# Budget news

The council approved the budget on Monday. The project has cost 1 billion since 1988.

The mayor said "we will build the new bridge" to the press. Visit [the site](http://example.com) for more.
"""


def _omegat(project) -> subprocess.CompletedProcess:
    java = shutil.which("java")
    if java is None or not __import__("os").path.exists(OMEGAT_JAR):
        pytest.fail("OmegaT is not installed (scripts/install.sh --test installs the omegat package)")
    return subprocess.run([java, "-Djava.awt.headless=true", "-jar", OMEGAT_JAR,
                           "--mode=console-translate", str(project)],
                          capture_output=True, text=True, timeout=300)


@pytest.fixture
def exported(xlat, tmp_path):
    source = tmp_path / "news" / "budget.md"
    source.parent.mkdir()
    source.write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "out"
    result = xlat("translate", str(source), "--to", "es", "--engine", "apertium", "--out", str(out))
    assert result.code == 0, result.stderr
    project = tmp_path / "omegat-es"
    result = xlat("export", "omegat", str(out), str(project))
    assert result.code == 0, result.stderr
    assert "5 segments with machine translation" in result.stdout
    return source, out, project


@pytest.mark.slow
def test_omegat_round_trip(xlat, exported, tmp_path):
    source, out, project = exported
    config = (project / "omegat.project").read_text(encoding="utf-8")
    assert "<source_lang>en</source_lang>" in config and "<target_lang>es</target_lang>" in config
    mt = (project / "tm" / "mt" / "xlat-mt.tmx").read_text(encoding="utf-8")
    assert 'srclang="en"' in mt and "<seg>The project has cost 1 billion since 1988.</seg>" in mt
    assert "«construiremos el puente nuevo»" in mt

    # OmegaT segments the source exactly as xlat's TMX has it: with the MT as an auto-inserted
    # memory, console-translate writes a target document that is xlat's translation throughout
    (project / "tm" / "auto").mkdir()
    shutil.copy(project / "tm" / "mt" / "xlat-mt.tmx", project / "tm" / "auto" / "xlat-mt.tmx")
    run = _omegat(project)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    target = (project / "target" / "budget.md.txt").read_text(encoding="utf-8")
    source_doc = (project / "source" / "budget.md.txt").read_text(encoding="utf-8")
    assert target.count("\n\n") == source_doc.count("\n\n") == 4
    assert "El proyecto ha costado 1 mil millones" in target
    assert "El alcalde dijo «construiremos el puente nuevo» a la prensa." in target
    for paragraph in source_doc.split("\n\n"):
        assert paragraph.strip() not in target  # every segment got its translation
    exported_tmx = project / "omegat-es-omegat.tmx"
    assert exported_tmx.is_file()  # OmegaT's own TMX: the format of omegat/project_save.tmx

    # a translator edits two segments (a number, a quotation) as OmegaT writes them
    saved = exported_tmx.read_text(encoding="utf-8")
    saved = saved.replace("El proyecto ha costado 1 mil millones desde entonces 1988.",
                          "La obra ha costado 1 millardo desde 1988.")
    saved = saved.replace("El alcalde dijo «construiremos el puente nuevo» a la prensa.",
                          "El alcalde dijo a la prensa «levantaremos el puente nuevo».")
    (project / "omegat" / "project_save.tmx").write_text(saved, encoding="utf-8")
    result = xlat("review", "apply", str(project / "omegat" / "project_save.tmx"), "--json")
    assert result.code == 0, result.stderr
    (applied,) = result.json_lines()
    assert applied["changed"] == 1 and applied["approved"] >= 5
    copy = (out / "es" / "budget.md").read_text(encoding="utf-8")
    assert "La obra ha costado 1 millardo desde 1988." in copy
    assert "El alcalde dijo a la prensa «levantaremos el puente nuevo»." in copy
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["documents"][0]["targets"]["es"]["status"] == "reviewed"

    # the next run reuses the approved sentences, numbers and quotation included
    again = xlat("translate", str(source), "--to", "es", "--engine", "apertium",
                 "--out", str(tmp_path / "fresh"), "--json")
    assert again.code == 0, again.stderr
    (doc,) = again.json_lines()
    fresh = (tmp_path / "fresh" / "es" / "budget.md").read_text(encoding="utf-8")
    assert "La obra ha costado 1 millardo desde 1988." in fresh
    assert "El alcalde dijo a la prensa «levantaremos el puente nuevo»." in fresh
    assert doc["targets"]["es"]["from_memory"] >= 5

    # and a new export carries the approved memory in tm/
    project2 = tmp_path / "omegat-es-2"
    assert xlat("export", "omegat", str(tmp_path / "fresh"), str(project2)).code == 0
    approved = (project2 / "tm" / "xlat-approved.tmx").read_text(encoding="utf-8")
    assert "El consejo aprobó el presupuesto el lunes." in approved


def test_apply_refuses_a_tmx_outside_a_project(xlat, tmp_path):
    stray = tmp_path / "project_save.tmx"
    stray.write_text('<tmx version="1.4"><header srclang="en"/><body/></tmx>', encoding="utf-8")
    result = xlat("review", "apply", str(stray))
    assert result.code == 1
    assert "not in an OmegaT project exported by xlat" in result.stderr
    assert "Traceback" not in result.stderr


def test_export_needs_an_output_folder(xlat, tmp_path):
    result = xlat("export", "omegat", str(tmp_path), str(tmp_path / "p"))
    assert result.code == 1 and "no manifest.json" in result.stderr


@pytest.mark.slow
def test_omegat_target_documents_come_back_too(xlat, exported):
    source, out, project = exported
    (project / "tm" / "auto").mkdir()
    shutil.copy(project / "tm" / "mt" / "xlat-mt.tmx", project / "tm" / "auto" / "xlat-mt.tmx")
    run = _omegat(project)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    target = project / "target" / "budget.md.txt"
    text = target.read_text(encoding="utf-8")
    edited = text.replace("El alcalde dijo «construiremos el puente nuevo» a la prensa.",
                          "El alcalde dijo a la prensa «levantaremos el puente nuevo».")
    assert edited != text
    target.write_text(edited, encoding="utf-8")
    result = xlat("review", "apply", str(target), "--json")
    assert result.code == 0, result.stderr
    copy = (out / "es" / "budget.md").read_text(encoding="utf-8")
    assert "El alcalde dijo a la prensa «levantaremos el puente nuevo»." in copy
    # a target document whose paragraphs no longer line up with its source is refused by name
    target.write_text(edited.replace("\n\n", "\n", 1), encoding="utf-8")
    result = xlat("review", "apply", str(target))
    assert result.code == 1 and str(target) in result.stderr and "paragraphs" in result.stderr
