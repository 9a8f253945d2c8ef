"""Every setting read from the environment is read in one module and listed in the README."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from quizapp import locations

ROOT = Path(__file__).resolve().parents[1]
NAME = re.compile(r"QUIZAPP_[A-Z_]+")
READ = re.compile(r"""(?:environ(?:\.get)?\(|environ\[|getenv\()\s*["'](QUIZAPP_[A-Z_]+)""")


def test_only_locations_reads_quizapp_variables():
    readers = {}
    for path in (ROOT / "quizapp").rglob("*.py"):
        if path.name == "locations.py" and path.parent.name == "quizapp":
            continue
        found = READ.findall(path.read_text())
        if found:
            readers[str(path.relative_to(ROOT))] = found
    assert readers == {}, "read the variable through quizapp.locations"


def test_the_readme_lists_every_variable():
    names = set(NAME.findall((ROOT / "quizapp" / "locations.py").read_text()))
    assert {"QUIZAPP_DB", "QUIZAPP_RUNTIME_DIR", "QUIZAPP_SANDBOX_OFF"} <= names
    readme = (ROOT / "README.md").read_text()
    assert sorted(n for n in names if n not in readme) == []


@pytest.mark.parametrize(
    ("value", "expected"), [("", 600.0), ("2.5", 2.5), ("0", 0.1), ("soon", 600.0)]
)
def test_the_idle_time_is_read_with_a_safe_default(monkeypatch, value, expected):
    monkeypatch.setenv("QUIZAPP_SERVICE_IDLE_S", value)
    if not value:
        monkeypatch.delenv("QUIZAPP_SERVICE_IDLE_S")
    assert locations.service_idle_seconds() == expected


def test_sandbox_layers_off_are_read_from_a_comma_list(monkeypatch):
    monkeypatch.setenv("QUIZAPP_SANDBOX_OFF", " seccomp, landlock ,,")
    assert locations.sandbox_layers_off() == {"seccomp", "landlock"}
