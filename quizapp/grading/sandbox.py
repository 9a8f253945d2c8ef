"""The child side of code grading: lock down a freshly forked process, run the submission.

`run_submission` is called in a child forked from the warm grading worker. It never returns:
it confines the process (own session, resource limits, throw-away directory, scrubbed
environment, unprivileged user, no network, no solvers/quizapp imports, an audit hook that
refuses subprocesses, sockets and writes outside the directory), runs the student's function
on every case and writes the outputs to `result_fd` as a `torch.save` blob that holds only
tensors, numbers and strings. The worker decides what the outputs mean; nothing computed
here is trusted.

When started as root the child also gets its own mount namespace in which every mount is
read-only except the work directory, and the reference solutions' sources are covered by an
empty file system. That holds for native code too (programs it manages to start, torch's C++
file I/O), which the audit hook cannot see; the hook stays as the only file barrier where
namespaces are not permitted.
"""

from __future__ import annotations

import contextlib
import ctypes
import io
import math
import os
import resource
import signal
import sys
import traceback
from dataclasses import dataclass

import torch

FILENAME = "<your code>"
OUTPUT_CAP = 10_000  # characters of captured stdout/stderr kept
CLONE_NEWNET = 0x40000000
CLONE_NEWNS = 0x00020000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 0x1, 0x2, 0x4, 0x8
MS_BIND, MS_REC, MS_PRIVATE = 0x1000, 0x4000, 0x40000
MOUNT_ATTR_RDONLY = 0x1
AT_FDCWD, AT_RECURSIVE = -100, 0x8000
SYS_MOUNT_SETATTR = 442  # the same number on x86_64 and aarch64 (generic table)
PR_SET_PDEATHSIG, PR_SET_NO_NEW_PRIVS = 1, 38
BLOCKED_PACKAGES = ("solvers", "quizapp")
BLOCKED_EVENTS = {
    "subprocess.Popen": "starting programs",
    "os.system": "starting programs",
    "os.exec": "starting programs",
    "os.posix_spawn": "starting programs",
    "os.spawn": "starting programs",
    "os.fork": "starting processes",
    "os.forkpty": "starting processes",
    "os.kill": "sending signals",
    "os.killpg": "sending signals",
    "socket.__new__": "network access",
    "socket.connect": "network access",
    "socket.bind": "network access",
    "socket.getaddrinfo": "network access",
    "ctypes.dlopen": "loading native libraries",
    "ctypes.dlsym": "loading native libraries",
    "gc.get_objects": "inspecting the grader",
    "gc.get_referrers": "inspecting the grader",
    "gc.get_referents": "inspecting the grader",
}
# event -> (indices of the paths it changes, indices of its dir_fd arguments)
WRITE_EVENTS = {
    "os.remove": ((0,), (1,)),
    "os.rename": ((0, 1), (2, 3)),
    "os.rmdir": ((0,), (1,)),
    "os.mkdir": ((0,), (2,)),
    "os.truncate": ((0,), ()),
    "os.chmod": ((0,), (2,)),
    "os.chown": ((0,), (3,)),
    "os.link": ((0, 1), (2, 3)),
    "os.symlink": ((0, 1), (2,)),
    "os.utime": ((0,), (3,)),
    "os.setxattr": ((0,), ()),
    "os.removexattr": ((0,), ()),
}
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND


@dataclass(frozen=True)
class Limits:
    """What one submission may use; `uid`/`gid` None means keep the current user."""

    cpu_s: int
    memory_mb: int
    workdir: str
    uid: int | None = None
    gid: int | None = None
    max_processes: int | None = None
    file_bytes: int = 1_000_000
    hidden: tuple[str, ...] = ()  # directories the submission must not read (reference sources)


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


def run_submission(source, function, cases, result_fd, limits, target=None):
    """Confine this (forked) process, run the submission on `cases`, report, and exit.

    `target` replaces compiling `source` (used to push a reference through the same path).
    """
    code = 0
    try:
        captured = _confine(result_fd, limits)
        report = _run(source, function, cases, target)
        report["output"] = captured.getvalue()
        buffer = io.BytesIO()
        torch.save(report, buffer)
        _write_all(result_fd, buffer.getvalue())
    except BaseException:  # noqa: BLE001 - the child must always end with os._exit
        code = 70
    finally:
        os._exit(code)


