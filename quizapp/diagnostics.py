"""What `quizapp doctor` reports: the facts a bug report needs, and what is wrong.

Each check returns a `Finding`: a label, one line of facts, and the problems it found
(each a sentence that says what to do). Checks never raise and change nothing: the
database is opened read-only (a file that is not SQLite is not opened at all), and the
grading service is asked, not started.
"""

from __future__ import annotations

import os
import platform
import re
import sqlite3
import sys
from dataclasses import dataclass, field
from pathlib import Path

# Keep in step with pyproject.toml (a test compares them).
TORCH_RANGE = ((2, 11), (3, 0))
PYTHON_RANGE = ((3, 11), (3, 13))
MIN_TERMINAL = (80, 24)
COLOUR_NAMES = {"truecolor": "truecolor", "256": "256 colours", "standard": "16 colours"}


@dataclass
class Finding:
    label: str
    value: str
    problems: list[str] = field(default_factory=list)


def collect(db_path: Path, content_dirs: list[Path]) -> list[Finding]:
    return [
        quizapp_finding(),
        python_finding(),
        torch_finding(),
        sandbox_finding(),
        database_finding(db_path),
        decks_finding(content_dirs),
        service_finding(),
        terminal_finding(),
    ]


def _range_text(bounds: tuple[tuple[int, int], tuple[int, int]]) -> str:
    (lo, hi) = bounds
    return f">={lo[0]}.{lo[1]},<{hi[0]}.{hi[1]}"


def quizapp_finding() -> Finding:
    import quizapp

    where = Path(quizapp.__file__).resolve().parent
    return Finding("quizapp", f"{quizapp.__version__} ({where})")


def python_finding() -> Finding:
    version = sys.version_info[:2]
    value = f"{platform.python_version()} ({platform.python_implementation()}, {sys.executable})"
    lo, hi = PYTHON_RANGE
    problems = []
    if not lo <= version < hi:
        problems.append(
            f"Python {version[0]}.{version[1]} is not one quizapp is tested on "
            f"({_range_text(PYTHON_RANGE)}); use Python 3.11 or 3.12."
        )
    return Finding("python", value, problems)


def torch_finding() -> Finding:
    try:
        import torch
    except Exception as err:  # ImportError, or a broken install failing inside its import
        return Finding(
            "torch",
            "not importable",
            [
                f"torch cannot be imported ({type(err).__name__}: {err}); code checks need it. "
                "Install it: pip install torch (the CPU build is enough)."
            ],
        )
    version = str(torch.__version__)
    if getattr(torch.version, "cuda", None):
        build = f"CUDA {torch.version.cuda} build"
    elif getattr(torch.version, "hip", None):
        build = f"ROCm {torch.version.hip} build"
    else:
        build = "CPU build"
    problems = []
    match = re.match(r"(\d+)\.(\d+)", version)
    lo, hi = TORCH_RANGE
    if not match or not lo <= (int(match[1]), int(match[2])) < hi:
        problems.append(
            f"torch {version} is outside the supported range {_range_text(TORCH_RANGE)}; "
            "the course's torch facts and the grader are tested from 2.11 on. "
            "Upgrade it: pip install 'torch>=2.11'."
        )
    return Finding("torch", f"{version}, {build}", problems)


def sandbox_finding() -> Finding:
    """Which confinement layers hold here, measured by the grading package's probe."""
    from quizapp.grading.availability import why_no_code_checks

    why_not = why_no_code_checks()
    if why_not:  # no fork (Windows): nothing to probe; a known limit, not a fault to fix
        return Finding("sandbox", f"unavailable. {why_not}")
    # The one call site of quizapp.grading.sandbox_info(); a grader without it is tolerated.
    try:
        from quizapp.grading import sandbox_info
    except ImportError:
        return Finding("sandbox", "layers not reported by this version of the grader")
    try:
        info = sandbox_info()
    except Exception as err:
        return Finding(
            "sandbox",
            "unknown",
            [f"the sandbox could not report its layers ({type(err).__name__}: {err})"],
        )
    if not isinstance(info, dict):
        return Finding("sandbox", str(info))
    on = [name for name, active in info.items() if active is True]
    off = [name for name in info if name not in on]
    value = f"{len(on)} of {len(info)} layers on: {', '.join(on) or 'none'}"
    if off:
        value += f"; missing: {', '.join(off)}"
    return Finding("sandbox", value, [_missing_layer(name) for name in off])


