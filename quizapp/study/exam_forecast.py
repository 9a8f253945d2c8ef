"""The plan to the exam, day by day, and the recall it is expected to reach.

The forecast plays the planner (`quizapp.study.planner`) forward: one session a day at
SESSION_HOUR (today: now, with the minutes already spent taken off), each filling the day's
minutes with the best cards, each studied card assumed recalled (its most likely state)
and counted at its *expected* exam-day recall. The last session is the final pass, the
evening before the exam. Mock exams are placed MOCK_BEFORE days before the exam and every
week before that; they are extra sittings, not part of the daily minutes.

Reading the store (`inputs`) is kept apart from the arithmetic (`forecast`), so a screen
may compute the forecast in a worker thread without touching the database there.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from fsrs import Card

from quizapp.decks.content import Library
from quizapp.progress.settings import EXAM_MINUTES
from quizapp.progress.store import CardRow, Store
from quizapp.study.local_days import day_start, local_day
from quizapp.study.planner import (
    Model,
    build_model,
    exam_session_ids,
    fill,
    fsrs_cards,
    rank,
    studied_since,
)
from quizapp.study.scheduler import Planner
from quizapp.study.session import Clock, CodeChecker, StudySession

SESSION_HOUR = 18
MOCK_BEFORE = 2  # days before the exam of the last mock exam
MOCK_EVERY = 7
TOPICS_SHOWN = 3
ALTERNATIVE_MINUTES = 30  # Home's "with 30 min a day" (or double the budget when >= 30)
PROMISE_KEY = "exam_plan_promise"
NOTABLE_CHANGE = 0.01  # a forecast moving less than a point is noise, not news


def exam_minutes(store: Store) -> int:
    return int(EXAM_MINUTES.read(store.get_setting(EXAM_MINUTES.key)))


def set_exam_minutes(store: Store, minutes: int) -> None:
    store.set_setting(EXAM_MINUTES.key, int(minutes))


def alternative_minutes(minutes: int) -> int:
    """The other budget Home compares with: 30 min, or twice the budget from 30 up."""
    return ALTERNATIVE_MINUTES if minutes < ALTERNATIVE_MINUTES else minutes * 2


def is_mock_day(day: date, exam_day: date) -> bool:
    before = (exam_day - day).days
    return before >= MOCK_BEFORE and (before - MOCK_BEFORE) % MOCK_EVERY == 0


@dataclass(frozen=True)
class Inputs:
    """What the forecast needs from the store, read once on the thread that owns it."""

    model: Model
    cards: dict[str, Card]
    topics: dict[str, str]  # question id -> topic
    titles: dict[str, str]  # topic -> short title (several share a line)
    exam_day: date
    now: datetime
    studied_today: frozenset[str]
    spent_today_s: float
    minutes: int


def inputs(
    library: Library,
    store: Store,
    planner: Planner,
    now: datetime,
    exam_day: date,
    *,
    rows: dict[str, CardRow] | None = None,
) -> Inputs:
    from quizapp.study.insights import exam_moment

    rows = store.cards() if rows is None else rows
    today_starts = day_start(local_day(now))
    return Inputs(
        model=build_model(library, store, planner.scheduler, exam_moment(exam_day)),
        cards=fsrs_cards(rows),
        topics={qid: q.topic for qid, q in library.questions.items()},
        titles={t: library.topic_short_title(t) for t in library.topics},
        exam_day=exam_day,
        now=now.astimezone(UTC),
        studied_today=frozenset(studied_since(rows, today_starts)),
        spent_today_s=store.seconds_answering_since(today_starts),
        minutes=exam_minutes(store),
    )


@dataclass(frozen=True)
class PlanDay:
    day: date
    minutes: float  # planned minutes of study
    reviews: int
    new: int
    topics: tuple[str, ...]  # short titles of the topics with most cards, most first
    mock: bool
    final_pass: bool
    recall: float  # expected weighted recall at the exam after this day's session
    recall_unweighted: float
    question_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Forecast:
    exam_day: date
    minutes: int
    days: list[PlanDay]
    recall_now: float  # expected weighted recall at the exam with no more study
    recall: float  # after every planned session
    recall_unweighted: float
    spent_today_s: float
    budget_left_today_s: float
    by_topic: dict[str, float] = field(default_factory=dict)  # expected recall per topic

    @property
    def today(self) -> PlanDay | None:
        today = self.days[0] if self.days else None
        return today if today is not None and today.question_ids else None

    @property
    def days_left(self) -> int:
        return len(self.days)


def _means(values: dict[str, float], model: Model) -> tuple[float, float]:
    total_weight = sum(model.weight[q] for q in values) or 1.0
    weighted = sum(model.weight[q] * v for q, v in values.items()) / total_weight
    return weighted, sum(values.values()) / max(1, len(values))


def forecast(data: Inputs, minutes: int | None = None) -> Forecast:
    """Play the plan forward to the exam with `minutes` a day (default: the setting)."""
    minutes = data.minutes if minutes is None else minutes
    model = data.model
    cards = dict(data.cards)
    values = {qid: model.recall(cards.get(qid)) for qid in data.topics}
    recall_now, _ = _means(values, model)
    today = local_day(data.now)
    days: list[PlanDay] = []
    day = today
    left_today = max(0.0, minutes * 60 - data.spent_today_s)
    while day < data.exam_day:
        first = day == today
        moment = data.now if first else day_start(day, SESSION_HOUR)
        budget = left_today if first else minutes * 60.0
        exclude = data.studied_today if first else frozenset()
        picks = fill(rank(model, cards, data.topics, moment, exclude=exclude), budget)
        for pick in picks:
            cards[pick.question_id] = pick.likely
            values[pick.question_id] = pick.after
        weighted, unweighted = _means(values, model)
        counts = Counter(data.topics[p.question_id] for p in picks)
        days.append(
            PlanDay(
                day=day,
                minutes=sum(p.seconds for p in picks) / 60,
                reviews=sum(not p.new for p in picks),
                new=sum(p.new for p in picks),
                topics=tuple(data.titles.get(t, t) for t, _ in counts.most_common(TOPICS_SHOWN)),
                mock=is_mock_day(day, data.exam_day),
                final_pass=day == data.exam_day - timedelta(days=1),
                recall=weighted,
                recall_unweighted=unweighted,
                question_ids=tuple(p.question_id for p in picks) if first else (),
            )
        )
        day += timedelta(days=1)
    weighted, unweighted = _means(values, model)
    by_topic: dict[str, list[float]] = {}
    for qid, value in values.items():
        by_topic.setdefault(data.topics[qid], []).append(value)
    return Forecast(
        exam_day=data.exam_day,
        minutes=minutes,
        days=days,
        recall_now=recall_now,
        recall=weighted,
        recall_unweighted=unweighted,
        spent_today_s=data.spent_today_s,
        budget_left_today_s=left_today,
        by_topic={t: sum(v) / len(v) for t, v in by_topic.items()},
    )


def adaptation_note(store: Store, plan: Forecast, today: date) -> str:
    """What skipping or overrunning cost, said all the next day.

    The first forecast of each day is kept as that day's promise; on a later day the new
    forecast is compared with the last promise before it. Returns "" when there is nothing
    worth saying."""
    stored = store.get_setting(PROMISE_KEY)
    promise = stored if isinstance(stored, dict) else {}
    exam, day = plan.exam_day.isoformat(), today.isoformat()
    same_exam = promise.get("exam") == exam
    if same_exam and promise.get("day") == day:
        base = promise.get("since")
    else:
        earlier = same_exam and isinstance(promise.get("day"), str) and promise["day"] < day
        base = {"day": promise["day"], "recall": promise.get("recall")} if earlier else None
        store.set_setting(
            PROMISE_KEY, {"day": day, "exam": exam, "recall": plan.recall, "since": base}
        )
    if not isinstance(base, dict):
        return ""
    made, expected = base.get("day"), base.get("recall")
    if not isinstance(made, str) or not isinstance(expected, int | float):
        return ""
    since = f"{date.fromisoformat(made):%a}"
    change = plan.recall - float(expected)
    if change <= -NOTABLE_CHANGE:
        return (
            f"Since {since} the plan fell behind: the forecast dropped from {expected:.0%} "
            f"to {plan.recall:.0%}. Today's plan is adjusted to your {plan.minutes} min."
        )
    if change >= NOTABLE_CHANGE:
        return f"Ahead of plan since {since}: the forecast rose from {expected:.0%} to {plan.recall:.0%}."
    return ""


def exam_session(
    library: Library,
    store: Store,
    planner: Planner,
    exam_day: date,
    *,
    clock: Clock,
    grader: CodeChecker | None = None,
) -> StudySession:
    """Today's exam-mode session, for the minutes left today: the planner's queue, each
    card once (no same-day learning steps). Home's exam prep and the benchmark both
    start it here."""
    from quizapp.study.insights import exam_moment

    now = clock()
    ids = exam_session_ids(
        library, store, planner.scheduler, exam_moment(exam_day), now, exam_minutes(store)
    )
    # early: the planner brings cards back before fsrs's due date on purpose, and the
    # first answer of the day to each is still the review (quizapp.study.evidence).
    return StudySession(
        library,
        store,
        planner,
        question_ids=ids,
        clock=clock,
        grader=grader,
        requeue=False,
        early=True,
    )
