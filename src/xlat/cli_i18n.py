"""Click commands whose help is shown in the interface language.

Click builds commands and options when their modules are imported, before the interface
language is known (--ui-lang), so help texts are kept in English and translated each time
they are read: `help`, `short_help` and `epilog` of these classes are properties that look the
English text up in the catalogs (xlat.i18n). A command's docstring is its help; the extractor
(xlat._extract) takes docstrings of commands as messages, cleaned as click cleans them.
"""

from __future__ import annotations

import functools
import inspect

import click

from xlat.i18n import _, install_into_click


def _translated(attribute: str) -> property:
    key = "_xlat_" + attribute

    def get(self):
        text = self.__dict__.get(key)
        return _(inspect.cleandoc(text)) if text else text

    def set_(self, value):
        self.__dict__[key] = value

    return property(get, set_)


class _TranslatedHelp:
    help = _translated("help")
    short_help = _translated("short_help")
    epilog = _translated("epilog")


class _TranslatedHelpOption:
    def get_help_option(self, ctx):
        """Click makes the --help option once per command and keeps it: its help is set again
        in the language of the moment."""
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = _("Show this message and exit.")
        return option


class Command(_TranslatedHelp, _TranslatedHelpOption, click.Command):
    pass


class Group(_TranslatedHelp, _TranslatedHelpOption, click.Group):
    command_class = Command
    group_class = type  # subgroups of a Group are Groups


class Option(click.Option):
    help = _translated("help")


class PercentMessage(str):
    """A %-format message translated when it is filled (click's --version message, made when
    the module is imported)."""

    def __mod__(self, values):
        return _(str(self)) % values


option = functools.partial(click.option, cls=Option)
"""click.option with its help translated when shown."""

group = functools.partial(click.group, cls=Group)
command = functools.partial(click.command, cls=Command)

install_into_click()
