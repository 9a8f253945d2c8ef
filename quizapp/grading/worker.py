"""The warm grading worker: imports torch once, then grades submissions read from stdin.

Protocol: one JSON object per line on stdin, one per line on stdout; the first line written
is `{"ready": true}`. Jobs:

- `{"op": "grade", "source", "function", "reference", "cases", "known_mistakes",
  "rtol", "atol", "seed", "timeout_s", "memory_mb"}` -> `{"status", "feedback",
  "cases_passed", "cases_total"}`;
- `{"op": "selfcheck", ...the same without "source"}` -> the reference itself pushed through
  the sandbox, plus a check that every known mistake differs from it on some case.

Per job the worker builds the cases, has a confined child run the submission
(`quizapp.grading.sandbox`), computes the reference outputs itself while the child runs, and
compares them. The child only ever sends tensors and numbers back, so nothing it does to its
own copy of torch can change the comparison.

Children are not forked from the worker but from a `Zygote`: a process the worker forks
right after importing torch and before importing any solver. Whatever a submission digs out
of its own memory (frames, tracebacks, generators, caches), the reference functions and the
outputs computed from them were never there.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import importlib.util
import io
import json
import math
import os
import pickle
import random
import select
import shutil
import signal
import socket
import struct
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import torch
import torch.nn.functional  # noqa: F401 - loaded once here, so submissions start warm

from quizapp.grading import sandbox

MAX_RESULT_BYTES = 32 * 2**20
SANDBOX_UID_BASE = 200_000
NOBODY = 65534
SHOWN_OUTPUT = 2000
PR_SET_PDEATHSIG, PR_SET_DUMPABLE = 1, 4
HEADER = struct.Struct("!q")


# ----------------------------------------------------------------------------- identity


@dataclass(frozen=True)
class Identity:
    """Who children run as; `sweep` means the uid is ours alone, so killing all of it is safe."""

    uid: int | None
    gid: int | None
    max_processes: int | None
    sweep: bool


def choose_identity() -> Identity:
    """As root: a uid no one else uses (fallback nobody); otherwise the current user."""
    if os.geteuid() != 0:
        return Identity(None, None, _own_task_count() + 32, False)
    unique = SANDBOX_UID_BASE + os.getpid()
    if _can_become(unique):
        # The uid is ours alone, so one task means no fork and no thread: no program can be
        # started even through calls the audit hook does not see (torch runs single-threaded).
        return Identity(unique, unique, 1, True)
    return Identity(NOBODY, NOBODY, None, False)


def _can_become(uid: int) -> bool:
    pid = os.fork()
    if pid == 0:
        try:
            os.setgroups([])
            os.setgid(uid)
            os.setuid(uid)
            os._exit(0)
        except BaseException:  # noqa: BLE001
            os._exit(1)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) == 0


def _own_task_count() -> int:
    """Threads of the current user, so RLIMIT_NPROC can leave room for just a few more."""
    uid, count = os.getuid(), 0
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                if os.stat(f"/proc/{name}").st_uid == uid:
                    count += len(os.listdir(f"/proc/{name}/task"))
            except OSError:
                continue
    return count


def sweep(identity: Identity) -> None:
    """Kill every process left running under the sandbox uid (e.g. escaped grandchildren)."""
    if not identity.sweep:
        return
    pid = os.fork()
    if pid == 0:
        try:
            os.setgroups([])
            os.setgid(identity.gid)
            os.setuid(identity.uid)
            os.kill(-1, signal.SIGKILL)
        except BaseException:  # noqa: BLE001
            pass
        os._exit(0)
    os.waitpid(pid, 0)


# ------------------------------------------------------------------------------- solvers


def resolve(ref: str):
    """`module:function` inside solvers/ -> the function object."""
    module, _, name = ref.partition(":")
    return getattr(importlib.import_module(f"solvers.{module}"), name)


def build_cases(ref: str, seed: int) -> list[dict]:
    cases = resolve(ref)(random.Random(seed))
    if not isinstance(cases, list) or not cases or not all(isinstance(c, dict) for c in cases):
        raise ValueError(f"{ref} must return a non-empty list of keyword-argument dicts")
    return cases


def _fresh(kwargs: dict) -> dict:
    return {k: v.clone() if isinstance(v, torch.Tensor) else v for k, v in kwargs.items()}


def solve(function, cases) -> list:
    """Outputs of a trusted solver on every case, as tensors or floats."""
    outputs = []
    for kwargs in cases:
        value = function(**_fresh(kwargs))
        if isinstance(value, torch.Tensor):
            outputs.append(value.detach())
        else:
            outputs.append(float(value))
    return outputs


# ------------------------------------------------------------------------------ the child


@dataclass
class ChildResult:
    status: str  # "ok" | "timeout" | "memory" | "crashed"
    report: dict | None
    detail: str = ""


def run_child(job: dict, cases: list[dict], identity: Identity, zygote, target=None, overlap=None):
    """Have the zygote fork a confined child; run `overlap()` meanwhile; collect results.

    `target` is a `module:function` reference run instead of the source (self-checks).
    """
    timeout_s = float(job.get("timeout_s", 10.0))
    workdir = tempfile.mkdtemp(prefix="quizapp-run-")
    limits = sandbox.Limits(
        cpu_s=sandbox.cpu_seconds(timeout_s),
        memory_mb=int(job.get("memory_mb", 2048)),
        workdir=workdir,
        uid=identity.uid,
        gid=identity.gid,
        max_processes=identity.max_processes,
        hidden=hidden_sources(),
    )
    read_fd, write_fd = os.pipe()
    try:
        try:
            pid = zygote.spawn(
                {
                    "source": job.get("source", ""),
                    "function": job["function"],
                    "cases": cases,
                    "limits": limits,
                    "target": target,
                },
                write_fd,
            )
        finally:
            os.close(write_fd)
        started = time.monotonic()
        try:
            extra = overlap() if overlap else None
        except BaseException:
            _kill_group(pid)
            zygote.exit_status(pid, time.monotonic() + 5.0)
            raise
        data, timed_out, too_big = _read_until(read_fd, started + timeout_s)
        if timed_out or too_big:
            _kill_group(pid)
        status = zygote.exit_status(pid, started + timeout_s + 1.0)
    finally:
        os.close(read_fd)
        shutil.rmtree(workdir, ignore_errors=True)
    return _interpret(data, status, timed_out, too_big, timeout_s), extra


@functools.cache
def hidden_sources() -> tuple[str, ...]:
    """Directories a submission must not read: the solvers package and, in a source checkout,
    the version history next to it (it holds the same code)."""
    spec = importlib.util.find_spec("solvers")
    if spec is None or not spec.submodule_search_locations:
        return ()
    folders = [Path(p).resolve() for p in spec.submodule_search_locations]
    folders += [f.parent / ".git" for f in folders if (f.parent / ".git").is_dir()]
    return tuple(str(f) for f in folders if f.is_dir())


# -------------------------------------------------------------------------------- zygote


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

    def spawn(self, request: dict, result_fd: int) -> int:
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
            _kill_group(pid)
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
        with contextlib.suppress(OSError, AttributeError):
            sandbox._libc().prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != worker:
            os._exit(0)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        devnull = os.open(os.devnull, os.O_RDWR)
        os.dup2(devnull, 0)
        sandbox._close_fds_except({0, 1, 2, sock.fileno()})
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


def _child(request: dict, result_fd: int) -> None:
    """In the forked child: load a self-check's reference if asked, then run the sandbox."""
    target = None
    if request["target"]:
        try:
            target = resolve(request["target"])
        except BaseException:  # noqa: BLE001
            os._exit(70)
    sandbox.run_submission(
        request["source"],
        request["function"],
        request["cases"],
        result_fd,
        request["limits"],
        target,
    )


