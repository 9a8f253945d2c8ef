"""The sandbox's own file system: a fresh root that holds only what Python and torch need.

Inside its own mount namespace the zygote builds a new root on a small tmpfs, binds into it
the system folders and the Python installation (read-only), covers the reference solutions,
mounts its own /proc, and pivots into it. Each child then gets an empty tmpfs as /tmp, its
work folder, which is unmounted with everything in it once the child is gone. The student's
home, the progress database, the checkout with its solvers and the real /tmp are simply not
there, and everything but /tmp is read-only; it all disappears with the namespace.
"""

from __future__ import annotations

import os

from quizapp.grading import linux

SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc")
DEVICES = ("/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom")
WORK_DIR = "/tmp"
TMP_OPTIONS = b"size=64m,nr_inodes=4096,mode=1777"


def _encode(path: str) -> bytes:
    return os.fsencode(path)


def _bind(source: str, root: str) -> None:
    """Bind `source` at the same path under `root`; symlinks are recreated as symlinks."""
    target = root + source
    if os.path.islink(source):
        os.makedirs(os.path.dirname(target), exist_ok=True)
        if not os.path.lexists(target):
            os.symlink(os.readlink(source), target)
        return
    if os.path.isdir(source):
        os.makedirs(target, exist_ok=True)
    else:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        if not os.path.exists(target):
            with open(target, "w"):
                pass
    linux.mount(_encode(source), _encode(target), None, linux.MS_BIND | linux.MS_REC)


def _nested_last(paths: list[str]) -> list[str]:
    """Existing paths, parents before children, without duplicates."""
    seen: list[str] = []
    for path in sorted({os.path.abspath(p) for p in paths}, key=len):
        if os.path.lexists(path) and not any(path == s for s in seen):
            seen.append(path)
    return seen


def build_root(stage: str, python_dirs: list[str], hidden: list[str]) -> None:
    """Assemble the new root on `stage` (an empty directory) and pivot into it.

    Must run as PID 1 of a fresh PID namespace with CAP_SYS_ADMIN over the current mount
    namespace. Afterwards `/` is read-only; `mount_work_dir` gives each child its /tmp.
    """
    linux.mount(None, b"/", None, linux.MS_REC | linux.MS_PRIVATE)
    linux.mount(b"tmpfs", _encode(stage), b"tmpfs", linux.MS_NOSUID | linux.MS_NODEV, b"mode=755")
    for path in _nested_last([*SYSTEM_DIRS, *python_dirs]):
        if any(path == h or path.startswith(h.rstrip("/") + "/") for h in hidden):
            continue
        _bind(path, stage)
    for device in DEVICES:
        if os.path.exists(device):
            _bind(device, stage)
    for path in hidden:
        if os.path.isdir(stage + path):
            flags = linux.MS_RDONLY | linux.MS_NOSUID | linux.MS_NODEV | linux.MS_NOEXEC
            linux.mount(b"tmpfs", _encode(stage + path), b"tmpfs", flags, b"size=4k,mode=000")
    os.makedirs(stage + WORK_DIR, exist_ok=True)
    os.makedirs(stage + "/proc", exist_ok=True)
    try:
        proc_flags = linux.MS_NOSUID | linux.MS_NODEV | linux.MS_NOEXEC
        linux.mount(b"proc", _encode(stage + "/proc"), b"proc", proc_flags)
    except OSError:
        pass  # some containers forbid a new /proc; the child then simply has none
    os.chdir(stage)
    linux.pivot_root(b".", b".")
    linux.umount2(b".", linux.MNT_DETACH)
    os.chdir("/")
    nosuid = linux.MOUNT_ATTR_RDONLY | linux.MOUNT_ATTR_NOSUID  # not nodev: /dev/null stays usable
    linux.mount_setattr(b"/", True, set_flags=nosuid)


def mount_work_dir() -> None:
    """A fresh, empty, writable tmpfs on /tmp for the next child (in the new root)."""
    flags = linux.MS_NOSUID | linux.MS_NODEV
    linux.mount(b"tmpfs", _encode(WORK_DIR), b"tmpfs", flags, TMP_OPTIONS)


def unmount_work_dir() -> None:
    """Drop the last child's /tmp with everything in it, however deep or locked."""
    linux.umount2(_encode(WORK_DIR), linux.MNT_DETACH)
