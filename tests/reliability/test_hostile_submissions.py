"""Submissions that try to escape: files outside the work directory, sockets, processes,
huge tensors, recursion, slowness, peeking at the reference. Each is contained and never
judged correct unless its outputs are.

Every escape and peek has a positive control: the same snippet run outside the sandbox
must do its damage. Without it a snippet broken by a typo or a Python upgrade would fail
harmlessly inside the sandbox too, and its test would pass while proving nothing."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from quizapp.decks.content import parse_question
from quizapp.grading.code import CodeGrader

from procs import run_cli

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


def run_outside(code: str, cwd: Path) -> subprocess.CompletedProcess:
    """Run `code` in a plain interpreter, no sandbox: what the snippet does when unconfined."""
    return subprocess.run(
        [sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, timeout=60
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
def test_each_escape_does_its_damage_outside_the_sandbox(outside, tmp_path, name):
    target = outside / (name.replace(" ", "_") + "-control")
    result = run_outside(ESCAPES[name].format(target=str(target)), tmp_path)
    assert result.returncode == 0, f"{name}: the snippet itself fails:\n{result.stderr}"
    assert target.exists(), f"{name}: unconfined, the snippet did not create {target}"


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
    control = tmp_path / "control.db"
    control.write_bytes(b"precious")
    run_outside(body.replace(str(db), str(control)), tmp_path)
    assert control.read_bytes() != b"precious", "unconfined, the snippet changes nothing"
    verdict = grader.grade(question, attempt(body))
    assert db.read_bytes() == b"precious"
    assert verdict.status != "correct"


def test_sockets_are_refused(grader, question, tmp_path):
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    server.settimeout(0.5)
    port = server.getsockname()[1]
    body = (
        f"import socket\nsocket.create_connection(('127.0.0.1', {port}), timeout=1).sendall(b'hi')"
    )
    assert run_outside(body, tmp_path).returncode == 0  # unconfined, it connects ...
    server.settimeout(5)
    server.accept()[0].close()  # ... and the server sees it
    server.settimeout(0.5)
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


# Each peek answers right only when its trick works, so "not correct" means it failed.
PEEKS = {
    "caller frames": (
        "import sys\nf = sys._getframe(1)\nwhile f is not None:\n"
        "    ref = f.f_locals.get('reference') or f.f_locals.get('expected')\n"
        "    if callable(ref):\n        return ref(q, k, v, mask)\n    f = f.f_back\n"
        "return q"
    ),
    # A byte of the parent's mapped memory; only if that works does it go on to answer.
    "parent memory": (
        "import os\npid = os.getppid()\n"
        "line = next(l for l in open(f'/proc/{pid}/maps') if l.split()[1].startswith('r'))\n"
        "mem = open(f'/proc/{pid}/mem', 'rb')\nmem.seek(int(line.split('-')[0], 16))\n"
        "assert len(mem.read(1)) == 1"
    ),
    "import solver": "from quizapp.solvers.attention import scaled_dot_product_attention as s\nreturn s(q, k, v, mask)",
    "always equal": "class Eq:\n    def __eq__(self, o):\n        return True\nreturn Eq()",
}


def peeking(name: str) -> str:
    """RIGHT with the peek run first; a peek that finds the answer returns it early."""
    return RIGHT.replace(
        "    s = q @", PEEKS[name].replace("\n", "\n    ").join(["    ", "\n    s = q @"]), 1
    )


@pytest.mark.parametrize("name", list(PEEKS))
def test_each_peek_finds_the_answer_outside_the_sandbox(name):
    """Unconfined, in this process, under a naive grader that keeps the reference in a
    local and compares with ==, each peek's submission is judged right."""
    import torch

    from quizapp.solvers.attention import scaled_dot_product_attention as reference

    namespace: dict = {}
    exec(compile(peeking(name), "submission.py", "exec"), namespace)
    q, k, v = (torch.randn(2, 3, 4) for _ in range(3))
    mask = torch.rand(2, 3, 3) > 0.3
    mask[..., 0] = True
    expected = reference(q, k, v, mask)

    def naive_grade(reference, expected):  # locals a peek at the caller's frames can find
        return namespace["attention"](q, k, v, mask)

    try:
        out = naive_grade(reference, expected)
    except PermissionError as err:
        pytest.skip(f"{name}: this machine forbids it even outside the sandbox ({err})")
    judged_right = (
        torch.allclose(out, expected) if isinstance(out, torch.Tensor) else out == expected
    )
    assert judged_right is True, name


@pytest.mark.parametrize("name", list(PEEKS))
def test_reading_the_reference_output_is_not_possible(grader, question, name):
    source = peeking(name)
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
    source.write_text(attempt(ESCAPES["subprocess"].format(target=str(target))))  # controlled above
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