def _read_until(fd, deadline):
    chunks, size = [], 0
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return b"".join(chunks), True, False
        ready, _, _ = select.select([fd], [], [], remaining)
        if not ready:
            continue
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            return b"".join(chunks), False, False
        chunks.append(chunk)
        size += len(chunk)
        if size > MAX_RESULT_BYTES:
            return b"", False, True


def _kill_group(pid):
    for kill in (os.killpg, os.kill):
        with contextlib.suppress(OSError):
            kill(pid, signal.SIGKILL)


def _interpret(data, status, timed_out, too_big, timeout_s) -> ChildResult:
    if timed_out:
        return ChildResult("timeout", None)
    if too_big:
        return ChildResult("crashed", None, "your function returned more than 32 MB of output")
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        if sig == signal.SIGXCPU:
            return ChildResult("timeout", None)
        if sig == signal.SIGKILL:
            return ChildResult(
                "memory", None, "the process was killed, most likely for using too much memory"
            )
        return ChildResult(
            "crashed", None, f"the process died from signal {signal.Signals(sig).name}"
        )
    report = _load_report(data)
    if report is None:
        code = os.waitstatus_to_exitcode(status)
        return ChildResult(
            "crashed", None, f"the process ended (exit status {code}) before returning results"
        )
    return ChildResult("ok", report)