def _confine(result_fd, limits):
    """Everything that happens before student code runs; returns the captured output stream."""
    os.setsid()
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    _close_fds_except({0, 1, 2, result_fd})
    captured = CappedText()
    sys.stdout = sys.stderr = captured
    sys.stdin = io.StringIO("")
    _isolate(limits)
    if limits.uid is not None:
        os.chown(limits.workdir, limits.uid, limits.gid)
    _single_thread()
    _set_limits(limits)
    _prctl(PR_SET_NO_NEW_PRIVS, 1)
    if limits.uid is not None:
        os.setgroups([])
        os.setgid(limits.gid)
        os.setuid(limits.uid)
        _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)  # changing uid cleared it; die with the parent
    os.chdir(limits.workdir)
    os.environ.clear()
    os.environ.update(
        PATH="/usr/bin:/bin", HOME=limits.workdir, TMPDIR=limits.workdir, LANG="C.UTF-8"
    )
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    sys.dont_write_bytecode = True
    _hide_packages()
    sys.addaudithook(
        _audit_hook(
            os.path.realpath(limits.workdir), tuple(os.path.realpath(d) for d in limits.hidden)
        )
    )
    return captured


def _close_fds_except(keep):
    try:
        open_fds = [int(name) for name in os.listdir("/proc/self/fd")]
    except OSError:
        open_fds = range(3, 1024)
    for fd in open_fds:
        if fd not in keep:
            with contextlib.suppress(OSError):
                os.close(fd)


def _libc():
    libc = ctypes.CDLL(None, use_errno=True)
    libc.mount.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulong]
    libc.mount.argtypes += [ctypes.c_char_p]
    libc.syscall.restype = ctypes.c_long
    return libc


def _prctl(option, value):
    """Best effort: these only add protection, so a kernel without them is no reason to stop."""
    with contextlib.suppress(OSError, AttributeError):
        _libc().prctl(option, ctypes.c_ulong(value), 0, 0, 0)


class _MountAttr(ctypes.Structure):
    _fields_ = [(name, ctypes.c_uint64) for name in ("set", "clear", "propagation", "userns")]


def _isolate(limits):
    """Own network and mount namespaces, read-only everywhere but the work directory.

    Returns whether the file system is confined. Needs root (CAP_SYS_ADMIN); without it only
    the network is tried and the audit hook remains the file barrier.
    """
    try:
        libc = _libc()
    except (OSError, AttributeError):
        return False
    if libc.unshare(CLONE_NEWNS | CLONE_NEWNET) != 0:
        libc.unshare(CLONE_NEWNET)
        return False
    try:
        _read_only_except(libc, os.fsencode(limits.workdir), limits.hidden)
    except OSError:
        return False
    return True


def _read_only_except(libc, workdir, hidden):
    """Inside a fresh mount namespace: mounts private (nothing leaks to the host), the hidden
    directories covered by an empty tmpfs, every mount read-only, the work directory writable."""

    def check(result):
        if result != 0:
            errno = ctypes.get_errno()
            raise OSError(errno, os.strerror(errno))

    check(libc.mount(None, b"/", None, MS_REC | MS_PRIVATE, None))
    check(libc.mount(workdir, workdir, None, MS_BIND | MS_REC, None))
    for path in hidden:
        flags = MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC
        check(libc.mount(b"tmpfs", os.fsencode(path), b"tmpfs", flags, b"size=4k,mode=000"))
    read_only, writable = _MountAttr(MOUNT_ATTR_RDONLY, 0, 0, 0), _MountAttr(0, MOUNT_ATTR_RDONLY)
    size = ctypes.sizeof(_MountAttr)
    check(
        libc.syscall(SYS_MOUNT_SETATTR, AT_FDCWD, b"/", AT_RECURSIVE, ctypes.byref(read_only), size)
    )
    check(libc.syscall(SYS_MOUNT_SETATTR, AT_FDCWD, workdir, 0, ctypes.byref(writable), size))


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


