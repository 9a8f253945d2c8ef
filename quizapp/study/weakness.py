"""How weak the student is at a card or a topic: the one measure behind Home's weak flag,
`w` (weak topics), cram's "weakest first", the mock exam's weak mode and `quizapp stats`.

A card's weakness, 0 (solid) .. 1 (weak), blends three signals:
    forgetting  1 - FSRS retrievability now (cards in the schedule only);
    errors      the error rate of its last answers, reviews and practice alike, the newest
                weighted most (each older answer counts half the one after it);
    lapses      lapses per card, saturating at LAPSES_CAP.
Weights 0.5 / 0.3 / 0.2: the model's view, what actually happened lately, long-term trouble.
A card only practised (no schedule) has no retrievability: its errors stand in for it.

Two rules keep the order honest:
- A card whose last answer was wrong is not known now, whatever the model says (FSRS rates
  a card just answered near 100 % retrievable, failed or not): it scores at least
  FAILED_FLOOR.
- A card never answered scores NEW_CARD_WEAKNESS: below every card just failed, above
  cards that are known. So cram goes failing cards → new cards → known cards.

A topic's weakness is the same blend over the topic: mean forgetting of its scheduled
cards, the error rate of its recent answers, lapses per scheduled card. Every topic with an
answer (review or practice) is ranked; a topic never answered has nothing to judge by and
is not. The weak flag marks at most WEAK_TOPICS ranked topics, and only those whose mastery
or recent accuracy is below the student's target recall.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from quizapp.progress.store import CardRow
from quizapp.study.scheduler import Planner
from quizapp.study.stats import Recent, TopicSummary

WEIGHTS = (0.5, 0.3, 0.2)  # forgetting, recent errors, lapses
LAPSES_CAP = 2.0  # lapses per card at which that signal saturates
NEW_CARD_WEAKNESS = 0.35
FAILED_FLOOR = 0.6  # a wrong last answer: weaker than any card never seen
WEAK_TOPICS = 3


def blend(forgetting: float | None, errors: float | None, lapses_per_card: float) -> float:
    """The weighted blend; a missing signal is stood in for by the other one."""
    w_forget, w_errors, w_lapses = WEIGHTS
    if forgetting is None and errors is None:
        return NEW_CARD_WEAKNESS
    forgetting = errors if forgetting is None else forgetting
    errors = forgetting if errors is None else errors
    lapses = min(1.0, lapses_per_card / LAPSES_CAP)
    return w_forget * forgetting + w_errors * errors + w_lapses * lapses  # type: ignore[operator]


def recent_error_rate(answers_newest_first: Sequence[bool]) -> float | None:
    """Error rate of the answers, each older one weighted half the one after it."""
    if not answers_newest_first:
        return None
    weights = [0.5**age for age in range(len(answers_newest_first))]
    wrong = sum(w for w, ok in zip(weights, answers_newest_first, strict=True) if not ok)
    return wrong / sum(weights)


def card_weakness(
    retrievability: float | None, answers_newest_first: Sequence[bool], lapses: int = 0
) -> float:
    """0 (solid) .. 1 (weak); see the module docstring."""
    if retrievability is None and not answers_newest_first:
        return NEW_CARD_WEAKNESS
    forgetting = None if retrievability is None else 1.0 - retrievability
    score = blend(forgetting, recent_error_rate(answers_newest_first), lapses)
    if answers_newest_first and not answers_newest_first[0]:
        score = max(score, FAILED_FLOOR)
    return score


def card_scores(
    question_ids: Sequence[str],
    cards: Mapping[str, CardRow],
    planner: Planner,
    now: datetime,
    recent: Recent,
) -> dict[str, float]:
    """Each question's weakness from its card (if scheduled) and its recent answers."""
    scores = {}
    for qid in question_ids:
        card = cards.get(qid)
        answers = [ok for _, ok in recent.get(qid, [])]
        retrievability = None if card is None else planner.retrievability(card, now)
        scores[qid] = card_weakness(retrievability, answers, card.lapses if card else 0)
    return scores


def weakest_first(question_ids: Sequence[str], scores: Mapping[str, float]) -> list[str]:
    """The given questions, weakest first (ties keep the given order)."""
    return sorted(question_ids, key=lambda q: -scores[q])


@dataclass(frozen=True)
class TopicWeakness:
    topic: str
    title: str
    score: float  # 0 (solid) .. 1 (weak)
    mastery: float | None  # None: practised only, nothing scheduled yet
    error_rate: float | None
    lapses: int
    seen: int


def rank_weak_topics(summaries: Sequence[TopicSummary]) -> list[TopicWeakness]:
    """Every topic with an answer (review or practice), weakest first."""
    ranked = []
    for s in summaries:
        if not s.seen and not s.attempts:
            continue
        errors = None if s.accuracy is None else 1.0 - s.accuracy
        forgetting = None if s.mastery is None else 1.0 - s.mastery
        score = blend(forgetting, errors, s.lapses / s.seen if s.seen else 0.0)
        ranked.append(TopicWeakness(s.topic, s.title, score, s.mastery, errors, s.lapses, s.seen))
    return sorted(ranked, key=lambda t: (-t.score, t.topic))


def weak_topics(
    summaries: Sequence[TopicSummary], target: float, limit: int = WEAK_TOPICS
) -> list[TopicWeakness]:
    """The topics flagged weak: weakest first, mastery or accuracy below `target`."""

    def below(t: TopicWeakness) -> bool:
        accuracy = None if t.error_rate is None else 1.0 - t.error_rate
        return (t.mastery is not None and t.mastery < target) or (
            accuracy is not None and accuracy < target
        )

    return [t for t in rank_weak_topics(summaries) if below(t)][:limit]