def _missing_layer(name: str) -> str:
    try:
        from quizapp.grading.layers import LAYERS

        meaning = LAYERS[name][1]
    except (ImportError, KeyError, IndexError, TypeError):
        meaning = "not active on this machine"
    return f"sandbox layer {name} is missing: {meaning}"


def database_finding(path: Path) -> Finding:
    from quizapp.progress.store import SCHEMA_VERSION

    if not path.exists():
        parent = next((p for p in path.parents if p.exists()), None)
        if parent is not None and not os.access(parent, os.W_OK):
            return Finding(
                "database",
                f"{path} (not created yet)",
                [f"{parent} is not writable, so {path} cannot be created; choose --db."],
            )
        return Finding("database", f"{path} (not created yet; made on the first answer)")
    if not path.is_file():
        return Finding("database", str(path), [f"{path} is not a file; choose another --db."])
    from quizapp.errors import StoreError
    from quizapp.progress.store import refuse_damaged_file

    try:
        refuse_damaged_file(path)  # a foreign or cut-off file is never handed to SQLite
    except StoreError as err:
        return Finding("database", str(path), [err.message])
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            check = conn.execute("PRAGMA quick_check").fetchone()[0]
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
            reviews = (
                conn.execute("SELECT count(*) FROM reviews").fetchone()[0]
                if "reviews" in tables
                else 0
            )
        finally:
            conn.close()
    except sqlite3.DatabaseError as err:
        return Finding(
            "database",
            str(path),
            [f"{path} cannot be read as a database ({err}); move it aside or choose --db."],
        )
    size = path.stat().st_size
    value = f"{path}: {size / 1e6:.1f} MB, schema {version}, integrity {check}, {reviews} reviews"
    problems = []
    if check != "ok":
        problems.append(f"{path} is damaged ({check}); `quizapp backup` lists what can be saved.")
    if version > SCHEMA_VERSION:
        problems.append(f"{path} was written by a newer quizapp (schema {version}); upgrade.")
    if version == 0 and tables:
        problems.append(f"{path} is an SQLite file but not a quizapp database; choose --db.")
    return Finding("database", value, problems)


def decks_finding(content_dirs: list[Path]) -> Finding:
    from quizapp.decks.content import load_library

    library = load_library(content_dirs)
    kinds: dict[str, int] = {}
    for question in library.questions.values():
        kinds[question.kind] = kinds.get(question.kind, 0) + 1
    counts = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
    where = "bundled" + "".join(f" + {d}" for d in content_dirs)
    value = (
        f"{len(library.questions)} questions in {len(library.topics)} topics ({counts}); {where}"
    )
    return Finding("decks", value, [str(problem) for problem in library.problems])


def service_finding() -> Finding:
    from quizapp.service.client import ServiceClient

    status = ServiceClient().status()
    problems = [f"grading service: {status.problem}"] if status.problem else []
    return Finding("service", status.describe(), problems)


def terminal_finding() -> Finding:
    """The terminal the app would draw on, even when this report is piped to a file."""
    fd = next((fd for fd in (1, 2, 0) if os.isatty(fd)), None)
    term = ", ".join(
        f"{name}={os.environ[name]}"
        for name in ("TERM", "COLORTERM", "NO_COLOR")
        if name in os.environ
    )
    if fd is None:
        return Finding("terminal", "none (not run in a terminal" + (f"; {term})" if term else ")"))
    size = os.get_terminal_size(fd)
    from rich.console import Console

    system = Console(force_terminal=True).color_system
    colours = COLOUR_NAMES.get(system or "", system or "no colours")
    value = f"{size.columns}×{size.lines}, {colours}" + (f" ({term})" if term else "")
    problems = []
    if size.columns < MIN_TERMINAL[0] or size.lines < MIN_TERMINAL[1]:
        problems.append(
            f"the terminal is {size.columns}×{size.lines}; the app needs at least "
            f"{MIN_TERMINAL[0]}×{MIN_TERMINAL[1]} to show a question and its answer together."
        )
    return Finding("terminal", value, problems)
