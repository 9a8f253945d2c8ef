"""What to study next, judged from the student's own history: weak topics, leeches,
the exam-day plan and the cram order. Pure functions over the store; no UI here.

Weakness
    A topic's weakness blends three signals from its seen cards, each in 0..1:
    forgetting (1 - mean FSRS retrievability now), the error rate of its last answers, and
    lapses per seen card (capped at 2 per card). Weights 0.5 / 0.3 / 0.2: retrievability is
    the model's view, errors are what actually happened recently, lapses are long-term
    trouble. Topics never studied have no history and are not ranked. A card's weakness
    uses the same blend on its own history; a card never seen counts as NEW_CARD_WEAKNESS,
    so in cram mode it comes after cards that are clearly failing but before known ones.

Weak flag
    Home's "▼ weak" marks at most WEAK_TOPICS of the ranked topics, and only those whose
    mastery (mean FSRS chance of recalling a seen card now) or recent accuracy is below
    the student's target recall. So a topic the model rates at 100 % is flagged only when
    recent answers went wrong, and a topic that is fine on both counts never is, however
    it ranks. `w` practises exactly the flagged topics.

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
    Recent,
    TopicSummary,
    day_start,
    local_day,
    recent_answers,
)

LEECH_LAPSES = int(LEECH_THRESHOLD.default)
WEIGHTS = (0.5, 0.3, 0.2)  # forgetting, recent errors, lapses
LAPSES_CAP = 2.0  # lapses per card at which that signal saturates
NEW_CARD_WEAKNESS = 0.35
WEAK_TOPICS = 3
WEAK_SESSION_SIZE = 20
EXAM_HOUR = 9
LOAD_FLOOR, LOAD_CEILING, LOAD_FACTOR = 30, 200, 3


def _blend(forgetting: float, errors: float | None, lapses_per_card: float) -> float:
    w_forget, w_errors, w_lapses = WEIGHTS
    errors = forgetting if errors is None else errors  # no answers yet: trust the model
    lapses = min(1.0, lapses_per_card / LAPSES_CAP)
    return w_forget * forgetting + w_errors * errors + w_lapses * lapses


# -- weak topics ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TopicWeakness:
    topic: str
    title: str
    score: float  # 0 (solid) .. 1 (weak)
    mastery: float
    error_rate: float | None
    lapses: int
    seen: int


def rank_weak_topics(summaries: list[TopicSummary]) -> list[TopicWeakness]:
    """Topics with history, weakest first."""
    ranked = []
    for s in summaries:
        if not s.seen or s.mastery is None:
            continue
        errors = None if s.accuracy is None else 1.0 - s.accuracy
        score = _blend(1.0 - s.mastery, errors, s.lapses / s.seen)
        ranked.append(TopicWeakness(s.topic, s.title, score, s.mastery, errors, s.lapses, s.seen))
    return sorted(ranked, key=lambda t: (-t.score, t.topic))


def weak_topics(
    summaries: list[TopicSummary], target: float, limit: int = WEAK_TOPICS
) -> list[TopicWeakness]:
    """The topics flagged weak: weakest first, mastery or accuracy below `target`."""

    def below(t: TopicWeakness) -> bool:
        accuracy = None if t.error_rate is None else 1.0 - t.error_rate
        return t.mastery < target or (accuracy is not None and accuracy < target)

    return [t for t in rank_weak_topics(summaries) if below(t)][:limit]


def card_weakness(card: CardRow | None, planner: Planner, now: datetime, recent: Recent) -> float:
    if card is None:
        return NEW_CARD_WEAKNESS
    answers = recent.get(card.question_id, [])
    errors = (sum(not ok for _, ok in answers) / len(answers)) if answers else None
    return _blend(1.0 - planner.retrievability(card, now), errors, card.lapses)


def weakest_first(
    question_ids: list[str],
    cards: dict[str, CardRow],
    planner: Planner,
    now: datetime,
    recent: Recent,
) -> list[str]:
    """The given questions, weakest first (ties keep deck order)."""
    scores = {q: card_weakness(cards.get(q), planner, now, recent) for q in question_ids}
    return sorted(question_ids, key=lambda q: -scores[q])


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
    """Seen cards of the weakest topics (with `target`: of the flagged ones, see
    `weak_topics`), weakest card first, at most `limit`."""
    ranked = (
        rank_weak_topics(summaries)[:topics]
        if target is None
        else weak_topics(summaries, target, topics)
    )
    chosen = [t.topic for t in ranked]
    cards = store.cards()
    ids = [q.id for t in chosen for q in library.by_topic(t) if q.id in cards]
    recent = recent_answers(store, ids)
    return weakest_first(ids, cards, planner, now, recent)[:limit]


def cram_order(
    library: Library, store: Store, planner: Planner, now: datetime, topics: list[str]
) -> list[str]:
    """Every question of the chosen topics, regardless of schedule, weakest first."""
    ids = [q.id for t in topics for q in library.by_topic(t)]
    return weakest_first(ids, store.cards(), planner, now, recent_answers(store, ids))


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
