"""Submissions that try to escape: files outside the work directory, sockets, processes,
huge tensors, recursion, slowness, peeking at the reference. Each is contained and never
judged correct unless its outputs are."""

from __future__ import annotations

import json
import socket
import uuid
from pathlib import Path

import pytest
from procs import run_cli

from quizapp.content import parse_question
from quizapp.grading.code import CodeGrader

pytestmark = pytest.mark.slow

QUESTION = {
    "__line__": 1,
    "id": "evil.attention",
    "kind": "code",
    "title": "Attention",
    "prompt": "p",
    "explanation": "e",
    "source": "s",
    "function": "attention",
    "stub": "def attention(q, k, v, mask=None):\n    ...\n",
    "reference": "attention:scaled_dot_product_attention",
    "cases": "attention:attention_cases",
}
RIGHT = """
import math, torch
def attention(q, k, v, mask=None):
    s = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])
    if mask is not None:
        s = s.masked_fill(~mask, float("-inf"))
    return torch.softmax(s, dim=-1) @ v
"""


@pytest.fixture(scope="module")
def question():
    return parse_question(dict(QUESTION), "evil", Path("evil.yaml"))


@pytest.fixture(scope="module")
def grader():
    with CodeGrader(timeout_s=3.0, memory_mb=512) as warm:
        warm.start()
        yield warm


@pytest.fixture
def outside(tmp_path_factory):
    """A world-writable directory outside the submission's work directory."""
    folder = Path("/tmp") / f"quizapp-outside-{uuid.uuid4().hex}"
    folder.mkdir(mode=0o777)
    folder.chmod(0o777)
    yield folder
    for path in folder.iterdir():
        path.unlink()
    folder.rmdir()


def attempt(body: str) -> str:
    """A submission that runs `body` (indented) and then answers correctly."""
    lines = "\n".join("    " + line for line in body.strip().splitlines())
    return RIGHT.replace(
        "def attention(q, k, v, mask=None):\n",
        "def attention(q, k, v, mask=None):\n" + lines + "\n",
    )


def test_right_answer_is_correct(grader, question):
    assert grader.grade(question, RIGHT).status == "correct"


ESCAPES = {
    "write file": "open({target!r}, 'w').write('x')",
    "os.open write": "import os; os.close(os.open({target!r}, os.O_CREAT | os.O_WRONLY))",
    "subprocess": "import subprocess; subprocess.run(['touch', {target!r}])",
    "os.system": "import os; os.system('touch ' + {target!r})",
    "posix_spawn": "import os; os.posix_spawn('/usr/bin/touch', ['touch', {target!r}], {{}})",
    "_posixsubprocess": (
        "import _posixsubprocess, os\n"
        "r, w = os.pipe()\n"
        "_posixsubprocess.fork_exec(['/usr/bin/touch', {target!r}], [b'/usr/bin/touch'], True, (), None, None, -1, -1, -1, -1, -1, -1, r, w, False, False, 0, None, None, None, -1, None, False)"
    ),
    "torch.from_file": "import torch; torch.from_file({target!r}, shared=True, size=16)",
    "ctypes system": "import ctypes; ctypes.CDLL(None).system(('touch ' + {target!r}).encode())",
    "rename into place": "import os; open('x', 'w').write('x'); os.replace('x', {target!r})",
    "symlink out": "import os; os.symlink({target!r}, 'link'); open('link', 'w').write('x')",
}


@pytest.mark.parametrize("name", list(ESCAPES))
def test_writes_outside_the_work_directory_are_contained(grader, question, outside, name):
    target = str(outside / name.replace(" ", "_"))
    verdict = grader.grade(
        question,
        attempt(
            "try:\n    "
            + ESCAPES[name].format(target=target).replace("\n", "\n    ")
            + "\nexcept BaseException:\n    pass"
        ),
    )
    assert not Path(target).exists(), f"{name}: the submission created {target}"
    assert verdict.status in {"correct", "error", "crashed", "incorrect", "timeout", "memory"}