def _load_report(data):
    """Parse the child's blob with the weights-only loader and check its shape strictly."""
    if not data:
        return None
    try:
        report = torch.load(io.BytesIO(data), weights_only=True)
    except Exception:  # noqa: BLE001 - anything unreadable is a crash of the child
        return None
    if not isinstance(report, dict) or not isinstance(report.get("outputs"), list):
        return None
    error = report.get("error")
    if error is not None and not isinstance(error, dict):
        return None
    output = report.get("output", "")
    report["output"] = output[: sandbox.OUTPUT_CAP + 100] if isinstance(output, str) else ""
    return report


# ----------------------------------------------------------------------------- comparing


def describe_value(value) -> str:
    if isinstance(value, torch.Tensor):
        text = f"shape {tuple(value.shape)} {str(value.dtype).removeprefix('torch.')}"
        if value.numel() <= 12:
            text += f" = {value.tolist()}"
        return text
    return repr(value)


def describe_case(kwargs: dict) -> str:
    return ", ".join(f"`{k}`: {describe_value(v)}" for k, v in kwargs.items())


def _as_output(entry):
    """The student's output as a tensor or float, or a string saying what it was instead."""
    if not isinstance(entry, dict):
        return "an unreadable value"
    kind, value = entry.get("kind"), entry.get("value")
    if kind == "tensor" and isinstance(value, torch.Tensor):
        return value
    if kind == "number" and isinstance(value, float):
        return value
    return (
        f"a `{entry.get('type', 'unknown')}`"
        if isinstance(entry.get("type"), str)
        else "an unknown value"
    )


def mismatch(expected, got, rtol, atol) -> str | None:
    """None if `got` matches `expected` (values, shape, dtype, NaN/inf positions), else why not."""
    if isinstance(got, str):
        want = (
            "a number"
            if isinstance(expected, float)
            else f"a torch tensor ({describe_value(expected)})"
        )
        return f"your function returned {got}; it must return {want}"
    if isinstance(expected, float):
        if isinstance(got, torch.Tensor):
            if got.numel() != 1:
                return f"expected a single number, got a tensor of shape {tuple(got.shape)}"
            if not (got.dtype.is_floating_point or got.dtype == torch.int64):
                return f"expected a number, got a {got.dtype} tensor"
            got = float(got.reshape(()).item())
        return _compare_tensors(
            torch.tensor(expected, dtype=torch.float64),
            torch.tensor(got, dtype=torch.float64),
            rtol,
            atol,
        )
    if not isinstance(got, torch.Tensor):
        return f"expected a tensor ({describe_value(expected)}), got the number {got!r}"
    if tuple(got.shape) != tuple(expected.shape):
        return f"wrong shape: expected {tuple(expected.shape)}, got {tuple(got.shape)}"
    if got.dtype != expected.dtype:
        return f"wrong dtype: expected {expected.dtype}, got {got.dtype}"
    return _compare_tensors(expected, got, rtol, atol)


def _compare_tensors(expected, got, rtol, atol):
    if expected.dtype == torch.bool or not expected.dtype.is_floating_point:
        wrong = expected != got
        if wrong.any():
            index = tuple(int(i) for i in wrong.nonzero()[0])
            return f"{int(wrong.sum())} of {wrong.numel()} entries differ; first at index {index}: expected {expected[index].item()}, got {got[index].item()}"
        return None
    e, g = expected.double(), got.double()
    e_nan, g_nan = torch.isnan(e), torch.isnan(g)
    if (e_nan != g_nan).any():
        index = tuple(int(i) for i in (e_nan != g_nan).nonzero()[0])
        if g_nan[index]:
            return f"your output has NaN at index {index} where {e[index].item():.6g} was expected"
        return f"expected NaN at index {index} (nothing to attend to), got {g[index].item():.6g}"
    finite = ~e_nan & torch.isfinite(e)
    inf_wrong = ~e_nan & ~torch.isfinite(e) & (e != g)
    if inf_wrong.any():
        index = tuple(int(i) for i in inf_wrong.nonzero()[0])
        return f"at index {index} expected {e[index].item()}, got {g[index].item():.6g}"
    diff = torch.where(finite, (e - g).abs(), torch.zeros_like(e))
    diff = torch.where(torch.isnan(diff), torch.full_like(diff, math.inf), diff)
    allowed = atol + rtol * e.abs()
    bad = finite & (diff > allowed)
    if not bad.any():
        return None
    worst = tuple(int(i) for i in (diff == diff.max()).nonzero()[0]) if e.dim() else ()
    return (
        f"values differ in {int(bad.sum())} of {bad.numel()} entries; largest absolute difference "
        f"{diff.max().item():.4g} at index {worst} (expected {e[worst].item():.6g}, got {g[worst].item():.6g})"
    )


