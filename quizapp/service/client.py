"""Talking to the per-user grading service (`quizapp.service.server`) from the shell.

`quizapp grade` would otherwise start a fresh worker and import torch on every call. The
service keeps one warm `CodeGrader` behind a Unix socket in the user's runtime directory,
so every check after the first costs a connect and one request. This module is what the CLI
imports on its fast path, so it stays light: no torch, no decks, no subprocess until a
service has to be started.

Trust runs both ways: the socket lives in a directory only this user can enter, the
service checks the client's uid (SO_PEERCRED) and the client checks the service's. A
service started by another version of quizapp (an upgrade, an edited checkout) answers
"version" and exits; the client then starts a current one.
"""

from __future__ import annotations

import json
import os
import socket
import stat
import struct
import sys
import tempfile
import time
from enum import StrEnum
from pathlib import Path

from quizapp import locations

# This module is on the warm path of `quizapp grade`: no typing, no dataclasses at import
# (together ~30 ms of CPU per call). typing.TYPE_CHECKING without importing typing:
TYPE_CHECKING = False
if TYPE_CHECKING:
    from datetime import datetime

    from quizapp.decks.content import Question
    from quizapp.grading.code import CodeGrader
    from quizapp.grading.verdict import CodeVerdict
    from quizapp.markdown_text import TextStyle

SOCKET_NAME = "grading.sock"
LOCK_NAME = "service.lock"
LOG_NAME = "service.log"
MAX_MESSAGE_BYTES = 4_000_000
START_TIMEOUT_S = 20.0  # until the new service accepts (it imports no torch before that)
REPLY_TIMEOUT_S = 240.0  # the first check waits for the worker to import torch
MAX_SOCKET_PATH = 100  # AF_UNIX paths are limited to 107 bytes on Linux


class ServiceUnavailable(Exception):
    """No service can be reached or started; the caller grades in its own process."""


# ------------------------------------------------------------------------ where and who


def runtime_dir() -> Path:
    """Where the socket lives: `$QUIZAPP_RUNTIME_DIR`, `$XDG_RUNTIME_DIR/quizapp`, else a
    per-uid directory under the temp dir.

    (platformdirs' user_runtime_dir gives the same places on Linux, but warns on stderr
    when XDG_RUNTIME_DIR is unset; the service only exists where SO_PEERCRED does.)
    """
    override = locations.runtime_dir_override()
    if override is not None:
        return override
    xdg = os.environ.get("XDG_RUNTIME_DIR")
    if xdg and os.path.isabs(xdg) and os.path.isdir(xdg):
        return Path(xdg) / "quizapp"
    return Path(tempfile.gettempdir()) / f"quizapp-{os.getuid()}"


def private_dir(create: bool) -> Path:
    """The runtime directory, checked to be ours and closed to everyone else (0700)."""
    if not hasattr(socket, "SO_PEERCRED"):
        raise ServiceUnavailable("this system cannot tell who is on the other end of a socket")
    directory = runtime_dir()
    if create:
        try:
            directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as err:
            raise ServiceUnavailable(f"cannot create {directory}: {err.strerror}") from None
    try:
        info = directory.lstat()
    except FileNotFoundError:
        raise ServiceUnavailable(f"{directory} does not exist") from None
    except OSError as err:
        raise ServiceUnavailable(f"cannot use {directory}: {err.strerror}") from None
    if not stat.S_ISDIR(info.st_mode):
        raise ServiceUnavailable(f"{directory} is not a directory")
    if info.st_uid != os.getuid():
        raise ServiceUnavailable(f"{directory} belongs to uid {info.st_uid}, not to you")
    if info.st_mode & 0o077:
        raise ServiceUnavailable(
            f"{directory} is open to other users (mode {stat.S_IMODE(info.st_mode):o}); "
            "it must be 700"
        )
    if len(str(directory / SOCKET_NAME)) > MAX_SOCKET_PATH:
        raise ServiceUnavailable(f"{directory} is too long a path for a socket")
    return directory


def peer_uid(sock: socket.socket) -> int:
    """The uid of the process on the other end of a connected Unix socket."""
    size = struct.calcsize("3i")
    _pid, uid, _gid = struct.unpack(
        "3i", sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, size)
    )
    return uid


# ---------------------------------------------------------------------- which version


