"""Linux primitives the grader needs that Python 3.11's `os` does not offer.

One place for the raw numbers (syscalls per architecture, flags) and thin ctypes wrappers,
used by the app, the worker, the zygote and the confined child alike. Every wrapper raises
`OSError` on failure, except the `best_effort_*` ones, which only add protection and so
never stop the caller on a kernel that lacks them.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import os
import platform
import sys

IS_LINUX = sys.platform.startswith("linux")

# unshare(2) / clone(2) flags
CLONE_NEWNS = 0x00020000
CLONE_NEWIPC = 0x08000000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000
CLONE_THREAD = 0x00010000

# mount(2), umount2(2), mount_setattr(2)
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 0x1, 0x2, 0x4, 0x8
MS_BIND, MS_REC, MS_PRIVATE = 0x1000, 0x4000, 0x40000
MNT_DETACH = 0x2
MOUNT_ATTR_RDONLY, MOUNT_ATTR_NOSUID, MOUNT_ATTR_NODEV = 0x1, 0x2, 0x4
AT_FDCWD, AT_RECURSIVE = -100, 0x8000

# prctl(2)
PR_SET_PDEATHSIG = 1
PR_SET_DUMPABLE = 4
PR_SET_SECCOMP = 22
PR_SET_NO_NEW_PRIVS = 38

# Syscall numbers that differ between architectures; the newer ones (>= 424) share the
# generic table. Missing entries mean "no such call on this architecture".
_SYSCALLS = {
    "x86_64": {
        "clone": 56, "fork": 57, "vfork": 58, "execve": 59, "kill": 62, "ptrace": 101,
        "personality": 135, "pivot_root": 155, "chroot": 161, "mount": 165, "umount2": 166,
        "tkill": 200, "tgkill": 234, "add_key": 248, "request_key": 249, "keyctl": 250,
        "unshare": 272, "perf_event_open": 298, "name_to_handle_at": 303,
        "open_by_handle_at": 304, "setns": 308, "process_vm_readv": 310,
        "process_vm_writev": 311, "bpf": 321, "execveat": 322, "userfaultfd": 323,
        "socket": 41, "socketpair": 53, "capset": 126, "kexec_load": 246,
        "init_module": 175, "finit_module": 313, "acct": 163, "swapon": 167,
        "quotactl": 179, "process_madvise": 440, "pidfd_getfd": 438,
        "shmget": 29, "shmat": 30, "shmctl": 31, "semget": 64, "semop": 65, "semctl": 66,
        "shmdt": 67, "msgget": 68, "msgsnd": 69, "msgrcv": 70, "msgctl": 71,
        "semtimedop": 220, "mq_open": 240, "mq_unlink": 241, "mq_timedsend": 242,
        "mq_timedreceive": 243, "mq_notify": 244, "mq_getsetattr": 245,
    },
    "aarch64": {
        "clone": 220, "execve": 221, "kill": 129, "ptrace": 117, "personality": 92,
        "pivot_root": 41, "chroot": 51, "mount": 40, "umount2": 39, "tkill": 130,
        "tgkill": 131, "add_key": 217, "request_key": 218, "keyctl": 219, "unshare": 97,
        "perf_event_open": 241, "name_to_handle_at": 264, "open_by_handle_at": 265,
        "setns": 268, "process_vm_readv": 270, "process_vm_writev": 271, "bpf": 280,
        "execveat": 281, "userfaultfd": 282, "socket": 198, "socketpair": 199,
        "capset": 91, "kexec_load": 104, "init_module": 105, "finit_module": 273,
        "acct": 89, "swapon": 224, "quotactl": 60, "process_madvise": 440,
        "pidfd_getfd": 438, "mq_open": 180, "mq_unlink": 181, "mq_timedsend": 182,
        "mq_timedreceive": 183, "mq_notify": 184, "mq_getsetattr": 185, "msgget": 186,
        "msgctl": 187, "msgrcv": 188, "msgsnd": 189, "semget": 190, "semctl": 191,
        "semtimedop": 192, "semop": 193, "shmget": 194, "shmctl": 195, "shmat": 196,
        "shmdt": 197,
    },
}  # fmt: skip
_GENERIC = {
    "io_uring_setup": 425, "io_uring_enter": 426, "io_uring_register": 427,
    "open_tree": 428, "move_mount": 429, "fsopen": 430, "fsconfig": 431, "fsmount": 432,
    "fspick": 433, "clone3": 435, "mount_setattr": 442, "landlock_create_ruleset": 444,
    "landlock_add_rule": 445, "landlock_restrict_self": 446,
}  # fmt: skip
AUDIT_ARCH = {"x86_64": 0xC000003E, "aarch64": 0xC00000B7}


def machine() -> str:
    """The architecture name used in the tables above ('' when not supported)."""
    if not IS_LINUX:
        return ""
    name = platform.machine().lower()
    name = {"amd64": "x86_64", "arm64": "aarch64"}.get(name, name)
    return name if name in _SYSCALLS else ""


def syscall_number(name: str) -> int | None:
    """The number of `name` on this machine, or None where it does not exist."""
    table = _SYSCALLS.get(machine(), {})
    if name in table:
        return table[name]
    return _GENERIC.get(name) if machine() else None


@functools.cache
def libc() -> ctypes.CDLL:
    """The C library with the argument types the wrappers below rely on."""
    lib = ctypes.CDLL(None, use_errno=True)
    lib.syscall.restype = ctypes.c_long
    lib.mount.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulong]
    lib.mount.argtypes += [ctypes.c_char_p]
    lib.umount2.argtypes = [ctypes.c_char_p, ctypes.c_int]
    lib.unshare.argtypes = [ctypes.c_int]
    lib.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    lib.prctl.argtypes += [ctypes.c_ulong]
    return lib


def _check(result: int) -> int:
    if result < 0:
        errno = ctypes.get_errno()
        raise OSError(errno, os.strerror(errno))
    return result


def syscall(name: str, *args: int | bytes | ctypes._CArgObject | None) -> int:
    """Call a syscall by name; OSError(ENOSYS) where this machine has no such call."""
    number = syscall_number(name)
    if number is None:
        raise OSError(38, f"{name} is not available on this machine")
    return _check(libc().syscall(number, *args))


def prctl(option: int, value: int = 0, arg3: int = 0) -> None:
    _check(libc().prctl(option, value, arg3, 0, 0))


def best_effort_prctl(option: int, value: int = 0) -> bool:
    """prctl that reports instead of raising: used for layers that only add protection."""
    try:
        prctl(option, value)
    except (OSError, AttributeError):
        return False
    return True


def make_undumpable() -> bool:
    """Same-user processes can then no longer open our /proc/<pid>/fd, /mem or attach."""
    return IS_LINUX and best_effort_prctl(PR_SET_DUMPABLE, 0)


def die_with_parent() -> bool:
    return IS_LINUX and best_effort_prctl(PR_SET_PDEATHSIG, 9)  # SIGKILL


def unshare(flags: int) -> None:
    _check(libc().unshare(flags))


def mount(
    source: bytes | None, target: bytes, fstype: bytes | None, flags: int, data: bytes | None = None
) -> None:
    _check(libc().mount(source, target, fstype, flags, data))


def umount2(target: bytes, flags: int) -> None:
    _check(libc().umount2(target, flags))


class _MountAttr(ctypes.Structure):
    _fields_ = [(name, ctypes.c_uint64) for name in ("set", "clear", "propagation", "userns")]


def mount_setattr(path: bytes, recursive: bool, set_flags: int = 0, clear_flags: int = 0) -> None:
    attr = _MountAttr(set_flags, clear_flags, 0, 0)
    flags = AT_RECURSIVE if recursive else 0
    syscall("mount_setattr", AT_FDCWD, path, flags, ctypes.byref(attr), ctypes.sizeof(attr))


def pivot_root(new_root: bytes, put_old: bytes) -> None:
    syscall("pivot_root", new_root, put_old)


def drop_capabilities() -> None:
    """Empty the effective, permitted and inheritable sets (capset, version 3)."""
    header = (ctypes.c_uint32 * 2)(0x20080522, 0)
    data = (ctypes.c_uint32 * 6)()
    syscall("capset", ctypes.byref(header), ctypes.byref(data))


def write_id_maps(uid: int, gid: int) -> None:
    """In a fresh user namespace: be `uid`/`gid` inside as outside, and nobody else."""
    with open("/proc/self/setgroups", "w") as handle:
        handle.write("deny")
    with open("/proc/self/uid_map", "w") as handle:
        handle.write(f"{uid} {uid} 1")
    with open("/proc/self/gid_map", "w") as handle:
        handle.write(f"{gid} {gid} 1")


def close_fds_except(keep: set[int]) -> None:
    try:
        open_fds = [int(name) for name in os.listdir("/proc/self/fd")]
    except OSError:
        open_fds = list(range(3, 1024))
    for fd in open_fds:
        if fd not in keep:
            with contextlib.suppress(OSError):
                os.close(fd)
