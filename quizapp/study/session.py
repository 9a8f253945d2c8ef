"""A study session as a plain object: what to show next, judging answers, recording them.

The TUI and the CLI both drive this class; tests drive it directly. Time comes from an
injectable clock so nothing here ever sleeps or reads the wall clock on its own.

Recording rules:
- Whether an answer moves the schedule, and how high it may rate, is the evidence rule's
  (study/evidence.py); practice sessions (weak topics, browse, cram) never move it.
- A right answer is proposed as Good, never Easy on its own; `change_rating` gives it
  another rating (each previewed by `intervals`) until the student moves on.
- An answer that cannot be read is not recorded at all.
- Code questions may be checked many times; each check is an attempt, and one answer is
  recorded when the student passes or gives up.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Protocol

from fsrs import Rating

from quizapp.decks.choices import encode_answer
from quizapp.decks.content import Library, Question
from quizapp.decks.variants import SolverError, Variant, make_variant
from quizapp.errors import SaveFailed
from quizapp.kinds import numeric
from quizapp.misconceptions import hooks as misconception_hooks
from quizapp.progress import queries
from quizapp.progress.store import Mode, ReviewRow, Store
from quizapp.study.answer_log import Answered, Given, Judged, Outcome, shifted
from quizapp.study.evidence import Help, practice_ruling, rule
from quizapp.study.numeric_answers import UNREADABLE, format_value
from quizapp.study.scheduler import LEARN_AHEAD, Planner, due_queue

if TYPE_CHECKING:
    from quizapp.grading.code import CodeVerdict

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


class CodeChecker(Protocol):
    def grade(self, question: Question, source: str) -> CodeVerdict: ...


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
        early: bool = False,
        requeue: bool = True,
    ) -> None:
        self.library = library
        self.early = early  # reviews before the due date count (exam prep)
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
        self._has_draft = False  # a draft of the current question is in the store
        self.help_used: set[Help] = set()  # help taken on the current question
        self._given: Given | None = None  # the current question's answer, while rerateable
        # a flashcard's judgement made when its back was shown, and when (see `preview`)
        self._previewed: tuple[Judged, datetime] | None = None
        self._history: list[Answered] = []  # this session's answers, for undo
        self.misconceptions_shown: tuple[str, ...] = ()  # by the answer being recorded
        self.misconception_source = ""  # "" = the mode; set by the shell and the drill

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
            self._fresh_question()
            self._current_repeat = repeat
            return self.current
        self.current = None
        return None

    def show(self, question_id: str, *, seed: int | None = None, fixed: bool = False) -> Variant:
        """Make one given question current (the CLI grades a named question this way)."""
        self.current = make_variant(self.library.questions[question_id], seed, fixed=fixed)
        self.shown_at = self.clock()
        self._fresh_question()
        return self.current

    def _fresh_question(self) -> None:
        self.answered = False
        self.help_used = set()
        self._given = None
        self._previewed = None
        self._has_draft = False

    # -- drafts: the unchecked text on screen, kept across a quit ------------------------

    def draft(self) -> str | None:
        """The text the student was typing for the current question when the app last
        closed (None: none kept)."""
        text = self.store.draft(self.question.id)
        self._has_draft = self._has_draft or text is not None
        return text

    def discard_draft(self) -> None:
        """The student chose to leave the question without keeping what they typed."""
        if self.current is not None and self._has_draft:
            self.store.clear_draft(self.question.id)
            self._has_draft = False

    def save_draft(self, text: str) -> None:
        """Keep what the student has typed so far (the UI calls this as they type)."""
        if self.current is None or self.answered:
            return
        self.store.save_draft(self.question.id, text[:200_000], self.clock())
        self._has_draft = True

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
        result = numeric.judge(self.variant, text)
        if result.status == UNREADABLE:
            return Outcome(UNREADABLE, result.message)
        self.misconceptions_shown = result.misconceptions
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
        self.misconceptions_shown = misconception_hooks.chosen_links(question, chosen)
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

    def grade_code(self, source: str) -> CodeVerdict:
        """Only run the grader: no database access, so a UI may call it from a thread."""
        if self.grader is None:
            raise RuntimeError("no code grader was given to this session")
        return self.grader.grade(self.question, source)

    def record_check(self, source: str, verdict: CodeVerdict) -> Outcome:
        """Keep the attempt; a passing one also becomes the review (call on the UI thread)."""
        question = self.question
        self.store.record_attempt(
            question.id, self.clock(), source, verdict.status, verdict.feedback
        )
        if not verdict.correct:
            misconception_hooks.failed_check(self, verdict.feedback)
            return Outcome(verdict.status, verdict.feedback, verdict=verdict)
        # failed checks before this pass cap it at Hard (the evidence rule counts them)
        return self._record(Rating.Good, True, source, verdict.feedback, verdict=verdict)

    def use_last_attempt(self) -> str | None:
        """The student's last checked code for the current question, if any; taking it
        is help, so the rating is capped at Hard."""
        source = self.store.last_attempt(self.question.id)
        if source is not None:
            self.help_used.add(Help.LAST_ATTEMPT)
        return source

    def give_up(self, source: str = "") -> Outcome:
        """Code questions: show the explanation and count it as forgotten."""
        self.help_used.add(Help.SOLUTION)
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
        """Right is proposed as Good and wrong as Again; the student may change it
        (`change_rating`) before moving on. Speed alone never makes an answer Easy."""
        rating = Rating.Good if correct else Rating.Again
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
        """Judge how the answer counts (the evidence rule), then write it."""
        now = self.clock()
        duration = int(max(0.0, (now - (self.shown_at or now)).total_seconds()) * 1000)
        # a self-rating shown with its intervals (`preview`) gets exactly those intervals,
        # counted from now rather than from when they were shown
        if self._previewed is not None:
            (ruling, previous, shown), at = self._previewed
            options = {r: shifted(card, now - at) for r, card in shown.items()}
        else:
            ruling, previous, options = self._judge(now, duration)
        self._given = Given(
            correct, answer, message, verdict, diagnosis, ruling, now, duration, previous, options
        )
        return self._write(ruling.apply(rating))

    def _judge(self, now: datetime, duration_ms: int) -> Judged:
        """How an answer now counts, and (for a review) the card each rating would make."""
        qid = self.question.id
        if self.mode == Mode.REVIEW:
            ruling = rule(
                self.store,
                qid,
                now,
                learning_step=self._current_repeat,
                early=self.early,
                help_used=self.help_used,
            )
        else:
            ruling = practice_ruling(self.store, qid, now, self.help_used)
        if not ruling.is_review:
            return ruling, None, {}
        previous = self.store.card(qid)
        options = {r: self.planner.review(qid, previous, r, now, duration_ms) for r in Rating}
        return ruling, previous, options

    def preview(self) -> dict[Rating, datetime]:
        """Before a self-rating (a flashcard's back is shown): when each rating it may get
        would bring the card back (empty for practice). Rating then applies exactly these."""
        if self.current is None or self.answered:
            return {}
        now = self.clock()
        duration = int(max(0.0, (now - (self.shown_at or now)).total_seconds()) * 1000)
        judged = self._judge(now, duration)
        self._previewed = judged, now
        ruling, _, options = judged
        return {r: card.due for r, card in options.items() if r <= ruling.cap}

    def _write(self, rating: Rating) -> Outcome:
        """Append the given answer with `rating` (and, for a review, the card it makes)."""
        given = self._given
        assert given is not None  # set by _record just before
        question = self.question
        card = given.options.get(rating)
        review = ReviewRow(
            question_id=question.id,
            reviewed_at=given.at,
            rating=int(rating),
            correct=given.correct,
            answer=given.answer[:20_000],
            duration_ms=given.duration_ms,
            mode=Mode.REVIEW if card is not None else Mode.PRACTICE,
            variant_seed=self.variant.seed,
        )
        review_id = self.store.record(review, card)
        correct = given.correct
        # The answer is saved. Should one of the writes that follow it fail, the student is
        # not told "not saved" (they would answer again): the misconceptions it showed go
        # unrecorded, and a draft left behind is ignored for an answered question.
        with suppress(SaveFailed):
            misconception_hooks.answered(self, review_id, correct, given.at)
            if self._has_draft:
                self.store.clear_draft(question.id)  # answered: the draft has done its job
                self._has_draft = False
        self.answered = True
        self.done += 1
        counted = int(queries.succeeded(correct, int(rating)))
        self.correct_count += counted
        requeued = self.requeue and card is not None and card.due <= given.at + LEARN_AHEAD
        if requeued:
            self.queue.append(question.id)  # still learning: see it again this session
            self.repeats += 1
        self._history.append(
            Answered(
                self.variant,
                review_id,
                given.previous,
                card is not None,
                requeued,
                counted,
                self._current_repeat,
            )
        )
        status = "correct" if correct else "incorrect" if correct is False else "rated"
        return Outcome(
            status,
            given.message,
            rating=rating,
            recorded=True,
            final=True,
            next_due=card.due if card else None,
            verdict=given.verdict,
            diagnosis=given.diagnosis,
            evidence_note=given.ruling.why,
            cap=given.ruling.cap,
        )

    # -- changing the rating before moving on ---------------------------------------------

    def intervals(self) -> dict[Rating, datetime]:
        """When the current answer's card would next be due under each rating it may get
        (computed by fsrs when the answer was given; empty for practice)."""
        given = self._given
        if given is None or not self.answered:
            return {}
        return {r: card.due for r, card in given.options.items() if r <= given.ruling.cap}

    def change_rating(self, rating: Rating) -> Outcome | None:
        """Give the current, just answered question another rating (keys 1-4 before moving
        on): its review is taken back and written again. The rating is capped as the
        first one was. None when there is nothing to change."""
        given = self._given
        if given is None or not self.answered or not self._history:
            return None
        last = self._history[-1]
        if last.variant is not self.current:
            return None
        before = (
            list(self._history),
            self.done,
            self.correct_count,
            list(self.queue),
            self.repeats,
        )
        try:
            # one transaction: the old review is never gone without the new one written
            with self.store.write_transaction():
                if not self._retract(last):
                    return None
                qid = last.variant.question.id
                if last.requeued and qid in self.queue:
                    del self.queue[len(self.queue) - 1 - self.queue[::-1].index(qid)]
                    self.repeats -= 1
                return self._write(given.ruling.apply(Rating(rating)))
        except SaveFailed:
            self._history, self.done, self.correct_count, self.queue, self.repeats = before
            raise

    def _retract(self, last: Answered) -> bool:
        """Delete `last`'s review (and restore its card); False if it was answered since."""
        qid = last.variant.question.id
        if not self.store.undo_review(last.review_id, qid, last.previous, scheduled=last.scheduled):
            return False
        self._history.pop()
        self.done -= 1
        self.correct_count -= last.counted
        return True

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
        if not self._retract(last):
            self._history.clear()
            return None
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
        self.current = last.variant
        self.shown_at = self.clock()
        self._fresh_question()
        return self.current

    def expected_text(self) -> str:
        """The expected numeric answer, formatted for the result panel."""
        variant = self.current
        return (
            format_value(variant.expected, variant.question.unit, variant.question.decimals)
            if variant and variant.expected is not None
            else ""
        )
