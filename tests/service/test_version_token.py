"""A running grading service is replaced when any code it runs has changed: its version
token covers every module of the quizapp package and the solvers."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from history import BEFORE_SECURITY_REVIEW_2, module_at

import quizapp
from quizapp import locations
from quizapp.service import client

PACKAGE = Path(quizapp.__file__).parent


def test_every_module_and_solver_is_covered():
    covered = set(client._source_files())
    expected = set(PACKAGE.rglob("*.py")) | set(locations.solvers_dir().rglob("*.py"))
    assert expected <= covered
    for module in ("study/session.py", "progress/store.py", "decks/content.py", "tui/app.py"):
        assert PACKAGE / module in covered


@pytest.mark.slow  # runs git
def test_control_the_old_token_left_the_session_and_the_store_out():
    old = module_at(BEFORE_SECURITY_REVIEW_2, "quizapp/service/client.py")
    covered = set(old._source_files())
    assert PACKAGE / "study/session.py" not in covered
    assert PACKAGE / "progress/store.py" not in covered


def token_of(package_parent: Path) -> str:
    done = subprocess.run(
        [sys.executable, "-c", "from quizapp.service.client import version_token as v; print(v())"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(package_parent)},
        cwd=package_parent,  # not the checkout: its quizapp would come first
        check=True,
    )
    return done.stdout.strip()


@pytest.mark.slow
def test_changing_the_study_session_changes_the_token(tmp_path):
    """On a copy of the package: the edit an upgrade would make, and nothing else."""
    shutil.copytree(PACKAGE, tmp_path / "quizapp", ignore=shutil.ignore_patterns("__pycache__"))
    before = token_of(tmp_path)
    assert before == token_of(tmp_path)  # stable while nothing changes
    session = tmp_path / "quizapp" / "study" / "session.py"
    session.write_text(session.read_text() + "\n# upgraded\n")
    assert token_of(tmp_path) != before
