"""The name of a localized copy, below the output folder.

By default a copy is `<lang>/<path below the input root>`, and a name that says which language
it is in says the target's instead of the source's:

- a tag before the suffix, after a dot or an underscore: `karabakh.en.txt` -> `es/karabakh.es.txt`,
  `notes_en.md` -> `es/notes_es.md`, `en.md` -> `es/es.md`, `x.pt_BR.md` (from pt-BR) -> `es/x.es.md`;
- a folder named as the source language: the first folder below the input root is the
  `<lang>/` folder itself (`news/en/2026/x.md`, argument `news/` -> `es/2026/x.md`, as the
  argument `news/en/` gives), a folder further down is renamed (`docs/en/x.md` -> `es/docs/es/x.md`).

Only a tag equal to the document's source language (detected or --from; case and `-`/`_`
ignored; `en-GB` counts as `en` when the source has no region) is replaced: `report.final.md`
stays, and so does `plan_de.md` when the source is English.

`--name TEMPLATE` names copies otherwise, relative to the output folder, with these fields:
`{lang}` the target language; `{stem}` the file name without its suffix and without its
language tag; `{suffix}` the last suffix with its dot (`.md`, empty when there is none);
`{relpath}` the folder below the input root as the default layout has it below `<lang>/`
(empty for a file at the root; empty path components are dropped, so `{relpath}/{stem}` is fine).
The default is `{lang}/{relpath}/NAME` with NAME the file's name, its tag replaced.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from pathlib import PurePosixPath

from xlat.errors import InputError, XlatError
from xlat.i18n import _
from xlat.languages import canonical

FIELDS = ("stem", "lang", "suffix", "relpath")
RESERVED = {"manifest.json", "manifest.journal", "review.html", ".xlat.lock"}
"""xlat's own files at the top of the output folder: never a copy's name."""

_TAG = re.compile(r"[A-Za-z]{2,3}(?:[-_](?:[A-Za-z]{4}|[A-Za-z]{2}|[0-9]{3}))*")


class NameTemplateError(XlatError):
    """A --name template that cannot be used (one line)."""


@dataclass(frozen=True)
class NameParts:
    """A source's name taken apart for one source language."""

    folders: tuple[tuple[str, bool], ...]
    """The folders below the input root, each with whether its name is the source language."""
    stem: str
    """The name without suffix and without the language tag (and its separator)."""
    suffix: str
    tagged: tuple[str, str] | None = None
    """(separator, tag as written) when the name carries the source language."""


def is_source_tag(tag: str, source: str) -> bool:
    """Whether `tag` (as written in a file name) names the language `source`.

    >>> is_source_tag("EN", "en"), is_source_tag("pt_BR", "pt-BR"), is_source_tag("en-GB", "en")
    (True, True, True)
    >>> is_source_tag("de", "en"), is_source_tag("pt-PT", "pt-BR"), is_source_tag("final", "en")
    (False, False, False)
    """
    if not _TAG.fullmatch(tag):
        return False
    # no aliases here: `sign_in.md` is not Indonesian ("in" is an old code for "id")
    written, wanted = tag.replace("_", "-").lower(), source.replace("_", "-").lower()
    return written == wanted or ("-" not in wanted and written.split("-")[0] == wanted)


def split(relative: str, source: str) -> NameParts:
    """`relative` (a posix path below the input root) taken apart for the language `source`."""
    path = PurePosixPath(relative)
    folders = tuple((f, is_source_tag(f, source)) for f in path.parts[:-1])
    name = path.name
    suffix = path.suffix if path.suffix != name else ""
    base = name[:len(name) - len(suffix)] if suffix else name
    if is_source_tag(base, source):  # `en.md`: the name is the language
        return NameParts(folders, "", suffix, ("", base))
    for i in range(len(base) - 1, 0, -1):  # the shortest tag first: `plan_de_en` is `plan_de` + en
        if base[i] in "._" and is_source_tag(base[i + 1:], source):
            return NameParts(folders, base[:i], suffix, (base[i], base[i + 1:]))
    return NameParts(folders, base, suffix)


