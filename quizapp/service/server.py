"""The per-user grading service: one warm `CodeGrader` behind a Unix socket.

`quizapp grade` starts it on first use (`quizapp.service.client`) and it exits by itself
after `QUIZAPP_SERVICE_IDLE_S` seconds without a request (default 10 minutes), when asked
to (`quizapp worker stop`), or when a client of another quizapp version connects (that
client then starts its own). Submissions run through the same `CodeGrader` as in the app,
so the same sandbox confines them.

A request names a question by id and the deck directories to find it in; the service
loads those decks itself, so the reference, cases and limits are never the client's to
choose. Connections from other users are refused (SO_PEERCRED), on top of the socket
being 0600 in a 0700 directory.

Requests: `grade` returns a verdict (`grade --watch` keeps its own session); `check` is a
whole `quizapp grade ID FILE`: grade, record in the progress database the caller names
(as the caller itself could, being the same user), and render the verdict for the
caller's terminal, so the shell process imports none of that. `status` and `stop` serve
`quizapp worker`.

Run as `python -m quizapp.service.server`; it exits 0 at once if another service
already serves the socket.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import selectors
import signal
import socket
import sys
import threading
import time
from pathlib import Path

from quizapp import locations
from quizapp.grading.verdict import Status
from quizapp.kinds import handler
from quizapp.kinds.base import Judge
from quizapp.markdown_text import TextStyle, render, verdict_line
from quizapp.service.client import (
    LOCK_NAME,
    SOCKET_NAME,
    CheckReport,
    ServiceError,
    ServiceUnavailable,
    peer_uid,
    private_dir,
    read_message,
    send_message,
    version_token,
)

TYPE_CHECKING = False  # without importing typing, as in client.py
if TYPE_CHECKING:
    from io import TextIOWrapper

    from quizapp.decks.content import Library, Question
    from quizapp.grading.code import CodeGrader
    from quizapp.grading.verdict import CodeVerdict
    from quizapp.progress.store import Store
    from quizapp.study.answer_log import Outcome
    from quizapp.study.session import CodeChecker

DEFAULT_IDLE_S = 600.0
LOCK_WAIT_S = 10.0  # a replaced service may still be shutting down
REQUEST_READ_S = 10.0  # a client that connects but says nothing is dropped
MAX_SOURCE_CHARS = 200_000


def idle_timeout() -> float:
    return locations.service_idle_seconds()


class Decks:
    """Libraries by deck directories, reloaded when a deck file changes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loaded: dict[tuple[str, ...], tuple[tuple, Library]] = {}

    def library(self, dirs: tuple[str, ...]) -> Library:
        from quizapp import locations
        from quizapp.decks.content import load_library

        stamp = _stamp([locations.bundled_content_dir(), *map(Path, dirs)])
        with self._lock:
            cached = self._loaded.get(dirs)
            if cached is None or cached[0] != stamp:
                cached = (stamp, load_library([Path(d) for d in dirs]))
                self._loaded[dirs] = cached
            return cached[1]


def _stamp(dirs: list[Path]) -> tuple:
    entries = []
    for directory in dirs:
        with contextlib.suppress(OSError):
            for path in sorted(directory.glob("*.yaml")):
                info = path.stat()
                entries.append((str(path), info.st_mtime_ns, info.st_size))
    return tuple(entries)


