"""Settings of a translation run: one frozen object, each field documented once."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EngineSettings:
    """How engines run. The CLI's --device, --compute-type, --beam-size and --threads set these."""

    device: str = "auto"
    """'cpu', 'cuda', or 'auto' (cuda when CTranslate2 sees a GPU)."""
    compute_type: str = "auto"
    """CTranslate2 compute type; 'auto' is int8 on CPU and int8_float16 on GPU."""
    beam_size: int = 2
    """Beam search width for Argos models (1 = greedy: fastest)."""
    threads: int = 0
    """CPU threads for one model (0: CTranslate2's default, all cores)."""
    max_batch_tokens: int = 2048
    """Source-token budget of one translate_batch call (sentences are grouped by length)."""
    length_ratio: float = 2.0
    length_margin: int = 10
    """A translation may have at most length_ratio * source tokens + length_margin tokens, so a
    looping model cannot run away; longer output is cut and flagged."""


@dataclass(frozen=True)
class TranslateSettings:
    targets: tuple[str, ...]
    source: str = "auto"
    """Source language, or 'auto' to detect it per document."""
    engine: str = "auto"
    """'auto', 'argos' or 'apertium'."""
    out_dir: str = "localized"
    quotes: str = "target"
    """'target': quotation marks of the target locale; 'source': keep the source's marks."""
    force: bool = False
    """Translate even when the detected language is unreliable or already the target's."""
    engine_settings: EngineSettings = EngineSettings()
    memory: str | None = None
    """Translation memory file (SQLite); None: $XLAT_DATA_DIR/memory.sqlite."""
    glossary: str | None = None
    """Glossary file (TOML or TSV); None: the [glossary] of ./xlat.toml when there is one."""
    use_memory: bool = True
    """Reuse approved sentences and earlier machine output, and remember new output."""
    follow_symlinks: bool = False
    """Read symbolic links that lead outside the folder given (by default they are refused)."""
    encoding: str | None = None
    """The inputs' encoding (None: UTF-8; "auto": UTF-8, else a legacy one the file fits)."""
    fuzzy_threshold: int = 75
    """Approved sentences at least this similar (percent) are offered in the XLIFF as fuzzy
    matches (<alt-trans origin="tm" match-quality>); 0: no fuzzy lookups."""
    fuzzy_accept: int | None = None
    """A fuzzy match at least this similar (whose codes fit) is the proposal instead of the
    engine's output; None: never."""
    cluster: str | None = None
    """A Ray cluster's address (xlat.translate.cluster): the engine calls go to its workers;
    None: translate on this machine."""
    window: int = 200
    """Documents per window (read, translate, write; memory is flat in the run's size). The
    engine's batches are a window's sentences: runs compared file for file use the same."""
    name: str | None = None
    """How copies are named below out_dir (xlat.naming: {stem} {lang} {suffix} {relpath});
    None: `<lang>/<path below the input root>`, a language tag in the name made the target's."""

    @property
    def to_stdout(self) -> bool:
        """out_dir "-": nothing is written; each TargetOutcome carries its copy's text."""
        return self.out_dir == "-"


@dataclass(frozen=True)
class CopySettings:
    """What a localized copy depends on besides its source, recorded in the manifest as a JSON
    object: a copy is reused only when these are equal, and `review apply` renders with them."""

    engines: tuple[str, ...]
    """Engine signatures (engine, model or data version, settings); ("copy",) when none ran."""
    quotes: str = "target"
    glossary: str | None = None
    """The glossary file the terms came from, and its checksum (glossary_sha256)."""
    glossary_sha256: str | None = None
    xlat: str = ""
    """xlat's version."""

    def to_json(self) -> dict:
        return {"engines": list(self.engines), "quotes": self.quotes, "glossary": self.glossary,
                "glossary_sha256": self.glossary_sha256, "xlat": self.xlat}

    @classmethod
    def from_json(cls, data) -> "CopySettings | None":
        """The record of a manifest entry (None: there is none, or not one this xlat wrote)."""
        if not isinstance(data, dict):
            return None
        try:
            return cls(tuple(data["engines"]), data["quotes"], data.get("glossary"),
                       data.get("glossary_sha256"), data.get("xlat", ""))
        except (KeyError, TypeError):
            return None
