"""The small calls a study session makes so that misconceptions get recorded.

Kept apart from the session's own rules: the session says what was answered; this module
works out which misconceptions that showed and writes them (see `tracking`).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from quizapp.misconceptions.tracking import Source, record_answer

if TYPE_CHECKING:
    from quizapp.decks.content import Question


def chosen_links(question: Question, chosen: set[int]) -> tuple[str, ...]:
    """The misconceptions the wrong options a student ticked encode."""
    options = question.options
    return tuple(
        dict.fromkeys(
            options[i].misconception
            for i in sorted(chosen)
            if 0 <= i < len(options) and not options[i].correct and options[i].misconception
        )
    )


def code_links(question: Question, feedback: str) -> tuple[str, ...]:
    """The misconception of the known mistake whose hint the grader's feedback shows."""
    return tuple(
        dict.fromkeys(
            m.misconception
            for m in question.known_mistakes
            if m.misconception and m.hint and m.hint in (feedback or "")
        )
    )


def _source(session: Any) -> str:
    return session.misconception_source or (
        Source.REVIEW if session.mode == "review" else Source.PRACTICE
    )


def answered(session: Any, review_id: int, correct: bool | None, now: datetime) -> None:
    """After a recorded answer: its misconceptions, and the later-answer evidence."""
    seen, session.misconceptions_shown = session.misconceptions_shown, ()
    record_answer(
        session.store,
        session.question,
        correct=correct,
        seen=seen,
        at=now,
        source=_source(session),
        review_id=review_id,
    )


def failed_check(session: Any, feedback: str) -> None:
    """A code check that matches a known mistake is a sighting, although no review is
    recorded yet (the card is reviewed when the student passes or gives up)."""
    seen = code_links(session.question, feedback)
    if seen:
        record_answer(
            session.store,
            session.question,
            correct=None,
            seen=seen,
            at=session.clock(),
            source=_source(session),
            review_id=None,
        )


def mock_finished(exam: Any) -> None:
    """After a mock exam's reviews are written: the misconceptions each answer showed."""
    from quizapp.misconceptions.seen import shown_by
    from quizapp.progress.misconception_log import has_events

    at = exam.row.finished_at or exam.clock()
    for answer in exam.answers:
        if answer.review_id is None or answer.answer is None:
            continue
        if has_events(exam.store, answer.review_id):
            continue  # recorded already (the exam was finished in another window)
        question = exam.question_at(answer.position)
        variant = exam.variant(answer.position)
        seen = shown_by(question, variant, answer.answer, answer.diagnosis or "")
        correct = None if answer.correct is None else bool(answer.correct)
        record_answer(
            exam.store,
            question,
            correct=correct,
            seen=seen,
            at=at,
            source=Source.MOCK,
            review_id=answer.review_id,
        )
