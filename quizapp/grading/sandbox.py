"""The confinement of code grading: namespaces for the zygote, the rest for each child.

Independent layers, each stopping what it can on its own, are in place before any student
code runs:

- namespaces, entered once by the zygote (`enter_namespaces`): an ordinary user takes an
  unprivileged user namespace and, in it, its own mount, PID, network and IPC namespaces
  (root takes the same without the user namespace, and each child then becomes a private
  uid). The zygote is PID 1 there, so children see and signal nothing outside, and it
  kills whatever a child left behind before the verdict. The file system is a new
  read-only root without the home folders, the progress database or the reference
  solutions; each child gets a fresh, empty tmpfs as /tmp, its work folder (`mounts`);
- resource limits (CPU, address space, file size, open files) and no_new_privs;
- Landlock: read only the system and Python folders, write only the work folder, no TCP,
  no signals beyond itself (`landlock`);
- seccomp: no new processes or programs, no tracing, sockets, mounts, namespaces, bpf …
  (`seccomp`);
- the audit hook, for clear messages (`audit`).

`run_submission` runs in a child the zygote forked; it never returns. Which layers are
active is reported back with the results, so `quizapp grade --sandbox-info` says what holds
on this machine. The outputs go to `result_fd` in the `wire` format (JSON and raw tensor
bytes); the worker decides what they mean, nothing computed here is
trusted.
"""

from __future__ import annotations

import contextlib
import io
import math
import os
import resource
import signal
import sys
import traceback
from dataclasses import dataclass, field

import torch

from quizapp.grading import audit, landlock, linux, mounts, seccomp, wire
from quizapp.grading.layers import SWITCHES

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import NoReturn

FILENAME = "<your code>"
IPC_RMID = 0
OUTPUT_CAP = 10_000  # characters of captured stdout/stderr kept
ALL_LAYERS = SWITCHES
BLOCKED_MODULES: list[str] = []  # filled by the zygote: app and solver modules to forget


@dataclass(frozen=True)
class Plan:
    """What stays the same for all children of one zygote.

    `stage` is an empty folder the new root is built on; `python_dirs` are bound read-only
    into it (and are what Landlock lets a child read); `hidden` are covered (reference
    sources). `uid`/`gid` are a private identity children drop to when started as root.
    """

    stage: str
    python_dirs: tuple[str, ...] = ()
    hidden: tuple[str, ...] = ()
    uid: int | None = None
    gid: int | None = None
    max_processes: int | None = None
    layers: frozenset[str] = field(default=ALL_LAYERS)


@dataclass(frozen=True)
class Confinement:
    """What one submission may use. `workdir` is used where the zygote has no mount
    namespace; inside one, the child works in its own fresh /tmp."""

    cpu_s: int
    memory_mb: int
    workdir: str
    plan: Plan
    timeout_s: float = 10.0  # wall clock, kept by the zygote
    file_bytes: int = 1_000_000