def test_progress_database_cannot_be_changed(grader, question, tmp_path):
    db = tmp_path / "progress.db"
    db.write_bytes(b"precious")
    body = f"open({str(db)!r}, 'r+b').write(b'ruined')"
    verdict = grader.grade(question, attempt(body))
    assert db.read_bytes() == b"precious"
    assert verdict.status != "correct"


def test_sockets_are_refused(grader, question):
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    server.settimeout(0.5)
    port = server.getsockname()[1]
    body = (
        f"import socket\nsocket.create_connection(('127.0.0.1', {port}), timeout=1).sendall(b'hi')"
    )
    verdict = grader.grade(question, attempt(body))
    with pytest.raises(TimeoutError):
        server.accept()
    server.close()
    assert verdict.status == "error"


@pytest.mark.parametrize(
    ("body", "statuses"),
    [
        ("import torch\nx = torch.ones(2**40)", {"memory", "error"}),
        ("import torch\nreturn torch.zeros(60_000_000)", {"crashed", "incorrect", "memory"}),
        ("def f(n):\n    return f(n + 1)\nf(0)", {"error"}),
        (
            "import sys\nsys.setrecursionlimit(10**7)\ndef f(n):\n    return f(n + 1)\nf(0)",
            {"error", "crashed", "memory", "timeout"},
        ),
        ("while True:\n    pass", {"timeout"}),
        ("import time\ntime.sleep(60)", {"timeout"}),
        ("import os\nos._exit(0)", {"crashed"}),
        ("import os, signal\nos.kill(os.getppid(), signal.SIGKILL)", {"error"}),
        ("x = []\nwhile True:\n    x.append(' ' * 10**6)", {"memory", "error", "crashed"}),
    ],
    ids=[
        "huge tensor",
        "huge output",
        "recursion",
        "deep recursion",
        "busy loop",
        "sleep",
        "exit",
        "kill parent",
        "memory creep",
    ],
)
def test_resource_abuse_is_contained(grader, question, body, statuses):
    verdict = grader.grade(question, attempt(body))
    assert verdict.status in statuses, verdict
    assert grader.grade(question, RIGHT).status == "correct"  # the grader is still healthy


PEEKS = {
    "caller frames": (
        "import sys\nf = sys._getframe(1)\nwhile f is not None:\n"
        "    ref = f.f_locals.get('reference') or f.f_locals.get('expected')\n"
        "    if callable(ref):\n        return ref(q, k, v, mask)\n    f = f.f_back\n"
        "return q"
    ),
    "parent memory": ("import os\nopen(f'/proc/{os.getppid()}/mem', 'rb').read(1)\nreturn q"),
    "import solver": "from solvers.attention import scaled_dot_product_attention as s\nreturn s(q, k, v, mask)",
    "always equal": "class Eq:\n    def __eq__(self, o):\n        return True\nreturn Eq()",
}


@pytest.mark.parametrize("name", list(PEEKS))
def test_reading_the_reference_output_is_not_possible(grader, question, name):
    source = RIGHT.replace(
        "    s = q @", PEEKS[name].replace("\n", "\n    ").join(["    ", "\n    s = q @"]), 1
    )
    verdict = grader.grade(question, source)
    assert verdict.status != "correct", f"{name}: {verdict.feedback[:300]}"


def test_hostile_file_through_the_cli(tmp_path, outside):
    deck = tmp_path / "decks"
    deck.mkdir()
    (deck / "evil.yaml").write_text(
        "topic: evil\nquestions:\n  - "
        + json.dumps({k: v for k, v in QUESTION.items() if k != "__line__"})
        + "\n"
    )
    db = tmp_path / "progress.db"
    target = outside / "cli"
    source = tmp_path / "submission.py"
    source.write_text(attempt(f"import subprocess\nsubprocess.run(['touch', {str(target)!r}])"))
    result = run_cli(
        "grade",
        "evil.attention",
        str(source),
        "--json",
        "--db",
        str(db),
        "--content",
        str(deck),
        timeout=180,
    )
    data = json.loads(result.stdout)
    assert data["correct"] is False and result.returncode == 1, data
    assert not target.exists()
    assert "Traceback" not in result.stderr.decode()
