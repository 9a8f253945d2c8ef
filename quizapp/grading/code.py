"""Grading code questions from the app's side, without importing torch.

`CodeGrader` owns one warm worker process (`python -m quizapp.grading.worker`) that has
torch and the solvers imported and forks a confined child per submission; see
`quizapp.grading.worker` and `quizapp.grading.sandbox`. Start it early with `start()` so the
first check does not pay for importing torch. `grade()` is blocking and thread-safe; jobs
are handled one at a time. If the worker dies or stops answering it is replaced on the next
call, and the caller always gets a `CodeVerdict`, never an exception.

`cancel()` (from any thread) ends the check in progress: the worker is sent SIGUSR1, kills
the confined child and answers "cancelled", staying warm; if it does not answer within
CANCEL_GRACE_S it is replaced. A check still waiting for the worker to start is cancelled
without touching it.
"""

from __future__ import annotations

import ast
import atexit
import contextlib
import dataclasses
import json
import os
import random
import secrets
import selectors
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from quizapp import locations
from quizapp.decks.content import Question
from quizapp.grading import linux
from quizapp.grading.job import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT_S, Job
from quizapp.grading.verdict import CodeVerdict, Status

__all__ = ["CodeGrader", "CodeVerdict", "Status", "reference_passes_own_cases"]

STARTUP_TIMEOUT_S = 120.0
SLACK_S = 30.0  # time for the worker's own work (cases, reference, known mistakes) per job
SELFCHECK_SEEDS = (0, 1, 2)
CANCEL_GRACE_S = 2.0  # how long a cancelled worker may take to answer before it is replaced
CANCEL_POLL_S = 0.05  # how often a waiting check looks at the cancel flag


class WorkerGone(Exception):
    """The worker exited or stopped answering in time."""


class CheckCancelled(Exception):
    """`cancel()` was called while the worker was still starting."""


CANCELLED = {
    "status": Status.CANCELLED.value,
    "feedback": "The check was cancelled.",
    "cases_passed": 0,
    "cases_total": 0,
}


