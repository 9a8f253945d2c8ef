"""The source to check, from a string or from a function defined in a notebook.

A function's own source is not a whole program: a notebook imports torch in one cell and
uses it in another, and may call a helper from a third. So the modules and the
notebook-defined helpers the function names are written in front of it, as imports and
as their own source; the grader then runs the same code the kernel would.
"""

from __future__ import annotations

import inspect
import textwrap
import types
from collections.abc import Callable

from quizapp.errors import UsageError

MAX_HELPERS = 20


def source_of(fn_or_source: Callable | str) -> str:
    if isinstance(fn_or_source, str):
        return fn_or_source
    if not callable(fn_or_source):
        raise UsageError(
            f"quizapp.check wants a function or its source as a string, "
            f"not {type(fn_or_source).__name__}"
        )
    fn = inspect.unwrap(fn_or_source)
    if not isinstance(fn, types.FunctionType):
        raise UsageError(
            f"cannot read the source of {_name(fn)}: it is not a Python function; "
            "pass its source as a string"
        )
    return _program(fn)


def _name(fn: object) -> str:
    return getattr(fn, "__qualname__", None) or type(fn).__name__


def _own_source(fn: types.FunctionType) -> str:
    try:
        return textwrap.dedent(inspect.getsource(fn))
    except (OSError, TypeError):
        raise UsageError(
            f"cannot read the source of {_name(fn)} (a function made by exec or typed into a "
            "plain Python prompt keeps none); pass its source as a string, or check the cell "
            "with %%quizapp"
        ) from None


def _program(fn: types.FunctionType) -> str:
    """Imports for the modules `fn` (and its helpers) name, the helpers, then `fn`."""
    imports: dict[str, str] = {}
    helpers: list[str] = []
    seen: set[str] = {fn.__name__}
    queue = [fn]
    while queue:
        current = queue.pop(0)
        for name in sorted(_global_names(current.__code__)):
            value = current.__globals__.get(name)
            if isinstance(value, types.ModuleType):
                imports.setdefault(name, _import_line(name, value))
            elif (
                isinstance(value, types.FunctionType)
                and name not in seen
                and value.__module__ == fn.__module__
                and len(seen) <= MAX_HELPERS
            ):
                seen.add(name)
                helpers.append(_own_source(value))
                queue.append(value)
    parts = ["\n".join(imports[n] for n in sorted(imports))] if imports else []
    parts += [h.rstrip("\n") for h in reversed(helpers)]
    parts.append(_own_source(fn).rstrip("\n"))
    return "\n\n\n".join(parts) + "\n"


def _global_names(code: types.CodeType) -> set[str]:
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= _global_names(const)
    return names


def _import_line(name: str, module: types.ModuleType) -> str:
    full = module.__name__
    if full == name:
        return f"import {full}"
    if "." in full:
        parent, _, leaf = full.rpartition(".")
        if leaf == name:
            return f"from {parent} import {leaf}"
    return f"import {full} as {name}"
