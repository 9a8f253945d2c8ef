"""Real notebooks executed in a real kernel (nbclient, ipykernel from this environment):
`%load_ext quizapp`, `%%quizapp ID` cells, `quizapp.check` and `%quizapp stub`, checked
against the progress database they record in."""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import textwrap
from contextlib import closing
from pathlib import Path

import pytest

from quizapp.service.client import ServiceClient

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

pytestmark = pytest.mark.slow

# Right, but not the reference's way: a loop over anchors with logsumexp.
INFO_NCE_LOOP = textwrap.dedent("""
    import torch

    def calc_info_nce(affinity_matrix):
        n = affinity_matrix.shape[0]
        losses = []
        for a in range(n):
            others = torch.cat([affinity_matrix[a, :a], affinity_matrix[a, a + 1:]])
            losses.append(torch.logsumexp(others, dim=0) - affinity_matrix[a, a ^ 1])
        return torch.stack(losses).mean().item()
""")
# Subtly wrong: the temperature is accepted and never used.
NT_XENT_NO_TEMPERATURE = textwrap.dedent("""
    import torch
    import torch.nn.functional as F

    def nt_xent(encoded_pairs, temperature):
        z = F.normalize(encoded_pairs.reshape(-1, encoded_pairs.shape[-1]), dim=1)
        logits = (z @ z.T).fill_diagonal_(float("-inf"))
        return F.cross_entropy(logits, torch.arange(z.shape[0]) ^ 1).item()
""")
HOSTILE = textwrap.dedent("""
    def calc_info_nce(affinity_matrix):
        print("\\x1b]0;pwned\\x07\\x1b[2J<img src=x onerror=alert(1)><script>alert(2)</script>")
        return 0.0
""")


@pytest.fixture
def kernel_env(tmp_path, monkeypatch):
    """The kernel inherits this environment: its own database and runtime dir."""
    monkeypatch.setenv("QUIZAPP_DB", str(tmp_path / "progress.db"))
    monkeypatch.setenv("QUIZAPP_RUNTIME_DIR", str(tmp_path / "run"))
    monkeypatch.setenv("QUIZAPP_SERVICE_IDLE_S", "120")
    yield tmp_path
    status = ServiceClient().status()
    if status.running:
        ServiceClient().stop()


def _run(cells: list[str], folder: Path) -> list:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in cells]
    client = nbclient.NotebookClient(
        notebook,
        kernel_name="python3",
        timeout=240,
        allow_errors=False,
        resources={"metadata": {"path": str(folder)}},
    )
    client.execute()
    return notebook.cells


def _outputs(cell, mime: str) -> str:
    return "".join(
        o.get("data", {}).get(mime, "")
        for o in cell.outputs
        if o.output_type in ("execute_result", "display_data")
    )


def _stream(cell, name: str) -> str:
    return "".join(o.text for o in cell.outputs if o.output_type == "stream" and o.name == name)


def _recorded(db: Path) -> tuple[list, list]:
    with closing(sqlite3.connect(db)) as connection:
        attempts = connection.execute("SELECT question_id, status FROM attempts ORDER BY id")
        reviews = connection.execute("SELECT question_id, correct FROM reviews ORDER BY id")
        return attempts.fetchall(), reviews.fetchall()


def test_cells_are_checked_recorded_and_shown_safely(kernel_env, monkeypatch):
    monkeypatch.delenv("QUIZAPP_NO_SERVICE", raising=False)  # the warm service, as students get
    cells = _run(
        [
            "%load_ext quizapp",
            "%%quizapp clr.info-nce" + INFO_NCE_LOOP,
            "%%quizapp clr.nt-xent" + NT_XENT_NO_TEMPERATURE,
            "%%quizapp clr.info-nce --no-record --no-run" + HOSTILE,
            "%%quizapp no-such.question\ndef f():\n    return 1\n",
            INFO_NCE_LOOP
            + "\nimport quizapp\nresult = quizapp.check('clr.info-nce', calc_info_nce)\n"
            "print(result.correct, result.checked_by)",
        ],
        kernel_env,
    )
    right, wrong, hostile, unknown, from_python = cells[1:]

    assert "✓ clr.info-nce: correct (4/4 cases)" in _outputs(right, "text/plain")
    assert "✓ clr.info-nce: correct" in _outputs(right, "text/html")

    html = _outputs(wrong, "text/html")
    assert "✗ clr.nt-xent: incorrect" in html
    assert "First failing case" in html and "temperature" in html  # the known-mistake hint

    html, plain = _outputs(hostile, "text/html"), _outputs(hostile, "text/plain")
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in html
    assert "<script" not in html and "<img" not in html and "\x1b" not in html
    assert "pwned" not in plain and "\x1b" not in plain and "\x07" not in plain
    assert "Not recorded" in plain

    assert "unknown question id 'no-such.question'" in _stream(unknown, "stderr")
    assert not any(o.output_type == "error" for o in unknown.outputs)

    assert _stream(from_python, "stdout").split() == ["True", "service"]

    attempts, reviews = _recorded(kernel_env / "progress.db")
    assert attempts == [
        ("clr.info-nce", "correct"),
        ("clr.nt-xent", "incorrect"),
        ("clr.info-nce", "correct"),  # the hostile cell asked not to be recorded
    ]
    # Passes are recorded as `quizapp grade` records them; a failed check is no review.
    assert set(reviews) == {("clr.info-nce", 1)}


def test_without_the_service_the_kernel_checks_and_records_itself(kernel_env, monkeypatch):
    monkeypatch.setenv("QUIZAPP_NO_SERVICE", "1")
    cells = _run(
        [
            "%load_ext quizapp",
            INFO_NCE_LOOP
            + "\nimport quizapp\nresult = quizapp.check('clr.info-nce', calc_info_nce)"
            "\nprint(result.correct, result.checked_by, result.recorded)",
            "%%quizapp clr.nt-xent" + NT_XENT_NO_TEMPERATURE,
            "print(nt_xent(torch.randn(3, 2, 4), 0.5) > 0)",  # the checked cell also ran here
        ],
        kernel_env,
    )
    assert _stream(cells[1], "stdout").split() == ["True", "in-process", "True"]
    assert _stream(cells[3], "stdout").strip() == "True"
    assert "✗ clr.nt-xent: incorrect" in _outputs(cells[2], "text/plain")
    attempts, reviews = _recorded(kernel_env / "progress.db")
    assert attempts == [("clr.info-nce", "correct"), ("clr.nt-xent", "incorrect")]
    assert set(reviews) == {("clr.info-nce", 1)}


def test_stub_goes_into_the_next_cell(kernel_env):
    from jupyter_client.manager import start_new_kernel

    manager, client = start_new_kernel(kernel_name="python3", cwd=str(kernel_env))
    try:
        client.execute_interactive("%load_ext quizapp", timeout=60)
        reply = client.execute_interactive("%quizapp stub clr.info-nce", timeout=60)
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    payloads = reply["content"]["payload"]
    assert [p["source"] for p in payloads] == ["set_next_input"], json.dumps(payloads)
    text = payloads[0]["text"]
    assert text.startswith("%%quizapp clr.info-nce\nimport torch\n")
    assert "def calc_info_nce(affinity_matrix: torch.Tensor) -> float:" in text


def test_the_kernel_environment_is_this_one():
    """The notebooks above ran in this venv's kernel, so they tested this checkout."""
    from jupyter_client.kernelspec import KernelSpecManager

    spec = KernelSpecManager().get_kernel_spec("python3")
    assert spec.argv[0] in ("python", os.path.realpath(sys.executable), sys.executable)
