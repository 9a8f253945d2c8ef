"""Fixtures for the reach tests: a real headless Chromium from Debian's package.

When `chromium` is missing and the tests run as root with apt-get available (CI), it is
installed once per session; elsewhere the browser test is skipped with the reason.
Nothing is ever downloaded outside the system package manager.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = str(Path(__file__).parent)
if HERE not in sys.path:
    sys.path.insert(0, HERE)  # so tests can import the reach_devtools helper

CHROMIUM_NAMES = ("chromium", "chromium-browser")
INSTALL_TIMEOUT_S = 150


def _find_chromium() -> str | None:
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def _apt_install_chromium() -> str:
    """Install Debian's chromium; returns the tail of apt's output for error messages."""
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    lock_wait = ["-o", "DPkg::Lock::Timeout=60"]
    steps = [
        ["apt-get", *lock_wait, "update", "-qq"],
        ["apt-get", *lock_wait, "install", "-y", "-qq", "chromium"],
    ]
    output = ""
    for step in steps:
        result = subprocess.run(
            step, env=env, capture_output=True, text=True, timeout=INSTALL_TIMEOUT_S
        )
        output = (result.stdout + result.stderr)[-2000:]
        if result.returncode != 0:
            return output
    return output


@pytest.fixture(scope="session")
def chromium() -> str:
    """Path to a Chromium binary, installing the Debian package when allowed."""
    if os.environ.get("QUIZAPP_SKIP_BROWSER"):
        pytest.skip("QUIZAPP_SKIP_BROWSER is set")
    found = _find_chromium()
    if found:
        return found
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        pytest.skip(
            "Chromium is not installed and cannot be installed here (needs root and apt-get); "
            "install Debian's 'chromium' package to run the browser test"
        )
    try:
        output = _apt_install_chromium()
    except subprocess.TimeoutExpired:
        pytest.fail(f"installing chromium with apt-get took over {INSTALL_TIMEOUT_S} s")
    found = _find_chromium()
    if not found:
        pytest.fail(f"apt-get could not install chromium:\n{output}")
    return found


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    """Screenshots and other evidence kept after the run (git-ignored)."""
    path = Path(__file__).resolve().parents[2] / "test-artifacts"
    path.mkdir(exist_ok=True)
    return path
