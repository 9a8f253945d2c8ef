"""Helpers for the reliability tests: run the real CLI and the review driver as processes."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from testkit import GOOD_DECKS  # noqa: F401 (the reliability tests import it from here)

DRIVER = Path(__file__).parent.parent / "reliability" / "review_driver.py"


def child_env() -> dict[str, str]:
    """The environment for child processes: no debug tracebacks, no user files."""
    env = dict(os.environ)
    env.pop("QUIZAPP_DEBUG", None)
    env.pop("QUIZAPP_CONTENT", None)
    env["PYTHONUNBUFFERED"] = "1"
    return env


def run_cli(*args: str, timeout: float = 120, stdin: bytes | None = None):
    """`quizapp ARGS` in a fresh interpreter, as a student would run it."""
    return subprocess.run(
        [sys.executable, "-m", "quizapp.cli", *args],
        capture_output=True,
        timeout=timeout,
        env=child_env(),
        input=stdin,
    )


def start_driver(db: Path, *, ui: str = "session", count: int = 0, seed: int = 0):
    return subprocess.Popen(
        [
            sys.executable,
            str(DRIVER),
            "--db",
            str(db),
            "--content",
            str(GOOD_DECKS),
            "--ui",
            ui,
            "--count",
            str(count),
            "--seed",
            str(seed),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=child_env(),
    )


def finish_driver(proc: subprocess.Popen, timeout: float) -> tuple[str, str, int]:
    """Wait for a driver; one still running after `timeout` is killed, and its stderr
    (where a stalled TUI driver says which screen it stalled on) is kept for the failure."""
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        err += f"\n(killed after {timeout:.0f} s)".encode()
    return out.decode(), err.decode(), proc.returncode


def integrity(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def review_ids(db: Path) -> set[int]:
    conn = sqlite3.connect(db)
    try:
        return {row[0] for row in conn.execute("SELECT id FROM reviews")}
    finally:
        conn.close()
