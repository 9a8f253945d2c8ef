"""Where quizapp finds its bundled files and keeps the student's progress."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "quizapp"


def bundled_content_dir() -> Path:
    """The decks shipped with quizapp (works for editable and regular installs)."""
    import content

    return Path(content.__file__).resolve().parent


def solvers_dir() -> Path:
    import solvers

    return Path(solvers.__file__).resolve().parent


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
