"""The zygote: the clean process that confined children are forked from.

The worker forks it right after importing torch and before importing any solver, so
whatever a submission digs out of its own memory (frames, tracebacks, generators, caches),
the reference functions and the outputs computed from them were never there. The worker
hands it a `ChildRequest` and the write end of a result pipe over a Unix socket; the zygote
forks, reports the child's pid, and later its exit status, which it leaves unreaped until
the worker acknowledges it, so a pid the worker kills is never one the system reused.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import signal
import socket
import struct
import sys
import time
from dataclasses import dataclass

from quizapp.grading import linux, sandbox
from quizapp.variants import resolve_solver

HEADER = struct.Struct("!q")


@dataclass(frozen=True)
class ChildRequest:
    """Everything a child needs; `target` is a reference run instead of `source`."""

    source: str
    function: str
    cases: list
    confinement: sandbox.Confinement
    target: str | None = None


class ZygoteGone(Exception):
    """The zygote died; a clean one cannot be forked any more, so the worker must restart."""


class Zygote:
    """The clean process children are forked from (see the module docstring)."""

    def __init__(self) -> None:
        ours, theirs = socket.socketpair()
        worker = os.getpid()
        sys.stdout.flush()
        pid = os.fork()
        if pid == 0:
            ours.close()
            _zygote_main(theirs, worker)
        theirs.close()
        self.pid, self.sock = pid, ours

    def spawn(self, request: ChildRequest, result_fd: int) -> int:
        """Hand a job and the result pipe to the zygote; returns the child's pid."""
        payload = pickle.dumps(request, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            socket.send_fds(self.sock, [HEADER.pack(len(payload))], [result_fd])
            self.sock.sendall(payload)
        except OSError:
            raise ZygoteGone from None
        try:
            return self._number(time.monotonic() + 10.0)
        except TimeoutError:
            raise ZygoteGone from None  # a late answer would put the stream out of step

    def exit_status(self, pid: int, deadline: float) -> int:
        """The child's wait status; kills its group if it outlives `deadline`.

        The zygote leaves the child unreaped until acknowledged here, so the pid killed is
        never one the system has handed out again.
        """
        try:
            status = self._number(deadline)
        except TimeoutError:
            kill_group(pid)
            try:
                status = self._number(time.monotonic() + 10.0)
            except TimeoutError:
                raise ZygoteGone from None
        try:
            self.sock.sendall(b"\n")
        except OSError:
            raise ZygoteGone from None
        return status

    def _number(self, deadline: float) -> int:
        """The next number from the zygote; raises TimeoutError only before any byte came."""
        data = b""
        while len(data) < HEADER.size:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                if data:
                    raise ZygoteGone
                raise TimeoutError
            ready, _, _ = select.select([self.sock], [], [], remaining)
            if not ready:
                continue
            try:
                chunk = self.sock.recv(HEADER.size - len(data))
            except OSError:
                raise ZygoteGone from None
            if not chunk:
                raise ZygoteGone
            data += chunk
        return HEADER.unpack(data)[0]


def _zygote_main(sock: socket.socket, worker: int) -> None:
    """Fork one child per request, report its pid and exit status; never returns."""
    try:
        linux.die_with_parent()
        if os.getppid() != worker:
            os._exit(0)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        devnull = os.open(os.devnull, os.O_RDWR)
        os.dup2(devnull, 0)
        linux.close_fds_except({0, 1, 2, sock.fileno()})
        while True:
            request, result_fd = _receive(sock)
            pid = os.fork()
            if pid == 0:
                sock.close()
                _child(request, result_fd)
            os.close(result_fd)
            del request
            sock.sendall(HEADER.pack(pid))
            sock.sendall(HEADER.pack(_exit_status_unreaped(pid)))
            if sock.recv(1) != b"\n":
                break
            os.waitpid(pid, 0)
    except BaseException:  # noqa: BLE001 - the worker sees the closed socket and restarts
        pass
    os._exit(0)


def _exit_status_unreaped(pid: int) -> int:
    """Wait for the child to end but leave it a zombie (its pid stays taken); the status is
    encoded as `os.waitpid` would return it."""
    info = os.waitid(os.P_PID, pid, os.WEXITED | os.WNOWAIT)
    if info.si_code == os.CLD_EXITED:
        return (info.si_status & 0xFF) << 8
    return info.si_status | (0x80 if info.si_code == os.CLD_DUMPED else 0)


def _receive(sock: socket.socket):
    header, fds, _, _ = socket.recv_fds(sock, HEADER.size, 1)
    if not header or not fds:
        raise EOFError
    while len(header) < HEADER.size:
        header += sock.recv(HEADER.size - len(header))
    size = HEADER.unpack(header)[0]
    chunks, got = [], 0
    while got < size:
        chunk = sock.recv(min(size - got, 1 << 20))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        got += len(chunk)
    return pickle.loads(b"".join(chunks)), fds[0]


def _child(request: ChildRequest, result_fd: int) -> None:
    """In the forked child: load a self-check's reference if asked, then run the sandbox."""
    target = None
    if request.target:
        try:
            target = resolve_solver(request.target)
        except BaseException:  # noqa: BLE001
            os._exit(70)
    sandbox.run_submission(
        request.source, request.function, request.cases, result_fd, request.confinement, target
    )


def kill_group(pid: int) -> None:
    """SIGKILL the child's process group (and the child, if it left the group)."""
    for kill in (os.killpg, os.kill):
        with contextlib.suppress(OSError):
            kill(pid, signal.SIGKILL)
