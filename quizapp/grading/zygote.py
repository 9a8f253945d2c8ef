"""The zygote: the clean, confined process that children are forked from.

The worker forks it right after importing torch and before importing any solver, so
whatever a submission digs out of its own memory (frames, tracebacks, generators, caches),
the reference functions and the outputs computed from them were never there. The zygote
enters the sandbox's namespaces once (`sandbox.enter_namespaces`), so a check costs one
fork rather than building namespaces each time.

The worker hands it a `ChildRequest` and the write end of a result pipe over a Unix socket.
The zygote gives the child a fresh /tmp, forks, and reports the child's pid with a pidfd
(pids inside the namespace mean nothing to the worker), later its exit status. It leaves
the child unreaped until the worker acknowledges, so nothing the worker kills is ever a
process the system reused; then it kills and reaps whatever the child left behind.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import select
import signal
import socket
import struct
import sys
import time
from dataclasses import dataclass

import torch

from quizapp.grading import audit, linux, mounts, sandbox, seccomp

HEADER = struct.Struct("!q")
NS_LAYERS = ("userns", "pidns", "mountns", "netns")
HAS_WAITID = hasattr(os, "waitid")  # Linux; macOS has only waitpid


@dataclass(frozen=True)
class ChildRequest:
    """Everything a child needs; tensors in `cases` travel as raw bytes (`pack_cases`)."""

    source: str
    function: str
    cases: list
    confinement: sandbox.Confinement


@dataclass(frozen=True)
class _RawTensor:
    dtype: str
    shape: tuple[int, ...]
    data: bytes


def pack_cases(cases: list[dict]) -> list[dict]:
    """Tensors as dtype, shape and bytes: pickling torch storages costs about ten times
    more, and a check's budget is a few milliseconds."""
    return [{k: _pack(v) for k, v in case.items()} for case in cases]


def _pack(value):
    if isinstance(value, torch.Tensor):
        tensor = value.detach().contiguous().cpu()
        data = tensor.reshape(-1).view(torch.uint8).numpy().tobytes() if tensor.numel() else b""
        return _RawTensor(str(tensor.dtype).removeprefix("torch."), tuple(tensor.shape), data)
    return value


def unpack_cases(cases: list[dict]) -> list[dict]:
    return [{k: _unpack(v) for k, v in case.items()} for case in cases]


def _unpack(value):
    if not isinstance(value, _RawTensor):
        return value
    dtype = getattr(torch, value.dtype)
    if not value.data:
        return torch.empty(value.shape, dtype=dtype)
    return torch.frombuffer(bytearray(value.data), dtype=dtype).reshape(value.shape)


@dataclass
class Spawned:
    """A child as the worker sees it: its pid (in the worker's namespace only when there is
    no PID namespace) and a pidfd to signal it with, where the kernel offers one."""

    pid: int
    pidfd: int | None

    def kill(self) -> None:
        if self.pidfd is not None:
            with contextlib.suppress(OSError):
                signal.pidfd_send_signal(self.pidfd, signal.SIGKILL)
            return
        kill_group(self.pid)

    def close(self) -> None:
        if self.pidfd is not None:
            with contextlib.suppress(OSError):
                os.close(self.pidfd)
            self.pidfd = None


class ZygoteGone(Exception):
    """The zygote died; a clean one cannot be forked any more, so the worker must restart."""


