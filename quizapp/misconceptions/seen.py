"""Which misconceptions one stored answer shows, worked out again from the answer itself.

A mock exam keeps each answer and the variant it was asked in; its report and its
recording both ask here, so the two always agree with what grading diagnosed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from quizapp.decks.content import Question
    from quizapp.decks.variants import Variant


def shown_by(
    question: Question, variant: Variant, answer: str | None, diagnosis: str = ""
) -> tuple[str, ...]:
    """Catalogue ids the answer shows (empty for a right or unreadable one); what a kind's
    answer can show is its handler's (`KindHandler.misconceptions_shown`)."""
    from quizapp.kinds import handler

    if not answer:
        return ()
    return handler(question.kind).misconceptions_shown(variant, answer, diagnosis)