# ----------------------------------------------------------------------------- verdicts


def verdict(status, feedback, passed, total) -> dict:
    return {"status": status, "feedback": feedback, "cases_passed": passed, "cases_total": total}


def _printed(report) -> str:
    output = (report or {}).get("output", "")
    if not output:
        return ""
    shown = output[:SHOWN_OUTPUT] + (
        "\n[... output shortened]" if len(output) > SHOWN_OUTPUT else ""
    )
    return f"\n\nYour code printed:\n\n```\n{shown}\n```"


def _error_feedback(error, cases, function) -> tuple[str, str]:
    kind = error.get("kind")
    line, text = error.get("line") or 0, error.get("text") or ""
    where = f" at line {line}" + (f": `{text}`" if text else "") if line else ""
    if kind == "syntax":
        return "error", f"**{error.get('type', 'SyntaxError')}**{where}: {error.get('message', '')}"
    if kind == "missing":
        found = error.get("message") or ""
        extra = f" (found: {found})" if found else ""
        return (
            "error",
            f"**Your code does not define `{function}`**{extra}. Keep the function name from the template.",
        )
    case = error.get("case", -1)
    during = (
        f" on case {case + 1} ({describe_case(cases[case])})"
        if 0 <= case < len(cases)
        else " while loading your code"
    )
    message = f"`{error.get('type', 'Exception')}: {error.get('message', '')}`"
    if kind == "memory":
        return "memory", f"**Memory limit exceeded**{during}{where}.\n\n{message}"
    return "error", f"**Your code raised an exception**{during}{where}:\n\n{message}"


def grade(job: dict, identity: Identity, zygote: Zygote) -> dict:
    """Run one submission and turn what happened into a verdict for the student."""
    cases = build_cases(job["cases"], int(job["seed"]))
    total = len(cases)
    reference = resolve(job["reference"])
    child, expected = run_child(
        job, cases, identity, zygote, overlap=lambda: solve(reference, cases)
    )
    timeout_s = float(job.get("timeout_s", 10.0))
    if child.status == "timeout":
        return verdict(
            "timeout",
            f"**Time limit exceeded ({timeout_s:g} s).** Look for an endless loop or far too much work.",
            0,
            total,
        )
    if child.status == "memory":
        return verdict(
            "memory",
            f"**Memory limit exceeded ({job.get('memory_mb', 2048)} MB)**: {child.detail}.",
            0,
            total,
        )
    if child.status == "crashed":
        return verdict(
            "crashed",
            f"**Your code crashed**: {child.detail}. Do not exit the process or call native code.",
            0,
            total,
        )
    report = child.report
    outputs = [_as_output(entry) for entry in report["outputs"]][:total]
    rtol, atol = float(job.get("rtol", 1e-5)), float(job.get("atol", 1e-6))
    problems = [mismatch(e, g, rtol, atol) for e, g in zip(expected, outputs, strict=False)]
    passed = sum(p is None for p in problems)
    printed = _printed(report)
    if report.get("error") is not None:
        status, text = _error_feedback(report["error"], cases, job["function"])
        return verdict(status, text + printed, passed, total)
    if len(outputs) < total:
        return verdict(
            "crashed",
            "**Your code stopped before returning every result.**" + printed,
            passed,
            total,
        )
    if passed == total:
        return verdict(
            "correct",
            f"**Correct!** All {total} test cases match the reference." + printed,
            passed,
            total,
        )
    first = next(i for i, p in enumerate(problems) if p is not None)
    text = (
        f"**Not quite: {passed} of {total} test cases pass.** First failing case: case {first + 1} "
        f"({describe_case(cases[first])}): {problems[first]}."
    )
    hint = known_mistake(job, cases, outputs, rtol, atol)
    if hint:
        text += f"\n\n**Hint:** {hint}"
    return verdict("incorrect", text + printed, passed, total)


