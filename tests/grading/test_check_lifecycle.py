"""One check from spawn to exit, with hostile children that write their own report.

Part runs the worker's `run_child` in this process against a real zygote, so a piece of
the fix can be switched off for the positive control (monkeypatched); part goes through
the real `CodeGrader`, as the app does. Both as root and as an ordinary user (whoever runs
the tests; `test_attacks.py` covers the ordinary account from root).
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from history import BEFORE_SECURITY_REVIEW_2, ROOT

from quizapp.decks.content import load_library
from quizapp.grading import frames, sandbox, worker
from quizapp.grading.child_run import ChildResult, Ended
from quizapp.grading.code import CodeGrader
from quizapp.grading.identity import choose_identity
from quizapp.grading.job import Job
from quizapp.grading.worker import Setting
from quizapp.grading.zygote import Check, Zygote

pytestmark = pytest.mark.slow

TIMEOUT_S = 3.0
GOOD = textwrap.dedent("""
    import math, torch

    def attention(q, k, v, mask=None):
        scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])
        if mask is not None:
            scores = scores.masked_fill(~mask, float("-inf"))
        return torch.softmax(scores, dim=-1) @ v
""")


def writes_its_own_report(report_bytes: bytes, then: str) -> str:
    """A submission that writes `report_bytes` to the result pipe itself, closes it, and
    then runs `then` (e.g. keeps running, or exits with a chosen status)."""
    blob = base64.b64encode(report_bytes).decode()
    return textwrap.dedent(f"""
        import base64, os, stat, time
        BLOB = base64.b64decode({blob!r})

        def attention(q, k, v, mask=None):
            for fd in range(3, 64):
                try:
                    if stat.S_ISFIFO(os.fstat(fd).st_mode):
                        os.write(fd, BLOB)
                        os.close(fd)
                except OSError:
                    pass
            {then}
    """)


def report(entries: list, payload: bytes = b"", **extra) -> bytes:
    text = json.dumps({"outputs": entries, "error": None, "output": "", **extra}).encode()
    return b"QZR1" + len(text).to_bytes(4, "big") + text + payload


@pytest.fixture(scope="module")
def question():
    return load_library().questions["attention.scaled-dot-product"]


def job_for(question, source: str) -> Job:
    return Job(
        op="grade",
        function=question.function,
        reference=question.reference,
        cases=question.cases,
        timeout_s=TIMEOUT_S,
        memory_mb=1024,
        source=source,
    )


@pytest.fixture
def setting():
    """A zygote forked from this process, as the worker forks its own."""
    identity = choose_identity()
    plan = sandbox.Plan(
        stage=worker.make_stage(),
        python_dirs=worker.python_dirs(),
        hidden=worker.hidden_sources(),
        uid=identity.uid,
        gid=identity.gid,
        max_processes=identity.max_processes,
        layers=worker.layers_wanted(),
    )
    zygote = Zygote(plan)
    yield Setting(identity, zygote, plan)
    zygote.sock.close()
    os.waitpid(zygote.pid, 0)


def run(setting: Setting, question, source: str):
    job = job_for(question, source)
    return worker.run_child(job, worker.build_cases(job.cases, 0), setting)[0]


# ------------------------------------------------------------ a child that keeps running

LINGER = writes_its_own_report(report([]), then="time.sleep(60)")


def timed(setting, question, source: str) -> tuple[float, ChildResult]:
    started = time.monotonic()
    result = run(setting, question, source)
    run(setting, question, GOOD)  # collects a deferred exit, if there is one
    return time.monotonic() - started, result


def test_control_without_the_kill_a_lingering_child_holds_the_check_to_the_limit(
    setting, question, monkeypatch
):
    monkeypatch.setattr(Check, "kill", lambda self: None)
    elapsed, result = timed(setting, question, LINGER)
    assert result.ended is Ended.REPORTED
    assert elapsed >= TIMEOUT_S * 0.9


def test_a_child_still_running_after_its_report_is_killed(setting, question):
    elapsed, result = timed(setting, question, LINGER)
    assert result.ended is Ended.REPORTED
    assert elapsed < TIMEOUT_S / 2
    good = run(setting, question, GOOD)
    assert good.ended is Ended.REPORTED and good.report and not good.report["error"]


# ------------------------------------------------------------------- the zygote protocol


def test_a_frame_out_of_sequence_ends_the_zygote(setting):
    zygote = setting.zygote
    r, w = os.pipe()
    frames.send(zygote.sock, frames.Kind.SPAWN, 5, b"x", [w])  # the first check is #1
    with pytest.raises(frames.ProtocolError):
        frames.receive(zygote.sock, time.monotonic() + 10)  # closed: the zygote has gone
    for fd in (r, w):
        os.close(fd)


# ------------------------------------------------------------- through the real grader

IMPOSSIBLE = report([{"kind": "tensor", "dtype": "float32", "shape": [2**70, 0], "offset": 0,
                      "nbytes": 0}])  # fmt: skip


@pytest.fixture(scope="module")
def grader(question):
    with CodeGrader(timeout_s=TIMEOUT_S, memory_mb=1024) as warm:
        warm.start()
        assert warm.grade(question, GOOD, seed=0).correct
        yield warm


@pytest.fixture
def victim():
    """A process of this user whose pid the submission names as its exit status."""
    for _ in range(2000):
        proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
        if proc.pid % 256 == 0 and proc.pid // 256 < 256:
            break
        proc.kill()
        proc.wait()
    else:
        proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    yield proc
    proc.kill()
    proc.wait()


RUNNER = textwrap.dedent("""
    import json, sys
    from quizapp.decks.content import load_library
    from quizapp.grading.code import CodeGrader

    question = load_library().questions["attention.scaled-dot-product"]
    with CodeGrader(timeout_s=3.0, memory_mb=1024) as grader:
        grader.start()
        first = grader.grade(question, sys.argv[1])
        attack = grader.grade(question, sys.argv[2])
        after = grader.grade(question, sys.argv[1])
    print(json.dumps([first.status, attack.status, after.status]))
