"""The exam-day planner: which cards to study today so that the most is recalled on the
exam day, within the student's daily minutes.

Every card, seen or not, competes in one queue. Its value is

    exam weight of its topic × gain in expected recall at the exam ÷ expected seconds

- Recall at the exam is FSRS's retrievability of the card at the exam moment (the `fsrs`
  package; nothing here restates its formulas). For a seen card the gain of studying it
  now is the expected retrievability at the exam after this review (recalled with the
  chance FSRS gives it now: rated Good; otherwise Again) minus what it is without one.
  Reviewing a card that is still fresh gains little (FSRS grows stability little when
  recall is high), so the minutes go where the forgetting is.
- A new card's gain is its expected retrievability at the exam after its first showing,
  averaged over how a first showing is usually rated (FIRST_RATINGS).
- Seconds per card come from the student's own recorded answer times per kind (median of
  the recent ones), DEFAULT_SECONDS until there are MIN_TIMED_ANSWERS of a kind.
- Exam weights are per topic (`exam_weights`): each deck may set `exam_weight` (the
  exercise sheet's sections say 2), other topics weigh 1, and the student may change any
  of them. Among cards of
  equal value, questions taken from the exercise sheet come first.

The day's queue takes the best cards until the day's minutes are spent (the budget is
filled, not capped at a number of new cards), each card at most once a day: in exam mode
a card answered today waits for tomorrow, since a same-evening repeat adds almost no
stability. The queue is interleaved across topics (alternating topics helps telling
them apart on the exam). The last session before the exam is the final pass: the same
rule, and there the cards most at risk are exactly the ones with the most to gain.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from fsrs import Card, Rating, Scheduler

from quizapp.decks.content import KINDS, Kind, Library
from quizapp.kinds import handler
from quizapp.progress.store import CardRow, Store
from quizapp.study.scheduler import card_id, to_fsrs

# Until the student has timed answers of a kind: each kind's own estimate (quizapp.kinds).
DEFAULT_SECONDS: dict[Kind, float] = {kind: handler(kind).default_seconds for kind in KINDS}
MIN_TIMED_ANSWERS = 5
TIMED_ANSWERS = 200  # the most recent answers per kind that set its seconds
LONGEST_ANSWER_S = 15 * 60.0  # longer ones were a break, not an answer
# How a first showing of a card is rated, until the student's own history says otherwise.
FIRST_RATINGS: tuple[tuple[Rating, float], ...] = (
    (Rating.Again, 0.25),
    (Rating.Hard, 0.15),
    (Rating.Good, 0.5),
    (Rating.Easy, 0.1),
)
MIN_FIRST_RATINGS = 20
WEIGHTS_KEY = "exam_weights"
SHEET_SOURCE = "exercise sheet"


# -- inputs from the student's history ------------------------------------------------------


def exam_weights(library: Library, store: Store) -> dict[str, float]:
    """Weight per topic: the decks' `exam_weight` (the sheet's sections weigh 2), 1 where
    none is set, then the student's own values (setting "exam_weights", topic -> weight)."""
    weights = {t: library.topic_weights.get(t, 1.0) for t in library.topics}
    stored = store.get_setting(WEIGHTS_KEY)
    if isinstance(stored, dict):
        for topic, value in stored.items():
            usable = isinstance(value, int | float) and not isinstance(value, bool)
            if topic in weights and usable and 0 <= value <= 100:
                weights[topic] = float(value)
    return weights


def set_exam_weight(store: Store, topic: str, weight: float | None) -> None:
    """Change one topic's weight (None: back to its default)."""
    stored = store.get_setting(WEIGHTS_KEY)
    weights = dict(stored) if isinstance(stored, dict) else {}
    if weight is None:
        weights.pop(topic, None)
    else:
        weights[topic] = float(weight)
    store.set_setting(WEIGHTS_KEY, weights)


def format_weights(weights: dict[str, float]) -> str:
    """The weights other than 1 as the Settings field shows them: `masking=2 vit=2`."""
    return " ".join(f"{t}={w:g}" for t, w in weights.items() if w != 1.0)


