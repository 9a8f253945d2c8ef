"""The starting code of a code question as a notebook cell that checks itself."""

from __future__ import annotations

from quizapp import locations
from quizapp.errors import UsageError


def cell_stub(question_id: str) -> str:
    """`%%quizapp ID`, then the stub: run the cell to check it."""
    from quizapp.decks.content import load_library
    from quizapp.kinds import handler

    question = load_library(locations.extra_content_dirs()).questions.get(question_id)
    if question is None:
        raise UsageError(f"unknown question id {question_id!r}; `quizapp list` shows them")
    stub = handler(question.kind).stub(question)
    if stub is None:
        raise UsageError(
            f"{question.id} is a {question.kind} question; only code questions have a stub"
        )
    return f"%%quizapp {question.id}\n{stub.strip()}\n"
