"""The audit hook of the confined child: clear messages for things a submission may not do.

It refuses starting processes, sockets, loading native libraries, introspecting the grader,
importing the reference solutions or the app, and writing outside the work folder. It is a
convenience for readable errors, never the wall: native code reaches the kernel without any
audit event, which is why the namespaces, seccomp and Landlock exist (see `sandbox`).
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from types import ModuleType
    from typing import Any

    from _typeshed import StrOrBytesPath

    # An audit event's arguments: what they are depends on the event (sys.addaudithook's own type).
    AuditArgs = tuple[Any, ...]
    AuditHook = Callable[[str, AuditArgs], None]

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


class _BlockPackages:
    """A meta-path entry that refuses to import the reference solutions or the app."""

    def find_spec(
        self, name: str, path: Sequence[str] | None = None, target: ModuleType | None = None
    ) -> None:
        if name.split(".")[0] in BLOCKED_PACKAGES:
            raise ImportError(f"importing {name!r} is not allowed in a submission")
        return None


def blocked_modules() -> list[str]:
    """Names of the loaded app and solver modules (the zygote lists them once)."""
    return [name for name in sys.modules if name.split(".")[0] in BLOCKED_PACKAGES]


def hide_packages(names: list[str] | None = None) -> None:
    """Forget the app's and the solvers' modules (`names`, or all loaded ones) and refuse to
    import them again."""
    for name in blocked_modules() if names is None else names:
        sys.modules.pop(name, None)
    sys.modules["__main__"] = type(sys)("__main__")
    if not any(isinstance(finder, _BlockPackages) for finder in sys.meta_path):
        sys.meta_path.insert(0, _BlockPackages())


def _inside(real: str, folder: str) -> bool:
    return real == folder or real.startswith(folder.rstrip("/") + "/")


def audit_hook(workdir: str, hidden: tuple[str, ...] = ()) -> AuditHook:
    """Refuse process, network, introspection and out-of-directory write events for good.

    Paths are judged after resolving symlinks. A path relative to a `dir_fd` cannot be
    resolved here, so such changes are refused, and so is opening a directory outside the
    work directory (the `open` event does not carry `dir_fd`, so a descriptor of, say, /tmp
    would make any relative path writable there).
    """

    def real(path: StrOrBytesPath) -> str:
        """The resolved path; cheap for a plain path inside the work folder (no `..`), where
        resolving thousands of nested folders on every call would take seconds."""
        text = os.fsdecode(path)
        if ".." not in text.split("/"):
            if not os.path.isabs(text):
                cwd = os.getcwd()
                if _inside(cwd, workdir):
                    return os.path.join(cwd, text)
            elif _inside(text, workdir):
                return text
        return os.path.realpath(text)

    def writable(path: StrOrBytesPath | int | None) -> bool:
        if isinstance(path, int) or path is None:
            return True
        resolved = real(path)
        return _inside(resolved, workdir) or resolved == os.devnull

    def check_open(path: StrOrBytesPath | int | None, mode: str | None, flags: int) -> None:
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

    def check_change(event: str, args: AuditArgs) -> None:
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

    def hook(event: str, args: AuditArgs) -> None:
        if event in BLOCKED_EVENTS:
            raise PermissionError(f"{BLOCKED_EVENTS[event]} is not allowed in a submission")
        if event == "import" and args and str(args[0]).split(".")[0] in BLOCKED_PACKAGES:
            raise ImportError(f"importing {args[0]!r} is not allowed in a submission")
        if event == "open" and len(args) >= 3:
            check_open(*args[:3])
        if event in WRITE_EVENTS and args:
            check_change(event, args)

    return hook