def _set_limits(limits):
    def cap(which, soft, hard=None):
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(which, (soft, soft if hard is None else hard))

    cap(resource.RLIMIT_CPU, limits.cpu_s, limits.cpu_s + 1)
    cap(resource.RLIMIT_AS, _vm_bytes() + limits.memory_mb * 2**20)
    cap(resource.RLIMIT_FSIZE, limits.file_bytes)
    cap(resource.RLIMIT_CORE, 0)
    cap(resource.RLIMIT_NOFILE, 64)
    if limits.max_processes is not None:
        cap(resource.RLIMIT_NPROC, limits.max_processes)


class _BlockPackages:
    """A meta-path entry that refuses to import the reference solutions or the app."""

    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED_PACKAGES:
            raise ImportError(f"importing {name!r} is not allowed in a submission")
        return None


def _hide_packages():
    for name in list(sys.modules):
        if name.split(".")[0] in BLOCKED_PACKAGES:
            del sys.modules[name]
    sys.modules["__main__"] = type(sys)("__main__")
    sys.meta_path.insert(0, _BlockPackages())


def _inside(real, folder):
    return real == folder or real.startswith(folder.rstrip("/") + "/")


def _audit_hook(workdir, hidden=()):
    """Refuse process, network, introspection and out-of-directory write events for good.

    Paths are judged after resolving symlinks. A path relative to a `dir_fd` cannot be
    resolved here, so such changes are refused, and so is opening a directory outside the
    work directory (the `open` event does not carry `dir_fd`, so a descriptor of, say, /tmp
    would make any relative path writable there).
    """

    def real(path):
        return os.path.realpath(os.fsdecode(path))

    def writable(path):
        if isinstance(path, int) or path is None:
            return True
        resolved = real(path)
        return _inside(resolved, workdir) or resolved == os.devnull

    def check_open(path, mode, flags):
        if isinstance(path, int) or path is None:
            return
        resolved = real(path)
        if any(_inside(resolved, folder) for folder in hidden):
            raise PermissionError(f"reading {path!r} is not allowed in a submission")
        wants_write = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
            isinstance(flags, int) and flags > 0 and flags & WRITE_FLAGS
        )
        if wants_write and not writable(path):
            raise PermissionError(f"writing to {path!r} is not allowed in a submission")
        if mode is None and not _inside(resolved, workdir) and os.path.isdir(resolved):
            raise PermissionError(f"opening the directory {path!r} is not allowed in a submission")

    def check_change(event, args):
        paths, dir_fds = WRITE_EVENTS[event]
        relative_to_fd = any(i < len(args) and args[i] not in (None, -1) for i in dir_fds)
        for i in paths:
            if i >= len(args):
                continue
            path = args[i]
            if relative_to_fd and not isinstance(path, int) and not os.path.isabs(path):
                raise PermissionError("changing files relative to a dir_fd is not allowed")
            if not writable(path):
                raise PermissionError(f"changing {path!r} is not allowed in a submission")

    def hook(event, args):
        if event in BLOCKED_EVENTS:
            raise PermissionError(f"{BLOCKED_EVENTS[event]} is not allowed in a submission")
        if event == "import" and args and str(args[0]).split(".")[0] in BLOCKED_PACKAGES:
            raise ImportError(f"importing {args[0]!r} is not allowed in a submission")
        if event == "open" and len(args) >= 3:
            check_open(*args[:3])
        if event in WRITE_EVENTS and args:
            check_change(event, args)

    return hook


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
            if tensor.layout != torch.strided or tensor.device.type != "cpu" or tensor.is_quantized:
                return {"kind": "other", "type": f"{tensor.layout}/{tensor.device} tensor"}
            tensor = tensor.as_subclass(torch.Tensor).resolve_conj().resolve_neg()
            return {"kind": "tensor", "value": tensor.contiguous().clone()}
        if type(value) in (int, float, bool):
            return {"kind": "number", "value": float(value)}
        if type(value).__module__ == "numpy" and hasattr(value, "dtype"):
            return {"kind": "tensor", "value": torch.from_numpy(__import__("numpy").array(value))}
        return {"kind": "other", "type": type(value).__name__}
    except BaseException:  # noqa: BLE001
        return {"kind": "other", "type": "unreadable value"}


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
    kind = "exception"
    text = str(err)
    if isinstance(err, MemoryError) or (
        isinstance(err, RuntimeError) and "alloc" in text.lower() and "memory" in text.lower()
    ):
        kind = "memory"
    elif isinstance(err, RecursionError):
        kind = "exception"
    return {
        "kind": kind,
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
