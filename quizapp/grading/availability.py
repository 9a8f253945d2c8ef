"""Whether code can be checked on this machine at all, and what to do where it cannot.

The sandbox forks a confined child from a warm process that already imported torch
(`zygote`); without `os.fork` (Windows) there is no such child, and running a submission
unconfined in the app's own process is not an option. Every other question kind works
everywhere; this module is how every client (app, `quizapp grade`, notebooks) says so.
"""

from __future__ import annotations

import os

NO_FORK = (
    "Code checks are not available on this system: the sandbox needs Linux or macOS "
    "(fork), which Windows lacks. For checks, run quizapp in WSL (wsl --install in "
    "PowerShell) or on your class's JupyterHub. You can still write your answer and "
    "compare it with the solution; every other kind of question works here."
)


def why_no_code_checks() -> str:
    """'' where code can be checked here; otherwise the reason and what to do instead."""
    if not hasattr(os, "fork"):
        return NO_FORK
    return ""
