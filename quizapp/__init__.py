"""quizapp: spaced-repetition exam prep for a deep-learning course."""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    import os
    from collections.abc import Callable

    from IPython.core.interactiveshell import InteractiveShell

    from quizapp.jupyter.result import CheckResult

__version__ = "0.1.0"  # the one place the version is written (pyproject reads it)


def load_ipython_extension(ipython: InteractiveShell) -> None:
    """`%load_ext quizapp`: the `%%quizapp` magic (IPython is only imported here)."""
    from quizapp.jupyter.magics import load

    load(ipython)


def check(
    question_id: str,
    fn_or_source: Callable | str,
    *,
    record: bool = True,
    db: str | os.PathLike | None = None,
    content: list[str | os.PathLike] | None = None,
    use_service: bool = True,
) -> CheckResult:
    """Check a function or its source against a code question (`quizapp.jupyter.check`)."""
    from quizapp.jupyter.checking import check as check_code

    return check_code(
        question_id, fn_or_source, record=record, db=db, content=content, use_service=use_service
    )
