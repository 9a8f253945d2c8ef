#!/usr/bin/env python3
"""One lint command for the whole repository: ruff check, ruff format --check, mypy.

    python scripts/lint.py          # what CI and the pre-commit hook run
    python scripts/lint.py --fix    # let ruff fix and format what it can first

Runs the tools of the Python that runs it (`sys.executable -m ...`), so with the
project's virtual environment (`pip install -e '.[test]'`) it needs nothing else and
works the same on a fresh clone. Every step runs even when an earlier one fails; the
exit status is non-zero when any failed. The type checker's scope and strictness live in
pyproject.toml ([tool.mypy]), not here.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def steps(fix: bool) -> list[tuple[str, list[str]]]:
    ruff = [sys.executable, "-m", "ruff"]
    if fix:
        return [
            ("ruff check --fix", [*ruff, "check", "--fix", "."]),
            ("ruff format", [*ruff, "format", "."]),
            ("mypy", [sys.executable, "-m", "mypy"]),
        ]
    return [
        ("ruff check", [*ruff, "check", "."]),
        ("ruff format --check", [*ruff, "format", "--check", "."]),
        ("mypy", [sys.executable, "-m", "mypy"]),
    ]


def main(argv: list[str]) -> int:
    fix = "--fix" in argv
    failed = []
    for name, command in steps(fix):
        print(f"== {name}", flush=True)
        started = time.monotonic()
        try:
            code = subprocess.run(command, cwd=ROOT).returncode
        except FileNotFoundError as err:
            print(f"cannot run {command[0]}: {err}")
            code = 1
        print(f"== {name}: {'ok' if code == 0 else 'FAILED'} ({time.monotonic() - started:.1f} s)")
        if code:
            failed.append(name)
    if failed:
        print(f"lint failed: {', '.join(failed)}")
        return 1
    print("lint passed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
