"""A seccomp filter for the confined child: system calls a PyTorch function never needs.

IPC objects (System V shared memory, message queues, semaphores; POSIX message queues)
are refused too: they outlive the process that made them. Built here as a small classic-BPF program rather than through libseccomp, because the rules
are few and fixed and the program is short enough to read. Denied calls fail with EPERM (so
a student sees an ordinary Python error), except `clone3`, which answers ENOSYS so the C
library falls back to `clone`, whose flags the filter can inspect: threads pass, new
processes do not. Signals may only go to the child itself. A call from another
architecture's table (x32 on x86_64, or a foreign audit arch) kills the process.
"""

from __future__ import annotations

import ctypes
import errno
import functools
import struct

from quizapp.grading import linux

DENIED = (
    "fork", "vfork", "execve", "execveat", "ptrace", "process_vm_readv", "process_vm_writev",
    "socket", "socketpair", "mount", "umount2", "pivot_root", "chroot", "open_tree",
    "move_mount", "fsopen", "fsconfig", "fsmount", "fspick", "mount_setattr", "bpf",
    "perf_event_open", "keyctl", "add_key", "request_key", "userfaultfd", "personality",
    "unshare", "setns", "io_uring_setup", "io_uring_enter", "io_uring_register",
    "name_to_handle_at", "open_by_handle_at", "kexec_load", "init_module", "finit_module",
    "acct", "swapon", "quotactl", "process_madvise", "pidfd_getfd", "capset", "tkill",
    # System V IPC and POSIX message queues: objects that outlive the process, shared with
    # every later check wherever there is no IPC namespace of its own
    "shmget", "shmat", "shmctl", "shmdt", "msgget", "msgsnd", "msgrcv", "msgctl", "semget",
    "semop", "semctl", "semtimedop", "mq_open", "mq_unlink", "mq_timedsend",
    "mq_timedreceive", "mq_notify", "mq_getsetattr",
)  # fmt: skip

# classic BPF opcodes and seccomp return values
_LD_W_ABS, _JEQ_K, _JSET_K, _JGE_K, _RET_K = 0x20, 0x15, 0x45, 0x35, 0x06
_RET_ALLOW, _RET_KILL_PROCESS, _RET_ERRNO = 0x7FFF0000, 0x80000000, 0x00050000
_NR, _ARCH, _ARG0 = 0, 4, 16  # offsets in struct seccomp_data (arg0: its low 32 bits, LE)
X32_SYSCALL_BIT = 0x40000000
SECCOMP_MODE_FILTER = 2


def _op(code: int, k: int | None = 0, jt: int = 0, jf: int = 0) -> tuple[int, int, int, int]:
    if k is None:
        raise OSError(errno.ENOSYS, "seccomp filter: a system call has no number here")
    return (code, jt, jf, k & 0xFFFFFFFF)


def program(own_pid: int) -> list[tuple[int, int, int, int]]:
    """The filter as (code, jt, jf, k) instructions; raises OSError on an unknown arch."""
    return [*_fixed_part(), *_signal_part(own_pid)]


@functools.cache
def _fixed_part() -> tuple[tuple[int, int, int, int], ...]:
    """Everything but the signal rules; built once per process (the zygote), not per check."""
    arch = linux.machine()
    if not arch:
        raise OSError(errno.ENOSYS, "seccomp filter: unsupported architecture")
    eperm, enosys = _RET_ERRNO | errno.EPERM, _RET_ERRNO | errno.ENOSYS
    ops = [
        _op(_LD_W_ABS, _ARCH),
        _op(_JEQ_K, linux.AUDIT_ARCH[arch], jt=1),
        _op(_RET_K, _RET_KILL_PROCESS),
        _op(_LD_W_ABS, _NR),
    ]
    if arch == "x86_64":
        ops += [_op(_JGE_K, X32_SYSCALL_BIT, jf=1), _op(_RET_K, _RET_KILL_PROCESS)]
    for name in DENIED:
        number = linux.syscall_number(name)
        if number is not None:
            ops += [_op(_JEQ_K, number, jf=1), _op(_RET_K, eperm)]
    ops += [_op(_JEQ_K, linux.syscall_number("clone3"), jf=1), _op(_RET_K, enosys)]
    # clone: allowed only for a new thread; A is reloaded after the argument check.
    ops += [
        _op(_JEQ_K, linux.syscall_number("clone"), jf=4),
        _op(_LD_W_ABS, _ARG0),
        _op(_JSET_K, linux.CLONE_THREAD, jf=1),
        _op(_RET_K, _RET_ALLOW),
        _op(_RET_K, eperm),
    ]
    return tuple(ops)


def _signal_part(own_pid: int) -> list[tuple[int, int, int, int]]:
    """kill(pid, …) and tgkill(tgid, …): only to ourselves; then allow the rest."""
    eperm = _RET_ERRNO | errno.EPERM
    ops = []
    for name in ("kill", "tgkill"):
        ops += [
            _op(_JEQ_K, linux.syscall_number(name), jf=4),
            _op(_LD_W_ABS, _ARG0),
            _op(_JEQ_K, own_pid, jf=1),
            _op(_RET_K, _RET_ALLOW),
            _op(_RET_K, eperm),
        ]
    ops.append(_op(_RET_K, _RET_ALLOW))
    return ops


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def install(own_pid: int) -> None:
    """Load the filter for this thread and every thread it starts (needs no_new_privs)."""
    ops = program(own_pid)
    raw = b"".join(struct.pack("=HBBI", *op) for op in ops)
    buffer = ctypes.create_string_buffer(raw, len(raw))
    prog = _SockFprog(len(ops), ctypes.cast(buffer, ctypes.c_void_p))
    linux.prctl(linux.PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.addressof(prog))
