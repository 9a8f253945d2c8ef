"""Running one confined child: the zygote forks it, the worker reads its report.

Whatever happens while the report is read (a report that cannot be decoded, a cancel, an
exception from the reference computed meanwhile), the child's exit is still collected from
the zygote, now or before the next spawn, so the stream between worker and zygote stays in
step; once a whole report is in, the child is killed through its pidfd.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass
from enum import StrEnum

from quizapp.grading import cancel, results, sandbox, wire
from quizapp.grading.job import Job
from quizapp.grading.zygote import Check, ChildRequest, Zygote, pack_cases

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from collections.abc import Callable

    import torch

    from quizapp.grading.worker import Setting

    # What runs while the child does: the reference solver's outputs.
    Overlap = Callable[[], list[torch.Tensor | float]]


class Ended(StrEnum):
    """How a child's run ended, as the worker saw it."""

    REPORTED = "reported"
    TIMEOUT = "timeout"
    MEMORY = "memory"
    CRASHED = "crashed"
    INVALID = "invalid"  # it sent bytes that are not a report


@dataclass
class ChildResult:
    ended: Ended
    report: dict | None
    detail: str = ""


def run_child(
    job: Job, cases: list[dict], setting: Setting, overlap: Overlap | None = None
) -> tuple[ChildResult, list[torch.Tensor | float]]:
    """Have the zygote fork a confined child; run `overlap()` meanwhile; collect results.

    Whatever happens here (a report that cannot be read, an exception from `overlap`), the
    child's exit is still collected from the zygote: now, or before the next spawn
    (`Zygote.defer`). Once a whole report is in, the child is killed through its pidfd: a
    child that keeps running after its report must not hold up the next check.
    """
    # Without a mount namespace the child works in a throw-away folder of the real /tmp.
    private_tmp = "mountns" in setting.zygote.ns_layers
    fallback = "" if private_tmp else tempfile.mkdtemp(prefix="quizapp-run-")
    confinement = sandbox.Confinement(
        cpu_s=sandbox.cpu_seconds(job.timeout_s),
        memory_mb=job.memory_mb,
        workdir=fallback,
        plan=setting.plan,
        timeout_s=job.timeout_s,
    )
    request = ChildRequest(job.source, job.function, pack_cases(cases), confinement)
    read_fd, write_fd = os.pipe()
    try:
        try:
            check = setting.zygote.spawn(request, write_fd)
        except BaseException:
            os.close(read_fd)
            raise
        finally:
            os.close(write_fd)
        try:
            return _collect(check, read_fd, job, setting.zygote, overlap, private_tmp)
        finally:
            check.close()
    finally:
        if fallback:
            remove_tree(fallback)


def _collect(
    check: Check, read_fd: int, job: Job, zygote: Zygote, overlap: Overlap | None, private_tmp: bool
) -> tuple[ChildResult, list[torch.Tensor | float]]:
    """Run `overlap`, read the report (closing `read_fd`), collect the child's exit."""
    safety = time.monotonic() + job.timeout_s + 5.0  # the zygote keeps the limit; a net
    try:
        extra = overlap() if overlap else []
        data, too_big = _read_all(read_fd, safety)
    except BaseException:
        check.kill()
        zygote.defer(check)  # collected before the next spawn: the stream stays in step
        raise
    finally:
        os.close(read_fd)  # a child still writing gets EPIPE rather than blocking
    report = results.INVALID if too_big else results.load_report(data)
    if report is not results.MISSING:
        check.kill()  # the report is in: a child still running must not hold up the next
    if private_tmp and isinstance(report, dict) and "seccomp" in report["layers"]:
        # A child that could start no process: the verdict need not wait while the
        # kernel tears it down. Its exit is collected before the next check.
        zygote.defer(check)
        return ChildResult(Ended.REPORTED, report), extra
    status, timed_out = zygote.exit_status(check, safety)
    timed_out = timed_out or time.monotonic() > safety
    return _interpret(report, status, timed_out, too_big), extra


def _read_all(fd: int, deadline: float) -> tuple[bytes, bool]:
    """Everything the child writes until it closes the pipe; (data, too_big).

    Raises `Cancelled` when the app cancels the check (the caller kills the child)."""
    chunks: list[bytes] = []
    size = 0
    cancel_fd = cancel.read_fd()
    watched = [fd] if cancel_fd is None else [fd, cancel_fd]
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return b"".join(chunks), False
        ready, _, _ = select.select(watched, [], [], remaining)
        if not ready:
            continue
        if fd not in ready:
            cancel.drop_stale()
            raise cancel.Cancelled
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            return b"".join(chunks), False
        chunks.append(chunk)
        size += len(chunk)
        if size > results.MAX_RESULT_BYTES + wire.MAX_HEADER_BYTES:
            return b"", True


def remove_tree(path: str) -> None:
    """Delete a work folder whatever the submission did to it (no recursion in Python:
    thousands of nested folders or folders set to mode 000 cannot stop it)."""
    try:
        os.rmdir(path)  # the usual case: the child worked in its own private /tmp
        return
    except FileNotFoundError:
        return
    except OSError:
        pass
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        subprocess.run(["chmod", "-R", "u+rwx", path], capture_output=True, timeout=60)
        subprocess.run(["rm", "-rf", "--", path], capture_output=True, timeout=60)


def _interpret(
    report: dict | results.NoReport, status: int, timed_out: bool, too_big: bool
) -> ChildResult:
    """What a child's run came to. A whole report counts, however the child ended after
    it (the worker kills it once the report is in)."""
    if isinstance(report, dict):
        return ChildResult(Ended.REPORTED, report)
    if timed_out:
        return ChildResult(Ended.TIMEOUT, None)
    if too_big:
        return ChildResult(Ended.CRASHED, None, "your function returned more than 32 MB of output")
    if report is results.INVALID:
        return ChildResult(Ended.INVALID, None)
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        if sig == signal.SIGXCPU:
            return ChildResult(Ended.TIMEOUT, None)
        if sig == signal.SIGKILL:
            return ChildResult(
                Ended.MEMORY, None, "the process was killed, most likely for using too much memory"
            )
        return ChildResult(
            Ended.CRASHED, None, f"the process died from signal {signal.Signals(sig).name}"
        )
    code = os.waitstatus_to_exitcode(status)
    return ChildResult(
        Ended.CRASHED, None, f"the process ended (exit status {code}) before returning results"
    )