def parse_weights(text: str, topics: list[str]) -> dict[str, float]:
    """`topic=weight` pairs (spaces or commas between); unlisted topics weigh 1.

    Raises ValueError naming the pair to fix."""
    weights = dict.fromkeys(topics, 1.0)
    for pair in text.replace(",", " ").split():
        topic, sep, value = pair.partition("=")
        if not sep or topic not in weights:
            known = ", ".join(topics)
            raise ValueError(f"{pair!r}: write topic=weight with one of the topics {known}")
        try:
            weight = float(value)
        except ValueError:
            raise ValueError(f"{pair!r}: the weight must be a number such as 2") from None
        if not 0 <= weight <= 100:
            raise ValueError(f"{pair!r}: the weight must be between 0 and 100")
        weights[topic] = weight
    return weights


def save_weights(store: Store, weights: dict[str, float]) -> None:
    store.set_setting(WEIGHTS_KEY, weights)


def seconds_per_kind(library: Library, store: Store) -> dict[Kind, float]:
    """Median seconds of the student's recent answers per kind; defaults until enough."""
    times: dict[Kind, list[float]] = defaultdict(list)
    for qid, duration_ms in store.recent_durations():
        question = library.questions.get(qid)
        if question is None or len(times[question.kind]) >= TIMED_ANSWERS:
            continue
        seconds = duration_ms / 1000
        if 0 < seconds <= LONGEST_ANSWER_S:
            times[question.kind].append(seconds)
    return {
        kind: statistics.median(times[kind])
        if len(times[kind]) >= MIN_TIMED_ANSWERS
        else DEFAULT_SECONDS[kind]
        for kind in Kind
    }


def first_ratings(store: Store) -> tuple[tuple[Rating, float], ...]:
    """How the student's first showings were rated, or FIRST_RATINGS until enough."""
    counts = store.first_ratings()
    total = sum(counts.get(int(r), 0) for r in Rating)
    if total < MIN_FIRST_RATINGS:
        return FIRST_RATINGS
    return tuple((r, counts.get(int(r), 0) / total) for r in Rating)


# -- the value of studying a card -----------------------------------------------------------


@dataclass(frozen=True)
class Model:
    """What the ranking knows: a memory model, the exam moment, and per question its
    weight and expected seconds. The app builds it from the student's settings and
    history (`build_model`); a simulation may build it from anything else."""

    scheduler: Scheduler
    exam_at: datetime
    weight: dict[str, float]  # per question id
    seconds: dict[str, float]  # per question id
    first: tuple[tuple[Rating, float], ...] = FIRST_RATINGS
    sheet: frozenset[str] = frozenset()  # questions taken from the exercise sheet

    def recall(self, card: Card | None) -> float:
        """Retrievability at the exam (0 for a card never seen)."""
        if card is None or card.last_review is None:
            return 0.0
        return float(self.scheduler.get_card_retrievability(card, self.exam_at))

    def first_showing(self, qid: str, now: datetime) -> tuple[float, Card]:
        """A new card's expected recall at the exam after its first showing at `now`, and
        its state when that showing is rated Good."""
        fresh = Card(card_id=card_id(qid), due=now)
        expected, likely = 0.0, fresh
        for rating, share in self.first:
            after, _ = self.scheduler.review_card(fresh, rating, now)
            expected += share * self.recall(after)
            if rating == Rating.Good:
                likely = after
        return expected, likely

    def outcome(self, qid: str, card: Card | None, now: datetime) -> tuple[float, Card]:
        """Expected recall at the exam after studying the card at `now`, and the state it
        most likely ends in (recalled; for a new card, a first showing rated Good)."""
        scheduler = self.scheduler
        if card is None:
            return self.first_showing(qid, now)
        p = float(scheduler.get_card_retrievability(card, now))
        good, _ = scheduler.review_card(card, Rating.Good, now)
        again, _ = scheduler.review_card(card, Rating.Again, now)
        return p * self.recall(good) + (1 - p) * self.recall(again), good


@dataclass(frozen=True)
class Pick:
    """One card worth studying: its gain in expected exam-day recall and its cost."""

    question_id: str
    topic: str
    new: bool
    gain: float
    seconds: float
    value: float  # weight × gain ÷ seconds
    after: float  # expected recall at the exam once studied
    likely: Card  # the state it most likely ends in


