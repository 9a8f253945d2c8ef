"""References from decks to the reference solvers: `module:function`, e.g. `vit:patch_count`.

A reference names a public function defined at the top level of `solvers/<module>.py`.
Loading a deck only *checks* a reference, against the module's source parsed with `ast`:
importing would run code a deck chose and pay for torch at start-up. Computing an answer
*resolves* it by importing, and only ever inside the solvers package.
"""

from __future__ import annotations

import ast
import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from quizapp import locations
from quizapp.decks.cache import ParsedDeckCache

SOLVERS_PACKAGE = "quizapp.solvers"  # the import name of the solvers/ folder
_PATTERN = re.compile(r"^([a-z_][a-z0-9_]*):([a-z_][A-Za-z0-9_]*)$")
_CACHE_KEY = b"solver functions\n"  # keeps these entries apart from parsed decks

# module -> its top-level function names, or why they cannot be read; see `index_solvers`
_functions: dict[str, frozenset[str] | str] = {}


class SolverError(Exception):
    """A solver reference that cannot be resolved or called."""


@dataclass(frozen=True)
class SolverRef:
    module: str
    function: str

    @classmethod
    def parse(cls, text: object) -> SolverRef:
        """The reference `text` spells; a private name (`_helper`) is refused."""
        match = _PATTERN.match(text) if isinstance(text, str) else None
        if match is None or match.group(2).startswith("_"):
            raise SolverError(f"{text!r} is not a 'module:function' reference inside solvers/")
        return cls(match.group(1), match.group(2))

    def __str__(self) -> str:
        return f"{self.module}:{self.function}"

    @property
    def path(self) -> Path:
        return locations.solvers_dir() / f"{self.module}.py"

    def validate(self) -> None:
        """Raise `SolverError` unless the module's source defines this function at its top
        level. The source is parsed, never imported."""
        found = _module_functions(self.module)
        if isinstance(found, str):
            raise SolverError(f"unknown solver '{self}': {found}")
        if self.function not in found:
            raise SolverError(
                f"unknown solver '{self}': solvers/{self.module}.py has no function "
                f"'{self.function}'"
            )

    def resolve(self) -> Callable[..., Any]:
        """The function itself, imported from the solvers package."""
        try:
            module = importlib.import_module(f"{SOLVERS_PACKAGE}.{self.module}")
        except ImportError as err:
            raise SolverError(f"cannot import solvers/{self.module}.py: {err}") from None
        function = getattr(module, self.function, None)
        if not callable(function) or getattr(function, "__module__", "") != module.__name__:
            raise SolverError(f"solvers/{self.module}.py defines no function '{self.function}'")
        return function

    def source(self, *, with_helpers: bool = False) -> str:
        """The function's source text, read from its file ('' when it cannot be read).

        With `with_helpers`, also what it needs from its module (the imports, constants and
        helper functions it uses, directly or through a helper), in file order: a reference
        shown to a student must not call a `_scores` it does not show."""
        try:
            text = self.path.read_text(encoding="utf-8")
            tree = ast.parse(text)
        except (OSError, SyntaxError, ValueError):
            return ""
        defined = _top_level_names(tree)
        target = next(
            (n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == self.function),
            None,
        )
        if target is None:
            return ""
        if not with_helpers:
            return ast.get_source_segment(text, target) or ""
        needed: list[ast.stmt] = []
        pending: list[ast.stmt] = [target]
        while pending:
            node = pending.pop()
            if any(node is seen for seen in needed):
                continue
            needed.append(node)
            for name in _names_used(node):
                if name in defined and not any(defined[name] is seen for seen in needed):
                    pending.append(defined[name])
        chosen = [n for n in tree.body if any(n is seen for seen in needed)]
        imports = [n for n in chosen if isinstance(n, (ast.Import, ast.ImportFrom))]
        rest = [n for n in chosen if n not in imports]
        parts = ["\n".join(ast.get_source_segment(text, n) or "" for n in imports)]
        parts += [ast.get_source_segment(text, n) or "" for n in rest]
        return "\n\n\n".join(p for p in parts if p)


def _top_level_names(tree: ast.Module) -> dict[str, ast.stmt]:
    """Module-level name -> the statement that binds it (imports, constants, functions)."""
    names: dict[str, ast.stmt] = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names[node.name] = node
        elif isinstance(node, ast.Import):
            for alias in node.names:
                names[(alias.asname or alias.name).split(".")[0]] = node
        elif isinstance(node, ast.ImportFrom) and node.module != "__future__":
            for alias in node.names:
                names[alias.asname or alias.name] = node
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                for name in ast.walk(target):
                    if isinstance(name, ast.Name):
                        names[name.id] = node
    return names


def _names_used(node: ast.stmt) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def index_solvers(cache: ParsedDeckCache | None = None) -> None:
    """Read the function names of every solver module afresh, so a load sees edited solvers.

    Parsing all of them takes longer than loading every deck from the parsed-deck cache, so
    an unchanged module's names come from `cache` (keyed, like a deck, by its bytes).
    """
    _functions.clear()
    for path in sorted(locations.solvers_dir().glob("*.py")):
        try:
            raw = path.read_bytes()
        except OSError:
            continue
        stored = cache.get(_CACHE_KEY + raw) if cache is not None else None
        if isinstance(stored, str) or (
            isinstance(stored, list) and all(isinstance(name, str) for name in stored)
        ):
            found: frozenset[str] | str = stored if isinstance(stored, str) else frozenset(stored)
        else:
            found = _parse_functions(path.name, raw)
            if cache is not None:
                cache.put(_CACHE_KEY + raw, found if isinstance(found, str) else sorted(found))
        _functions[path.stem] = found


def _module_functions(module: str) -> frozenset[str] | str:
    """Top-level function names of solvers/<module>.py, or why there are none to read."""
    if module in _functions:
        return _functions[module]
    path = locations.solvers_dir() / f"{module}.py"
    try:
        raw = path.read_bytes()
    except OSError:
        return f"there is no solvers/{module}.py"  # not remembered: the file may yet appear
    _functions[module] = found = _parse_functions(path.name, raw)
    return found


def _parse_functions(name: str, raw: bytes) -> frozenset[str] | str:
    try:
        tree = ast.parse(raw, filename=name)
    except SyntaxError as err:
        return f"solvers/{name} line {err.lineno} is not valid Python: {err.msg}"
    except ValueError as err:  # e.g. a NUL byte
        return f"solvers/{name} is not valid Python: {err}"
    return frozenset(node.name for node in tree.body if isinstance(node, ast.FunctionDef))