class Zygote:
    """The clean process children are forked from (see the module docstring)."""

    def __init__(self, plan: sandbox.Plan) -> None:
        ours, theirs = socket.socketpair()
        worker = os.getpid()
        sys.stdout.flush()
        pid = os.fork()
        if pid == 0:
            ours.close()
            _zygote_main(theirs, worker, plan)
        theirs.close()
        self.pid, self.sock = pid, ours
        self._fds: list[int] = []
        self._pending: Spawned | None = None
        try:  # the zygote first says which namespaces it could enter
            mask = self._number(time.monotonic() + 60.0)
        except TimeoutError:
            raise ZygoteGone from None
        self.ns_layers = {name for i, name in enumerate(NS_LAYERS) if mask >> i & 1}

    def defer(self, child: Spawned) -> None:
        """Collect this child's exit later (before the next spawn), not now."""
        self._pending = child

    def _finish_pending(self) -> None:
        child, self._pending = self._pending, None
        if child is not None:
            try:
                self.exit_status(child, time.monotonic() + 30.0)
            finally:
                child.close()

    def spawn(self, request: ChildRequest, result_fd: int) -> Spawned:
        """Hand a job and the result pipe to the zygote; returns the child."""
        self._finish_pending()
        payload = pickle.dumps(request, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            socket.send_fds(self.sock, [HEADER.pack(len(payload))], [result_fd])
            self.sock.sendall(payload)
        except OSError:
            raise ZygoteGone from None
        try:
            pid = self._number(time.monotonic() + 10.0)
        except TimeoutError:
            raise ZygoteGone from None  # a late answer would put the stream out of step
        pidfd = self._fds.pop() if self._fds else None
        return Spawned(pid, pidfd)

    def exit_status(self, child: Spawned, deadline: float) -> tuple[int, bool]:
        """The child's wait status, and whether the zygote killed it for the time limit.

        The zygote keeps the limit; `deadline` is only a safety net should it not answer.
        It leaves the child unreaped until acknowledged here, so a pid killed is never one
        the system has handed out again.
        """
        try:
            status = self._number(deadline)
        except TimeoutError:
            child.kill()
            try:
                status = self._number(time.monotonic() + 10.0)
            except TimeoutError:
                raise ZygoteGone from None
        try:
            timed_out = bool(self._number(time.monotonic() + 10.0))
            self.sock.sendall(b"\n")
        except (OSError, TimeoutError):
            raise ZygoteGone from None
        return status, timed_out

    def _number(self, deadline: float) -> int:
        """The next number from the zygote; raises TimeoutError only before any byte came."""
        data = b""
        while len(data) < HEADER.size:
            if not data:  # a number may come with a descriptor (the child's pidfd)
                chunk, fds = self._receive_with_fds(deadline)
                self._fds.extend(fds)
                data += chunk
                continue
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

    def _receive_with_fds(self, deadline: float) -> tuple[bytes, list[int]]:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError
        ready, _, _ = select.select([self.sock], [], [], remaining)
        if not ready:
            if time.monotonic() >= deadline:
                raise TimeoutError
            return b"", []
        try:
            chunk, fds, _, _ = socket.recv_fds(self.sock, HEADER.size, 1)
        except OSError:
            raise ZygoteGone from None
        if not chunk:
            raise ZygoteGone
        return chunk, list(fds)


def _zygote_main(sock: socket.socket, worker: int, plan: sandbox.Plan) -> None:
    """Enter the namespaces, then fork one child per request, report its pid (with a
    pidfd) and exit status, and clean up after it; never returns."""
    try:
        linux.die_with_parent()
        if os.getppid() != worker:
            os._exit(0)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        devnull = os.open(os.devnull, os.O_RDWR)
        os.dup2(devnull, 0)
        linux.close_fds_except({0, 1, 2, sock.fileno()})
        ns_layers = sandbox.enter_namespaces(plan)
        sock.sendall(HEADER.pack(sum(1 << i for i, n in enumerate(NS_LAYERS) if n in ns_layers)))
        fresh_tmp = "mountns" in ns_layers
        with contextlib.suppress(OSError):
            seccomp.program(0)  # built once here rather than in every child
        sandbox.BLOCKED_MODULES[:] = audit.blocked_modules()  # listed once, not per child
        gc.freeze()  # children's garbage collections then leave the shared pages alone
        spare: _Spare | None = None
        while True:
            if spare is None:
                spare = _Spare(sock, ns_layers)
            payload, result_fd = _receive(sock)
            timeout_s = pickle.loads(payload).confinement.timeout_s
            if fresh_tmp:
                mounts.mount_work_dir()
            pid = spare.start(payload, result_fd, sock, ns_layers)
            spare = None
            os.close(result_fd)
            pidfd = _send_pid(sock, pid)
            timed_out, status = _wait_or_kill(pid, pidfd, timeout_s)
            if status is None:
                status = _exit_status_unreaped(pid)
            if "pidns" in ns_layers:  # nothing the child started outlives the verdict
                sandbox.kill_leftovers()
            sock.sendall(HEADER.pack(status) + HEADER.pack(int(timed_out)))
            if pidfd is not None:
                os.close(pidfd)
            if sock.recv(1) != b"\n":
                break
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)  # kill_leftovers may have reaped it already
            if fresh_tmp:
                mounts.unmount_work_dir()
    except BaseException:  # noqa: BLE001 - the worker sees the closed socket and restarts
        pass
    os._exit(0)