class CappedText(io.TextIOBase):
    """A text stream that keeps the first OUTPUT_CAP characters and counts the rest."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.kept = 0
        self.dropped = 0

    def writable(self) -> bool:
        return True

    def write(self, text: object) -> int:
        text = str(text)
        room = OUTPUT_CAP - self.kept
        if room > 0:
            self.parts.append(text[:room])
            self.kept += min(room, len(text))
        self.dropped += max(0, len(text) - max(room, 0))
        return len(text)

    def getvalue(self) -> str:
        text = "".join(self.parts)
        if self.dropped:
            text += f"\n[... {self.dropped} more characters not shown]"
        return text


def run_submission(
    source: str,
    function: str,
    cases: list[dict[str, object]],
    result_fd: int,
    confinement: Confinement,
    ns_layers: Iterable[str],
) -> NoReturn:
    """Confine this (forked) process, run the submission on `cases`, report, and exit.

    `ns_layers` are the namespace layers the zygote holds.
    """
    code = 70
    try:
        captured, active = _confine(result_fd, confinement, set(ns_layers))
        report = _run(source, function, cases)
        report["output"] = captured.getvalue()
        report["layers"] = sorted(active)
        _write_all(result_fd, wire.encode(report))
        os.close(result_fd)  # the worker can judge while this process is torn down
        code = 0
    except BaseException:  # noqa: BLE001 - the child must always end with os._exit
        code = 70
    finally:
        os._exit(code)


def _confine(result_fd: int, c: Confinement, active: set[str]) -> tuple[CappedText, set[str]]:
    """Everything that happens in the child before student code runs; returns the output
    stream and the names of the layers that are in place."""
    plan = c.plan
    os.setsid()
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    os.closerange(3, result_fd)
    os.closerange(result_fd + 1, 1 << 16)
    captured = CappedText()
    sys.stdout = sys.stderr = captured
    sys.stdin = io.StringIO("")
    workdir = mounts.WORK_DIR if "mountns" in active else c.workdir
    if (
        os.geteuid() == 0
        and plan.uid is not None
        and plan.gid is not None
        and "private-uid" in plan.layers
    ):
        if "mountns" not in active:
            os.chown(workdir, plan.uid, plan.gid)
        _become(plan.uid, plan.gid)
        active.add("private-uid")
    elif "userns" in active:
        linux.drop_capabilities()
    _single_thread()
    if "rlimits" in plan.layers:
        _set_limits(c)
        active.add("rlimits")
    if linux.IS_LINUX:
        linux.prctl(linux.PR_SET_NO_NEW_PRIVS, 1)
        linux.die_with_parent()
    os.chdir(workdir)
    if "landlock" in plan.layers:
        with contextlib.suppress(OSError):
            landlock.restrict(_readable(plan), [workdir, *mounts.DEVICES])
            active.add("landlock")
    os.environ.clear()
    os.environ.update(PATH="/usr/bin:/bin", HOME=workdir, TMPDIR=workdir, LANG="C.UTF-8")
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    sys.dont_write_bytecode = True
    if "seccomp" in plan.layers:
        with contextlib.suppress(OSError):
            seccomp.install(os.getpid())
            active.add("seccomp")
    audit.hide_packages(BLOCKED_MODULES or None)
    if "audit" in plan.layers:
        real = os.path.realpath
        sys.addaudithook(audit.audit_hook(real(workdir), tuple(real(d) for d in plan.hidden)))
        active.add("audit")
    return captured, active


def enter_namespaces(plan: Plan) -> set[str]:
    """In the zygote: unshare, build the new root, and continue as PID 1 of the new PID
    namespace; returns the namespace layers in place (empty where none could be made).

    The process that unshared stays outside as a plain waiter that ends when PID 1 does;
    PID 1 dies with it in turn, and with PID 1 everything in the namespace.
    """
    if "namespaces" not in plan.layers or not linux.IS_LINUX:
        return set()
    flags = linux.CLONE_NEWNS | linux.CLONE_NEWPID | linux.CLONE_NEWNET | linux.CLONE_NEWIPC
    uid, gid = os.getuid(), os.getgid()
    active: set[str] = set()
    try:
        if os.geteuid() == 0:
            linux.unshare(flags)
        else:
            if "userns" not in plan.layers:
                return set()
            linux.best_effort_prctl(linux.PR_SET_DUMPABLE, 1)  # to write our own id maps
            linux.unshare(flags | linux.CLONE_NEWUSER)
            linux.write_id_maps(uid, gid)
            linux.make_undumpable()
            active.add("userns")
    except OSError:
        with contextlib.suppress(OSError):
            linux.unshare(linux.CLONE_NEWNET)  # where allowed, at least no network
            return {"netns"}
        return set()
    _wait_outside()
    active.add("pidns")
    try:
        mounts.build_root(plan.stage, list(plan.python_dirs), list(plan.hidden))
        active.add("mountns")
    except OSError:
        pass  # PID and network namespaces hold; files fall back to the other layers
    return active


def _wait_outside() -> None:
    """Return in a new child (PID 1 of the new namespace, dying with this process); this
    process waits for it and then exits."""
    pid = os.fork()
    if pid == 0:
        linux.die_with_parent()
        return
    linux.close_fds_except({0, 1, 2})
    linux.make_undumpable()  # it was made dumpable to write the id maps
    while True:
        try:
            os.waitpid(pid, 0)
            break
        except InterruptedError:
            continue
        except ChildProcessError:
            break
    os._exit(0)


def kill_leftovers() -> None:
    """As PID 1 of the namespace: kill and reap every other process in it."""
    with contextlib.suppress(OSError):
        os.kill(-1, signal.SIGKILL)
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def remove_ipc_objects() -> None:
    """As the owner of the namespace's IPC namespace: remove every System V shared memory
    segment, message queue and semaphore set in it, so nothing a check made (where seccomp
    did not refuse it) is there for the next one. Listed through this namespace's /proc;
    where there is none, seccomp's refusal is what holds."""
    libc = linux.libc()
    removers = {
        "shm": lambda ident: libc.shmctl(ident, IPC_RMID, None),
        "msg": lambda ident: libc.msgctl(ident, IPC_RMID, None),
        "sem": lambda ident: libc.semctl(ident, 0, IPC_RMID),
    }
    for kind, remove in removers.items():
        try:
            with open(f"/proc/sysvipc/{kind}") as listing:
                rows = listing.read().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            fields = row.split()
            if len(fields) > 1 and fields[1].isdigit():
                remove(int(fields[1]))


def _become(uid: int, gid: int) -> None:
    os.setgroups([])
    os.setgid(gid)
    os.setuid(uid)


def _readable(plan: Plan) -> list[str]:
    """What Landlock lets the child read: the same folders the new root holds."""
    return [*mounts.SYSTEM_DIRS, *plan.python_dirs]


