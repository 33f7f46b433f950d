"""Babel extractor for xlat's sources (babel.cfg): the `_`, `N_` and `ngettext` calls, as Babel's
Python extractor finds them, and the docstrings of click commands (their help), cleaned as
click shows them (inspect.cleandoc), which is how xlat.cli_i18n looks them up."""

from __future__ import annotations

import ast
import inspect

from babel.messages.extract import extract_python

_DECORATORS = ("command", "group")


def extract(fileobj, keywords, comment_tags, options):
    source = fileobj.read()
    fileobj.seek(0)
    yield from extract_python(fileobj, keywords, comment_tags, options)
    encoding = options.get("encoding", "utf-8")
    text = source.decode(encoding) if isinstance(source, bytes) else source
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and _is_command(node):
            doc = ast.get_docstring(node, clean=False)
            if doc:
                yield node.body[0].lineno, None, inspect.cleandoc(doc), []


def _is_command(node) -> bool:
    for decorator in node.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
        if name in _DECORATORS:
            return True
    return False
