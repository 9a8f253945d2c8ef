"""The per-user grading service, driven as a student does: real `quizapp` processes, a real
socket, the real worker. Each test has its own runtime directory and stops its service."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pytest

from quizapp.progress.store import Store
from quizapp.service.client import SOCKET_NAME, ServiceClient

QUESTION = "masking.zero-weights"
RIGHT = textwrap.dedent("""
    import math
    import torch

    def masked_attention(q, k, v, mask):
        w = torch.softmax(q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1]), dim=-1)
        return w.masked_fill(~mask, 0.0) @ v
""")
WRONG = RIGHT.replace("masked_fill(~mask, 0.0)", "masked_fill(mask, 0.0)")


@pytest.fixture
def runtime(tmp_path, monkeypatch):
    """A private runtime dir, the service allowed, and no service left behind."""
    directory = tmp_path / "run"
    monkeypatch.setenv("QUIZAPP_RUNTIME_DIR", str(directory))
    monkeypatch.delenv("QUIZAPP_NO_SERVICE", raising=False)
    monkeypatch.setenv("QUIZAPP_SERVICE_IDLE_S", "120")
    (tmp_path / "right.py").write_text(RIGHT)
    (tmp_path / "wrong.py").write_text(WRONG)
    yield directory
    status = ServiceClient().status()
    if status.running:
        ServiceClient().stop()
        _wait_gone(status.detail["pid"])


def _quizapp(*args: str, timeout: float = 180) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "quizapp", *args], capture_output=True, text=True, timeout=timeout
    )


def _grade(path: Path, *extra: str) -> tuple[dict, float, int]:
    started = time.perf_counter()
    result = _quizapp("grade", QUESTION, str(path), "--json", "--no-record", *extra)
    elapsed = time.perf_counter() - started
    assert "Traceback" not in result.stderr, result.stderr
    return json.loads(result.stdout), elapsed, result.returncode


def _status() -> dict:
    status = ServiceClient().status()
    assert status.running and not status.problem, status
    return status.detail


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is gone for our purposes (its parent, the first client, has exited).
    with open(f"/proc/{pid}/stat") as f:
        return f.read().split(") ", 1)[1][0] != "Z"


def _wait_gone(pid: int, timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _alive(pid):
            return True
        time.sleep(0.05)
    return False


def test_first_check_starts_the_service_and_later_checks_reuse_it(runtime, tmp_path):
    right, first_s, code = _grade(tmp_path / "right.py")
    assert code == 0 and right["correct"] and right["checked_by"] == "service", right
    assert right["cases_total"] == right["cases_passed"] == 6
    pid = _status()["pid"]

    wrong, second_s, code = _grade(tmp_path / "wrong.py")
    assert code == 1 and wrong["status"] == "incorrect" and wrong["checked_by"] == "service"
    assert wrong["cases_passed"] < 6
    detail = _status()
    # The same warm service did both (an edit to a grading source in between would replace it).
    assert detail["pid"] == pid and detail["checks"] == 2, detail
    assert second_s < first_s  # no torch import this time (timings: benchmarks/grade_cli.py)

    sock = runtime / SOCKET_NAME
    assert stat.S_IMODE(sock.stat().st_mode) == 0o600
    assert stat.S_IMODE(runtime.stat().st_mode) == 0o700


def test_worker_status_and_stop_commands(runtime, tmp_path):
    assert "not running" in _quizapp("worker", "status").stdout
    _grade(tmp_path / "right.py")
    status = _quizapp("worker", "status", "--json")
    detail = json.loads(status.stdout)
    assert status.returncode == 0 and detail["running"] and detail["current"]
    stop = _quizapp("worker", "stop")
    assert stop.returncode == 0 and "stopped" in stop.stdout
    assert _wait_gone(detail["pid"])
    assert not (runtime / SOCKET_NAME).exists()
    assert "was not running" in _quizapp("worker", "stop").stdout


def test_service_exits_after_the_idle_time(runtime, tmp_path, monkeypatch):
    monkeypatch.setenv("QUIZAPP_SERVICE_IDLE_S", "1.5")
    _grade(tmp_path / "right.py")
    pid = _status()["pid"]
    assert _wait_gone(pid, timeout=15), "the service did not exit when idle"
    assert not (runtime / SOCKET_NAME).exists()
    assert not ServiceClient().status().running


def test_a_service_of_another_version_is_replaced(runtime, tmp_path):
    old = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from quizapp.service.server import main; main(token='0.0.1+old-release')",
        ],
        start_new_session=True,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while not ServiceClient().status().running:
            assert time.monotonic() < deadline and old.poll() is None, "old service did not start"
            time.sleep(0.05)
        status = ServiceClient().status()
        assert status.detail["pid"] == old.pid and not status.current
        assert "another quizapp version" in _quizapp("worker", "status").stdout

        result, _, code = _grade(tmp_path / "right.py")
        assert code == 0 and result["checked_by"] == "service"
        old.wait(timeout=20)  # the old service made room and exited
        status = ServiceClient().status()
        assert status.current and status.detail["pid"] != old.pid
    finally:
        if old.poll() is None:
            old.kill()
            old.wait()


def test_without_a_private_runtime_dir_the_check_runs_here(runtime, tmp_path):
    runtime.mkdir(mode=0o755)
    runtime.chmod(0o755)  # not private: the service must not be used
    result = _quizapp("grade", QUESTION, str(tmp_path / "right.py"), "--json", "--no-record")
    data = json.loads(result.stdout)
    assert result.returncode == 0 and data["correct"] and data["checked_by"] == "in-process"
    assert "open to other users" in result.stderr and "Traceback" not in result.stderr
    assert not (runtime / SOCKET_NAME).exists()


def test_no_service_flag_checks_here(runtime, tmp_path):
    data, _, code = _grade(tmp_path / "right.py", "--no-service")
    assert code == 0 and data["checked_by"] == "in-process"
    assert not (runtime / SOCKET_NAME).exists()


RAW_STATUS = """
import json, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
try:
    s.connect(sys.argv[1])