def _single_thread() -> None:
    """Keep torch on this thread: the process limit may allow no other task, and a thread
    pool that cannot start kills the process with no message the student could act on."""
    torch.set_num_threads(1)

    def refuse(*args: object, **kwargs: object) -> NoReturn:
        raise RuntimeError("submissions run on a single thread; remove the thread setting")

    torch.set_num_threads = torch.set_num_interop_threads = refuse


def _vm_bytes() -> int:
    """Current virtual memory size, so the address-space limit is relative to it."""
    try:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return 0


def _set_limits(c: Confinement) -> None:
    def cap(which: int, soft: int, hard: int | None = None) -> None:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(which, (soft, soft if hard is None else hard))

    cap(resource.RLIMIT_CPU, c.cpu_s, c.cpu_s + 1)
    cap(resource.RLIMIT_AS, _vm_bytes() + c.memory_mb * 2**20)
    cap(resource.RLIMIT_FSIZE, c.file_bytes)
    cap(resource.RLIMIT_CORE, 0)
    cap(resource.RLIMIT_NOFILE, 64)
    if c.plan.max_processes is not None:
        cap(resource.RLIMIT_NPROC, c.plan.max_processes)


def _run(source: str, function: str, cases: list[dict[str, object]]) -> dict[str, object]:
    """Compile, look up and call the function on every case; stop at the first exception."""
    outputs: list[dict[str, object]] = []
    report: dict[str, object] = {"outputs": outputs, "error": None}
    namespace = {"__name__": "__submission__", "__builtins__": __builtins__}
    try:
        code = compile(source, FILENAME, "exec")
    except (SyntaxError, ValueError) as err:
        report["error"] = _syntax_error(err, source)
        return report
    try:
        exec(code, namespace)  # noqa: S102 - running the submission is the point
    except BaseException as err:  # noqa: BLE001
        report["error"] = _exception(err, source, case=-1)
        return report
    target = namespace.get(function)
    if not callable(target):
        defined = sorted(n for n, v in namespace.items() if callable(v) and not n.startswith("_"))
        report["error"] = {"kind": "missing", "message": ", ".join(defined[:8])}
        return report
    for index, kwargs in enumerate(cases):
        try:
            value = target(*kwargs.values())
        except BaseException as err:  # noqa: BLE001
            report["error"] = _exception(err, source, case=index)
            return report
        outputs.append(_portable(value))
    return report


def _portable(value: object) -> dict[str, object]:
    """Reduce an output to a plain tensor or number; anything else is only named."""
    try:
        if isinstance(value, torch.Tensor):
            tensor = value.detach()
            kind = wire.unusual_tensor(tensor)
            if kind:
                return {"kind": "other", "type": kind}
            tensor = tensor.as_subclass(torch.Tensor).resolve_conj().resolve_neg()
            return {"kind": "tensor", "value": tensor.contiguous().clone()}
        # `type(...) in` keeps subclasses out; `isinstance` is for the type checker
        if type(value) in (int, float, bool) and isinstance(value, int | float):
            return {"kind": "number", "value": float(value)}
        if type(value).__module__ == "numpy" and hasattr(value, "dtype"):
            return {"kind": "tensor", "value": torch.from_numpy(__import__("numpy").array(value))}
        return {"kind": "other", "type": type(value).__name__}
    except BaseException:  # noqa: BLE001
        return {"kind": "other", "type": "unreadable value"}


def _source_line(source: str, lineno: int) -> str:
    lines = source.splitlines()
    if lineno and 1 <= lineno <= len(lines):
        return lines[lineno - 1].strip()
    return ""


def _syntax_error(err: SyntaxError | ValueError, source: str) -> dict[str, object]:
    # compile() may raise ValueError (a null byte, on some Python versions): no line number.
    lineno = (err.lineno or 0) if isinstance(err, SyntaxError) else 0
    return {
        "kind": "syntax",
        "type": type(err).__name__,
        "message": str(err.msg if isinstance(err, SyntaxError) else err),
        "line": lineno,
        "text": _source_line(source, lineno) if isinstance(err, SyntaxError) else "",
        "case": -1,
    }


def _exception(err: BaseException, source: str, case: int) -> dict[str, object]:
    """Describe an exception by the deepest line of the submission it passed through."""
    lineno = 0
    for frame in traceback.extract_tb(err.__traceback__):
        if frame.filename == FILENAME:
            lineno = frame.lineno or 0
    text = str(err)
    memory = isinstance(err, MemoryError) or (
        isinstance(err, RuntimeError) and "alloc" in text.lower() and "memory" in text.lower()
    )
    return {
        "kind": "memory" if memory else "exception",
        "type": type(err).__name__,
        "message": text[:2000],
        "line": lineno,
        "text": _source_line(source, lineno),
        "case": case,
    }


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def cpu_seconds(timeout_s: float) -> int:
    """The CPU-time limit that goes with a wall-clock timeout (whole seconds, at least 1)."""
    return max(1, math.ceil(timeout_s))