def tag_as_written(target: str, written: str) -> str:
    """The target's tag in the style of the one it replaces (`EN` -> `ES`, `pt_BR` -> `es_MX`).

    >>> tag_as_written("pt-BR", "en"), tag_as_written("es", "EN"), tag_as_written("pt-BR", "en_US")
    ('pt-BR', 'ES', 'pt_BR')
    """
    tag = canonical(target)
    if "_" in written:
        tag = tag.replace("-", "_")
    if written.isupper() and len(written) > 1:
        tag = tag.upper()
    return tag


def relpath(parts: NameParts, target: str) -> str:
    """The folder below `<lang>/`: a leading source-language folder is `<lang>/` itself, one
    further down takes the target's name."""
    folders = list(parts.folders)
    if folders and folders[0][1]:
        folders = folders[1:]
    return "/".join(tag_as_written(target, f) if tagged else f for f, tagged in folders)


def default_name(parts: NameParts, target: str) -> str:
    if parts.tagged is None:
        name = parts.stem + parts.suffix
    else:
        sep, written = parts.tagged
        name = parts.stem + sep + tag_as_written(target, written) + parts.suffix
    return "/".join(p for p in (canonical(target), relpath(parts, target), name) if p)


def check_template(template: str, targets: tuple[str, ...] | list[str] = ()) -> str:
    """`template` when it can name copies (into `targets`), else NameTemplateError (one line)."""
    try:
        pieces = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise NameTemplateError(_("{template}: {problem} (write {{{{ and }}}} for braces)").format(
            template=repr(template), problem=exc)) from None
    for literal, field, spec, conversion in pieces:
        if field is None:
            continue
        if field not in FIELDS:
            shown = "{" + field + "}" if field else "{}"
            raise NameTemplateError(_("{template}: unknown field {field} (fields: {fields})").format(
                template=repr(template), field=shown, fields=" ".join("{" + f + "}" for f in FIELDS)))
        if spec or conversion:
            raise NameTemplateError(_("{template}: {field} takes no format or conversion").format(
                template=repr(template), field="{" + field + "}"))
    literal = "".join(p[0] for p in pieces)
    if template.startswith("/") or template.startswith("~") or any(
            part == ".." for part in re.split(r"[/\\]", literal)) or "\\" in literal:
        raise NameTemplateError(_("{template}: a copy's name must stay inside the output "
                                  "folder (no leading /, ~, \\ or ..)").format(template=repr(template)))
    fields = {p[1] for p in pieces}
    if "stem" not in fields:
        raise NameTemplateError(_("{template}: without {{stem}} every input would be the "
                                  "same file").format(template=repr(template)))
    if len(targets) > 1 and "lang" not in fields:
        raise NameTemplateError(_("{template}: without {{lang}} the copies into {targets} "
                                  "would be the same file").format(template=repr(template),
                                                                   targets=", ".join(targets)))
    return template


def copy_name(relative: str, source: str, target: str, template: str | None = None) -> str:
    """The copy's path below the output folder (posix), for a source at `relative` below its
    input root, in `source`, translated into `target`. InputError when it cannot be used."""
    parts = split(relative, source)
    if template is None:
        name = default_name(parts, target)
    else:
        name = template.format(stem=parts.stem, lang=canonical(target), suffix=parts.suffix,
                               relpath=relpath(parts, target))
    components = [c for c in name.split("/") if c]
    if not components or any(c in (".", "..") for c in components):
        raise InputError(relative, _("its copy's name {name} (--name) is not a file inside the "
                                     "output folder; not translated").format(name=repr(name)))
    if len(components) == 1 and components[0] in RESERVED:
        raise InputError(relative, _("its copy's name {name} is one of xlat's own files; "
                                     "choose another --name").format(name=repr(name)))
    return "/".join(components)
