"""The child side of code grading: confine a freshly forked process, run the submission.

`run_submission` runs in a child the zygote forked. It never returns. Independent layers,
each stopping what it can on its own, are put in place before any student code runs:

- namespaces: an ordinary user takes an unprivileged user namespace and, in it, its own
  mount, PID, network and IPC namespaces (root takes the same without the user namespace
  and then becomes a private uid). The child becomes PID 1 of its PID namespace, so it
  sees and signals nothing outside it, and everything it starts dies with it. Its file
  system is a new read-only root without the home folders, the progress database or the
  reference solutions, with an empty private /tmp as work folder (`mounts`);
- resource limits (CPU, address space, file size, open files) and no_new_privs;
- Landlock: read only the system and Python folders, write only the work folder, no TCP,
  no signals beyond itself (`landlock`);
- seccomp: no new processes or programs, no tracing, sockets, mounts, namespaces, bpf …
  (`seccomp`);
- the audit hook, for clear messages (`audit`).

Which layers are active is reported back with the results, so `quizapp grade
--sandbox-info` says what holds on this machine. The outputs go to `result_fd` as a
`torch.save` blob that holds only tensors, numbers and strings; the worker decides what
they mean, nothing computed here is trusted.
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

from quizapp.grading import audit, landlock, linux, mounts, seccomp
from quizapp.grading.layers import SWITCHES

FILENAME = "<your code>"
OUTPUT_CAP = 10_000  # characters of captured stdout/stderr kept
ALL_LAYERS = SWITCHES


@dataclass(frozen=True)
class Confinement:
    """What one submission may use and which layers to put in place (all by default).

    `uid`/`gid` are a private identity to drop to when started as root. `stage` is an empty
    directory the new root is built on; `fallback_workdir` is used where no mount namespace
    could be made. `python_dirs` are bound read-only into the new root; `hidden` are covered.
    """

    cpu_s: int
    memory_mb: int
    stage: str
    fallback_workdir: str
    python_dirs: tuple[str, ...] = ()
    hidden: tuple[str, ...] = ()
    uid: int | None = None
    gid: int | None = None
    max_processes: int | None = None
    file_bytes: int = 1_000_000
    layers: frozenset[str] = field(default=ALL_LAYERS)


class CappedText(io.TextIOBase):
    """A text stream that keeps the first OUTPUT_CAP characters and counts the rest."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.kept = 0
        self.dropped = 0

    def writable(self) -> bool:
        return True

    def write(self, text) -> int:
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


def run_submission(source, function, cases, result_fd, confinement, target=None):
    """Confine this (forked) process, run the submission on `cases`, report, and exit.

    `target` replaces compiling `source` (used to push a reference through the same path).
    """
    code = 70
    try:
        captured, active = _confine(result_fd, confinement)
        report = _run(source, function, cases, target)
        report["output"] = captured.getvalue()
        report["layers"] = sorted(active)
        buffer = io.BytesIO()
        torch.save(report, buffer)
        _write_all(result_fd, buffer.getvalue())
        code = 0
    except BaseException:  # noqa: BLE001 - the child must always end with os._exit
        code = 70
    finally:
        os._exit(code)


