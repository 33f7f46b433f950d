"""TMX from other tools: OmegaT's EN-US/ES-ES tags and inline codes are reused by xlat."""

from __future__ import annotations


def _omegat_tmx(units, src="EN-US", tgt="ES-ES", attr="xml:lang"):
    body = "".join(f'<tu><tuv {attr}="{src}"><seg>{s}</seg></tuv><tuv {attr}="{tgt}"><seg>{t}</seg></tuv></tu>'
                   for s, t in units)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE tmx SYSTEM "tmx11.dtd">\n<tmx version="1.4">'
            f'<header creationtool="OmegaT" o-tmf="OmegaT TMX" adminlang="EN-US" datatype="plaintext" '
            f'segtype="sentence" srclang="{src}"/><body>{body}</body></tmx>')


def test_omegat_language_tags_are_reused(xlat, tmp_path):
    tmx = tmp_path / "omegat.tmx"
    tmx.write_text(_omegat_tmx([("The council approved the budget on Monday.",
                                 "El pleno aprobó el presupuesto el lunes.")]), encoding="utf-8")
    tm = tmp_path / "tm.sqlite"
    result = xlat("tm", "import", str(tmx), "--tm", str(tm))
    assert result.code == 0, result.stderr
    assert "1 segment pair imported" in result.stdout
    source = tmp_path / "a.txt"
    source.write_text("The council approved the budget on Monday.\n", encoding="utf-8")
    out = tmp_path / "out"
    result = xlat("translate", str(source), "--to", "es", "--from", "en", "--engine", "apertium",
                  "--out", str(out), "--tm", str(tm), "--json")
    assert result.code == 0, result.stderr
    assert "El pleno aprobó el presupuesto el lunes." in (out / "es" / "a.txt").read_text(encoding="utf-8")


def test_lowercase_region_and_lang_attribute(xlat, tmp_path):
    tmx = tmp_path / "t.tmx"
    tmx.write_text(_omegat_tmx([("Good morning.", "Buenos días.")], "en-us", "es-es", "lang"),
                   encoding="utf-8")
    tm = tmp_path / "tm.sqlite"
    assert xlat("tm", "import", str(tmx), "--tm", str(tm)).code == 0
    export = tmp_path / "out.tmx"
    assert xlat("tm", "export", "--tmx", str(export), "--tm", str(tm)).code == 0
    written = export.read_text(encoding="utf-8")
    assert 'srclang="en"' in written and "*all*" not in written
    assert 'xml:lang="es"' in written


def test_inline_codes_keep_their_text(xlat, tmp_path):
    tmx = tmp_path / "t.tmx"
    tmx.write_text(_omegat_tmx([('Read <bpt i="1" x="1">&lt;a0&gt;</bpt>the report<ept i="1">&lt;/a0&gt;</ept> '
                                 'since <ph x="2">1988</ph>.',
                                 'Lea <bpt i="1" x="1">&lt;a0&gt;</bpt>el informe<ept i="1">&lt;/a0&gt;</ept> '
                                 'desde <ph x="2">1988</ph>.')]), encoding="utf-8")
    tm = tmp_path / "tm.sqlite"
    assert xlat("tm", "import", str(tmx), "--tm", str(tm)).code == 0
    from xlat.translate.memory import Memory

    with Memory(tm, writable=False) as memory:
        assert memory.approved("en", "es", ["Read the report since 1988."]) == {
            "Read the report since 1988.": "Lea el informe desde 1988."}


def _translate(xlat, tmp_path, text, tm):
    import json

    source = tmp_path / "a.txt"
    source.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    result = xlat("translate", str(source), "--to", "es", "--from", "en", "--engine", "apertium",
                  "--out", str(out), "--tm", str(tm), "--json")
    assert result.code == 0, result.stderr
    return (out / "es" / "a.txt").read_text(encoding="utf-8"), json.loads(result.stdout)["targets"]["es"]


