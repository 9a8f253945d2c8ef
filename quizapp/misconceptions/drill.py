""" "Drill my misconceptions": questions, and variants of them, where an open slip matters.

Open misconceptions whose own FSRS card is due come first. For each, the drill takes the
questions that link to it, and for a numeric one a variant in which that slip gives a
value of its own (a slip that gives the right answer for the drawn numbers teaches
nothing). Answers are practice for the questions' schedules; the misconception's card
moves with every answer (see `tracking`).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from quizapp.decks.variants import SolverError, Variant, make_variant
from quizapp.kinds import handler
from quizapp.misconceptions.catalogue import question_ids_for
from quizapp.misconceptions.tracking import Source, due_open
from quizapp.progress.store import Mode
from quizapp.study.session import Clock, CodeChecker, StudySession, utc_now

if TYPE_CHECKING:
    from quizapp.decks.content import Library, Question
    from quizapp.progress.store import Store
    from quizapp.study.scheduler import Planner

PER_MISCONCEPTION = 2
MAX_ITEMS = 12
SEEDS_TRIED = 60


@dataclass(frozen=True)
class DrillItem:
    question_id: str
    misconception_id: str
    seed: int | None  # the variant to show; None: the sheet's numbers (or not numeric)
    fixed: bool


def slip_matters(variant: Variant, misconception_id: str) -> bool:
    """A wrong answer to this variant can show the misconception: for a numeric question,
    the slip alone gives a value that cannot be mistaken for the right answer."""
    return handler(variant.question.kind).can_reveal(variant, misconception_id)


def _variant_for(question: Question, misconception_id: str, rng: random.Random) -> DrillItem | None:
    try:
        if slip_matters(make_variant(question, fixed=True), misconception_id):
            return DrillItem(question.id, misconception_id, None, True)
        if not question.is_parameterised:
            return None
        for _ in range(SEEDS_TRIED):
            seed = rng.randrange(2**31)
            if slip_matters(make_variant(question, seed), misconception_id):
                return DrillItem(question.id, misconception_id, seed, False)
    except SolverError:
        return None
    return None


def plan(
    library: Library, store: Store, now: datetime, *, seed: int | None = None
) -> list[DrillItem]:
    """What to drill now: due open misconceptions first, a few questions each."""
    rng = random.Random(seed)
    items: list[DrillItem] = []
    taken: set[str] = set()
    for entry in due_open(library, store, now):
        ids = [q for q in question_ids_for(library, entry.id) if q not in taken]
        rng.shuffle(ids)
        chosen = 0
        for qid in ids:
            item = _variant_for(library.questions[qid], entry.id, rng)
            if item is None:
                continue
            items.append(item)
            taken.add(qid)
            chosen += 1
            if chosen == PER_MISCONCEPTION or len(items) >= MAX_ITEMS:
                break
        if len(items) >= MAX_ITEMS:
            break
    return items


class DrillSession(StudySession):
    """A practice session over a drill plan: each question in the planned variant."""

    def __init__(
        self,
        library: Library,
        store: Store,
        planner: Planner,
        items: list[DrillItem],
        *,
        clock: Clock = utc_now,
        grader: CodeChecker | None = None,
    ) -> None:
        super().__init__(
            library,
            store,
            planner,
            question_ids=[item.question_id for item in items],
            mode=Mode.PRACTICE,
            clock=clock,
            grader=grader,
        )
        self.items = {item.question_id: item for item in items}
        self.misconception_source = Source.DRILL

    def next(self) -> Variant | None:
        variant = super().next()
        if variant is None:
            return None
        item = self.items.get(variant.question.id)
        if item is not None:
            self.current = make_variant(variant.question, item.seed, fixed=item.fixed)
        return self.current

    def drilled(self, question_id: str) -> str:
        """The misconception a question is drilled for (its catalogue id)."""
        item = self.items.get(question_id)
        return item.misconception_id if item else ""
