"""Fixtures for the reach tests: a real headless Chromium from Debian's package.

The browser test skips, with the reason, where Chromium is not installed. Tests never
install anything: CI installs the `chromium` package before running them.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM_NAMES = ("chromium", "chromium-browser")


def _find_chromium() -> str | None:
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="session")
def chromium() -> str:
    """Path to a Chromium binary; skips the test where there is none."""
    if os.environ.get("QUIZAPP_SKIP_BROWSER"):
        pytest.skip("QUIZAPP_SKIP_BROWSER is set")
    found = _find_chromium()
    if not found:
        pytest.skip(
            "Chromium is not installed (looked for chromium, chromium-browser on PATH); "
            "install Debian's 'chromium' package to run the browser test"
        )
    return found


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    """Screenshots and other evidence kept after the run (git-ignored)."""
    path = Path(__file__).resolve().parents[2] / "test-artifacts"
    path.mkdir(exist_ok=True)
    return path
