"""The zygote: the clean, confined process that children are forked from.

The worker forks it right after importing torch and before importing any solver, so
whatever a submission digs out of its own memory (frames, tracebacks, generators, caches),
the reference functions and the outputs computed from them were never there. The zygote
enters the sandbox's namespaces once (`sandbox.enter_namespaces`), so a check costs one
fork rather than building namespaces each time.

The worker hands it a `ChildRequest` and the write end of a result pipe over a Unix socket,
in the framed, numbered messages of `frames`. The zygote gives the child a fresh /tmp,
forks, and reports the child's pid with a pidfd, later its exit status, each tagged with
the check's number. It leaves the child unreaped until the worker acknowledges, so the
pidfd the worker holds is the child's; then it kills and reaps whatever the child left
behind. The worker signals a child only through the pidfd received for that check, never
by a number: a number can be stale or forged, a pidfd cannot.
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

from quizapp.grading import audit, frames, linux, mounts, sandbox, seccomp

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


def _pack(value: object) -> object:
    if isinstance(value, torch.Tensor):
        tensor = value.detach().contiguous().cpu()
        data = tensor.reshape(-1).view(torch.uint8).numpy().tobytes() if tensor.numel() else b""
        return _RawTensor(str(tensor.dtype).removeprefix("torch."), tuple(tensor.shape), data)
    return value


def unpack_cases(cases: list[dict]) -> list[dict]:
    return [{k: _unpack(v) for k, v in case.items()} for case in cases]


def _unpack(value: object) -> object:
    if not isinstance(value, _RawTensor):
        return value
    dtype = getattr(torch, value.dtype)
    if not value.data:
        return torch.empty(value.shape, dtype=dtype)
    return torch.frombuffer(bytearray(value.data), dtype=dtype).reshape(value.shape)


@dataclass
class Check:
    """One check as the worker sees it: its sequence number, the child's pid (meaningful
    in the worker's namespace only without a PID namespace; never signalled) and the pidfd
    received for this check, the only handle the worker ever signals it through."""

    seq: int
    pid: int
    pidfd: int | None

    def kill(self) -> None:
        """SIGKILL the child through its pidfd; without pidfds the zygote's limit ends it."""
        if self.pidfd is not None:
            with contextlib.suppress(OSError):
                signal.pidfd_send_signal(self.pidfd, signal.SIGKILL)

    def close(self) -> None:
        if self.pidfd is not None:
            with contextlib.suppress(OSError):
                os.close(self.pidfd)
            self.pidfd = None


