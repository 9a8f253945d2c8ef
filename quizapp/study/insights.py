"""What to study next, judged from the student's own history: weak topics, leeches,
the exam-day plan and the cram order. Pure functions over the store; no UI here.

Weakness
    One measure in `quizapp.study.weakness` (cards and topics); here it picks the cards of
    a weak-topics session and orders cram.

Leeches
    A card whose lapses (forgotten after it had been learned) reach the threshold
    (setting "leech_threshold", default 8, as in Anki) is a leech.

Exam plan
    The exam is at EXAM_HOUR local time on the exam date (setting "exam_date",
    "YYYY-MM-DD"). For each seen card FSRS gives the retrievability at that moment,
    R_exam. The target is the desired retention. Cards with R_exam below the target need
    at least one more review before the exam; unseen cards must be learned. The exam-prep
    queue lists the cards below target, lowest R_exam first, then unseen ones; it is a
    normal scheduled review (mode "review"): reviewing early is something FSRS models, and
    the new state is what lifts R_exam. The daily load is the number of cards needing work
    divided by the days left; it is unrealistic when above a limit of 3x the student's
    average daily answers over the last 30 days, kept within 30..200 per day.
    Predicted exam-day recall of a topic is the mean R_exam of its seen cards (unseen
    cards are reported separately, not folded in as zero). What exam prep studies each
    day is decided by the exam planner (`quizapp.study.planner`), in minutes, not here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from quizapp.decks.content import Library
from quizapp.progress import queries
from quizapp.progress.settings import LEECH_THRESHOLD
from quizapp.progress.store import CardRow, Store
from quizapp.study.scheduler import Planner
from quizapp.study.stats import (
    WINDOW_DAYS,
    TopicSummary,
    day_start,
    local_day,
    recent_answers,
)
from quizapp.study.weakness import (  # the one weakness measure
    WEAK_TOPICS,
    card_scores,
    rank_weak_topics,
    weak_topics,
    weakest_first,
)

LEECH_LAPSES = int(LEECH_THRESHOLD.default)
WEAK_SESSION_SIZE = 20
EXAM_HOUR = 9
LOAD_FLOOR, LOAD_CEILING, LOAD_FACTOR = 30, 200, 3


def weak_session_ids(
    library: Library,
    store: Store,
    planner: Planner,
    now: datetime,
    summaries: list[TopicSummary],
    *,
    topics: int = WEAK_TOPICS,
    limit: int = WEAK_SESSION_SIZE,
    target: float | None = None,
) -> list[str]:
    """Answered cards (reviewed or practised) of the weakest topics (with `target`: of the
    flagged ones, see `weakness.weak_topics`), weakest card first, at most `limit`."""
    ranked = (
        rank_weak_topics(summaries)[:topics]
        if target is None
        else weak_topics(summaries, target, topics)
    )
    cards = store.cards()
    ids = [q.id for t in ranked for q in library.by_topic(t.topic)]
    recent = recent_answers(store, ids)
    ids = [q for q in ids if q in cards or q in recent]
    return weakest_first(ids, card_scores(ids, cards, planner, now, recent))[:limit]


def cram_order(
    library: Library, store: Store, planner: Planner, now: datetime, topics: list[str]
) -> list[str]:
    """Every question of the chosen topics, regardless of schedule, weakest first."""
    ids = [q.id for t in topics for q in library.by_topic(t)]
    scores = card_scores(ids, store.cards(), planner, now, recent_answers(store, ids))
    return weakest_first(ids, scores)


# -- leeches -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Leech:
    question_id: str
    topic: str
    title: str
    lapses: int


def leech_threshold(store: Store) -> int:
    return int(LEECH_THRESHOLD.read(store.get_setting(LEECH_THRESHOLD.key)))


def leeches(library: Library, store: Store, threshold: int | None = None) -> list[Leech]:
    """Cards forgotten at least `threshold` times, most lapses first."""
    threshold = leech_threshold(store) if threshold is None else threshold
    out = []
    for qid, lapses in queries.lapsed_cards(store, threshold):
        question = library.questions.get(qid)
        if question is not None:
            out.append(Leech(qid, question.topic, question.title, int(lapses)))
    return out


# -- exam plan -----------------------------------------------------------------------------


def get_exam_date(store: Store) -> date | None:
    text = store.get_setting("exam_date")
    try:
        return date.fromisoformat(text) if text else None
    except (TypeError, ValueError):
        return None


def set_exam_date(store: Store, day: date | None) -> None:
    store.set_setting("exam_date", day.isoformat() if day else None)


def exam_moment(day: date) -> datetime:
    """EXAM_HOUR local time on the exam day, as an aware UTC datetime."""
    return day_start(day, EXAM_HOUR)


@dataclass(frozen=True)
class ExamTopic:
    topic: str
    title: str
    recall: float | None  # mean predicted recall of seen cards at the exam
    seen: int
    total: int
    below_target: int


@dataclass(frozen=True)
class ExamPlan:
    exam_date: date
    exam_at: datetime
    days_left: int  # study days before the exam, today included
    target: float
    topics: list[ExamTopic]
    queue: list[str]  # below target and not reviewed today (lowest R_exam first), then unseen
    below_target: int
    unseen: int
    per_day: int
    limit: int
    recall: dict[str, float] = field(default_factory=dict)  # R_exam per seen card

    @property
    def passed(self) -> bool:
        return self.days_left <= 0

    @property
    def realistic(self) -> bool:
        return self.per_day <= self.limit

    def warning(self) -> str | None:
        if self.passed or self.realistic:
            return None
        return (
            f"{self.per_day} cards/day needed to reach {self.target:.0%} by "
            f"{self.exam_date:%d %b}: more than the {self.limit}/day you can expect to manage. "
            "Cram the weakest topics or move the exam date."
        )


def realistic_daily_limit(store: Store, now: datetime) -> int:
    """3x the average answers per day over the last 30 days, within 30..200."""
    since = now - timedelta(days=WINDOW_DAYS)
    count = queries.answers_between(store, since, now)
    average = count / WINDOW_DAYS
    return int(min(LOAD_CEILING, max(LOAD_FLOOR, LOAD_FACTOR * average)))


def exam_plan(
    library: Library,
    store: Store,
    planner: Planner,
    now: datetime,
    exam_date: date,
    *,
    cards: dict[str, CardRow] | None = None,
) -> ExamPlan:
    cards = store.cards() if cards is None else cards
    exam_at = exam_moment(exam_date)
    target = planner.scheduler.desired_retention
    days_left = (exam_date - local_day(now)).days
    recall: dict[str, float] = {}
    topics = []
    unseen: list[str] = []
    for topic in library.topics:
        questions = library.by_topic(topic)
        values = []
        for q in questions:
            card = cards.get(q.id)
            if card is None:
                unseen.append(q.id)
                continue
            recall[q.id] = planner.retrievability(card, exam_at)
            values.append(recall[q.id])
        topics.append(
            ExamTopic(
                topic=topic,
                title=library.topic_title(topic),
                recall=sum(values) / len(values) if values else None,
                seen=len(values),
                total=len(questions),
                below_target=sum(v < target for v in values),
            )
        )
    weak = sorted((q for q, r in recall.items() if r < target), key=lambda q: (recall[q], q))
    today_starts = day_start(local_day(now))
    needed = len(weak) + len(unseen)
    per_day = -(-needed // days_left) if days_left > 0 else needed
    return ExamPlan(
        exam_date=exam_date,
        exam_at=exam_at,
        days_left=days_left,
        target=target,
        topics=topics,
        queue=[q for q in weak if _not_today(cards[q], today_starts)] + unseen,
        below_target=len(weak),
        unseen=len(unseen),
        per_day=per_day,
        limit=realistic_daily_limit(store, now),
        recall=recall,
    )


def _not_today(card: CardRow, today_starts: datetime) -> bool:
    """A card already reviewed today waits until tomorrow, even if still below target."""
    return card.last_review is None or card.last_review < today_starts


def parse_exam_date(text: str, today: date | None = None) -> date:
    """Accepts YYYY-MM-DD; raises ValueError with a message a student can act on.

    With `today` (the student's local date), a day before it is refused: a plan towards
    an exam that is over would only say it has passed."""
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"{text!r} is not a date; write it as YYYY-MM-DD") from None
    if today is not None and day < today:
        raise ValueError(
            f"{day:%a %d %b %Y} is in the past; give the date of an exam still to come"
        )
    return day