class CodeGrader:
    """A warm worker process that grades code submissions in confined children."""

    def __init__(
        self, *, timeout_s: float = DEFAULT_TIMEOUT_S, memory_mb: int = DEFAULT_MEMORY_MB
    ) -> None:
        self.timeout_s = timeout_s
        self.memory_mb = memory_mb
        self._lock = threading.Lock()
        self._proc: subprocess.Popen | None = None
        self._buffer = b""
        self._ready = False
        self.zygote_pid: int | None = None
        self.layers: list[str] = []  # sandbox layers the last graded submission ran under
        self._cancel = threading.Event()

    # ---------------------------------------------------------------- lifecycle

    def start(self) -> None:
        """Spawn the worker in the background if it is not running; returns at once."""
        with self._lock:
            self._ensure_process()

    def close(self) -> None:
        """Stop the worker (it also exits by itself when this process goes away)."""
        with self._lock:
            self._stop()

    def cancel(self) -> None:
        """End the check in progress, if any, soon; returns at once (any thread)."""
        self._cancel.set()

    @property
    def ready(self) -> bool:
        """The worker has started (torch imported): a check now runs without waiting.

        Never blocks: while a check holds the worker this says False."""
        if self._ready:
            return self.worker_pid is not None
        if not self._lock.acquire(blocking=False):
            return False
        try:
            proc = self._proc
            if proc is None or proc.poll() is not None or proc.stdout is None:
                return False
            if b"\n" not in self._buffer:
                with selectors.DefaultSelector() as selector:
                    selector.register(proc.stdout.fileno(), selectors.EVENT_READ)
                    if not selector.select(0):
                        return False  # still importing torch
            hello = self._read_line(time.monotonic() + 1.0, "before", cancellable=False)
            self._accept_hello(hello)
            return True
        except WorkerGone:
            return False
        finally:
            self._lock.release()

    def _accept_hello(self, hello: dict) -> None:
        if not hello.get("ready"):
            raise WorkerGone("before")
        self._ready = True
        zygote = hello.get("zygote")
        self.zygote_pid = zygote if isinstance(zygote, int) else None

    def __enter__(self) -> CodeGrader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def worker_pid(self) -> int | None:
        """The worker's process id (None before `start`), mostly for tests and diagnostics."""
        proc = self._proc
        return proc.pid if proc and proc.poll() is None else None

    def _ensure_process(self) -> None:
        if self._proc is not None and self._proc.poll() is None:
            return
        linux.make_undumpable()  # our pipes to the worker stay out of reach of other processes
        self._stop()
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "quizapp.grading.worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            cwd=tempfile.gettempdir(),
            env=_worker_env(),
            start_new_session=True,
            close_fds=True,
        )
        self._buffer = b""
        self._ready = False

    def _stop(self) -> None:
        proc, self._proc = self._proc, None
        self._ready = False
        if proc is None:
            return
        try:
            if proc.stdin:
                proc.stdin.close()
            proc.wait(timeout=1.0)
        except (OSError, subprocess.TimeoutExpired):
            proc.kill()
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=5.0)
        finally:
            if proc.stdout:
                proc.stdout.close()

    # ------------------------------------------------------------------- grading

    def grade(self, question: Question, source: str, *, seed: int | None = None) -> CodeVerdict:
        """Run `source` against the question's cases; blocking, safe to call from any thread."""
        job = dataclasses.replace(self._job(question, seed), op="grade", source=source)
        verdict = CodeVerdict.from_wire(self._call(job))
        if verdict.layers:
            self.layers = list(verdict.layers)
        return verdict

    def self_check(self, question: Question, *, seed: int = 0) -> CodeVerdict:
        """Push the question's reference through the sandbox on its own cases."""
        job = dataclasses.replace(self._job(question, seed), op="selfcheck")
        return CodeVerdict.from_wire(self._call(job))

    def sandbox_layers(self) -> list[str]:
        """The sandbox layers a trivial submission actually ran under on this machine."""
        answer = self._call(Job(op="probe", timeout_s=self.timeout_s))
        return list(CodeVerdict.from_wire(answer).layers)

    def _job(self, question: Question, seed: int | None) -> Job:
        if seed is None:
            seed = random.SystemRandom().randrange(2**32)
        return Job(
            op="grade",
            function=question.function,
            reference=question.reference,
            cases=question.cases,
            known_mistakes=tuple((m.solver, m.hint) for m in question.known_mistakes),
            rtol=question.rtol,
            atol=question.atol,
            seed=seed,
            timeout_s=self.timeout_s,
            memory_mb=self.memory_mb,
        )

    def _call(self, job: Job) -> dict:
        """Send a job, replacing a dead worker once (the worker never dies from a submission)."""
        with self._lock:
            self._cancel.clear()  # a cancel meant for an earlier check
            for attempt in (1, 2):
                try:
                    return self._exchange(job)
                except CheckCancelled:
                    return dict(CANCELLED)
                except WorkerGone as gone:
                    self._stop()
                    if self._cancel.is_set():  # a cancelled worker that did not answer
                        return dict(CANCELLED)
                    if attempt == 2 and gone.args and gone.args[0] == "during":
                        text = (
                            "**The grader stopped while checking this code** and has been "
                            "restarted. Please submit again."
                        )
                        return CodeVerdict(Status.CRASHED, text, 0, 0).to_wire()
            text = (
                "**The grader could not be started.** Check that torch is installed "
                "(`python -c 'import torch'`)."
            )
            return CodeVerdict(Status.ERROR, text, 0, 0).to_wire()

    def _exchange(self, job: Job) -> dict:
        self._ensure_process()
        if not self._ready:
            self._accept_hello(self._read_line(time.monotonic() + STARTUP_TIMEOUT_S, "before"))
        # An unguessable id: an answer line that does not carry it is not the worker's.
        job = dataclasses.replace(job, id=secrets.token_hex(16))
        proc = self._proc
        try:
            assert proc is not None and proc.stdin is not None  # started just above
            proc.stdin.write(job.to_line().encode())
            proc.stdin.flush()
        except (OSError, ValueError):
            raise WorkerGone("before") from None
        deadline = time.monotonic() + self.timeout_s + SLACK_S
        while True:
            result = self._read_line(deadline, "during", job_pid=proc.pid)
            if result.get("id") == job.id:
                return result

    def _read_line(
        self, deadline: float, phase: str, job_pid: int | None = None, *, cancellable: bool = True
    ) -> dict:
        """The worker's next line. A cancel while it starts raises CheckCancelled; during
        a job (`job_pid`) it signals the worker once and waits at most CANCEL_GRACE_S."""
        proc = self._proc
        if proc is None or proc.stdout is None:
            raise WorkerGone(phase)
        fd = proc.stdout.fileno()
        signalled = False
        with selectors.DefaultSelector() as selector:
            selector.register(fd, selectors.EVENT_READ)
            while b"\n" not in self._buffer:
                if cancellable and self._cancel.is_set() and not signalled:
                    if job_pid is None:
                        raise CheckCancelled
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(job_pid, signal.SIGUSR1)  # our own child, not yet reaped
                    signalled = True
                    deadline = min(deadline, time.monotonic() + CANCEL_GRACE_S)
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not selector.select(min(remaining, CANCEL_POLL_S)):
                    if time.monotonic() >= deadline:
                        raise WorkerGone(phase)
                    continue
                chunk = os.read(fd, 1 << 16)
                if not chunk:
                    raise WorkerGone(phase)
                self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        try:
            value = json.loads(line)
        except json.JSONDecodeError:
            raise WorkerGone(phase) from None
        if not isinstance(value, dict):
            raise WorkerGone(phase)
        return value


