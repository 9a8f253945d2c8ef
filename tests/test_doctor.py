"""`quizapp doctor`: one report of the installation; exit 1 with a line per problem."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import sys
import tomllib
from pathlib import Path

import pytest

import quizapp.grading
from quizapp import diagnostics
from quizapp.cli import main
from quizapp.progress.store import Store

ROOT = Path(__file__).resolve().parent.parent


def _doctor(capsys, *args: str) -> tuple[int, dict]:
    code = main([*args, "doctor", "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_a_healthy_install_reports_every_section_and_exits_0(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(os, "isatty", lambda fd: False)  # the developer's terminal may be small
    layers = {"userns": True, "seccomp": True}  # the real probe has its own test below
    monkeypatch.setattr(quizapp.grading, "sandbox_info", lambda: layers, raising=False)
    db = tmp_path / "p.db"
    Store(db).close()
    code, report = _doctor(capsys, "--db", str(db))
    assert code == 0 and report["problems"] == []
    checks = report["checks"]
    assert list(checks) == [
        "quizapp", "python", "torch", "sandbox", "database", "decks", "service", "terminal"
    ]  # fmt: skip
    import torch

    assert checks["torch"]["value"].startswith(torch.__version__)
    assert re.search(r"(CPU|CUDA [\d.]+|ROCm [\d.]+) build", checks["torch"]["value"])
    assert f"{sys.version_info[0]}.{sys.version_info[1]}" in checks["python"]["value"]
    assert f"{db}:" in checks["database"]["value"] and "integrity ok" in checks["database"]["value"]
    assert "code" in checks["decks"]["value"] and "bundled" in checks["decks"]["value"]
    assert checks["service"]["value"].startswith("not running")
    assert checks["terminal"]["value"].startswith("none (not run in a terminal")


def test_the_text_report_lists_problems_one_per_line(tmp_path, capsys):
    db = tmp_path / "foreign.db"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER)")
    deck = tmp_path / "decks"
    deck.mkdir()
    (deck / "broken.yaml").write_text("topic: x\nquestions: [\n")
    assert main(["--db", str(db), "--content", str(deck), "doctor"]) == 1
    out = capsys.readouterr().out
    lines = out.splitlines()
    problems = [line for line in lines if line.startswith("  ✗ ")]
    assert lines[lines.index("") + 1] == f"{len(problems)} problems:"
    assert any(f"{db} is an SQLite file but not a quizapp database" in p for p in problems)
    assert any(str(deck / "broken.yaml") in p for p in problems)


def test_a_damaged_database_is_a_problem_and_is_left_untouched(tmp_path, capsys):
    db = tmp_path / "cut.db"
    Store(db).close()
    db.write_bytes(db.read_bytes()[:1500])  # cut off mid-page
    before = db.read_bytes()
    code, report = _doctor(capsys, "--db", str(db))
    assert code == 1
    assert any("damaged" in p or "cut off" in p for p in report["checks"]["database"]["problems"])
    assert db.read_bytes() == before


def test_a_missing_database_is_not_a_problem(tmp_path, capsys):
    code, report = _doctor(capsys, "--db", str(tmp_path / "new" / "p.db"))
    assert code == 0 and "not created yet" in report["checks"]["database"]["value"]
    assert not (tmp_path / "new").exists()


def test_torch_outside_the_supported_range_is_a_problem(monkeypatch):
    import torch

    monkeypatch.setattr(torch, "__version__", "2.4.1+cu121")
    monkeypatch.setattr(torch.version, "cuda", "12.1")
    finding = diagnostics.torch_finding()
    assert finding.value == "2.4.1+cu121, CUDA 12.1 build"
    assert finding.problems and "outside the supported range >=2.11,<3.0" in finding.problems[0]


def test_ranges_match_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    torch_spec = next(d for d in project["dependencies"] if d.startswith("torch"))
    (lo, hi) = diagnostics.TORCH_RANGE
    assert torch_spec.replace(" ", "") == f"torch>={lo[0]}.{lo[1]},<{hi[0]}"
    (plo, phi) = diagnostics.PYTHON_RANGE
    assert project["requires-python"] == f">={plo[0]}.{plo[1]},<{phi[0]}.{phi[1]}"


def test_sandbox_layers_are_shown_and_missing_ones_are_problems(monkeypatch):
    layers = {"userns": True, "seccomp": True, "landlock": False}
    monkeypatch.setattr(quizapp.grading, "sandbox_info", lambda: layers, raising=False)
    finding = diagnostics.sandbox_finding()
    assert finding.value == "2 of 3 layers on: userns, seccomp; missing: landlock"
    assert finding.problems == [
        "sandbox layer landlock is missing: the kernel has no Landlock: files are guarded by "
        "the private root alone"
    ]

    def broken():
        raise OSError("no /proc")

    monkeypatch.setattr(quizapp.grading, "sandbox_info", broken, raising=False)
    assert diagnostics.sandbox_finding().problems == [
        "the sandbox could not report its layers (OSError: no /proc)"
    ]


def test_the_real_sandbox_probe_is_reported():
    from quizapp.grading.layers import expected

    finding = diagnostics.sandbox_finding()  # starts a grader and probes it
    assert all(name in finding.value for name in expected())
    missing = finding.value.partition("; missing: ")[2]
    assert len(finding.problems) == (len(missing.split(", ")) if missing else 0)


def test_an_unsafe_runtime_directory_is_a_problem(tmp_path, monkeypatch, capsys):
    runtime = tmp_path / "run"
    runtime.mkdir()
    runtime.chmod(0o755)
    monkeypatch.setenv("QUIZAPP_RUNTIME_DIR", str(runtime))
    code, report = _doctor(capsys, "--db", str(tmp_path / "p.db"))
    assert code == 1
    assert report["problems"] == [
        f"grading service: {runtime} is open to other users (mode 755); it must be 700"
    ]


@pytest.mark.parametrize(("size", "problem"), [((120, 40), False), ((70, 20), True)])
def test_terminal_size_and_colours(monkeypatch, size, problem):
    monkeypatch.setattr(os, "isatty", lambda fd: fd == 1)
    monkeypatch.setattr(os, "get_terminal_size", lambda fd: os.terminal_size(size))
    monkeypatch.setenv("COLORTERM", "truecolor")
    monkeypatch.delenv("NO_COLOR", raising=False)
    finding = diagnostics.terminal_finding()
    assert finding.value.startswith(f"{size[0]}×{size[1]}, truecolor")
    assert bool(finding.problems) == problem
