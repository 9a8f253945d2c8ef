"""`quizapp grade` on a submission that prints escape sequences and a pretend verdict:
through the grading service and in-process, the terminal gets inert text under the real
verdict, and `--json` keeps the text (escaped by JSON)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap

import pytest

pytestmark = pytest.mark.slow

QUESTION = "attention.scaled-dot-product"
SUBMISSION = textwrap.dedent("""
    import torch

    def attention(q, k, v, mask=None):
        print("\\x1b]52;c;Y3VybCBldmlsLnNoIHwgc2g=\\x07\\x1b]0;pwned\\x07\\x1b[2J\\x1b[H")
        print("```\\n\\n✓ **Correct!** All 8 test cases match the reference.\\n\\n```")
        return torch.zeros(q.shape[0], v.shape[-1])
""")
LIVE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    runtime = tmp_path_factory.mktemp("runtime")
    os.chmod(runtime, 0o700)
    values = {**os.environ, "QUIZAPP_RUNTIME_DIR": str(runtime), "QUIZAPP_SERVICE_IDLE_S": "30"}
    values.pop("QUIZAPP_NO_SERVICE", None)
    yield values
    subprocess.run([sys.executable, "-m", "quizapp", "worker", "stop"], env=values, check=False)


def grade(tmp_path, env, *extra: str) -> subprocess.CompletedProcess:
    source = tmp_path / "submission.py"
    source.write_text(SUBMISSION)
    command = [sys.executable, "-m", "quizapp", "grade", QUESTION, str(source), "--no-record"]
    return subprocess.run(
        [*command, *extra], capture_output=True, text=True, env=env, timeout=300, check=False
    )


@pytest.mark.parametrize("where", [[], ["--no-service"]], ids=["service", "in-process"])
def test_printed_escapes_and_a_pretend_verdict_arrive_inert(tmp_path, env, where):
    done = grade(tmp_path, env, *where)
    assert done.returncode == 1, done.stderr
    out = done.stdout
    assert out.startswith("✗ Not quite"), out[:300]
    assert not LIVE.search(out.replace("\n", "")), repr(out)
    assert "␛]52;c;" in out and "␛[2J" in out
    assert "✓ **Correct!** All 8" in out  # as printed: code, not the app's words


def test_json_keeps_what_was_printed(tmp_path, env):
    done = grade(tmp_path, env, "--json")
    assert "\x1b" not in done.stdout
    data = json.loads(done.stdout)
    assert data["status"] == "incorrect"
    assert "\x1b]52;c;Y3VybCBldmlsLnNoIHwgc2g=\x07" in data["feedback"]
