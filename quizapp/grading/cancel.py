"""Cancelling the check in progress: SIGUSR1 from the app, seen by the worker's wait.

The signal handler only writes a byte to a non-blocking pipe that the wait for a child's
report selects on, so a cancel never interrupts the framed exchange with the zygote; a
signal that arrives between checks is dropped before the next one starts.
"""

from __future__ import annotations

import contextlib
import os
import signal


class Cancelled(Exception):
    """The app cancelled the check in progress (SIGUSR1)."""


_cancel_pipe: tuple[int, int] | None = None


def _on_cancel_signal(_signum: int, _frame: object) -> None:
    if _cancel_pipe is not None:
        with contextlib.suppress(OSError):
            os.write(_cancel_pipe[1], b"x")


def listen() -> None:
    """Route SIGUSR1 to a non-blocking pipe that the wait for a child's results watches."""
    global _cancel_pipe
    read_fd, write_fd = os.pipe2(os.O_NONBLOCK | os.O_CLOEXEC)
    _cancel_pipe = (read_fd, write_fd)
    signal.signal(signal.SIGUSR1, _on_cancel_signal)


def drop_stale() -> None:
    """Forget a cancel that arrived while no check was running."""
    if _cancel_pipe is not None:
        with contextlib.suppress(BlockingIOError, OSError):
            while os.read(_cancel_pipe[0], 64):
                pass


def read_fd() -> int | None:
    """The pipe end the report wait watches (None before `listen`)."""
    return None if _cancel_pipe is None else _cancel_pipe[0]
