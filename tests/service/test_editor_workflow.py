"""Working from an editor: `quizapp stub` writes the starting file, `grade --watch` checks
it on every save and stops cleanly on ctrl+c."""

from __future__ import annotations

import ast
import json
import queue
import signal
import subprocess
import sys
import threading
import time

from quizapp.cli import main

QUESTION = "masking.zero-weights"
RIGHT_BODY = """
    w = torch.softmax(q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1]), dim=-1)
    return w.masked_fill(~mask, 0.0) @ v
"""


def test_stub_prints_the_task_as_a_docstring_above_the_stub(capsys):
    assert main(["stub", QUESTION]) == 0
    text = capsys.readouterr().out
    tree = ast.parse(text)
    doc = ast.get_docstring(tree)
    assert doc.startswith("Masking variant 1") and QUESTION in doc
    assert "softmax(QKᵀ/√(d_k))" in doc  # math as Unicode, not LaTeX
    assert f"quizapp grade {QUESTION} FILE --watch" in doc
    functions = [n.name for n in tree.body if isinstance(n, ast.FunctionDef)]
    assert functions == ["masked_attention"]


def test_stub_writes_a_file_and_never_overwrites_without_force(tmp_path, capsys):
    target = tmp_path / "zero.py"
    assert main(["stub", QUESTION, "-o", str(target)]) == 0
    assert f"quizapp grade {QUESTION} {target}" in target.read_text()
    target.write_text("my work")
    assert main(["stub", QUESTION, "-o", str(target)]) == 2
    assert "already exists; pass --force" in capsys.readouterr().err
    assert target.read_text() == "my work"
    assert main(["stub", QUESTION, "-o", str(target), "--force"]) == 0
    assert "def masked_attention" in target.read_text()


def test_stub_refuses_other_kinds_and_unknown_ids(capsys):
    assert main(["stub", "attention.self-attention"]) == 2
    assert "only code questions have a stub" in capsys.readouterr().err
    assert main(["stub", "no.such-question"]) == 2


def _json_objects(stream, out: queue.Queue) -> None:
    """Pretty-printed JSON objects from a line stream, one per queue item."""
    lines: list[str] = []
    for line in stream:
        lines.append(line)
        if line.rstrip() == "}":
            out.put(json.loads("".join(lines)))
            lines = []


def test_watch_checks_on_start_and_on_every_save_then_stops_on_ctrl_c(tmp_path):
    target = tmp_path / "work.py"
    assert main(["stub", QUESTION, "-o", str(target)]) == 0
    stub = target.read_text()
    proc = subprocess.Popen(
        [sys.executable, "-m", "quizapp", "grade", QUESTION, str(target), "--watch", "--json"]
        + ["--no-record"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    verdicts: queue.Queue = queue.Queue()
    threading.Thread(target=_json_objects, args=(proc.stdout, verdicts), daemon=True).start()
    try:
        first = verdicts.get(timeout=120)  # the stub as written: checked at once
        assert not first["correct"]

        time.sleep(0.5)  # let the watch settle before the first save
        target.write_text(stub.replace("    ...\n", RIGHT_BODY))
        second = verdicts.get(timeout=60)
        assert second["correct"] and second["cases_passed"] == second["cases_total"] == 6

        target.write_text(stub.replace("    ...\n", RIGHT_BODY.replace("~mask", "mask")))
        third = verdicts.get(timeout=60)
        assert third["status"] == "incorrect"
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            code = proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise
    stderr = proc.stderr.read()
    assert code == 0, stderr
    assert "Traceback" not in stderr
    assert stderr.count("checked") == 3  # one header per check, on stderr with --json
