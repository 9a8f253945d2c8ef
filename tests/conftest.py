"""Shared fixtures: a small deck directory, a fresh progress DB, a controllable clock."""

from __future__ import annotations

from pathlib import Path

import pytest

from testkit import FakeClock


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "progress.db"


@pytest.fixture(autouse=True)
def _isolate_user_files(tmp_path_factory, monkeypatch):
    """Never read or write the developer's own progress or decks."""
    monkeypatch.setenv("QUIZAPP_DB", str(tmp_path_factory.mktemp("home") / "default.db"))
    monkeypatch.delenv("QUIZAPP_CONTENT", raising=False)
    monkeypatch.setenv("QUIZAPP_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    # No background grading service unless a test asks for one (tests/service/).
    monkeypatch.setenv("QUIZAPP_NO_SERVICE", "1")
    monkeypatch.setenv("QUIZAPP_RUNTIME_DIR", str(tmp_path_factory.mktemp("run")))