def _worker_env() -> dict[str, str]:
    """A minimal environment: no progress-DB path or other settings reach the worker."""
    import quizapp

    roots = {str(Path(quizapp.__file__).resolve().parent.parent)}  # quizapp.solvers comes along
    env = {
        "PATH": os.environ.get("PATH", os.defpath),
        "LANG": "C.UTF-8",
        "PYTHONPATH": os.pathsep.join(sorted(roots)),
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    for name in ("TMPDIR", locations.SANDBOX_OFF):  # where work folders go; layers left out
        if os.environ.get(name):
            env[name] = os.environ[name]
    return env


# ------------------------------------------------------------------- checking decks

_shared: CodeGrader | None = None
_shared_lock = threading.Lock()


def shared_grader() -> CodeGrader:
    """One process-wide grader for tools such as `quizapp check` (closed at exit)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = CodeGrader()
            atexit.register(_shared.close)
        return _shared


def reference_passes_own_cases(question: Question) -> str | None:
    """None if the question's code setup is sound, else a message saying what is wrong.

    Runs through the real grading path (worker, confined child, comparison): the stub must
    define the function and must not already pass; for a few seeds the case generator must
    work, the reference must pass its own cases, and every known mistake must differ from the
    reference on at least one case (otherwise its hint could never be shown).
    """
    problem = _stub_problem(question)
    if problem:
        return problem
    grader = shared_grader()
    for seed in SELFCHECK_SEEDS:
        verdict = grader.self_check(question, seed=seed)
        if not verdict.correct:
            return f"seed {seed}: {verdict.feedback}"
    stub = grader.grade(question, question.stub, seed=SELFCHECK_SEEDS[0])
    if stub.correct:
        return "the stub already passes every case; the cases do not test anything"
    return None


def _stub_problem(question: Question) -> str | None:
    try:
        tree = ast.parse(question.stub)
    except SyntaxError as err:
        return f"the stub does not compile (line {err.lineno}: {err.msg})"
    names = {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
    if question.function not in names:
        return f"the stub does not define a top-level function '{question.function}'"
    return None
