"""Who confined children run as when the grader is started as root.

As root a child drops to a uid no one else uses, so a limit of one process for that uid
means no fork and no thread, and `sweep` can kill whatever is left under it. An ordinary
user keeps their own uid: their children are confined by an unprivileged user namespace
instead (see `sandbox`).
"""

from __future__ import annotations

import os
import signal
from dataclasses import dataclass

SANDBOX_UID_BASE = 200_000
NOBODY = 65534


@dataclass(frozen=True)
class Identity:
    """`sweep` means the uid is ours alone, so killing all of its processes is safe."""

    uid: int | None
    gid: int | None
    max_processes: int | None
    sweep: bool


def choose_identity() -> Identity:
    """As root: a uid no one else uses (fallback nobody); otherwise the current user."""
    if os.geteuid() != 0:
        return Identity(None, None, None, False)
    unique = SANDBOX_UID_BASE + os.getpid()
    if _can_become(unique):
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


def sweep(identity: Identity) -> None:
    """Kill every process left running under the private uid (e.g. escaped grandchildren)."""
    if not identity.sweep or identity.uid is None or identity.gid is None:
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