def rank(
    model: Model,
    cards: dict[str, Card],
    question_topics: dict[str, str],
    now: datetime,
    *,
    exclude: Iterable[str] = (),
) -> list[Pick]:
    """Every card worth studying at `now`, best value first."""
    skip = set(exclude)
    picks = []
    first: tuple[float, Card] | None = None  # every new card's first showing is alike
    for qid, topic in question_topics.items():
        if qid in skip:
            continue
        card = cards.get(qid)
        if card is None and type(model) is Model:
            first = first or model.first_showing(qid, now)
            after, likely = first[0], _renamed(first[1], qid)
        else:
            after, likely = model.outcome(qid, card, now)
        gain = after - model.recall(card)
        if gain <= 0:
            continue
        seconds = model.seconds[qid]
        value = model.weight[qid] * gain / seconds
        picks.append(Pick(qid, topic, card is None, gain, seconds, value, after, likely))
    # Among equals (new cards of one kind and weight): sheet questions first, then the
    # topics in turn, so even the choice of new cards is spread across topics.
    turn: dict[str, int] = {}
    place = {}
    for qid, topic in question_topics.items():
        place[qid] = turn.get(topic, 0)
        turn[topic] = place[qid] + 1
    picks.sort(
        key=lambda p: (
            -p.value,
            p.question_id not in model.sheet,
            place[p.question_id],
            p.question_id,
        )
    )
    return picks


def _renamed(card: Card, qid: str) -> Card:
    """The same state under the question's own card id."""
    return Card(
        card_id=card_id(qid),
        state=card.state,
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=card.due,
        last_review=card.last_review,
    )


def fill(picks: list[Pick], budget_s: float) -> list[Pick]:
    """The best picks that fit in the budget, taken in order; a card too long for what is
    left is passed over for shorter ones, so the minutes are filled."""
    chosen, used = [], 0.0
    shortest = min((p.seconds for p in picks), default=0.0)
    for pick in picks:
        if budget_s - used < shortest:
            break
        if used + pick.seconds <= budget_s:
            chosen.append(pick)
            used += pick.seconds
    return chosen


def interleave(picks: list[Pick]) -> list[Pick]:
    """Topics taken in turn (the topic with the best card first), each topic's cards in
    their ranked order."""
    by_topic: dict[str, list[Pick]] = defaultdict(list)
    for pick in picks:
        by_topic[pick.topic].append(pick)
    lanes = list(by_topic.values())
    out = []
    while lanes:
        for lane in lanes:
            out.append(lane.pop(0))
        lanes = [lane for lane in lanes if lane]
    return out


# -- the app's model and today's queue ------------------------------------------------------


def build_model(library: Library, store: Store, scheduler: Scheduler, exam_at: datetime) -> Model:
    """The ranking's inputs from the student's own settings and history."""
    weights = exam_weights(library, store)
    seconds = seconds_per_kind(library, store)
    questions = library.questions
    return Model(
        scheduler=scheduler,
        exam_at=exam_at.astimezone(UTC),
        weight={qid: weights.get(q.topic, 1.0) for qid, q in questions.items()},
        seconds={qid: seconds[q.kind] for qid, q in questions.items()},
        first=first_ratings(store),
        sheet=frozenset(qid for qid, q in questions.items() if SHEET_SOURCE in q.source),
    )


def fsrs_cards(rows: dict[str, CardRow]) -> dict[str, Card]:
    return {qid: to_fsrs(row) for qid, row in rows.items()}


def studied_since(rows: dict[str, CardRow], moment: datetime) -> set[str]:
    """Cards answered at or after `moment` (today's, which wait for tomorrow)."""
    return {q for q, row in rows.items() if row.last_review and row.last_review >= moment}


def today_picks(
    library: Library,
    model: Model,
    rows: dict[str, CardRow],
    now: datetime,
    budget_s: float,
    day_starts: datetime,
) -> list[Pick]:
    """Today's exam-mode queue: the best cards not yet answered today that fit the
    minutes left, interleaved across topics."""
    topics = {qid: q.topic for qid, q in library.questions.items()}
    ranked = rank(
        model,
        fsrs_cards(rows),
        topics,
        now.astimezone(UTC),
        exclude=studied_since(rows, day_starts),
    )
    return interleave(fill(ranked, budget_s))


def exam_session_ids(
    library: Library,
    store: Store,
    scheduler: Scheduler,
    exam_at: datetime,
    now: datetime,
    minutes: int,
) -> list[str]:
    """Today's exam-mode queue for the minutes left today (Home's exam session)."""
    from quizapp.study.local_days import start_of_day

    day_starts = start_of_day(now)
    left = max(0.0, minutes * 60 - store.seconds_answering_since(day_starts))
    model = build_model(library, store, scheduler, exam_at)
    return [
        p.question_id for p in today_picks(library, model, store.cards(), now, left, day_starts)
    ]