def _confine(result_fd: int, c: Confinement) -> tuple[CappedText, set[str]]:
    """Everything that happens before student code runs; returns the output stream and the
    names of the layers that are in place."""
    os.setsid()
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    linux.close_fds_except({0, 1, 2, result_fd})
    captured = CappedText()
    sys.stdout = sys.stderr = captured
    sys.stdin = io.StringIO("")
    active: set[str] = set()
    as_root = os.geteuid() == 0
    namespaced = _enter_namespaces(c, as_root, result_fd, active)
    workdir = mounts.WORK_DIR if "mountns" in active else c.fallback_workdir
    if as_root and c.uid is not None and "private-uid" in c.layers:
        if "mountns" not in active:
            os.chown(workdir, c.uid, c.gid)
        _become(c.uid, c.gid)
        active.add("private-uid")
    if namespaced and not as_root:
        with contextlib.suppress(OSError):
            linux.drop_capabilities()
    _single_thread()
    if "rlimits" in c.layers:
        _set_limits(c)
        active.add("rlimits")
    linux.prctl(linux.PR_SET_NO_NEW_PRIVS, 1)
    linux.die_with_parent()
    os.chdir(workdir)
    if "landlock" in c.layers:
        with contextlib.suppress(OSError):
            landlock.restrict(_readable(c), [workdir, *mounts.DEVICES])
            active.add("landlock")
    os.environ.clear()
    os.environ.update(PATH="/usr/bin:/bin", HOME=workdir, TMPDIR=workdir, LANG="C.UTF-8")
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    sys.dont_write_bytecode = True
    if "seccomp" in c.layers:
        with contextlib.suppress(OSError):
            seccomp.install(os.getpid())
            active.add("seccomp")
    audit.hide_packages()
    if "audit" in c.layers:
        real = os.path.realpath
        sys.addaudithook(audit.audit_hook(real(workdir), tuple(real(d) for d in c.hidden)))
        active.add("audit")
    return captured, active


def _enter_namespaces(c: Confinement, as_root: bool, result_fd: int, active: set[str]) -> bool:
    """Unshare, build the new root, and continue as PID 2 of the new PID namespace.

    Three processes: the one that unshared stays outside as a plain parent; PID 1 of the
    namespace builds the root and waits; PID 2 runs the submission. PID 1 is only a waiter
    because the kernel ignores signals the submission sends itself (a segfault raised with
    `raise`, an abort) when it is PID 1. Each waiter ends the way its child ended, so the
    zygote sees one child as before. Returns False where no namespace could be made.
    """
    if "namespaces" not in c.layers or not linux.IS_LINUX:
        return False
    flags = linux.CLONE_NEWNS | linux.CLONE_NEWPID | linux.CLONE_NEWNET | linux.CLONE_NEWIPC
    uid, gid = os.getuid(), os.getgid()
    try:
        if as_root:
            linux.unshare(flags)
        else:
            if "userns" not in c.layers:
                return False
            linux.best_effort_prctl(linux.PR_SET_DUMPABLE, 1)  # to write our own id maps
            linux.unshare(flags | linux.CLONE_NEWUSER)
            linux.write_id_maps(uid, gid)
            active.add("userns")
    except OSError:
        with contextlib.suppress(OSError):
            linux.unshare(linux.CLONE_NEWNET)  # where allowed, at least no network
            active.add("netns")
        return False
    _fork_and_wait(result_fd, outside=True)
    active.add("pidns")
    try:
        mounts.build_root(c.stage, list(c.python_dirs), list(c.hidden))
        active.add("mountns")
    except OSError:
        pass  # PID and network namespaces hold; files fall back to the other layers
    _fork_and_wait(result_fd, outside=False)
    return True


def _fork_and_wait(result_fd: int, outside: bool) -> None:
    """Return in a new child (that dies with this process); this process waits for it and
    exits the way it ended. Inside the namespace (PID 1) a signal cannot be re-raised, so it
    is passed on as exit status 128 + signal, which the waiter outside turns back."""
    pid = os.fork()
    if pid == 0:
        linux.die_with_parent()
        return
    os.close(result_fd)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    while True:
        try:
            _, status = os.waitpid(pid, 0)
            break
        except InterruptedError:
            continue
        except ChildProcessError:
            os._exit(70)
    sig = os.WTERMSIG(status) if os.WIFSIGNALED(status) else 0
    code = os.waitstatus_to_exitcode(status) & 0xFF if not sig else 0
    if outside and code > 128 and code - 128 in _SIGNALS:
        sig = code - 128
    if sig and outside:
        with contextlib.suppress(OSError, ValueError):
            signal.signal(sig, signal.SIG_DFL)
            os.kill(os.getpid(), sig)
    os._exit(128 + sig if sig else code)


_SIGNALS = {int(s) for s in signal.Signals}


def _become(uid: int, gid: int) -> None:
    os.setgroups([])
    os.setgid(gid)
    os.setuid(uid)