class GradingService:
    """Accepts connections on `listener` and answers each in a thread of its own."""

    def __init__(
        self, listener: socket.socket, grader: CodeGrader, token: str, idle_s: float
    ) -> None:
        self.listener = listener
        self.grader = grader
        self.token = token
        self.idle_s = idle_s
        self.decks = Decks()
        self.stores = Stores()
        self._checking = threading.Lock()
        self.started = time.time()
        self.checks = 0
        self._busy = 0
        self._last_activity = time.monotonic()
        self._last_check: float | None = None
        self._state = threading.Lock()
        self._wake_r, self._wake_w = os.pipe()
        self._stopping = False

    def stop(self) -> None:
        self._stopping = True
        with contextlib.suppress(OSError):
            os.write(self._wake_w, b"x")

    def serve(self) -> None:
        """Until stopped or idle for `idle_s`."""
        with selectors.DefaultSelector() as selector:
            selector.register(self.listener, selectors.EVENT_READ)
            selector.register(self._wake_r, selectors.EVENT_READ)
            while not self._stopping:
                with self._state:
                    idle_for = time.monotonic() - self._last_activity
                    if self._busy == 0 and idle_for >= self.idle_s:
                        return
                wait = max(0.05, self.idle_s - idle_for) if self._busy == 0 else 1.0
                for key, _ in selector.select(wait):
                    if key.fileobj is self.listener:
                        self._accept()

    def _accept(self) -> None:
        try:
            conn, _ = self.listener.accept()
        except OSError:
            return
        with self._state:
            self._busy += 1
            self._last_activity = time.monotonic()
        threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        try:
            with conn:
                self._answer(conn)
        except (OSError, ValueError):
            pass  # the client went away or sent garbage; nothing to tell it
        finally:
            with self._state:
                self._busy -= 1
                self._last_activity = time.monotonic()

    def _answer(self, conn: socket.socket) -> None:
        uid = peer_uid(conn)
        if uid != os.getuid():
            print(f"refused a connection from uid {uid}", file=sys.stderr, flush=True)
            send_message(
                conn, {"ok": False, "error": ServiceError.REFUSED, "message": "not your service"}
            )
            return
        request = read_message(conn, time.monotonic() + REQUEST_READ_S)
        op = request.get("op")
        if op == "status":
            send_message(conn, self._status())
        elif op == "stop":
            send_message(conn, {"ok": True})
            self.stop()
        elif request.get("version") != self.token:
            # An upgraded (or older) quizapp is calling: make room for its own service.
            send_message(conn, {"ok": False, "error": ServiceError.VERSION, "version": self.token})
            self.stop()
        elif op == "grade":
            send_message(conn, self._grade(request))
        elif op == "check":
            send_message(conn, self._check(request))
        else:
            send_message(
                conn, {"ok": False, "error": ServiceError.USAGE, "message": f"unknown op {op!r}"}
            )

    def _count_check(self) -> None:
        with self._state:
            self.checks += 1
            self._last_check = time.monotonic()

    def _status(self) -> dict:
        with self._state:
            since = None if self._last_check is None else time.monotonic() - self._last_check
        return {
            "ok": True,
            "pid": os.getpid(),
            "version": self.token,
            "started": self.started,
            "checks": self.checks,
            "idle_exit_s": self.idle_s,
            "last_check_s": since,  # seconds since the last check (None: no check yet)
            "worker_pid": self.grader.worker_pid,
        }

    def _check(self, request: dict) -> dict:
        """`quizapp grade ID FILE` done here: grade, record (unless `db` is null), render.

        The shell then pays only for starting Python and a socket round trip; the
        library, the scheduler and the database code stay warm in this process.
        """
        db, variant_seed = request.get("db"), request.get("variant_seed")
        if not (
            (db is None or (isinstance(db, str) and os.path.isabs(db)))
            and (variant_seed is None or isinstance(variant_seed, int))
        ):
            return {"ok": False, "error": ServiceError.USAGE, "message": "malformed check request"}
        found = self._question(request)
        if isinstance(found, dict):
            return found
        question, source = found
        from quizapp.errors import StoreError

        with self._checking:  # one database writer at a time from this process
            try:
                store = self.stores.get(Path(db)) if db else None
                outcome, verdict = check_and_record(
                    self.decks.library(tuple(request["content_dirs"])),
                    store,
                    self.grader,
                    question,
                    source,
                    variant_seed,
                )
            except StoreError as err:
                return {"ok": False, "error": ServiceError.STORE, "message": err.message}
        self._count_check()
        report = CheckReport(
            outcome.status,
            outcome.message,
            outcome.recorded,
            outcome.next_due,
            verdict,
            evidence_note=outcome.evidence_note,
            rating=int(outcome.rating) if outcome.rating is not None else None,
        )
        reply = {"ok": True, **report.to_wire()}
        return self._rendered(reply, request, outcome.status == Status.CORRECT, outcome.message)

    def _question(self, request: dict) -> tuple[Question, str] | dict:
        """(question, source) for a well-formed request about a code question, else the reply."""
        dirs, qid, source = (
            request.get("content_dirs"),
            request.get("question_id"),
            request.get("source"),
        )
        if not (
            isinstance(dirs, list)
            and all(isinstance(d, str) and os.path.isabs(d) for d in dirs)
            and isinstance(qid, str)
            and isinstance(source, str)
            and len(source) <= MAX_SOURCE_CHARS
        ):
            return {"ok": False, "error": ServiceError.USAGE, "message": "malformed request"}
        question = self.decks.library(tuple(dirs)).questions.get(qid)
        if question is None or handler(question.kind).judge != Judge.GRADER:
            return {
                "ok": False,
                "error": ServiceError.QUESTION,
                "message": f"{qid} is not a code question in the decks the service loaded",
            }
        return question, source

    @staticmethod
    def _rendered(reply: dict, request: dict, correct: bool, message: str) -> dict:
        style = TextStyle.from_dict(request.get("render")) if "render" in request else None
        if style is not None:  # for the caller's terminal, so it need not load rich's Markdown
            reply["rendered"] = render(verdict_line(correct, message), style)
        return reply

    def _grade(self, request: dict) -> dict:
        """Only the verdict (`quizapp grade --watch` keeps its own session)."""
        seed = request.get("seed")
        if not (seed is None or (isinstance(seed, int) and 0 <= seed < 2**63)):
            return {"ok": False, "error": ServiceError.USAGE, "message": "malformed grade request"}
        found = self._question(request)
        if isinstance(found, dict):
            return found
        question, source = found
        verdict = self.grader.grade(question, source, seed=seed)
        self._count_check()
        reply = {"ok": True, "verdict": verdict.to_wire()}
        return self._rendered(reply, request, verdict.correct, verdict.feedback)


