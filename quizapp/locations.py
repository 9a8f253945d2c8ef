"""Where quizapp finds its bundled files and keeps the student's progress."""

from __future__ import annotations

import importlib
import os
from pathlib import Path

import platformdirs

APP_NAME = "quizapp"


def bundled_content_dir() -> Path:
    """The decks shipped with quizapp: the content/ folder, installed as `quizapp.bundled_decks`."""
    return _package_folder("quizapp.bundled_decks")


def solvers_dir() -> Path:
    """The reference solvers: the solvers/ folder, installed as `quizapp.solvers`."""
    return _package_folder("quizapp.solvers")


def _package_folder(name: str) -> Path:
    """Where a package's files are, for editable and regular installs alike. Imported by
    name: the build maps these folders into quizapp, which type checkers cannot follow."""
    module = importlib.import_module(name)
    return Path(str(module.__file__)).resolve().parent


def expand_path(path: str) -> Path:
    """`~` expanded; an unknown `~user` is a usage error, not a crash."""
    from quizapp.errors import UsageError

    try:
        return Path(path).expanduser()
    except RuntimeError:
        raise UsageError(f"{path}: cannot expand '~' (no such user); give a full path") from None


def default_db_path() -> Path:
    """`QUIZAPP_DB` if set, else progress.db in the user's data directory."""
    env = os.environ.get("QUIZAPP_DB")
    if env:
        return expand_path(env)
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "progress.db"


def extra_content_dirs() -> list[Path]:
    """Student decks named by `QUIZAPP_CONTENT` (os.pathsep-separated)."""
    env = os.environ.get("QUIZAPP_CONTENT", "")
    return [expand_path(p) for p in env.split(os.pathsep) if p]


def deck_cache_path() -> Path:
    """Where parsed decks are kept between starts (`QUIZAPP_CACHE_DIR` overrides the folder)."""
    env = os.environ.get("QUIZAPP_CACHE_DIR")
    folder = (
        expand_path(env) if env else Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))
    )
    return folder / "parsed-decks.marshal"