class ZygoteGone(Exception):
    """The zygote died or broke the protocol; a clean one cannot be forked any more (the
    solvers are imported), so the worker must restart."""


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
        self._seq = 0
        self._pending: Check | None = None
        try:  # the zygote first says which namespaces it could enter
            ready = self._receive(frames.Kind.READY, 0, time.monotonic() + 60.0)
        except TimeoutError:
            raise ZygoteGone from None
        mask = frames.number(ready)
        self.ns_layers = {name for i, name in enumerate(NS_LAYERS) if mask >> i & 1}

    def _receive(self, kind: frames.Kind, seq: int, deadline: float) -> frames.Frame:
        """The next frame, which must be `kind` about check `seq`; ZygoteGone otherwise
        (TimeoutError if nothing came in time)."""
        try:
            return frames.expect(frames.receive(self.sock, deadline), kind, seq)
        except frames.ProtocolError:
            self.broken()
            raise ZygoteGone from None

    def broken(self) -> None:
        """Stop talking to this zygote: the worker exits and a new one starts."""
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)

    def defer(self, check: Check) -> None:
        """Collect this child's exit later (before the next spawn), not now."""
        self._pending = check

    def _finish_pending(self) -> None:
        check, self._pending = self._pending, None
        if check is not None:
            try:
                self.exit_status(check, time.monotonic() + 30.0)
            finally:
                check.close()

    def spawn(self, request: ChildRequest, result_fd: int) -> Check:
        """Hand a job and the result pipe to the zygote; returns the check."""
        self._finish_pending()
        self._seq += 1
        payload = pickle.dumps(request, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            frames.send(self.sock, frames.Kind.SPAWN, self._seq, payload, [result_fd])
        except (OSError, frames.ProtocolError):
            raise ZygoteGone from None
        try:
            started = self._receive(frames.Kind.STARTED, self._seq, time.monotonic() + 10.0)
        except TimeoutError:
            self.broken()
            raise ZygoteGone from None  # a late answer would put the stream out of step
        pidfd = started.fds[0] if started.fds else None
        return Check(self._seq, frames.number(started), pidfd)

    def exit_status(self, check: Check, deadline: float) -> tuple[int, bool]:
        """The child's wait status, and whether the zygote killed it for the time limit.

        The zygote keeps the limit; `deadline` is only a safety net should it not answer.
        It leaves the child unreaped until acknowledged here, so its pidfd (and its pid,
        inside the zygote) stays the child's.
        """
        try:
            done = self._receive(frames.Kind.EXITED, check.seq, deadline)
        except TimeoutError:
            check.kill()
            try:
                done = self._receive(frames.Kind.EXITED, check.seq, time.monotonic() + 10.0)
            except TimeoutError:
                self.broken()
                raise ZygoteGone from None
        try:
            status, timed_out = frames.read_exited(done)
            frames.send(self.sock, frames.Kind.ACK, check.seq)
        except (OSError, frames.ProtocolError, struct.error):
            self.broken()
            raise ZygoteGone from None
        return status, timed_out


def _zygote_main(sock: socket.socket, worker: int, plan: sandbox.Plan) -> None:
    """Enter the namespaces, then fork one child per request, report its pid (with a
    pidfd) and exit status, and clean up after it; never returns. Any frame out of order
    ends the zygote (the worker then restarts)."""
    try:
        linux.die_with_parent()
        if os.getppid() != worker:
            os._exit(0)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        devnull = os.open(os.devnull, os.O_RDWR)
        os.dup2(devnull, 0)
        linux.close_fds_except({0, 1, 2, sock.fileno()})
        ns_layers = sandbox.enter_namespaces(plan)
        mask = sum(1 << i for i, n in enumerate(NS_LAYERS) if n in ns_layers)
        frames.send(sock, frames.Kind.READY, 0, frames.NUMBER.pack(mask))
        fresh_tmp = "mountns" in ns_layers
        with contextlib.suppress(OSError):
            seccomp.program(0)  # built once here rather than in every child
        sandbox.BLOCKED_MODULES[:] = audit.blocked_modules()  # listed once, not per child
        gc.freeze()  # children's garbage collections then leave the shared pages alone
        spare: _Spare | None = None
        seq = 0
        while True:
            if spare is None:
                spare = _Spare(sock, ns_layers)
            seq += 1
            request = frames.receive(sock, None)
            if request.kind is not frames.Kind.SPAWN or request.seq != seq or not request.fds:
                break
            payload, result_fd = request.body, request.fds[0]
            timeout_s = pickle.loads(payload).confinement.timeout_s
            if fresh_tmp:
                mounts.mount_work_dir()
            pid = spare.start(payload, result_fd, sock, ns_layers)
            spare = None
            os.close(result_fd)
            pidfd = _send_started(sock, seq, pid)
            timed_out, status = _wait_or_kill(pid, pidfd, timeout_s)
            if status is None:
                status = _exit_status_unreaped(pid)
            if "pidns" in ns_layers:  # nothing the child started outlives the verdict
                sandbox.kill_leftovers()
                sandbox.remove_ipc_objects()  # nor anything it shared for the next check
            frames.send(sock, frames.Kind.EXITED, seq, frames.exited(status, timed_out))
            if pidfd is not None:
                os.close(pidfd)
            frames.expect(frames.receive(sock, None), frames.Kind.ACK, seq)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)  # kill_leftovers may have reaped it already
            if fresh_tmp:
                mounts.unmount_work_dir()
    except BaseException:  # noqa: BLE001 - the worker sees the closed socket and restarts
        pass
    os._exit(0)


def _send_started(sock: socket.socket, seq: int, pid: int) -> int | None:
    """Tell the worker the pid, with a pidfd where the kernel has them; returns the pidfd."""
    try:
        pidfd = os.pidfd_open(pid)
    except (OSError, AttributeError):
        frames.send(sock, frames.Kind.STARTED, seq, frames.NUMBER.pack(pid))
        return None
    frames.send(sock, frames.Kind.STARTED, seq, frames.NUMBER.pack(pid), [pidfd])
    return pidfd


def _wait_or_kill(pid: int, pidfd: int | None, timeout_s: float) -> tuple[bool, int | None]:
    """Wait for the child until the wall-clock limit, then kill it. Returns whether it was
    killed, and its wait status where waiting already had to reap it (no `waitid` on macOS).

    The zygote has nothing else to do meanwhile, so the limit holds to a few milliseconds
    whatever the worker is busy with (building cases, computing the reference). Without a
    pidfd it signals the child by pid: its own child, not yet reaped, so the pid is still
    the child's (it called setsid, so the group is the child's own too)."""
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
                job = frames.receive(theirs, None)
                payload, result_fd = job.body, job.fds[0]
                theirs.close()
            except BaseException:  # noqa: BLE001 - the zygote went away or gave up on us
                os._exit(70)
            _child(pickle.loads(payload), result_fd, ns_layers)
        theirs.close()
        self.pid, self.sock = pid, ours

    def start(
        self, payload: bytes, result_fd: int, worker_sock: socket.socket, ns_layers: set[str]
    ) -> int:
        """Hand over the job; returns the pid that runs it (a fresh fork if this spare died)."""
        try:
            frames.send(self.sock, frames.Kind.SPAWN, 0, payload, [result_fd])
            return self.pid
        except (OSError, frames.ProtocolError):
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self.pid, 0)
            return _Spare(worker_sock, ns_layers).start(payload, result_fd, worker_sock, ns_layers)
        finally:
            self.sock.close()


def _child(request: ChildRequest, result_fd: int, ns_layers: set[str]) -> None:
    """In the forked child: run the sandbox (never returns)."""
    try:
        cases = unpack_cases(request.cases)
    except BaseException:  # noqa: BLE001
        os._exit(70)
    sandbox.run_submission(
        request.source, request.function, cases, result_fd, request.confinement, ns_layers
    )