def _source_files() -> list[Path]:
    """The files whose change makes a running service stale: every Python file of the
    quizapp package (the service runs the grader, the decks' loader, the study session,
    the scheduler and the progress store, and whatever they import) and the reference
    solvers the worker imports. All of them rather than a list someone must keep up to
    date."""
    import quizapp
    from quizapp import locations

    found: list[str] = []
    for folder in {Path(quizapp.__file__).parent, locations.solvers_dir()}:
        _python_files(str(folder), found)
    return [Path(p) for p in sorted(set(found))]


def _python_files(folder: str, found: list[str]) -> None:
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.endswith(".py") and entry.is_file():
                found.append(entry.path)
            elif entry.is_dir() and entry.name != "__pycache__":
                _python_files(entry.path, found)


def version_token() -> str:
    """quizapp's version plus a fingerprint of all its code: both sides must agree.

    The fingerprint takes each file's path, size and modification time, as Python's own
    bytecode cache does to tell a changed source: an upgrade or a checkout rewrites the
    files it changes. Reading them all instead would cost every `quizapp grade` ~2 ms.
    """
    import hashlib

    import quizapp

    digest = hashlib.sha256()
    for path in _source_files():
        info = path.stat()
        digest.update(f"{path.as_posix()}\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
    return f"{getattr(quizapp, '__version__', '0')}+{digest.hexdigest()[:16]}"


# --------------------------------------------------------------------------- messages


def send_message(sock: socket.socket, message: dict) -> None:
    sock.sendall(json.dumps(message).encode() + b"\n")


def read_message(sock: socket.socket, deadline: float) -> dict:
    """One newline-terminated JSON object; ConnectionError if the peer goes away."""
    buffer = bytearray()
    while not buffer.endswith(b"\n"):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("no answer in time")
        sock.settimeout(remaining)
        chunk = sock.recv(1 << 16)
        if not chunk:
            raise ConnectionError("closed before answering")
        buffer += chunk
        if len(buffer) > MAX_MESSAGE_BYTES:
            raise ConnectionError("message too large")
    value = json.loads(buffer)
    if not isinstance(value, dict):
        raise ConnectionError("not a message")
    return value


# ----------------------------------------------------------------------------- client


class ServiceStatus:
    """What `status` learnt about the service (for `quizapp worker status` and doctor)."""

    def __init__(
        self, running: bool, detail: dict, current: bool = True, problem: str = ""
    ) -> None:
        self.running = running
        self.detail = detail
        self.current = current  # the running service is this version of quizapp
        self.problem = problem  # why no service can run here (empty if it can)

    def __repr__(self) -> str:
        return f"ServiceStatus(running={self.running}, problem={self.problem!r})"

    def describe(self) -> str:
        """One line for `quizapp worker status` and `quizapp doctor`."""
        if self.problem:
            return f"unavailable: {self.problem} (checks run in the quizapp process instead)"
        if not self.running:
            return f"not running (the next `quizapp grade` starts it, in {runtime_dir()})"
        d = self.detail
        last = d.get("last_check_s")
        line = (
            f"running, pid {d.get('pid')}, {d.get('checks', 0)} checks"
            + (f" (last {_duration(last)} ago)" if isinstance(last, int | float) else "")
            + f", exits after {_duration(d.get('idle_exit_s', 0))} idle"
        )
        if not self.current:
            line += "; from another quizapp version, replaced on the next check"
        return line


def _duration(seconds: float) -> str:
    seconds = float(seconds)
    return f"{seconds / 60:.0f} min" if seconds >= 90 else f"{seconds:.0f} s"


class ServiceClient:
    """Requests to the service, starting it when it is not running."""

    def __init__(self, token: str | None = None) -> None:
        self.token = token or version_token()

    def _connect(self, directory: Path) -> socket.socket | None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.connect(str(directory / SOCKET_NAME))
        except (FileNotFoundError, ConnectionRefusedError):
            sock.close()
            return None
        except OSError as err:
            sock.close()
            raise ServiceUnavailable(f"cannot connect to the grading service: {err}") from None
        uid = peer_uid(sock)
        if uid != os.getuid():
            sock.close()
            raise ServiceUnavailable(f"the grading socket is served by uid {uid}, not by you")
        return sock

    def _start(self, directory: Path) -> socket.socket:
        import subprocess

        import quizapp

        root = str(Path(quizapp.__file__).resolve().parent.parent)
        env = {k: v for k, v in os.environ.items() if k != "QUIZAPP_DB"}
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
        with open(directory / LOG_NAME, "wb") as log:
            proc = subprocess.Popen(
                [sys.executable, "-m", "quizapp.service.server"],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=log,
                cwd=directory,
                env=env,
                start_new_session=True,
                close_fds=True,
            )
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            sock = self._connect(directory)
            if sock is not None:
                return sock
            code = proc.poll()
            if code not in (None, 0):  # 0: another service won the race; keep looking
                raise ServiceUnavailable(
                    f"the grading service exited at start (see {directory / LOG_NAME})"
                )
            time.sleep(0.01)
        raise ServiceUnavailable("the grading service did not start in time")

    def check(
        self,
        content_dirs: list[Path],
        question_id: str,
        source: str,
        *,
        seed: int | None = None,
        db: Path | None = None,
        render: dict | None = None,
    ) -> CheckReport | str:
        """One code check by the service (recorded in `db` if given): its report, or why
        the check must run in the caller's process ("" when the service does not know the
        id as a code question: the local path then says what is wrong). A progress file
        the service cannot use raises StoreError, as it would in the caller."""
        request: dict[str, object] = {
            "op": "check",
            "content_dirs": [str(Path(d).resolve()) for d in content_dirs],
            "question_id": question_id,
            "source": source,
            "variant_seed": seed,
            "db": str(db.resolve()) if db else None,
        }
        if render is not None:
            request["render"] = render
        try:
            reply = self.request(request)
        except ServiceUnavailable as err:
            return str(err)
        if reply.get("error") == ServiceError.STORE:
            from quizapp.errors import StoreError

            raise StoreError(str(reply.get("message")))
        if not reply.get("ok"):
            if reply.get("error") == ServiceError.QUESTION:
                return ""
            return str(reply.get("message", "refused"))
        try:
            return CheckReport.from_wire(reply)
        except ValueError:
            return "the grading service sent an unreadable answer"

    def request(self, message: dict, *, start: bool = True) -> dict:
        """Send one request; a stale service is replaced once. Raises ServiceUnavailable."""
        directory = private_dir(create=start)
        for _attempt in (1, 2):
            sock = self._connect(directory)
            if sock is None:
                if not start:
                    raise ServiceUnavailable("not running")
                sock = self._start(directory)
            with sock:
                try:
                    send_message(sock, {**message, "version": self.token})
                    reply = read_message(sock, time.monotonic() + REPLY_TIMEOUT_S)
                except (OSError, ValueError) as err:
                    raise ServiceUnavailable(
                        f"the grading service stopped answering ({err})"
                    ) from None
            if reply.get("error") != ServiceError.VERSION:
                return reply
            _wait_until_gone(directory / SOCKET_NAME)
        raise ServiceUnavailable("the grading service keeps answering with another version")

    def status(self) -> ServiceStatus:
        """Ask a running service about itself; never starts one."""
        try:
            directory = private_dir(create=False)
            sock = self._connect(directory)
        except ServiceUnavailable as err:
            missing = hasattr(socket, "SO_PEERCRED") and not runtime_dir().exists()
            return ServiceStatus(False, {}, problem="" if missing else str(err))
        if sock is None:
            return ServiceStatus(False, {})
        with sock:
            try:
                send_message(sock, {"op": "status", "version": self.token})
                reply = read_message(sock, time.monotonic() + 5.0)
            except (OSError, ValueError) as err:
                return ServiceStatus(False, {}, problem=f"the service does not answer ({err})")
        return ServiceStatus(True, reply, current=reply.get("version") == self.token)

    def stop(self) -> bool:
        """Ask a running service to exit; False if none was running."""
        try:
            self.request({"op": "stop"}, start=False)
        except ServiceUnavailable:
            return False
        return True


def _wait_until_gone(path: Path, timeout_s: float = 5.0) -> None:
    """A replaced service removes its socket before it exits; wait for that."""
    deadline = time.monotonic() + timeout_s
    while path.exists() and time.monotonic() < deadline:
        time.sleep(0.01)


# ------------------------------------------------------------------- grading through it


class ServiceError(StrEnum):
    """Why the service refused a request (the `error` of a reply with `ok: false`)."""

    REFUSED = "refused"  # another user's client
    VERSION = "version"  # the client runs another quizapp: it starts a current service
    USAGE = "usage"  # a malformed or unknown request
    STORE = "store"  # the progress database could not be used
    QUESTION = "question"  # no such code question in the decks


class CheckReport:
    """The service's answer to a `check` (`quizapp grade ID FILE`): what the session made
    of the verdict, whether it was recorded, and the verdict itself. The one wire format
    for it: the service writes `to_wire()`, `quizapp grade` reads `from_wire` (which raises
    ValueError for anything malformed)."""

    __slots__ = ("status", "message", "recorded", "next_due", "verdict", "evidence_note", "rating")

    def __init__(
        self,
        status: str,
        message: str,
        recorded: bool,
        next_due: datetime | None,
        verdict: CodeVerdict,
        *,
        evidence_note: str = "",
        rating: int | None = None,
    ) -> None:
        self.status = status  # the session's outcome status (a verdict status for code)
        self.message = message
        self.recorded = recorded
        self.next_due = next_due  # datetime or None: None when recorded as practice
        self.verdict = verdict  # CodeVerdict
        self.evidence_note = evidence_note  # why an answer was practice, not a review
        self.rating = rating  # the review's rating (1-4), None for practice

    def to_wire(self) -> dict:
        return {
            "outcome": {
                "status": str(self.status),
                "message": self.message,
                "recorded": self.recorded,
                "next_due": self.next_due.isoformat() if self.next_due else None,
                "evidence_note": self.evidence_note,
                "rating": self.rating,
            },
            "verdict": self.verdict.to_wire(),
        }

    @classmethod
    def from_wire(cls, reply: dict) -> CheckReport:
        from datetime import datetime

        from quizapp.grading.verdict import CodeVerdict

        outcome = reply.get("outcome")
        if not isinstance(outcome, dict):
            raise ValueError("no outcome")
        status, message = outcome.get("status"), outcome.get("message")
        recorded, due = outcome.get("recorded"), outcome.get("next_due")
        note, rating = outcome.get("evidence_note", ""), outcome.get("rating")
        if not (
            isinstance(status, str)
            and isinstance(message, str)
            and isinstance(recorded, bool)
            and (due is None or isinstance(due, str))
            and isinstance(note, str)
            and (rating is None or (type(rating) is int and 1 <= rating <= 4))
        ):
            raise ValueError("malformed outcome")
        verdict = CodeVerdict.from_wire(reply.get("verdict"), reply.get("rendered", ""))
        next_due = datetime.fromisoformat(due) if due else None
        return cls(status, message, recorded, next_due, verdict, evidence_note=note, rating=rating)


class ServiceGrader:
    """A `CodeChecker` for the CLI: the warm service if possible, else an in-process
    `CodeGrader` (today's path), kept for later calls of the same command.

    With `style`, the service also renders the verdict line for that output
    (`quizapp.markdown_text`), so this process need not import rich's Markdown.
    """

    def __init__(
        self, content_dirs: list[Path], *, use_service: bool = True, style: TextStyle | None = None
    ) -> None:
        self.content_dirs = [str(Path(d).resolve()) for d in content_dirs]
        self.style = style
        self.use_service = use_service and not locations.service_disabled()
        self.via = ""  # "service" or "in-process", after a check
        self.why_not_service = ""
        self._client: ServiceClient | None = None
        self._local: CodeGrader | None = None

    def grade(self, question: Question, source: str, *, seed: int | None = None) -> CodeVerdict:
        if self.use_service:
            try:
                return self._grade_remote(question, source, seed)
            except ServiceUnavailable as err:
                self.use_service = False
                self.why_not_service = str(err)
        self.via = "in-process"
        if self._local is None:
            from quizapp.grading.code import CodeGrader

            self._local = CodeGrader()
        return self._local.grade(question, source, seed=seed)

    def _grade_remote(self, question: Question, source: str, seed: int | None) -> CodeVerdict:
        if self._client is None:
            self._client = ServiceClient()
        request: dict[str, object] = {
            "op": "grade",
            "content_dirs": self.content_dirs,
            "question_id": question.id,
            "source": source,
            "seed": seed,
        }
        if self.style is not None:
            request["render"] = self.style.to_dict()
        reply = self._client.request(request)
        self.via = "service"
        from quizapp.grading.verdict import CodeVerdict, unreadable

        if not reply.get("ok"):
            return unreadable(str(reply.get("message", "The grading service refused.")))
        return CodeVerdict.from_wire(reply.get("verdict"), reply.get("rendered", ""))

    def close(self) -> None:
        if self._local is not None:
            self._local.close()
            self._local = None
