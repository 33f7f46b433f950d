"""Pure logic of the pipeline with a small fake engine (the real engines have their own tests)."""

from __future__ import annotations

from xlat.config import TranslateSettings
from xlat.translate.engines.base import Translation
from xlat.pipeline import translate_paths
from xlat.translate import engines
from xlat.translate.routing import Router


class Shouter:
    """'Translates' to upper case, followed by a [target] tag: easy to check; counts its calls."""

    name = "fake"

    def __init__(self, pairs):
        self._pairs = set(pairs)
        self.calls = []

    def pairs(self):
        return self._pairs

    def translate_batch(self, sentences, source, target):
        self.calls.append((source, target, list(sentences)))
        return [Translation(f"{s.upper()} [{target}]") for s in sentences]

    def signature(self, source, target):
        return f"fake:{source}-{target}"


def _router(engine):
    engines.register(engine.name, lambda settings: engine)
    router = Router(engine.name)
    return router


def test_pivot_is_translated_once_for_all_targets(tmp_path):
    engine = Shouter({("fr", "en"), ("en", "de"), ("en", "it")})
    article = tmp_path / "a.txt"
    article.write_text("Le conseil a voté. Le budget est adopté.\n\nLa séance est levée.\n", encoding="utf-8")
    settings = TranslateSettings(targets=("de", "it"), source="fr", out_dir=str(tmp_path / "out"))
    results = list(translate_paths([str(article)], settings, router=_router(engine)))
    assert len(results) == 1
    assert [(s, t, len(batch)) for s, t, batch in engine.calls] == [("fr", "en", 3), ("en", "de", 3), ("en", "it", 3)]
    german = (tmp_path / "out" / "de" / "a.txt").read_text(encoding="utf-8")
    assert german == ("LE CONSEIL A VOTÉ. [EN] [de] LE BUDGET EST ADOPTÉ. [EN] [de]\n\n"
                      "LA SÉANCE EST LEVÉE. [EN] [de]\n")


def test_sentences_of_all_documents_share_one_batch(tmp_path):
    engine = Shouter({("en", "de")})
    for i, name in enumerate(("alpha", "beta", "gamma")):
        (tmp_path / f"{i}.txt").write_text(f"Sentence one of {name}. Sentence two.\n", encoding="utf-8")
    settings = TranslateSettings(targets=("de",), source="en", out_dir=str(tmp_path / "out"))
    list(translate_paths([str(tmp_path / f"{i}.txt") for i in range(3)], settings, router=_router(engine)))
    assert len(engine.calls) == 1
    assert engine.calls[0][2] == ["Sentence one of alpha.", "Sentence two.", "Sentence one of beta.",
                                  "Sentence one of gamma."]


def test_a_window_holds_at_most_window_documents(tmp_path, monkeypatch):
    """Memory flat in the number of documents: a window ends at `window` documents
    however few sentences they have, each written before the next window is read; the
    progress line counts the whole run."""
    engine = Shouter({("en", "de")})
    paths = []
    for i in range(5):
        (tmp_path / f"{i}.txt").write_text(f"Sentence {'abcde'[i]} here.\n", encoding="utf-8")
        paths.append(str(tmp_path / f"{i}.txt"))
    settings = TranslateSettings(targets=("de",), source="en", out_dir=str(tmp_path / "out"), window=2)
    seen = []
    results = list(translate_paths(paths, settings, router=_router(engine),
                                   progress=lambda done, total, note="": seen.append((done, total))))
    assert len(results) == 5
    assert [len(batch) for _, _, batch in engine.calls] == [2, 2, 1]
    assert seen[-1] == (5, 5) and all(total == 5 for _, total in seen)


def test_resume_skips_unchanged_targets(tmp_path):
    engine = Shouter({("en", "de"), ("en", "fr")})
    article = tmp_path / "a.txt"
    article.write_text("The council voted on Tuesday.\n", encoding="utf-8")

    def run(**options):
        settings = TranslateSettings(targets=("de", "fr"), source="en", out_dir=str(tmp_path / "out"),
                                     use_memory=False, **options)
        engine.calls.clear()
        (outcome,) = translate_paths([str(article)], settings, router=_router(engine))
        return {t.language: t.reused for t in outcome.targets}

    assert run() == {"de": False, "fr": False}
    assert run() == {"de": True, "fr": True} and engine.calls == []
    assert run(force=True) == {"de": False, "fr": False} and len(engine.calls) == 2
    assert run(quotes="source") == {"de": False, "fr": False}  # other settings: done again
    (tmp_path / "out" / "fr" / "a.txt").unlink()
    assert run(quotes="source") == {"de": True, "fr": False}
    article.write_text("The council voted on Wednesday.\n", encoding="utf-8")
    assert run(quotes="source") == {"de": False, "fr": False}


def test_memory_reuses_machine_output_and_prefers_approved(tmp_path):
    from xlat.translate.memory import Memory

    engine = Shouter({("en", "de")})
    article = tmp_path / "a.txt"
    article.write_text("The council voted. The mayor left.\n", encoding="utf-8")
    memory = tmp_path / "tm.sqlite"

    def run():
        engine.calls.clear()
        settings = TranslateSettings(targets=("de",), source="en", out_dir=str(tmp_path / "out"),
                                     memory=str(memory), force=True)
        (outcome,) = translate_paths([str(article)], settings, router=_router(engine))
        return (tmp_path / "out" / "de" / "a.txt").read_text(encoding="utf-8"), outcome.targets[0]

    first, _ = run()
    assert [len(batch) for _, _, batch in engine.calls] == [2]
    again, _ = run()
    assert again == first and engine.calls == []  # machine output remembered
    with Memory(memory) as tm:
        tm.approve("en", "de", [("The council voted.", "Der Rat hat abgestimmt.")])
    reviewed, target = run()
    assert reviewed.startswith("Der Rat hat abgestimmt. ") and target.from_memory == 1
    article.write_text("The council voted. The mayor stayed.\n", encoding="utf-8")
    edited, _ = run()
    assert [batch for _, _, batch in engine.calls] == [["The mayor stayed."]]  # only what changed
    assert edited.startswith("Der Rat hat abgestimmt. ")
