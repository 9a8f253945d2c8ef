"""The class's figures from its students' answers: per question, per drawn variant and
per topic. Pure functions; no files, no screen.

Discrimination is the corrected point-biserial correlation: for each student who
answered the question, whether their first answer was right (0/1) against their success
on every *other* question. A good question is passed more by the students who do well
elsewhere (r well above 0); r near 0 or below flags a question that measures something
else: ambiguous wording, a wrong key, or luck.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from quizapp.classreport.load import Answer, Student

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from collections.abc import Iterable

MIN_STUDENTS_FOR_DISCRIMINATION = 4
TOP_WRONG = 3
MIN_ATTEMPTS_FOR_TOPIC = 3


@dataclass(frozen=True)
class Count:
    """A wrong answer or a misconception: how often, and by how many students."""

    text: str
    times: int
    students: int


@dataclass(frozen=True)
class VariantStats:
    seed: int
    attempts: int
    success_rate: float


@dataclass
class QuestionStats:
    question_id: str
    title: str
    topic: str
    kind: str
    students: int
    attempts: int
    success_rate: float
    first_try_rate: float
    discrimination: float | None  # None: too few students, or no spread to correlate
    wrong_answers: list[Count] = field(default_factory=list)
    misconceptions: list[Count] = field(default_factory=list)
    variants: list[VariantStats] = field(default_factory=list)


@dataclass(frozen=True)
class TopicStats:
    topic: str
    title: str
    students: int
    attempts: int
    success_rate: float


@dataclass
class ClassReport:
    students: int
    questions: list[QuestionStats]  # hardest (lowest success) first
    weakest_topics: list[TopicStats]  # weakest first
    misconceptions: list[Count]  # across the class, most common first
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class QuestionInfo:
    """What the decks say about a question (a stand-in from its id where they do not)."""

    title: str
    topic: str
    topic_title: str
    kind: str


def build_class_report(
    students: list[Student], describe: Callable[[str, str], QuestionInfo], notes: Iterable[str] = ()
) -> ClassReport:
    """`describe(question_id, kind_from_export)` names each question's title and topic."""
    answers: dict[str, dict[str, list[Answer]]] = defaultdict(dict)  # qid -> student -> answers
    kinds: dict[str, str] = {}
    for student in students:
        for answer in student.answers:
            answers[answer.question_id].setdefault(student.pseudonym, []).append(answer)
        for qid, kind in student.kinds.items():
            kinds.setdefault(qid, kind)
    first = {  # student -> question -> first answer right
        s.pseudonym: {
            qid: by[s.pseudonym][0].success for qid, by in answers.items() if s.pseudonym in by
        }
        for s in students
    }
    misconceptions = _misconceptions_by_question(students)
    infos = {qid: describe(qid, kinds.get(qid, "")) for qid in answers}
    questions = [
        _question(qid, infos[qid], by_student, first, misconceptions.get(qid, {}))
        for qid, by_student in answers.items()
    ]
    questions.sort(key=lambda q: (q.success_rate, -q.attempts, q.question_id))
    return ClassReport(
        students=len(students),
        questions=questions,
        weakest_topics=_topics(answers, infos),
        misconceptions=_counts(_class_misconceptions(students)),
        notes=list(notes),
    )


def _question(
    qid: str,
    info: QuestionInfo,
    by_student: dict[str, list[Answer]],
    first: dict[str, dict[str, bool]],
    misconceptions: dict[str, list[str]],
) -> QuestionStats:
    every = [a for answers in by_student.values() for a in answers]
    wrong: dict[str, set[str]] = defaultdict(set)
    wrong_times: Counter[str] = Counter()
    seeds: dict[int, list[bool]] = defaultdict(list)
    for student, answers in by_student.items():
        for a in answers:
            if not a.success and a.answer and a.answer.strip():
                text = " ".join(a.answer.split())
                wrong[text].add(student)
                wrong_times[text] += 1
            if a.variant_seed is not None:
                seeds[a.variant_seed].append(a.success)
    variants = (
        [
            VariantStats(seed, len(results), sum(results) / len(results))
            for seed, results in sorted(seeds.items())
        ]
        if len(seeds) > 1
        else []
    )
    return QuestionStats(
        question_id=qid,
        title=info.title,
        topic=info.topic,
        kind=info.kind,
        students=len(by_student),
        attempts=len(every),
        success_rate=sum(a.success for a in every) / len(every),
        first_try_rate=sum(answers[0].success for answers in by_student.values()) / len(by_student),
        discrimination=_discrimination(qid, first),
        wrong_answers=[
            Count(text, wrong_times[text], len(wrong[text]))
            for text, _ in wrong_times.most_common(TOP_WRONG)
        ],
        misconceptions=_counts(misconceptions),
        variants=variants,
    )


def _discrimination(qid: str, first: dict[str, dict[str, bool]]) -> float | None:
    items, rests = [], []
    for results in first.values():
        if qid not in results:
            continue
        others = [ok for other, ok in results.items() if other != qid]
        if not others:
            continue
        items.append(float(results[qid]))
        rests.append(sum(others) / len(others))
    if len(items) < MIN_STUDENTS_FOR_DISCRIMINATION:
        return None
    return pearson(items, rests)


def pearson(xs: list[float], ys: list[float]) -> float | None:
    """Pearson's r (the point-biserial one when `xs` is 0/1); None without spread."""
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx <= 1e-12 or syy <= 1e-12:
        return None
    return sxy / math.sqrt(sxx * syy)


def _topics(
    answers: dict[str, dict[str, list[Answer]]], infos: dict[str, QuestionInfo]
) -> list[TopicStats]:
    grouped: dict[str, list[bool]] = defaultdict(list)
    students: dict[str, set[str]] = defaultdict(set)
    for qid, by_student in answers.items():
        topic = infos[qid].topic
        for student, list_ in by_student.items():
            grouped[topic] += [a.success for a in list_]
            students[topic].add(student)
    titles = {info.topic: info.topic_title for info in infos.values()}
    topics = [
        TopicStats(topic, titles[topic], len(students[topic]), len(r), sum(r) / len(r))
        for topic, r in grouped.items()
        if len(r) >= MIN_ATTEMPTS_FOR_TOPIC
    ]
    return sorted(topics, key=lambda t: (t.success_rate, t.topic))


def _misconceptions_by_question(students: list[Student]) -> dict[str, dict[str, list[str]]]:
    """question -> misconception -> the student of each time it was shown."""
    out: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for student in students:
        for qid, misconception in student.misconceptions:
            out[qid][misconception].append(student.pseudonym)
    return out


def _class_misconceptions(students: list[Student]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for student in students:
        for _qid, misconception in student.misconceptions:
            out[misconception].append(student.pseudonym)
    return out


def _counts(by_name: dict[str, list[str]]) -> list[Count]:
    """Shown to the most students first."""
    rows = [Count(name, len(who), len(set(who))) for name, who in by_name.items()]
    return sorted(rows, key=lambda c: (-c.students, -c.times, c.text))
