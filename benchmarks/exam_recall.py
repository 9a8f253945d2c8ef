"""Exam-day recall: plain FSRS, quizapp's exam planner and a greedy oracle, on the same
simulated students with the same minutes a day.

The simulated student
    True memory is FSRS-6 (the `fsrs` package's Scheduler, no learning steps, no fuzz)
    with the student's own parameters: the default ones with initial stabilities scaled
    by exp(N(0, 0.3)) and the stability growth (w8) by exp(N(0, 0.15)). Each card adds its
    own spread: difficulty + N(0, 1) and stability × exp(N(0, 0.3)) after its first showing.
    A first showing is rated Again/Hard/Good/Easy with the student's own mix (around
    25/15/50/10 %); later the student recalls with the true retrievability and then says
    Good, else Again. Seconds per answer by kind (SECONDS) × a student speed exp(N(0, 0.2))
    × exp(N(0, 0.3)) per answer.

The policies (one session a day at 18:00, the exam at 09:00 the day after the last)
    plain-fsrs  Anki with FSRS: desired retention 0.9, learning steps 1 and 10 minutes,
                due cards first, then 20 new cards a day in deck order; the student stops
                when the day's minutes are used.
    quizapp     the app's own exam mode through the objects the TUI uses: a Store on a
                real SQLite file, `exam_forecast.exam_session` (the planner's queue in a
                StudySession, answered per kind as in the TUI); a new session when the
                queue ends with minutes left; the student stops when the minutes are used.
    oracle      the planner's greedy rule, but knowing the student's true memory
                (parameters, per-card spread, first-rating mix and speed).

Recall is the true retrievability of every question at the exam moment (0 if never seen),
averaged plainly and weighted by the default exam weights. 95 % intervals are
mean ± 1.96 standard errors over students.

    python benchmarks/exam_recall.py [--students 200] [--json] [--jobs 2]
"""

from __future__ import annotations

import argparse
import json
import math
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from multiprocessing import Pool
from pathlib import Path

from fsrs import Card, Rating, Scheduler, State

from quizapp.decks.content import Kind, Library, load_library
from quizapp.progress.store import Store
from quizapp.study import exam_forecast, insights, planner
from quizapp.study.local_days import day_start
from quizapp.study.scheduler import Planner

SETTINGS = ((14, 20), (14, 45), (28, 20), (28, 45))
POLICIES = ("plain-fsrs", "quizapp", "oracle")
SECONDS = {
    Kind.FLASHCARD: 10.0,
    Kind.CHOICE: 22.0,
    Kind.NUMERIC: 45.0,
    Kind.OPEN: 70.0,
    Kind.CODE: 160.0,
}
FIRST_MIX = (0.25, 0.15, 0.5, 0.1)  # Again, Hard, Good, Easy
START = date(2030, 1, 7)
SESSION_HOUR = 18
NEW_PER_DAY = 20


# -- the simulated student -------------------------------------------------------------------


