"""A study session as a plain object: what to show next, judging answers, recording them.

The TUI and the CLI both drive this class; tests drive it directly. Time comes from an
injectable clock so nothing here ever sleeps or reads the wall clock on its own.

Recording rules:
- "review" sessions (the due queue) update the FSRS card and append to the review log.
- "practice" sessions (weak topics, browse, cram) only append to the log with
  mode="practice": they count for accuracy and weakness, never for the schedule.
- An answer that cannot be read is not recorded at all.
- Code questions may be checked many times; each check is an attempt, and one review is
  recorded when the student passes or gives up.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from fsrs import Rating

from quizapp.decks.choices import encode_answer
from quizapp.decks.content import Library, Question
from quizapp.decks.variants import SolverError, Variant, make_variant, mistake_values
from quizapp.progress.store import CardRow, Mode, ReviewRow, Store
from quizapp.study.numeric_answers import UNREADABLE, format_value, grade_numeric
from quizapp.study.scheduler import LEARN_AHEAD, Planner, due_queue

if TYPE_CHECKING:
    from quizapp.grading.code import CodeVerdict

Clock = Callable[[], datetime]
EASY_WITHIN = timedelta(seconds=8)


def utc_now() -> datetime:
    return datetime.now(UTC)


class CodeChecker(Protocol):
    def grade(self, question: Question, source: str): ...


@dataclass(frozen=True)
class Outcome:
    """What happened to an answer; the UI shows `message` and, once final, the explanation."""

    status: str  # correct | incorrect | unreadable | revealed | rated | error
    message: str
    rating: Rating | None = None
    recorded: bool = False
    final: bool = False  # the question is done; show the explanation and move on
    next_due: datetime | None = None
    verdict: CodeVerdict | None = None  # a code check's full result
    diagnosis: str = ""  # a known calculation mistake the wrong answer matches


@dataclass(frozen=True)
class Answered:
    """What `undo` needs to take one recorded answer back exactly."""

    variant: Variant
    review_id: int
    previous: CardRow | None  # the card before the answer (None: it was new)
    scheduled: bool  # the answer moved the schedule (review mode)
    requeued: bool  # it earned another showing in this session
    counted: int  # what it added to correct_count
    was_repeat: bool = False  # it was an extra showing (a learning step)


class StudySession:
    def __init__(
        self,
        library: Library,
        store: Store,
        planner: Planner,
        *,
        question_ids: list[str] | None = None,
        mode: Mode = Mode.REVIEW,
        topics: set[str] | None = None,
        clock: Clock = utc_now,
        grader: CodeChecker | None = None,
        requeue: bool = True,
    ) -> None:
        self.library = library
        self.store = store
        self.planner = planner
        self.mode = Mode(mode)
        self.clock = clock
        self.grader = grader
        # Exam mode passes False: a card answered today waits for tomorrow (a same-evening
        # learning step costs minutes and adds almost no stability before an exam).
        self.requeue = requeue
        question_ids_given = question_ids is not None
        if question_ids is None:
            question_ids = due_queue(
                library, store, clock(), new_per_day=planner.new_per_day, topics=topics
            )
        self.queue: list[str] = [q for q in question_ids if q in library.questions]
        self.total = len(self.queue)
        self.topics = topics
        # The daily review (no ids given) replaces a skipped new card with the next new one.
        self.refills_new = not question_ids_given
        # The last `repeats` queue entries are extra showings of cards in a learning step
        # of minutes; the progress line counts them apart ("19 left +1 repeat").
        self.repeats = 0
        self._current_repeat = False
        self._skipped: set[str] = set()
        self.done = 0
        self.correct_count = 0
        self.current: Variant | None = None
        self.answered = False
        self.shown_at: datetime | None = None
        self._failed_checks = 0
        self._history: list[Answered] = []  # this session's answers, for undo

    # -- flow ------------------------------------------------------------------------------

    def next(self) -> Variant | None:
        """Advance to the next question (None when the session is over)."""
        while self.queue:
            repeat = len(self.queue) <= self.repeats
            self.repeats -= int(repeat)
            qid = self.queue.pop(0)
            question = self.library.questions[qid]
            # The first time, a parameterised question shows the course's own numbers;
            # later reviews draw fresh ones.
            first_time = question.is_parameterised and not self.store.answered_before(qid)
            try:
                self.current = make_variant(question, fixed=first_time)
            except SolverError:
                continue  # reported by `quizapp check`; never block a session on one question
            self.shown_at = self.clock()
            self._failed_checks = 0
            self.answered = False
            self._current_repeat = repeat
            return self.current
        self.current = None
        return None

    def show(self, question_id: str, *, seed: int | None = None, fixed: bool = False) -> Variant:
        """Make one given question current (the CLI grades a named question this way)."""
        self.current = make_variant(self.library.questions[question_id], seed, fixed=fixed)
        self.shown_at = self.clock()
        self._failed_checks = 0
        self.answered = False
        return self.current

    @property
    def variant(self) -> Variant:
        if self.current is None:
            raise RuntimeError("no current question; call next() first")
        return self.current

    @property
    def question(self) -> Question:
        return self.variant.question

    @property
    def remaining(self) -> int:
        """Questions still to answer, counting the current one until it is answered."""
        return len(self.queue) + (1 if self.current and not self.answered else 0)

    @property
    def repeats_left(self) -> int:
        """Of `remaining`, the extra showings of cards still in a short learning step."""
        showing = self.current is not None and not self.answered and self._current_repeat
        return self.repeats + int(showing)

    # -- answering -------------------------------------------------------------------------

    def answer_numeric(self, text: str) -> Outcome:
        variant = self.variant
        question = variant.question
        assert variant.expected is not None  # a numeric variant always carries its answer
        result = grade_numeric(
            text,
            variant.expected,
            question.unit,
            question.rel_tol,
            question.abs_tol,
            mistakes=mistake_values(variant) if question.known_mistakes else (),
            decimals=question.decimals,
        )
        if result.status == UNREADABLE:
            return Outcome(UNREADABLE, result.message)
        return self._auto(result.correct, text, result.message, diagnosis=result.diagnosis or "")

    def answer_choice(self, chosen: set[int]) -> Outcome:
        """`chosen` names options by identity (their index in the deck file), not by the
        position they were shown at; the message numbers them as shown."""
        question = self.question
        if not chosen:
            return Outcome(UNREADABLE, "Choose at least one option first.")
        right = {i for i, option in enumerate(question.options) if option.correct}
        shown = self.variant.shown_options()
        numbers = ", ".join(str(n) for n in sorted(shown.index(i) + 1 for i in right))
        correct = chosen == right
        which = "options" if len(right) > 1 else "option"
        message = "Correct." if correct else f"Not quite: the answer is {which} {numbers}."
        return self._auto(correct, encode_answer(chosen), message)

    def reveal(self) -> Outcome:
        """Flashcards: show the back; the student rates next."""
        return Outcome("revealed", self.question.back)

    def submit_open(self, text: str) -> Outcome:
        """Open questions: keep the text; the student ticks rubric points next."""
        self._open_answer = text
        return Outcome("revealed", self.question.model_answer)

    def rate_rubric(self, ticked: set[int]) -> Outcome:
        """Open questions: the share of key points covered sets the rating."""
        share = len(ticked & set(range(len(self.question.rubric)))) / len(self.question.rubric)
        rating = Rating.Good if share == 1 else Rating.Hard if share >= 0.5 else Rating.Again
        text = getattr(self, "_open_answer", "")
        return self._record(rating, None, text, f"You covered {share:.0%} of the key points.")

    def rate(self, rating: Rating) -> Outcome:
        """Flashcards: the student's own rating."""
        rating = Rating(rating)
        return self._record(rating, None, "", f"Rated {rating.name}.")

    def check_code(self, source: str) -> Outcome:
        """Grade and record in one call (the CLI's way; blocking)."""
        if self.grader is None:
            return Outcome("error", "The code grader is not available.")
        return self.record_check(source, self.grade_code(source))

    def grade_code(self, source: str):
        """Only run the grader: no database access, so a UI may call it from a thread."""
        if self.grader is None:
            raise RuntimeError("no code grader was given to this session")
        return self.grader.grade(self.question, source)

    def record_check(self, source: str, verdict) -> Outcome:
        """Keep the attempt; a passing one also becomes the review (call on the UI thread)."""
        question = self.question
        self.store.record_attempt(
            question.id, self.clock(), source, verdict.status, verdict.feedback
        )
        if not verdict.correct:
            self._failed_checks += 1
            return Outcome(verdict.status, verdict.feedback, verdict=verdict)
        rating = Rating.Good if self._failed_checks == 0 else Rating.Hard
        return self._record(rating, True, source, verdict.feedback, verdict=verdict)

    def give_up(self, source: str = "") -> Outcome:
        """Code questions: show the explanation and count it as forgotten."""
        return self._record(Rating.Again, False, source, "Marked as not solved.")

    def skip(self) -> None:
        """Leave the current question unanswered (it stays due, or new).

        Only answered cards count towards the day's new-card limit, so in the daily review
        a skipped new card hands its place to the next new one."""
        current, self.current = self.current, None
        if current is None:
            return
        qid = current.question.id
        self._skipped.add(qid)
        if self.refills_new and not self._current_repeat and self.store.card(qid) is None:
            replacement = self._next_new()
            if replacement is not None:
                self.queue.insert(len(self.queue) - self.repeats, replacement)

    def _next_new(self) -> str | None:
        """The first new question in study order not queued, skipped or answered yet."""
        known = self.store.known_ids()
        taken = set(self.queue) | self._skipped
        for qid in self.library.study_order():
            question = self.library.questions[qid]
            if qid in known or qid in taken:
                continue
            if self.topics is None or question.topic in self.topics:
                return qid
        return None

    # -- recording -------------------------------------------------------------------------

    def _auto(self, correct: bool, answer: str, message: str, *, diagnosis: str = "") -> Outcome:
        rating = Rating.Again
        if correct:
            fast = self.shown_at is not None and self.clock() - self.shown_at <= EASY_WITHIN
            rating = Rating.Easy if fast else Rating.Good
        return self._record(rating, correct, answer, message, diagnosis=diagnosis)

    def _record(
        self,
        rating: Rating,
        correct: bool | None,
        answer: str,
        message: str,
        *,
        verdict: CodeVerdict | None = None,
        diagnosis: str = "",
    ) -> Outcome:
        question = self.question
        now = self.clock()
        duration = int(max(0.0, (now - (self.shown_at or now)).total_seconds()) * 1000)
        card = previous = None
        if self.mode == Mode.REVIEW:
            previous = self.store.card(question.id)
            card = self.planner.review(question.id, previous, rating, now, duration)
        review = ReviewRow(
            question_id=question.id,
            reviewed_at=now,
            rating=int(rating),
            correct=correct,
            answer=answer[:20_000],
            duration_ms=duration,
            mode=self.mode,
            variant_seed=self.variant.seed,
        )
        review_id = self.store.record(review, card)
        self.answered = True
        self.done += 1
        counted = int(bool(correct) or (correct is None and rating >= Rating.Good))
        self.correct_count += counted
        requeued = self.requeue and card is not None and card.due <= now + LEARN_AHEAD
        if requeued:
            self.queue.append(question.id)  # still learning: see it again this session
            self.repeats += 1
        self._history.append(
            Answered(
                self.variant,
                review_id,
                previous,
                card is not None,
                requeued,
                counted,
                self._current_repeat,
            )
        )
        status = "correct" if correct else "incorrect" if correct is False else "rated"
        return Outcome(
            status,
            message,
            rating=rating,
            recorded=True,
            final=True,
            next_due=card.due if card else None,
            verdict=verdict,
            diagnosis=diagnosis,
        )

    # -- undo ------------------------------------------------------------------------------

    @property
    def can_undo(self) -> bool:
        return bool(self._history)

    def undo(self) -> Variant | None:
        """Take back the session's last answer (Anki's undo) and make its question current
        again, unanswered. The review leaves the log and the card gets back the exact state
        it had, so neither the schedule nor any statistic keeps a trace of it.

        Returns None when there is nothing to undo, or when the answer can no longer be
        taken back because the card was answered again elsewhere.
        """
        if not self._history:
            return None
        last = self._history[-1]
        qid = last.variant.question.id
        if not self.store.undo_review(last.review_id, qid, last.previous, scheduled=last.scheduled):
            self._history.clear()
            return None
        self._history.pop()
        current = self.current
        showing_again = current is not None and not self.answered
        if last.requeued and qid in self.queue:  # drop the extra showing it had earned
            del self.queue[len(self.queue) - 1 - self.queue[::-1].index(qid)]
            self.repeats -= 1
        elif last.requeued and showing_again and current is not None and current.question.id == qid:
            showing_again = False  # that extra showing is the one on screen now
        if showing_again and current is not None and current is not last.variant:
            if self._current_repeat:  # shown but not answered: back where it came from
                self.queue.append(current.question.id)
                self.repeats += 1
            else:
                self.queue.insert(0, current.question.id)
        self._current_repeat = last.was_repeat
        self.done -= 1
        self.correct_count -= last.counted
        self.current = last.variant
        self.shown_at = self.clock()
        self.answered = False
        self._failed_checks = 0
        return self.current

    def expected_text(self) -> str:
        """The expected numeric answer, formatted for the result panel."""
        variant = self.current
        return (
            format_value(variant.expected, variant.question.unit, variant.question.decimals)
            if variant and variant.expected is not None
            else ""
        )