def _send_pid(sock: socket.socket, pid: int) -> int | None:
    """Tell the worker the pid, with a pidfd where the kernel has them; returns the pidfd."""
    try:
        pidfd = os.pidfd_open(pid)
    except (OSError, AttributeError):
        sock.sendall(HEADER.pack(pid))
        return None
    socket.send_fds(sock, [HEADER.pack(pid)], [pidfd])
    return pidfd


def _wait_or_kill(pid: int, pidfd: int | None, timeout_s: float) -> tuple[bool, int | None]:
    """Wait for the child until the wall-clock limit, then kill it. Returns whether it was
    killed, and its wait status where waiting already had to reap it (no `waitid` on macOS).

    The zygote has nothing else to do meanwhile, so the limit holds to a few milliseconds
    whatever the worker is busy with (building cases, computing the reference)."""
    deadline = time.monotonic() + timeout_s
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        if pidfd is not None:
            ready, _, _ = select.select([pidfd], [], [], remaining)
            if ready:
                return False, None
            continue
        if HAS_WAITID:
            if os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None:
                return False, None
        else:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                return False, status
        time.sleep(min(0.005, remaining))
    with contextlib.suppress(OSError):
        if pidfd is not None:
            signal.pidfd_send_signal(pidfd, signal.SIGKILL)
        else:
            os.killpg(pid, signal.SIGKILL)
    return True, None


def _exit_status_unreaped(pid: int) -> int:
    """Wait for the child to end but leave it a zombie (its pid stays taken); the status is
    encoded as `os.waitpid` would return it. Without `waitid` (macOS) it is reaped."""
    if not HAS_WAITID:
        return os.waitpid(pid, 0)[1]
    info = os.waitid(os.P_PID, pid, os.WEXITED | os.WNOWAIT)
    assert info is not None  # without WNOHANG waitid blocks until the child has ended
    if info.si_code == os.CLD_EXITED:
        return (info.si_status & 0xFF) << 8
    return info.si_status | (0x80 if info.si_code == os.CLD_DUMPED else 0)


class _Spare:
    """A child forked ahead of time that waits for its job: forking a process with torch
    loaded takes several milliseconds, which then pass between checks, not during one."""

    def __init__(self, worker_sock: socket.socket, ns_layers: set[str]) -> None:
        ours, theirs = socket.socketpair()
        pid = os.fork()
        if pid == 0:
            linux.die_with_parent()
            worker_sock.close()
            ours.close()
            try:
                payload, result_fd = _receive(theirs)
                theirs.close()
            except BaseException:  # noqa: BLE001 - the zygote went away or gave up on us
                os._exit(70)
            _child(pickle.loads(payload), result_fd, ns_layers)
        theirs.close()
        self.pid, self.sock = pid, ours

    def start(self, payload: bytes, result_fd: int, worker_sock, ns_layers: set[str]) -> int:
        """Hand over the job; returns the pid that runs it (a fresh fork if this spare died)."""
        try:
            socket.send_fds(self.sock, [HEADER.pack(len(payload))], [result_fd])
            self.sock.sendall(payload)
            return self.pid
        except OSError:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self.pid, 0)
            return _Spare(worker_sock, ns_layers).start(payload, result_fd, worker_sock, ns_layers)
        finally:
            self.sock.close()


def _receive(sock: socket.socket) -> tuple[bytes, int]:
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
    return b"".join(chunks), fds[0]


def _child(request: ChildRequest, result_fd: int, ns_layers: set[str]) -> None:
    """In the forked child: run the sandbox (never returns)."""
    try:
        cases = unpack_cases(request.cases)
    except BaseException:  # noqa: BLE001
        os._exit(70)
    sandbox.run_submission(
        request.source, request.function, cases, result_fd, request.confinement, ns_layers
    )


def kill_group(pid: int) -> None:
    """SIGKILL the child's process group (and the child, if it left the group)."""
    for kill in (os.killpg, os.kill):
        with contextlib.suppress(OSError):
            kill(pid, signal.SIGKILL)