def test_entries_with_numbers_and_links_match_by_their_text(xlat, tmp_path):
    """OmegaT's segment has "1988" where xlat's key has ⟦n⟧: matched by the visible text, the
    number turned back into its placeholder; a pair whose target lost the number is not used."""
    tmx = tmp_path / "omegat.tmx"
    tmx.write_text(_omegat_tmx([
        ("The works started in 1988.", "Las obras empezaron en 1988 según el pleno."),
        ("Details are at https://example.org/report today.", "Los detalles están hoy en https://example.org/report."),
        ("The bridge cost 40 million.", "El puente costó cuarenta millones."),
    ]), encoding="utf-8")
    tm = tmp_path / "tm.sqlite"
    assert xlat("tm", "import", str(tmx), "--tm", str(tm)).code == 0
    copy, outcome = _translate(xlat, tmp_path, "The works started in 1988. Details are at "
                               "https://example.org/report today.\n\nThe bridge cost 40 million.\n", tm)
    assert "Las obras empezaron en 1988 según el pleno." in copy
    assert "Los detalles están hoy en https://example.org/report." in copy
    assert "cuarenta millones" not in copy and "40" in copy  # the engine's, with the number kept
    assert outcome["from_memory"] == 2
    assert outcome["integrity"] == [] and outcome["repairs"] == []
    xliff = (tmp_path / "out" / "es" / "a.txt.xlf").read_text(encoding="utf-8")
    assert xliff.count('state-qualifier="leveraged-tm"') == 2


def test_an_import_with_a_pair_no_engine_translates_warns_by_name(tmp_path, xlat):
    tmx = tmp_path / "agency.tmx"
    tmx.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header creationtool="x" '
        'creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en" srclang="EN-US" '
        'datatype="plaintext"/><body><tu><tuv xml:lang="EN-US"><seg>Hello world.</seg></tuv>'
        '<tuv xml:lang="ES-ES"><seg>Hola mundo.</seg></tuv><tuv xml:lang="JA"><seg>こんにちは。</seg>'
        '</tuv></tu></body></tmx>\n', encoding="utf-8")
    result = xlat("tm", "import", str(tmx), "--tm", str(tmp_path / "m.sqlite"))
    assert result.code == 0, result.stderr
    (warning,) = result.stderr.splitlines()
    assert warning.startswith(f"xlat: warning: {tmx}: en -> ja ")


def test_sentence_level_export_of_an_output_folder(tmp_path, xlat):
    from translate.storage import tmx as toolkit_tmx

    article = tmp_path / "b.md"
    article.write_text("# Budget news\n\nThe council approved the budget on Monday. The project has "
                       "cost 1 billion since 1988.\n\nThe mayor said \"we will build the new bridge\" "
                       "to the press.\n", encoding="utf-8")
    out = tmp_path / "out"
    assert xlat("translate", str(article), "--to", "es", "--from", "en", "--engine", "apertium",
                "--out", str(out), "--no-tm").code == 0
    exported = tmp_path / "sentences.tmx"
    result = xlat("tm", "export", "--tmx", str(exported), "--from-out", str(out))
    assert result.code == 0, result.stderr
    store = toolkit_tmx.tmxfile.parsefile(str(exported))
    sources = [unit.source for unit in store.units]
    # whole sentences, the quotation inline and the number as its text: as a CAT tool segments
    assert "The project has cost 1 billion since 1988." in sources
    assert "The mayor said \"we will build the new bridge\" to the press." in sources
    assert all("⟦" not in unit.source + unit.target for unit in store.units)
    # imported into a memory, the sentence with a number is reused by a later run
    memory = tmp_path / "m.sqlite"
    assert xlat("tm", "import", str(exported), "--tm", str(memory)).code == 0
    again = xlat("translate", str(article), "--to", "es", "--from", "en", "--engine", "apertium",
                 "--out", str(tmp_path / "again"), "--tm", str(memory), "--json")
    assert again.code == 0, again.stderr
    assert again.json_lines()[0]["targets"]["es"]["from_memory"] >= 2