def _readable(c: Confinement) -> list[str]:
    """What Landlock lets the child read: the same folders the new root holds."""
    return [*mounts.SYSTEM_DIRS, *c.python_dirs]


def _single_thread():
    """Keep torch on this thread: the process limit may allow no other task, and a thread
    pool that cannot start kills the process with no message the student could act on."""
    torch.set_num_threads(1)

    def refuse(*args, **kwargs):
        raise RuntimeError("submissions run on a single thread; remove the thread setting")

    torch.set_num_threads = torch.set_num_interop_threads = refuse


def _vm_bytes():
    """Current virtual memory size, so the address-space limit is relative to it."""
    try:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return 0


def _set_limits(c: Confinement) -> None:
    def cap(which, soft, hard=None):
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(which, (soft, soft if hard is None else hard))

    cap(resource.RLIMIT_CPU, c.cpu_s, c.cpu_s + 1)
    cap(resource.RLIMIT_AS, _vm_bytes() + c.memory_mb * 2**20)
    cap(resource.RLIMIT_FSIZE, c.file_bytes)
    cap(resource.RLIMIT_CORE, 0)
    cap(resource.RLIMIT_NOFILE, 64)
    if c.max_processes is not None:
        cap(resource.RLIMIT_NPROC, c.max_processes)


def _run(source, function, cases, target):
    """Compile, look up and call the function on every case; stop at the first exception."""
    report = {"outputs": [], "error": None}
    if target is None:
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
            defined = sorted(
                n for n, v in namespace.items() if callable(v) and not n.startswith("_")
            )
            report["error"] = {"kind": "missing", "message": ", ".join(defined[:8])}
            return report
    for index, kwargs in enumerate(cases):
        try:
            value = target(*kwargs.values())
        except BaseException as err:  # noqa: BLE001
            report["error"] = _exception(err, source, case=index)
            return report
        report["outputs"].append(_portable(value))
    return report


def _portable(value):
    """Reduce an output to a plain tensor or number; anything else is only named."""
    try:
        if isinstance(value, torch.Tensor):
            tensor = value.detach()
            kind = _unusual_tensor(tensor)
            if kind:
                return {"kind": "other", "type": kind}
            tensor = tensor.as_subclass(torch.Tensor).resolve_conj().resolve_neg()
            return {"kind": "tensor", "value": tensor.contiguous().clone()}
        if type(value) in (int, float, bool):
            return {"kind": "number", "value": float(value)}
        if type(value).__module__ == "numpy" and hasattr(value, "dtype"):
            return {"kind": "tensor", "value": torch.from_numpy(__import__("numpy").array(value))}
        return {"kind": "other", "type": type(value).__name__}
    except BaseException:  # noqa: BLE001
        return {"kind": "other", "type": "unreadable value"}


def _unusual_tensor(tensor: torch.Tensor) -> str:
    """A name for tensors that are not plain dense CPU tensors ('' for a plain one)."""
    if tensor.is_nested:
        return "nested tensor"
    if tensor.layout != torch.strided:
        return f"{str(tensor.layout).removeprefix('torch.')} tensor"
    if tensor.device.type != "cpu":
        return f"tensor on the {tensor.device.type} device"
    if tensor.is_quantized:
        return "quantized tensor"
    return ""


def _source_line(source, lineno):
    lines = source.splitlines()
    if lineno and 1 <= lineno <= len(lines):
        return lines[lineno - 1].strip()
    return ""


def _syntax_error(err, source):
    lineno = err.lineno or 0
    return {
        "kind": "syntax",
        "type": type(err).__name__,
        "message": str(err.msg if isinstance(err, SyntaxError) else err),
        "line": lineno,
        "text": _source_line(source, lineno) if isinstance(err, SyntaxError) else "",
        "case": -1,
    }


def _exception(err, source, case):
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


def _write_all(fd, data):
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def cpu_seconds(timeout_s):
    """The CPU-time limit that goes with a wall-clock timeout (whole seconds, at least 1)."""
    return max(1, math.ceil(timeout_s))
