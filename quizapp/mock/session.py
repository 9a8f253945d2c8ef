"""Sitting a mock exam, without any UI: move between questions, save answers, keep time,
end, score, and turn the results into reviews.

Rules:
- Nothing is judged while the exam runs; answers can be changed until it ends.
- Every answer is written when given; time used and time per question are written on
  every move and every `checkpoint()`, so a crash loses at most the seconds since then.
- The clock only runs while the exam is open: a quit pauses it, resuming continues it.
- The exam ends when the student hands in or the time is up. Calculations and choices
  are scored at once, code is graded by the code grader (slow, so the UI runs it in a
  thread and hands each verdict back), open answers are self-rated against their rubric.
- When everything is scored, each answered question becomes one review (mode "review",
  so it moves the FSRS schedule like any scheduled review). Unanswered questions are
  only reported, never recorded: not reaching a question says nothing about memory.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from fsrs import Rating

from quizapp.decks.choices import decode_answer, encode_answer
from quizapp.decks.content import Library, Question
from quizapp.decks.variants import Variant, make_variant
from quizapp.kinds import handler
from quizapp.kinds.base import Judge
from quizapp.misconceptions import hooks as misconception_hooks
from quizapp.mock.assemble import assemble, exam_minutes, weakness_from_history
from quizapp.progress import mock_exams
from quizapp.progress.mock_exams import (
    DONE,
    RATING,
    RUNNING,
    AnswerRow,
    EndedBy,
    ExamMode,
    ExamRow,
    Score,
)
from quizapp.progress.store import CardRow, Mode, ReviewRow, Store
from quizapp.study.evidence import rule
from quizapp.study.scheduler import Planner

if TYPE_CHECKING:
    from quizapp.grading.verdict import CodeVerdict

Clock = Callable[[], datetime]
CHECKPOINT_EVERY = timedelta(seconds=10)


class VariantGrader(Protocol):
    """What grades a mock exam's code answers: a grader that takes the variant's seed."""

    def grade(self, question: Question, source: str, *, seed: int | None = None) -> CodeVerdict: ...


class MockExamError(Exception):
    """Something a student should read: no questions, unknown exam, question gone."""


def open_rating(share: float) -> Rating:
    """Open answers: the same rule as in study sessions (all points Good, half Hard)."""
    return Rating.Good if share == 1 else Rating.Hard if share >= 0.5 else Rating.Again


class MockExam:
    """One exam, loaded from (and written straight back to) the progress database."""

    def __init__(self, library: Library, store: Store, exam_id: int, clock: Clock) -> None:
        self.library = library
        self.store = store
        self.clock = clock
        self.id = exam_id
        self.row: ExamRow = self._load_row()
        self.answers: list[AnswerRow] = mock_exams.answers(store, exam_id)
        missing = [a.question_id for a in self.answers if a.question_id not in library.questions]
        if missing:
            raise MockExamError(
                f"mock exam {exam_id} asks {', '.join(missing)}, which no deck defines any "
                "more; load the deck that has it (--content DIR)"
            )
        self._variants: dict[int, Variant] = {}
        self._spent = {a.position: a.time_ms for a in self.answers}
        self.position = min(self.row.position, max(0, len(self.answers) - 1))
        self._segment_start = clock()  # the clock runs from opening, not from the start row
        self._viewing_since = self._segment_start
        self._last_checkpoint = self._segment_start

    # -- starting and opening ----------------------------------------------------------------

    @classmethod
    def start(
        cls,
        library: Library,
        store: Store,
        planner: Planner,
        mode: str,
        *,
        clock: Clock,
        seed: int | None = None,
    ) -> MockExam:
        now = clock()
        seed = random.SystemRandom().randrange(2**31) if seed is None else seed
        weakness, card_scores = weakness_from_history(library, store, planner, now)
        planned = assemble(
            library,
            mode,
            seed,
            weakness=weakness,
            card_scores=card_scores,
            avoid=mock_exams.recent_question_ids(store),
        )
        if not planned:
            raise MockExamError("no calculation, choice, open or code questions to ask")
        minutes = exam_minutes(library, planned)
        exam_id = mock_exams.create(store, now, ExamMode(mode), seed, minutes * 60, planned)
        return cls(library, store, exam_id, clock)

    @classmethod
    def open(cls, library: Library, store: Store, exam_id: int, *, clock: Clock) -> MockExam:
        if mock_exams.exam(store, exam_id) is None:
            raise MockExamError(f"there is no mock exam {exam_id}")
        return cls(library, store, exam_id, clock)

    def _load_row(self) -> ExamRow:
        row = mock_exams.exam(self.store, self.id)
        if row is None:
            raise MockExamError(f"there is no mock exam {self.id}")
        return row

    # -- what is on screen -------------------------------------------------------------------

    @property
    def status(self) -> str:
        return self.row.status

    @property
    def running(self) -> bool:
        return self.row.status == RUNNING

    def __len__(self) -> int:
        return len(self.answers)

    def question_at(self, position: int) -> Question:
        return self.library.questions[self.answers[position].question_id]

    def variant(self, position: int) -> Variant:
        """The variant asked at `position`; recomputed from its seed, identical every time."""
        if position not in self._variants:
            answer = self.answers[position]
            self._variants[position] = make_variant(self.question_at(position), answer.variant_seed)
        return self._variants[position]

    @property
    def current(self) -> AnswerRow:
        return self.answers[self.position]

    @property
    def answered_count(self) -> int:
        return sum(a.answer is not None for a in self.answers)

    # -- time --------------------------------------------------------------------------------

    def used_ms(self, now: datetime | None = None) -> int:
        if not self.running:
            return self.row.used_ms
        now = self.clock() if now is None else now
        return self.row.used_ms + _ms(now - self._segment_start)

    def time_left_s(self, now: datetime | None = None) -> float:
        return max(0.0, self.row.time_limit_s - self.used_ms(now) / 1000)

    def spent_ms(self, position: int, now: datetime | None = None) -> int:
        spent = self._spent.get(position, 0)
        if self.running and position == self.position:
            now = self.clock() if now is None else now
            spent += _ms(now - self._viewing_since)
        return spent

    def checkpoint(self, *, force: bool = True) -> None:
        """Write the time used and the time on the current question (also called by timers)."""
        if not self.running:
            return
        now = self.clock()
        if not force and now - self._last_checkpoint < CHECKPOINT_EVERY:
            return
        used = self.used_ms(now)
        self._spent[self.position] = self.spent_ms(self.position, now)
        self._viewing_since = now
        self.row = replace(self.row, used_ms=used, position=self.position)
        self._segment_start = now
        mock_exams.save_time(
            self.store,
            self.id,
            used_ms=used,
            position=self.position,
            spent={self.position: self._spent[self.position]},
        )
        self._last_checkpoint = now

    def time_is_up(self) -> bool:
        return self.running and self.time_left_s() <= 0

    # -- answering ---------------------------------------------------------------------------

    def go_to(self, position: int) -> None:
        if not 0 <= position < len(self.answers) or position == self.position:
            return
        self.checkpoint()
        self.position = position
        self.checkpoint()

    def save_answer(self, text: str | None, position: int | None = None) -> bool:
        """Keep the answer for `position` (default: the current one); blank clears it.

        Returns whether anything changed. Code that is still the untouched stub counts as
        no answer, so a question merely looked at is not graded as wrong.
        """
        if not self.running:
            return False
        position = self.position if position is None else position
        question = self.question_at(position)
        if text is not None and (
            not text.strip()
            or text.strip() == (handler(question.kind).stub(question) or "").strip()
        ):
            text = None
        old = self.answers[position]
        if old.answer == text:
            return False
        now = self.clock()
        mock_exams.save_answer(self.store, self.id, position, text, now)
        self.answers[position] = replace(old, answer=text, answered_at=now if text else None)
        return True

    # -- ending and scoring ------------------------------------------------------------------

    def end(self, by: EndedBy = EndedBy.STUDENT) -> None:
        """Stop the clock and score what can be scored without help."""
        if not self.running:
            return
        now = self.clock()
        used = min(self.used_ms(now), self.row.time_limit_s * 1000)
        self._spent[self.position] = self.spent_ms(self.position, now)
        mock_exams.save_time(
            self.store, self.id, used_ms=used, position=self.position, spent=dict(self._spent)
        )
        scores = [self._auto_score(a) for a in self.answers]
        mock_exams.end(self.store, self.id, now, by, used, [s for s in scores if s])
        self._reload()

    def _auto_score(self, answer: AnswerRow) -> Score | None:
        """Numeric and choice answers now; code waits for the grader, open answers for
        the student's own rating against the rubric."""
        if answer.answer is None:
            return Score(answer.position, 0.0, False, "Not answered.")
        question = self.question_at(answer.position)
        verdict = handler(question.kind).exam_verdict(self.variant(answer.position), answer.answer)
        if verdict is None:
            return None
        points = answer.points_max if verdict.correct else 0.0
        return Score(answer.position, points, verdict.correct, verdict.diagnosis)

    def pending_code(self) -> list[int]:
        """Answered code questions still waiting for the grader."""
        return [
            a.position
            for a in self.answers
            if a.points is None
            and a.answer is not None
            and handler(self.question_at(a.position).kind).judge == Judge.GRADER
        ]

    def grade_code(self, grader: VariantGrader, position: int) -> CodeVerdict:
        """Run the grader for one code answer; blocking and database-free (call from a thread)."""
        answer = self.answers[position]
        if answer.answer is None:  # `pending_code` lists only answered positions
            raise ValueError(f"question {position + 1} of the mock exam has no answer to grade")
        return grader.grade(self.question_at(position), answer.answer, seed=answer.variant_seed)

    def record_code(self, position: int, verdict: CodeVerdict) -> None:
        """Keep the grader's verdict: full points when every case passes, else the share."""
        answer = self.answers[position]
        share = verdict.cases_passed / verdict.cases_total if verdict.cases_total else 0.0
        points = answer.points_max if verdict.correct else round(answer.points_max * share, 2)
        diagnosis = "" if verdict.correct else verdict.feedback
        score = Score(position, points, bool(verdict.correct), diagnosis)
        mock_exams.save_scores(self.store, self.id, [score])
        self._reload()

    def pending_ratings(self) -> list[int]:
        """Answered open questions the student has not rated against the rubric yet."""
        return [
            a.position
            for a in self.answers
            if a.points is None
            and a.answer is not None
            and handler(self.question_at(a.position).kind).judge == Judge.SELF
        ]

    def rate_open(self, position: int, ticked: set[int]) -> None:
        question = self.question_at(position)
        ticked = {i for i in ticked if 0 <= i < len(question.rubric)}
        share = len(ticked) / len(question.rubric)
        missed = [point for i, point in enumerate(question.rubric) if i not in ticked]
        diagnosis = "Missed: " + "; ".join(missed) if missed else ""
        answer = self.answers[position]
        score = Score(
            position,
            round(answer.points_max * share, 2),
            share == 1,
            diagnosis,
            tuple(sorted(ticked)),
        )
        mock_exams.save_scores(self.store, self.id, [score])
        self._reload()

    @property
    def ready_to_finish(self) -> bool:
        return self.row.status == RATING and not self.pending_code() and not self.pending_ratings()

    def finish(self, planner: Planner) -> None:
        """Every answer scored: record the reviews and close the exam (once, atomically)."""
        if self.row.status == DONE:
            return
        if not self.ready_to_finish:
            raise MockExamError("the exam still has answers to grade or to rate")
        now = self.clock()
        reviews: list[tuple[int, ReviewRow, CardRow | None]] = []
        reviewed: set[str] = set()  # one review per card, however often the exam asks it
        for answer in self.answers:
            if answer.answer is None:
                continue
            question = self.question_at(answer.position)
            # the evidence rule: a card reviewed today already, or not due, gets practice
            ruling = rule(self.store, question.id, now)
            rating = ruling.apply(self._rating(answer, question))
            card = (
                planner.review(
                    question.id, self.store.card(question.id), rating, now, answer.time_ms
                )
                if ruling.is_review and question.id not in reviewed
                else None
            )
            if card is not None:
                reviewed.add(question.id)
            correct = None if handler(question.kind).judge == Judge.SELF else bool(answer.correct)
            review = ReviewRow(
                question_id=question.id,
                reviewed_at=now,
                rating=int(rating),
                correct=correct,
                answer=answer.answer[:20_000],
                duration_ms=answer.time_ms,
                mode=Mode.REVIEW if card is not None else Mode.PRACTICE,
                variant_seed=answer.variant_seed,
            )
            reviews.append((answer.position, review, card))
        score = sum(a.points or 0.0 for a in self.answers)
        max_score = sum(a.points_max for a in self.answers)
        mock_exams.finish(self.store, self.id, now, reviews, score, max_score)
        self._reload()
        misconception_hooks.mock_finished(self)

    @staticmethod
    def _rating(answer: AnswerRow, question: Question) -> Rating:
        if handler(question.kind).judge == Judge.SELF:
            return open_rating((answer.points or 0.0) / answer.points_max)
        return Rating.Good if answer.correct else Rating.Again

    def _reload(self) -> None:
        self.row = self._load_row()
        self.answers = mock_exams.answers(self.store, self.id)


def _ms(delta: timedelta) -> int:
    return max(0, int(delta.total_seconds() * 1000))


def chosen_options(text: str, count: int) -> set[int]:
    """The options (file order) a stored choice answer names, ignoring any out of range."""
    return {i for i in decode_answer(text) if i < count}


def choice_answer(selected: set[int]) -> str | None:
    """How a choice answer is stored: file numbers, "1,3" (None when nothing is selected)."""
    return encode_answer(selected) or None
