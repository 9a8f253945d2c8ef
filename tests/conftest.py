"""Shared fixtures (a fresh progress DB, a controllable clock) and which tests are slow.

`pytest -m "not slow"` is the inner loop: the domain, the decks' loader, the solvers and
the statistics, without processes or whole-app runs. Everything runs in CI (`pytest`).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from testkit import FakeClock

TESTS = Path(__file__).parent
# Whole folders and files whose tests start processes (the sandboxed grader, the grading
# service, the CLI in a fresh interpreter, a browser), drive the whole app through
# Textual's pilot (1-20 s each), check every bundled question with its solvers, or fit
# FSRS. A single slow test elsewhere carries @pytest.mark.slow itself.
SLOW_FOLDERS = {"grading", "service", "reliability", "reach", "tui"}
SLOW_FILES = {
    "test_bundled_decks.py",
    "test_cli.py",
    "test_doctor.py",
    "test_domain_imports.py",
    "test_personal.py",
}


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """With exactly `-m "not slow"`, do not even import the slow folders' modules: importing
    torch, Textual and the grader for tests that are then deselected would take a third of
    the inner loop."""
    if config.getoption("markexpr", "") != "not slow":
        return None
    relative = collection_path.relative_to(TESTS) if collection_path.is_relative_to(TESTS) else None
    if relative is not None and relative.parts and relative.parts[0] in SLOW_FOLDERS:
        return True
    return None


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        path = Path(item.path)
        parts = path.relative_to(TESTS).parts if path.is_relative_to(TESTS) else ()
        if (len(parts) > 1 and parts[0] in SLOW_FOLDERS) or path.name in SLOW_FILES:
            item.add_marker(pytest.mark.slow)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "progress.db"


@pytest.fixture
def short_busy_timeout(monkeypatch):
    """Waiting the real 15 s for a held lock would only make a test slow."""
    from quizapp.progress import store

    monkeypatch.setattr(store, "BUSY_TIMEOUT_S", 0.2)


@pytest.fixture(autouse=True)
def _isolate_user_files(tmp_path_factory, monkeypatch):
    """Never read or write the developer's own progress or decks."""
    monkeypatch.setenv("QUIZAPP_DB", str(tmp_path_factory.mktemp("home") / "default.db"))
    monkeypatch.delenv("QUIZAPP_CONTENT", raising=False)
    monkeypatch.setenv("QUIZAPP_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    # No background grading service unless a test asks for one (tests/service/).
    monkeypatch.setenv("QUIZAPP_NO_SERVICE", "1")
    monkeypatch.setenv("QUIZAPP_RUNTIME_DIR", str(tmp_path_factory.mktemp("run")))
