"""Checking notebook cells: the `%%quizapp` magic and `quizapp.check`.

The exercise sheet is a notebook; students check a cell where they write it instead of
copying it into a file. `checking` grades and records exactly as `quizapp grade ID FILE`
does (the warm per-user service, else a private worker); `result` shows the verdict as
escaped HTML in a notebook and as plain text elsewhere; `magics` is the only module that
imports IPython (installed with the `[jupyter]` extra).
"""

from __future__ import annotations

from quizapp.jupyter.checking import check
from quizapp.jupyter.result import CheckResult

__all__ = ["CheckResult", "check"]