except PermissionError:
    print("permission-denied")
    sys.exit()
try:
    s.sendall(json.dumps({"op": "status"}).encode() + b"\\n")
except BrokenPipeError:
    pass  # refused before it read anything: the answer is already waiting
print(s.makefile().readline().strip())
"""


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to run a client as another uid")
def test_another_user_is_refused(runtime, tmp_path, monkeypatch):
    other = 65534  # nobody
    # Under /tmp itself, so that only our own directory and socket can keep `other` out.
    outer = Path(tempfile.mkdtemp(prefix="quizapp-test-"))
    outer.chmod(0o711)
    runtime = outer / "run"
    monkeypatch.setenv("QUIZAPP_RUNTIME_DIR", str(runtime))
    try:
        _grade(tmp_path / "right.py")
        sock = runtime / SOCKET_NAME

        def as_other_user() -> str:
            result = subprocess.run(
                [sys.executable, "-I", "-c", RAW_STATUS, str(sock)],
                user=other,
                group=other,
                extra_groups=[],
                capture_output=True,
                text=True,
                timeout=30,
                cwd="/",
            )
            assert result.returncode == 0, result.stderr
            return result.stdout.strip()

        # First wall: the directory (0700) and socket (0600) keep other users out.
        assert as_other_user() == "permission-denied"

        # Second wall: even with both opened up, the service checks who is calling.
        runtime.chmod(0o711)
        sock.chmod(0o666)
        reply = json.loads(as_other_user())
        assert reply == {"ok": False, "error": "refused", "message": "not your service"}
        runtime.chmod(0o700)
        sock.chmod(0o600)
        assert _status()["checks"] == 1  # still serving its own user
    finally:
        runtime.chmod(0o700)
        pid = ServiceClient().status().detail.get("pid")
        ServiceClient().stop()
        if pid:
            _wait_gone(pid)
        shutil.rmtree(outer, ignore_errors=True)


def test_sigterm_removes_the_socket(runtime, tmp_path):
    _grade(tmp_path / "right.py")
    pid = _status()["pid"]
    os.kill(pid, signal.SIGTERM)
    assert _wait_gone(pid)
    assert not (runtime / SOCKET_NAME).exists()


def test_a_stale_socket_file_is_replaced(runtime, tmp_path):
    runtime.mkdir(mode=0o700)
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(str(runtime / SOCKET_NAME))
    stale.close()  # a socket file nobody listens on, as after a crash
    data, _, code = _grade(tmp_path / "right.py")
    assert code == 0 and data["checked_by"] == "service"


def test_a_recorded_check_goes_through_the_service_into_the_database(runtime, tmp_path):
    db = tmp_path / "progress.db"
    runs = []
    for name in ("wrong.py", "right.py"):
        result = _quizapp("--db", str(db), "grade", QUESTION, str(tmp_path / name), "--json")
        assert "Traceback" not in result.stderr, result.stderr
        runs.append((result.returncode, json.loads(result.stdout)))
    (wrong_code, wrong), (right_code, right) = runs
    assert wrong_code == 1 and not wrong["recorded"] and wrong["checked_by"] == "service"
    assert right_code == 0 and right["recorded"] and right["checked_by"] == "service"
    store = Store(db)
    assert [a for a in store.execute("SELECT status FROM attempts ORDER BY id")] == [
        ("incorrect",),
        ("correct",),
    ]
    # failed check before the pass: the review is Hard
    assert [(r.question_id, r.correct, r.rating, r.mode) for r in store.reviews()] == [
        (QUESTION, True, 2, "review")
    ]
    card = store.card(QUESTION)
    store.close()
    # The same file checked again from the shell, twice: practice, the schedule unchanged.
    for _ in range(2):
        text = _quizapp("--db", str(db), "grade", QUESTION, str(tmp_path / "right.py"))
        assert text.returncode == 0 and text.stdout.startswith("✓ Correct!")
        assert f"Recorded in {db} as practice: already reviewed today" in text.stdout
    failed = _quizapp("--db", str(db), "grade", QUESTION, str(tmp_path / "wrong.py"))
    assert failed.returncode == 1
    assert f"Kept as a failed attempt in {db}; the schedule is unchanged" in failed.stdout
    store = Store(db)
    assert [r.mode for r in store.reviews()] == ["review", "practice", "practice"]
    assert store.card(QUESTION) == card
    store.close()


def test_service_path_errors_read_as_before(runtime, tmp_path):
    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\x00" * 50)  # cut off after the header
    result = _quizapp("--db", str(damaged), "grade", QUESTION, str(tmp_path / "right.py"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("quizapp: progress database:") and str(damaged) in result.stderr

    numeric = _quizapp("grade", "vit.attention-memory-pixels", str(tmp_path / "right.py"))
    assert numeric.returncode == 2
    assert "is a numeric question: pass --answer TEXT" in numeric.stderr

    unknown = _quizapp("grade", "no.such-question", str(tmp_path / "right.py"))
    assert unknown.returncode == 2 and "unknown question id" in unknown.stderr


def test_code_from_stdin_through_the_service(runtime, tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "quizapp", "grade", QUESTION, "-", "--json", "--no-record"],
        input=RIGHT,
        capture_output=True,
        text=True,
        timeout=180,
    )
    data = json.loads(result.stdout)
    assert result.returncode == 0 and data["correct"] and data["checked_by"] == "service"
