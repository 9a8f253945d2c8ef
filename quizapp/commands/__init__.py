"""Subcommands of `quizapp`. Each module has `register(subparsers, common)` that adds its
parser and sets `func(context, args) -> exit code`."""

from __future__ import annotations

import argparse
import importlib
from pathlib import Path
from types import ModuleType

from quizapp import locations

# typing.TYPE_CHECKING without importing typing; nor are the decks' and store's modules
# imported here: a warm `quizapp grade` needs neither (importing them costs ~35 ms CPU).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from quizapp.decks.content import Library
    from quizapp.progress.store import Store

    # What each command's `register` receives: the `quizapp` parser's subcommand group.
    Subparsers = argparse._SubParsersAction[argparse.ArgumentParser]

COMMAND_MODULES = [
    "list_questions",
    "check",
    "stats",
    "misconceptions",
    "drill",
    "optimize",
    "exam",
    "plan",
    "mock",
    "grade",
    "backup",
    "export_progress",
    "class_report",
    "import_progress",
    "export_anki",
    "serve",
    "new_deck",
    "import_csv",
    "stub",
    "worker",
    "doctor",
]


def module_for(command: str) -> str | None:
    """The module that registers `command`, so the CLI need import only that one."""
    name = "list_questions" if command == "list" else command.replace("-", "_")
    return name if name in COMMAND_MODULES else None


def load_command(name: str) -> ModuleType:
    return importlib.import_module(f"quizapp.commands.{name}")


class Context:
    """What every command needs, built lazily from the global options."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self._library: Library | None = None
        self._store: Store | None = None

    @property
    def db_path(self) -> Path:
        given = getattr(self.args, "db", None)
        return locations.expand_path(given) if given else locations.default_db_path()

    @property
    def content_dirs(self) -> list[Path]:
        given = getattr(self.args, "content", None) or []
        return locations.extra_content_dirs() + [locations.expand_path(d) for d in given]

    @property
    def library(self) -> Library:
        if self._library is None:
            from quizapp.decks.content import load_library

            self._library = load_library(self.content_dirs)
        return self._library

    @property
    def store(self) -> Store:
        if self._store is None:
            from quizapp.progress.store import Store

            self._store = Store(self.db_path)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