def known_mistake(job, cases, outputs, rtol, atol) -> str:
    """The hint of the first known-mistake solver whose outputs the submission reproduces."""
    for solver, hint in job.get("known_mistakes", []):
        try:
            wrong = solve(resolve(solver), cases)
        except Exception:  # noqa: BLE001 - a broken mistake solver just gives no hint
            continue
        if all(mismatch(w, g, rtol, atol) is None for w, g in zip(wrong, outputs, strict=True)):
            return hint
    return ""


def selfcheck(job: dict, identity: Identity, zygote: Zygote) -> dict:
    """Push the reference through the sandbox; check known mistakes are distinguishable."""
    cases = build_cases(job["cases"], int(job["seed"]))
    reference = resolve(job["reference"])
    child, expected = run_child(
        job,
        cases,
        identity,
        zygote,
        target=job["reference"],
        overlap=lambda: solve(reference, cases),
    )
    result = grade_outputs(job, cases, child, expected)
    if result["status"] != "correct":
        return verdict(
            "error", f"the reference fails its own cases: {result['feedback']}", 0, len(cases)
        )
    rtol, atol = float(job.get("rtol", 1e-5)), float(job.get("atol", 1e-6))
    for solver, _ in job.get("known_mistakes", []):
        wrong = solve(resolve(solver), cases)
        if all(mismatch(e, w, rtol, atol) is None for e, w in zip(expected, wrong, strict=True)):
            return verdict(
                "error",
                f"known mistake {solver} gives the reference's outputs on every case",
                0,
                len(cases),
            )
    return verdict("correct", "ok", len(cases), len(cases))


def grade_outputs(job, cases, child, expected) -> dict:
    if child.status != "ok" or child.report.get("error") is not None:
        return verdict(
            "error",
            f"{child.status} {child.detail} {child.report and child.report.get('error')}",
            0,
            len(cases),
        )
    outputs = [_as_output(entry) for entry in child.report["outputs"]]
    rtol, atol = float(job.get("rtol", 1e-5)), float(job.get("atol", 1e-6))
    problems = [mismatch(e, g, rtol, atol) for e, g in zip(expected, outputs, strict=False)]
    bad = [p for p in problems if p is not None] + (
        ["missing outputs"] if len(outputs) < len(cases) else []
    )
    if bad:
        return verdict("incorrect", bad[0], 0, len(cases))
    return verdict("correct", "ok", len(cases), len(cases))


# ------------------------------------------------------------------------------- the loop


def handle(job: dict, identity: Identity, zygote: Zygote) -> dict:
    op = job.get("op", "grade")
    try:
        if op == "ping":
            return {"pong": True}
        if op == "selfcheck":
            return selfcheck(job, identity, zygote)
        return grade(job, identity, zygote)
    except ZygoteGone:
        raise
    except Exception as err:  # noqa: BLE001 - a bad job must not take the worker down
        return verdict(
            "error", f"The grader could not run this question: {type(err).__name__}: {err}", 0, 0
        )


def _warm_up() -> None:
    """Run the serialisation round trip once so its lazy imports happen here, not in a child."""
    buffer = io.BytesIO()
    torch.save({"outputs": [{"kind": "tensor", "value": torch.ones(2)}], "error": None}, buffer)
    torch.load(io.BytesIO(buffer.getvalue()), weights_only=True)


def main() -> None:
    """Read jobs from stdin until it closes; answer each on the protocol stream."""
    protocol = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)  # stray prints from libraries must not corrupt the protocol
    torch.set_num_threads(1)
    torch.set_num_interop_threads(1)
    _warm_up()
    identity = choose_identity()
    zygote = Zygote()  # before any solver is imported: see the module docstring
    for module in ("attention", "masking", "contrastive", "clip"):
        with contextlib.suppress(ImportError):
            importlib.import_module(f"solvers.{module}")
    with contextlib.suppress(OSError, AttributeError):
        sandbox._libc().prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)  # no peeking at /proc/<pid>/mem
    protocol.write(json.dumps({"ready": True, "pid": os.getpid()}) + "\n")
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            job = json.loads(line)
        except json.JSONDecodeError:
            protocol.write(json.dumps(verdict("error", "bad job", 0, 0)) + "\n")
            continue
        try:
            result = handle(job, identity, zygote)
        except ZygoteGone:
            os._exit(75)  # the app restarts the worker and retries the job
        result["id"] = job.get("id")
        protocol.write(json.dumps(result) + "\n")
        sweep(identity)


if __name__ == "__main__":
    main()