def check_and_record(
    library: Library,
    store: Store | None,
    grader: CodeChecker,
    question: Question,
    source: str,
    variant_seed: int | None,
) -> tuple[Outcome, CodeVerdict]:
    """(outcome, verdict) of one check, recorded in `store` as `quizapp grade` records it
    (an attempt; a pass is also the review, or practice, as the evidence rule says), or
    only graded when `store` is None."""
    from quizapp.study.scheduler import Planner
    from quizapp.study.session import Outcome, StudySession

    if store is None:
        verdict = grader.grade(question, source)
        return Outcome(verdict.status, verdict.feedback, verdict=verdict), verdict
    session = StudySession(
        library, store, Planner.from_store(store), question_ids=[], grader=grader
    )
    session.misconception_source = "shell"  # `quizapp grade` through the service
    session.show(question.id, seed=variant_seed, fixed=variant_seed is None)
    verdict = session.grade_code(source)  # what `check_code` does, the grader being given
    return session.record_check(source, verdict), verdict


class Stores:
    """Progress databases kept open between checks, reopened if the file was replaced
    (a restore or import writes a new file); closed when the service exits."""

    def __init__(self) -> None:
        self._open: dict[Path, tuple[tuple[int, int] | None, Store]] = {}

    def get(self, path: Path) -> Store:
        from quizapp.progress.store import Store

        identity = _identity(path)
        cached = self._open.get(path)
        if cached is not None and cached[0] == identity and identity is not None:
            return cached[1]
        if cached is not None:
            cached[1].close()
            del self._open[path]
        store = Store(path)
        self._open[path] = (_identity(path), store)
        return store

    def close(self) -> None:
        for _, store in self._open.values():
            with contextlib.suppress(Exception):
                store.close()
        self._open.clear()


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return (info.st_dev, info.st_ino)


def _take_lock(directory: Path) -> TextIOWrapper | None:
    """The lock file is held for the service's lifetime: one service per runtime dir.

    Returns the open lock file, or None when another service is (or becomes) reachable.
    """
    handle = open(directory / LOCK_NAME, "a+")  # noqa: SIM115 - held until exit
    deadline = time.monotonic() + LOCK_WAIT_S
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return handle
        except BlockingIOError:
            if _answers(directory / SOCKET_NAME) or time.monotonic() > deadline:
                handle.close()
                return None
            time.sleep(0.02)


def _answers(path: Path) -> bool:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        try:
            probe.connect(str(path))
        except OSError:
            return False
    return True


def _listen(path: Path) -> socket.socket:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()  # a stale socket of a service that died; we hold the lock
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    old_umask = os.umask(0o177)  # created 0600: no window where others could connect
    try:
        listener.bind(str(path))
    finally:
        os.umask(old_umask)
    os.chmod(path, 0o600)
    listener.listen(16)
    return listener


def main(argv: list[str] | None = None, *, token: str | None = None) -> int:
    """Serve until idle; `token` stands in for this version (tests use it to fake an old one)."""
    try:
        directory = private_dir(create=True)
    except ServiceUnavailable as err:
        print(f"quizapp grading service: {err}", file=sys.stderr)
        return 1
    lock = _take_lock(directory)
    if lock is None:
        return 0
    path = directory / SOCKET_NAME
    from quizapp.grading.code import CodeGrader

    with lock:
        listener = _listen(path)
        identity = os.stat(path).st_ino
        grader = CodeGrader()
        grader.start()
        service = GradingService(listener, grader, token or version_token(), idle_timeout())
        signal.signal(signal.SIGTERM, lambda *_: service.stop())
        signal.signal(signal.SIGINT, lambda *_: service.stop())
        try:
            service.serve()
        finally:
            # Gone from the socket first, so no new client connects to a closing service.
            with contextlib.suppress(OSError):
                if os.stat(path).st_ino == identity:
                    path.unlink()
            listener.close()
            service.stores.close()
            grader.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