""")


def grade_in_a_tree(tree: Path, attack: str) -> list[str]:
    """Three checks (good, attack, good) by the quizapp package found in `tree`."""
    done = subprocess.run(
        [sys.executable, "-c", RUNNER, GOOD, attack],
        capture_output=True,
        text=True,
        cwd=tree,
        env={**os.environ, "PYTHONPATH": str(tree)},
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_control_the_old_worker_killed_the_process_the_report_named(victim, tmp_path):
    """Against the grader before this fix (from git history): the report's decoding
    raised, the check ended with its exit status unread, the next check took that status
    (256 × the exit code the submission chose) for a pid, and killed it."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", BEFORE_SECURITY_REVIEW_2, "quizapp"],
        capture_output=True,
        check=False,
    )
    if archive.returncode != 0:
        pytest.skip("the old grader is only in the git history of a checkout")
    subprocess.run(["tar", "-x", "-C", str(tmp_path)], input=archive.stdout, check=True)
    # The old tree reads its own decks and solvers: today's decks carry fields it predates.
    for folder, package in (("content", "bundled_decks"), ("solvers", "solvers")):
        files = subprocess.run(
            ["git", "-C", str(ROOT), "archive", BEFORE_SECURITY_REVIEW_2, folder],
            capture_output=True,
            check=True,
        )
        subprocess.run(["tar", "-x", "-C", str(tmp_path)], input=files.stdout, check=True)
        (tmp_path / folder).rename(tmp_path / "quizapp" / package)
    if victim.pid % 256:
        pytest.skip("no process got a pid the attack can name (a multiple of 256)")
    attack = writes_its_own_report(IMPOSSIBLE, then=f"os._exit({victim.pid // 256})")
    for _attempt in range(3):  # the old zygote may hang up before the worker reads (a race)
        grade_in_a_tree(tmp_path, attack)
        time.sleep(0.3)
        if victim.poll() is not None:
            break
    assert victim.poll() is not None, "the old worker did not kill the victim"


def test_the_same_attack_now_kills_nothing(victim, tmp_path):
    if victim.pid % 256:
        pytest.skip("no process got a pid the attack can name (a multiple of 256)")
    attack = writes_its_own_report(IMPOSSIBLE, then=f"os._exit({victim.pid // 256})")
    statuses = grade_in_a_tree(ROOT, attack)
    assert statuses == ["correct", "invalid", "correct"]
    time.sleep(0.3)
    assert victim.poll() is None, "the victim was killed"


def test_a_report_that_broke_decoding_is_an_invalid_result_and_nothing_else(
    grader, question, victim
):
    """The attack of the review: a report whose decoding raised (a TypeError from an
    impossible shape), then an exit status that reads as the victim's pid."""
    pid = grader.worker_pid
    source = writes_its_own_report(IMPOSSIBLE, then=f"os._exit({victim.pid // 256 % 256})")
    verdict = grader.grade(question, source)
    assert verdict.status == "invalid", verdict.feedback
    again = grader.grade(question, GOOD)
    assert again.correct, again.feedback
    assert grader.worker_pid == pid  # in step: no restart was needed
    time.sleep(0.2)
    assert victim.poll() is None, "the victim was killed"


def worker_peak_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def test_aliased_report_entries_do_not_inflate_the_worker(grader, question):
    """30 entries over the same 8 MB: 240 MB of tensors if the worker built them all."""
    size = 8 * 2**20
    entry = {"kind": "tensor", "dtype": "uint8", "shape": [size], "offset": 0, "nbytes": size}
    aliased = report([entry] * 30, bytes(size))
    grader.grade(question, GOOD)
    before = worker_peak_kb(grader.worker_pid)
    verdict = grader.grade(question, writes_its_own_report(aliased, then="os._exit(0)"))
    assert verdict.status == "invalid", verdict.feedback
    grown_mb = (worker_peak_kb(grader.worker_pid) - before) / 1024
    assert grown_mb < 64, f"the worker's peak grew by {grown_mb:.0f} MB"