@dataclass
class Student:
    seed: int
    scheduler: Scheduler
    speed: float
    first_mix: tuple[float, float, float, float]
    card_spread: dict[str, tuple[float, float]]  # qid -> (difficulty offset, stability factor)
    rng: random.Random
    memory: dict[str, Card] = field(default_factory=dict)

    @classmethod
    def make(cls, seed: int, question_ids: list[str]) -> Student:
        rng = random.Random(seed)
        w = list(Scheduler().parameters)
        for i in range(4):
            w[i] *= math.exp(rng.gauss(0, 0.3))
        w[8] *= math.exp(rng.gauss(0, 0.15))
        scheduler = Scheduler(
            parameters=tuple(w), learning_steps=(), relearning_steps=(), enable_fuzzing=False
        )
        mix = [max(0.02, p * math.exp(rng.gauss(0, 0.3))) for p in FIRST_MIX]
        total = sum(mix)
        spread = {q: (rng.gauss(0, 1.0), math.exp(rng.gauss(0, 0.3))) for q in question_ids}
        return cls(
            seed,
            scheduler,
            math.exp(rng.gauss(0, 0.2)),
            (mix[0] / total, mix[1] / total, mix[2] / total, mix[3] / total),
            spread,
            random.Random(seed * 7919 + 1),
        )

    def true_after(self, qid: str, card: Card | None, rating: Rating, now: datetime) -> Card:
        """The true memory after an answer rated `rating`."""
        if card is None:
            card, _ = self.scheduler.review_card(Card(card_id=1, due=now), rating, now)
            offset, factor = self.card_spread[qid]
            card.difficulty = min(10.0, max(1.0, (card.difficulty or 5.0) + offset))
            card.stability = (card.stability or 1.0) * factor
            return card
        after, _ = self.scheduler.review_card(card, rating, now)
        return after

    def recall(self, qid: str, at: datetime) -> float:
        card = self.memory.get(qid)
        return 0.0 if card is None else float(self.scheduler.get_card_retrievability(card, at))

    def answer(self, qid: str, kind: Kind, now: datetime) -> tuple[Rating, float]:
        """The rating the student's memory produces at `now` and the seconds it takes;
        the true memory is updated."""
        card = self.memory.get(qid)
        if card is None:
            rating = self.rng.choices(list(Rating), weights=self.first_mix)[0]
        else:
            p = self.scheduler.get_card_retrievability(card, now)
            rating = Rating.Good if self.rng.random() < p else Rating.Again
        self.memory[qid] = self.true_after(qid, card, rating, now)
        seconds = SECONDS[kind] * self.speed * math.exp(self.rng.gauss(0, 0.3))
        return rating, seconds

    def mean_seconds(self, kind: Kind) -> float:
        return SECONDS[kind] * self.speed * math.exp(0.3**2 / 2)


def session_time(day: int) -> datetime:
    return day_start(START + timedelta(days=day), SESSION_HOUR)


def exam_day(days: int) -> date:
    return START + timedelta(days=days)


@dataclass
class Result:
    recall: float
    recall_weighted: float
    minutes_used: float
    cards_seen: int


def score(student: Student, library: Library, weights: dict[str, float], days: int) -> tuple:
    at = insights.exam_moment(exam_day(days))
    values = {q: student.recall(q, at) for q in library.questions}
    total_w = sum(weights[library.questions[q].topic] for q in values)
    weighted = sum(weights[library.questions[q].topic] * v for q, v in values.items()) / total_w
    return sum(values.values()) / len(values), weighted, len(student.memory)


# -- plain FSRS as Anki runs it ----------------------------------------------------------------


def run_plain(student: Student, library: Library, days: int, minutes: int) -> float:
    scheduler = Scheduler(desired_retention=0.9, enable_fuzzing=False)
    cards: dict[str, Card] = {}
    order = library.study_order()
    used_total = 0.0
    for day in range(days):
        now = session_time(day)
        end_of_day = day_start(START + timedelta(days=day + 1))
        due = sorted((c.due, q) for q, c in cards.items() if c.due < end_of_day)
        queue = [q for _, q in due]
        queue += [q for q in order if q not in cards][:NEW_PER_DAY]
        used = 0.0
        while queue and used < minutes * 60:
            # learning cards come back when due (Anki shows them as soon as they are due)
            learning = [q for q in queue if q in cards and cards[q].due <= now]
            qid = learning[0] if learning and learning[0] != queue[0] else queue[0]
            queue.remove(qid)
            card = cards.get(qid) or Card(card_id=planner.card_id(qid), due=now)
            rating, seconds = student.answer(qid, library.questions[qid].kind, now)
            now += timedelta(seconds=seconds)
            used += seconds
            cards[qid], _ = scheduler.review_card(card, rating, now)
            if (
                cards[qid].state in (State.Learning, State.Relearning)
                and cards[qid].due < end_of_day
            ):
                queue.append(qid)
        used_total += used
    return used_total / 60


# -- quizapp through its own Store, planner and StudySession ------------------------------------


@dataclass
class SimVerdict:
    """What `StudySession.record_check` reads of a code check (the student's code is not
    simulated, only whether it passed)."""

    correct: bool
    status: str = "correct"
    feedback: str = "All cases pass."


