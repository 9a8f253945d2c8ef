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
    """Catalogue ids the answer shows (empty for a right or unreadable one)."""
    from quizapp.decks.content import Kind
    from quizapp.misconceptions.hooks import chosen_links, code_links

    if not answer:
        return ()
    if question.kind == Kind.NUMERIC and variant.expected is not None:
        from quizapp.kinds.numeric import judge

        return judge(variant, answer).misconceptions
    if question.kind == Kind.CHOICE:
        from quizapp.mock.session import chosen_options

        return chosen_links(question, chosen_options(answer, len(question.options)))
    if question.kind == Kind.CODE:
        return code_links(question, diagnosis)
    return ()
