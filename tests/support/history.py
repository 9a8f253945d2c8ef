"""A module as it was at an earlier commit, for positive controls: the attack is first
shown to work against the code before the fix. Skips outside a git checkout."""

from __future__ import annotations

import subprocess
import types
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BEFORE_SECURITY_REVIEW_2 = "9ce6d07"  # the grader before issue 20's fixes


def module_at(commit: str, path: str) -> types.ModuleType:
    done = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{commit}:{path}"], capture_output=True, check=False
    )
    if done.returncode != 0:
        pytest.skip(f"{path} at {commit} is only in the git history of a checkout")
    module = types.ModuleType(f"{Path(path).stem}_at_{commit}")
    module.__file__ = str(ROOT / path)
    exec(compile(done.stdout, f"{path}@{commit}", "exec"), module.__dict__)  # noqa: S102
    return module