def answer_in_app(session, rating: Rating) -> None:
    """Answer the current question the way the TUI does for its kind."""
    question = session.question
    recalled = rating != Rating.Again
    if question.kind == Kind.FLASHCARD:
        session.reveal()
        session.rate(rating)
    elif question.kind == Kind.CHOICE:
        right = {i for i, o in enumerate(question.options) if o.correct}
        wrong = {i for i in range(len(question.options)) if i not in right} or {0}
        session.answer_choice(right if recalled else wrong)
    elif question.kind == Kind.NUMERIC:
        text = session.expected_text() if recalled else "-987654.321"
        outcome = session.answer_numeric(text)
        if not outcome.recorded:
            session.give_up()
    elif question.kind == Kind.OPEN:
        session.submit_open("")
        points = len(question.rubric)
        share = range(points) if rating >= Rating.Good else range((points + 1) // 2)
        session.rate_rubric(set(share) if recalled else set())
    else:
        if recalled:
            session.record_check("", SimVerdict(True))
        else:
            session.give_up()


def run_quizapp(student: Student, library: Library, days: int, minutes: int, folder: Path) -> float:
    store = Store(folder / f"student-{student.seed}-{days}x{minutes}.db")
    random.seed(student.seed)  # fsrs fuzz draws from the global generator
    insights.set_exam_date(store, exam_day(days))
    exam_forecast.set_exam_minutes(store, minutes)
    used_total = 0.0
    clock_now = [session_time(0)]

    def clock() -> datetime:
        return clock_now[0]

    try:
        for day in range(days):
            clock_now[0] = session_time(day)
            used = 0.0
            while used < minutes * 60:
                app_planner = Planner.from_store(store)
                session = exam_forecast.exam_session(
                    library, store, app_planner, exam_day(days), clock=clock
                )
                if not session.queue:
                    break
                while used < minutes * 60 and session.next() is not None:
                    qid = session.question.id
                    rating, seconds = student.answer(qid, session.question.kind, clock())
                    clock_now[0] += timedelta(seconds=seconds)
                    used += seconds
                    answer_in_app(session, rating)
            used_total += used
    finally:
        store.close()
    return used_total / 60


# -- the oracle --------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrueModel(planner.Model):
    """The planner's model, but of the student's true memory (new cards included)."""

    student: Student | None = None

    def first_showing(self, qid: str, now: datetime) -> tuple[float, Card]:
        assert self.student is not None
        expected, likely = 0.0, None
        for rating, share in self.first:
            after = self.student.true_after(qid, None, rating, now)
            expected += share * self.recall(after)
            likely = after if rating == Rating.Good else likely
        assert likely is not None
        return expected, likely


def run_oracle(
    student: Student, library: Library, days: int, minutes: int, weights: dict[str, float]
) -> float:
    topics = {q: library.questions[q].topic for q in library.questions}
    model = TrueModel(
        scheduler=student.scheduler,
        exam_at=insights.exam_moment(exam_day(days)),
        weight={q: weights[t] for q, t in topics.items()},
        seconds={q: student.mean_seconds(library.questions[q].kind) for q in topics},
        first=tuple(zip(Rating, student.first_mix, strict=True)),
        student=student,
    )
    used_total = 0.0
    for day in range(days):
        now = session_time(day)
        used, done = 0.0, set()
        while used < minutes * 60:
            ranked = planner.rank(model, student.memory, topics, now, exclude=done)
            picks = planner.fill(ranked, minutes * 60 - used)
            if not picks:
                break
            for pick in picks:
                if used >= minutes * 60:
                    break
                _, seconds = student.answer(
                    pick.question_id, library.questions[pick.question_id].kind, now
                )
                now += timedelta(seconds=seconds)
                used += seconds
                done.add(pick.question_id)
        used_total += used
    return used_total / 60


# -- running and reporting ---------------------------------------------------------------------


def one_student(job: tuple[int, int, int, str]) -> list[dict]:
    seed, days, minutes, folder = job
    library = _library()
    weights = exam_weights_default(library)
    ids = list(library.questions)
    rows = []
    runners: dict[str, Callable[[Student], float]] = {
        "plain-fsrs": lambda s: run_plain(s, library, days, minutes),
        "quizapp": lambda s: run_quizapp(s, library, days, minutes, Path(folder)),
        "oracle": lambda s: run_oracle(s, library, days, minutes, weights),
    }
    for policy, run in runners.items():
        student = Student.make(seed, ids)  # the same student, fresh, for every policy
        used = run(student)
        recall, weighted, seen = score(student, library, weights, days)
        rows.append(
            {
                "days": days,
                "minutes": minutes,
                "policy": policy,
                "seed": seed,
                "recall": recall,
                "recall_weighted": weighted,
                "minutes_used": used,
                "cards_seen": seen,
            }
        )
    return rows


_LIBRARY: Library | None = None


def _library() -> Library:
    global _LIBRARY
    if _LIBRARY is None:
        import torch  # the solvers compute numeric answers with it

        torch.set_num_threads(1)  # one simulated student per core; threads only contend
        _LIBRARY = load_library()
    return _LIBRARY


def exam_weights_default(library: Library) -> dict[str, float]:
    """The app's default exam weights (a fresh store has no overrides)."""
    store = Store(":memory:")
    try:
        return planner.exam_weights(library, store)
    finally:
        store.close()


def simulate(students: int, settings=SETTINGS, jobs: int = 1, seed: int = 2026) -> list[dict]:
    """Per-student rows for every setting and policy."""
    with tempfile.TemporaryDirectory(prefix="exam-recall-") as folder:
        work = [(seed + i, d, m, folder) for d, m in settings for i in range(students)]
        if jobs > 1:
            with Pool(jobs) as pool:
                chunks = pool.map(one_student, work, chunksize=1)
        else:
            chunks = [one_student(job) for job in work]
    return [row for chunk in chunks for row in chunk]


def summarise(rows: list[dict]) -> list[dict]:
    out = []
    keys = sorted({(r["days"], r["minutes"]) for r in rows})
    for days, minutes in keys:
        for policy in POLICIES:
            mine = [
                r for r in rows if (r["days"], r["minutes"], r["policy"]) == (days, minutes, policy)
            ]
            if not mine:
                continue
            row: dict = {"days": days, "minutes": minutes, "policy": policy, "students": len(mine)}
            for key in ("recall", "recall_weighted", "minutes_used", "cards_seen"):
                values = [r[key] for r in mine]
                row[key] = statistics.fmean(values)
                spread = statistics.stdev(values) if len(values) > 1 else 0.0
                row[key + "_ci95"] = 1.96 * spread / math.sqrt(len(values))
            out.append(row)
    return out


def print_table(summary: list[dict]) -> None:
    print(
        f"{'days×min':<9}{'policy':<12}{'recall':>16}{'weighted':>16}"
        f"{'min used':>10}{'cards seen':>12}{'of oracle':>16}"
    )
    oracle = {(r["days"], r["minutes"]): r for r in summary if r["policy"] == "oracle"}
    for r in summary:
        best = oracle.get((r["days"], r["minutes"]))
        ratio = (
            f"{r['recall'] / best['recall']:.0%} / {r['recall_weighted'] / best['recall_weighted']:.0%}"
            if best
            else "-"
        )
        print(
            f"{r['days']}×{r['minutes']:<6}{r['policy']:<12}"
            f"{r['recall']:>9.1%} ±{r['recall_ci95']:.1%}"
            f"{r['recall_weighted']:>9.1%} ±{r['recall_weighted_ci95']:.1%}"
            f"{r['minutes_used']:>10.0f}{r['cards_seen']:>12.0f}{ratio:>16}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=200)
    parser.add_argument("--jobs", type=int, default=1, help="worker processes")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--json", action="store_true", help="print the summary rows as JSON")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    summary = summarise(simulate(args.students, jobs=args.jobs, seed=args.seed))
    if args.json:
        json.dump(summary, sys.stdout, indent=1)
        print()
    else:
        print(f"{args.students} simulated students per setting (seed {args.seed})")
        print_table(summary)
        print(f"\n{time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
