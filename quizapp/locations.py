"""Where quizapp finds its bundled files and keeps the student's progress, and every
setting quizapp reads from the environment (each `QUIZAPP_*` variable is read here and
listed in the README; tests/test_environment.py checks both)."""

from __future__ import annotations

import importlib
import os
from collections.abc import Mapping
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


# -- settings from the environment -----------------------------------------------------------

SANDBOX_OFF = "QUIZAPP_SANDBOX_OFF"  # layers to leave out, comma-separated (tests, diagnosis)
DEFAULT_IDLE_S = 600.0


def debug_enabled() -> bool:
    """`QUIZAPP_DEBUG`: show the traceback of an unexpected error."""
    return bool(os.environ.get("QUIZAPP_DEBUG"))


def service_disabled() -> bool:
    """`QUIZAPP_NO_SERVICE`: check code in this process, never in the grading service."""
    return bool(os.environ.get("QUIZAPP_NO_SERVICE"))


def service_idle_seconds() -> float:
    """`QUIZAPP_SERVICE_IDLE_S`: how long the grading service waits for work before exiting."""
    try:
        return max(0.1, float(os.environ.get("QUIZAPP_SERVICE_IDLE_S", DEFAULT_IDLE_S)))
    except ValueError:
        return DEFAULT_IDLE_S


def runtime_dir_override() -> Path | None:
    """`QUIZAPP_RUNTIME_DIR`: where the grading service's socket lives (default: under
    `$XDG_RUNTIME_DIR`, else a per-user folder of the temp dir)."""
    value = os.environ.get("QUIZAPP_RUNTIME_DIR")
    return Path(value) if value else None


def sandbox_layers_off(environ: Mapping[str, str] | None = None) -> set[str]:
    """`QUIZAPP_SANDBOX_OFF`: sandbox layers to leave out (to test each layer on its own)."""
    value = (os.environ if environ is None else environ).get(SANDBOX_OFF, "")
    return {name.strip() for name in value.split(",") if name.strip()}
