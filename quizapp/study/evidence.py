"""The evidence rule: which graded answers move the schedule, and how high they may rate.

Every client asks here (the study session, `quizapp grade` and `--watch` through the
grading service, mock results turned into reviews), so a check from the shell counts
exactly as one in the app:

- The first graded submission of a due or new card on a local day is the review.
- Later submissions that day, and any of a card that is not due, are practice: kept in the
  log (and in statistics) as practice, never moving the schedule.
- Exam prep reviews cards before they are due on purpose; one review a day still holds.
- The short learning steps fsrs itself schedules (Again 1m, Hard 8m …) are due again
  when they come round, so answering one is a review too.
- Failed checks before the first pass (since the day began, or since the card's last
  review if that was later today) cap the rating at Hard, and so does help: bringing back
  the last attempt. Showing the solution caps it at Again.

Time is passed in; nothing here reads the clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from fsrs import Rating, State

from quizapp.progress.store import Store
from quizapp.study.local_days import start_of_day
from quizapp.study.scheduler import LEARN_AHEAD


class Evidence(StrEnum):
    REVIEW = "review"  # moves the schedule
    PRACTICE = "practice"  # kept in the log, schedule unchanged


class Help(StrEnum):
    """Help the student used on this question; each caps the rating (at Hard; the
    solution at Again)."""

    LAST_ATTEMPT = "last attempt"
    FAILED_CHECKS = "failed checks"
    SOLUTION = "solution shown"  # caps at Again: the answer was read, not recalled


@dataclass(frozen=True)
class Ruling:
    evidence: Evidence
    cap: Rating  # the highest rating this answer may be given
    why: str = ""  # for the student, when it is practice or capped

    @property
    def is_review(self) -> bool:
        return self.evidence == Evidence.REVIEW

    def apply(self, rating: Rating) -> Rating:
        """`rating`, lowered to the cap."""
        return Rating(min(int(rating), int(self.cap)))


def rule(
    store: Store,
    question_id: str,
    now: datetime,
    *,
    learning_step: bool = False,
    early: bool = False,
    help_used: set[Help] | frozenset[Help] = frozenset(),
) -> Ruling:
    """How an answer to `question_id` given at `now` counts.

    `learning_step`: the session shows the card again because fsrs put it in a learning
    step of minutes; such a showing may come up to LEARN_AHEAD early.
    `early`: the session reviews cards before they are due on purpose (exam prep: cards
    whose recall on exam day is below target); still at most one review a day.
    """
    since = start_of_day(now)
    last = store.last_review_at(question_id)
    if last is not None and last > since:
        since = last
    helped = set(help_used)
    if store.failed_checks_since(question_id, since):
        helped.add(Help.FAILED_CHECKS)
    cap = Rating.Again if Help.SOLUTION in helped else Rating.Hard if helped else Rating.Easy
    told = sorted(helped - {Help.SOLUTION})  # "not solved" says that one already
    capped = f"at most {cap.name}: " + ", ".join(told) if told else ""
    card = store.card(question_id)
    if card is None:
        return Ruling(Evidence.REVIEW, cap, capped)
    ahead = LEARN_AHEAD if learning_step else timedelta(0)
    due = early or card.due <= now + ahead
    in_step = card.state in (State.Learning, State.Relearning)
    reviewed_today = last is not None and last >= start_of_day(now)
    if due and (in_step or not reviewed_today):
        return Ruling(Evidence.REVIEW, cap, capped)
    if reviewed_today:
        why = "practice: already reviewed today"
    else:
        why = f"practice: due {card.due.astimezone():%Y-%m-%d}"
    return Ruling(Evidence.PRACTICE, cap, why)


def practice_ruling(
    store: Store, question_id: str, now: datetime, help_used: set[Help] | frozenset[Help]
) -> Ruling:
    """For answers given in practice (cram, weak topics, browse): never scheduled, but the
    rating still says how well it went, so the same caps apply."""
    reviewed = rule(store, question_id, now, help_used=help_used)
    return Ruling(Evidence.PRACTICE, reviewed.cap, "practice")
