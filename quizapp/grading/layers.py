"""The names of the sandbox's layers and what it means when one is missing.

Light on purpose (no torch): the CLI, `quizapp doctor` and the help screen use it to say
plainly which layers hold on this machine, as measured by a probe submission.
"""

from __future__ import annotations

import os

# Layers that can be switched off one by one with $QUIZAPP_SANDBOX_OFF (to test each on its
# own, or to see what a machine without user namespaces gets).
SWITCHES = frozenset(
    {"userns", "namespaces", "private-uid", "rlimits", "landlock", "seccomp", "audit"}
)

# Layers a child reports as active, what each does, and what is open without it.
LAYERS = {
    "userns": (
        "user namespace: the layers below need no root",
        "no unprivileged user namespaces here: no own PID, network or file-system view",
    ),
    "pidns": (
        "own PID, IPC and network namespaces: sees and signals nothing outside, no network",
        "submissions can see your other processes (seccomp and Landlock still stop "
        "signals, network and new processes)",
    ),
    "mountns": (
        "private read-only root: no home folder, no progress database, no solvers, own /tmp",
        "the real file system is visible; Landlock (if active) and the audit hook guard it",
    ),
    "private-uid": (
        "private user id (started as root)",
        "runs as nobody instead of a private user id",
    ),
    "rlimits": ("CPU, memory, file-size and open-file limits", "no resource limits"),
    "landlock": (
        "Landlock: reads only system and Python folders, writes only the work folder, no TCP",
        "the kernel has no Landlock: files are guarded by the private root alone",
    ),
    "seccomp": (
        "seccomp: no new processes or programs, sockets, tracing, mounts or namespaces",
        "no system-call filter",
    ),
    "audit": (
        "audit hook: clear messages for refused Python calls (not a wall)",
        "no audit hook: refused calls give less clear messages",
    ),
}


def expected(as_root: bool | None = None) -> list[str]:
    """The layers a fully capable Linux machine gives this user."""
    root = os.geteuid() == 0 if as_root is None else as_root
    return [name for name in LAYERS if name != ("userns" if root else "private-uid")]


def describe(active: list[str], as_root: bool | None = None) -> list[tuple[str, bool, str]]:
    """(layer, active, what it does or what is open without it) for every expected layer."""
    rows = []
    for name in expected(as_root):
        on = name in active
        does, missing = LAYERS[name]
        rows.append((name, on, does if on else missing))
    return rows


def sandbox_info() -> dict[str, bool]:
    """Probe this machine: which layers a trivial submission really ran under."""
    from quizapp.grading.code import CodeGrader

    with CodeGrader(timeout_s=10.0) as grader:
        active = grader.sandbox_layers()
    if not active:
        raise RuntimeError("the grader did not start; is torch installed?")
    return {name: on for name, on, _ in describe(active)}
