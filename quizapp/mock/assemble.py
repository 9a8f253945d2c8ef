"""Which questions a mock exam asks: assembled like the course's exercise sheet.

The exercise sheet has four sections in this order: masking in attention (implement the
ways to mask, state their problems), the Vision Transformer (two memory calculations and
conceptual questions), contrastive learning (explanations, two functions to implement and
the InfoNCE value of a worked example) and CLIP (scoring captions by cosine similarity and
conceptual questions). `SHEET` keeps those sections and the work each task asks for
(`quizapp.kinds.base.Work`: a calculation, code, a choice, an open answer); each question
kind says in its handler which work it does, so the sheet never names a kind. The sheet has
far more open questions than a timed sitting allows (17 of 27), so a mock exam asks four.

Two modes:
- "sheet": each slot takes a question of the slot's topic and work.
- "weak": the same sequence of work (so the same mix of calculation, code, choice and
  open work), but each slot's topic is drawn with probability proportional to the topic's
  weakness (`weakness.rank_weak_topics`); topics never studied count as
  `weakness.NEW_CARD_WEAKNESS`, and no topic takes more than MAX_PER_TOPIC slots.

Everything is drawn from one `random.Random(seed)`, so a seed gives the same exam. Calculations
get fresh variants (a drawn seed, never the sheet's own numbers), choices a seed for the
order of their options, and code questions a seed for their test cases. Questions asked in
recent mock exams are avoided while others remain.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from quizapp.decks.content import KINDS, Library, Question
from quizapp.kinds import handler
from quizapp.kinds.base import Work
from quizapp.progress.mock_exams import ExamMode
from quizapp.progress.store import Store
from quizapp.study.scheduler import Planner
from quizapp.study.stats import recent_answers, topic_summaries
from quizapp.study.weakness import NEW_CARD_WEAKNESS, card_scores, rank_weak_topics

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from datetime import datetime

SHEET_MODE, WEAK_MODE = ExamMode.SHEET, ExamMode.WEAK
MODES = tuple(ExamMode)
_TASKS = {kind: task for kind in KINDS if (task := handler(kind).exam) is not None}
EXAM_KINDS = tuple(_TASKS)  # flashcards are not exam tasks

POINTS = {kind: task.points for kind, task in _TASKS.items()}
MINUTES = {kind: task.minutes for kind, task in _TASKS.items()}
MAX_PER_TOPIC = 4
WEIGHT_FLOOR = 0.02  # even a solid topic keeps a small chance
SEED_RANGE = 2**31


@dataclass(frozen=True)
class Slot:
    """One task of the sheet: its topic and the work that may fill it, preferred first."""

    topic: str
    work: tuple[Work, ...]


SHEET: tuple[Slot, ...] = (
    Slot("masking", (Work.CODE,)),
    Slot("masking", (Work.OPEN, Work.CHOICE)),
    Slot("vit", (Work.CALCULATION,)),
    Slot("vit", (Work.CALCULATION,)),
    Slot("vit", (Work.CHOICE,)),
    Slot("vit", (Work.OPEN,)),
    Slot("clr", (Work.OPEN, Work.CHOICE)),
    Slot("clr", (Work.CODE,)),
    Slot("clr", (Work.CALCULATION,)),
    Slot("clip", (Work.CALCULATION, Work.CHOICE)),
    Slot("clip", (Work.OPEN,)),
    Slot("clip", (Work.CHOICE, Work.OPEN)),
)


@dataclass(frozen=True)
class Planned:
    """A question chosen for the exam, with the variant it will be asked in."""

    question_id: str
    variant_seed: int | None
    points: float


def weakness_from_history(
    library: Library, store: Store, planner: Planner, now: datetime
) -> tuple[dict[str, float], dict[str, float]]:
    """Topic weakness (the same ranking Home marks as weak) and per-question weakness."""
    cards = store.cards()
    recent = recent_answers(store, list(library.questions))
    summaries = topic_summaries(library, store, planner, now, cards=cards, recent=recent)
    topics = {t.topic: t.score for t in rank_weak_topics(summaries)}
    ids = [qid for qid, question in library.questions.items() if question.kind in EXAM_KINDS]
    return topics, card_scores(ids, cards, planner, now, recent)


def exam_minutes(library: Library, planned: list[Planned]) -> int:
    return sum(MINUTES[library.questions[p.question_id].kind] for p in planned)


def sheet_minutes(blueprint: tuple[Slot, ...] = SHEET) -> int:
    """About how long a sitting of the sheet takes, before its questions are drawn: each
    slot at the minutes of its preferred work (of the first kind doing that work)."""
    minutes: dict[Work, int] = {}
    for task in _TASKS.values():
        minutes.setdefault(task.work, task.minutes)
    return sum(minutes[slot.work[0]] for slot in blueprint if slot.work[0] in minutes)


def assemble(
    library: Library,
    mode: str,
    seed: int,
    *,
    weakness: dict[str, float] | None = None,
    card_scores: dict[str, float] | None = None,
    avoid: frozenset[str] = frozenset(),
    blueprint: tuple[Slot, ...] = SHEET,
) -> list[Planned]:
    """The exam's questions in sheet order.

    `weakness` maps topics to 0..1 (weak mode); `card_scores` maps question ids to 0..1
    and makes weak mode prefer a topic's weakest questions; `avoid` holds questions asked
    in recent mock exams. A slot nothing can fill is left out, so custom decks work too.
    """
    if mode not in MODES:
        raise ValueError(f"unknown mock exam mode {mode!r}; use one of {', '.join(MODES)}")
    rng = random.Random(seed)
    pool = [q for q in library.questions.values() if q.kind in EXAM_KINDS]
    used: set[str] = set()
    per_topic: dict[str, int] = {}
    chosen: list[Question] = []
    for slot in blueprint:
        if mode == SHEET_MODE:
            question = _fill_sheet_slot(slot, pool, used, avoid, rng)
        else:
            question = _fill_weak_slot(
                slot, pool, used, avoid, rng, weakness or {}, card_scores or {}, per_topic
            )
        if question is None:
            continue
        used.add(question.id)
        per_topic[question.topic] = per_topic.get(question.topic, 0) + 1
        chosen.append(question)
    return [_plan(question, rng) for question in chosen]


def _plan(question: Question, rng: random.Random) -> Planned:
    needs_seed = handler(question.kind).draws_variant or question.is_parameterised
    seed = rng.randrange(SEED_RANGE) if needs_seed else None
    return Planned(question.id, seed, POINTS[question.kind])


def _candidates(
    pool: list[Question], used: set[str], avoid: frozenset[str], topic: str | None, work: Work
) -> list[Question]:
    """Unused questions of this topic and work; recently asked ones only if nothing else."""
    matching = [
        q
        for q in pool
        if _TASKS[q.kind].work == work and q.id not in used and (topic is None or q.topic == topic)
    ]
    fresh = [q for q in matching if q.id not in avoid]
    return fresh or matching


def _fill_sheet_slot(
    slot: Slot, pool: list[Question], used: set[str], avoid: frozenset[str], rng: random.Random
) -> Question | None:
    # The slot's own topic in its preferred work, then any topic in that work.
    for topic in (slot.topic, None):
        for work in slot.work:
            found = _candidates(pool, used, avoid, topic, work)
            if found:
                return rng.choice(found)
    return None


def _fill_weak_slot(
    slot: Slot,
    pool: list[Question],
    used: set[str],
    avoid: frozenset[str],
    rng: random.Random,
    weakness: dict[str, float],
    card_scores: dict[str, float],
    per_topic: dict[str, int],
) -> Question | None:
    for work in slot.work:
        found = _candidates(pool, used, avoid, None, work)
        topics = sorted({q.topic for q in found if per_topic.get(q.topic, 0) < MAX_PER_TOPIC})
        if not topics:
            continue
        weights = [max(WEIGHT_FLOOR, weakness.get(t, NEW_CARD_WEAKNESS)) for t in topics]
        topic = rng.choices(topics, weights=weights)[0]
        in_topic = [q for q in found if q.topic == topic]
        # The topic's weaker questions first; a little chance among the three weakest.
        in_topic.sort(key=lambda q: (-card_scores.get(q.id, NEW_CARD_WEAKNESS), q.id))
        return rng.choice(in_topic[:3])
    return None
