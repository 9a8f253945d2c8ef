"""The scored report of a mock exam, as data and as Markdown (the TUI and the CLI share it).

Per question: points, time, and for every answer that lost points what went wrong (the
diagnosis saved when it was scored) and the worked solution in the variant the student
was asked, with those numbers. Per topic: points, and the share the topic scored in the
previous finished exam that asked it. The trend lists the finished exams up to this one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from quizapp.decks.content import Kind, Library, Question
from quizapp.decks.mathtext import to_unicode
from quizapp.decks.variants import Variant, make_variant
from quizapp.kinds import handler
from quizapp.progress import mock_exams
from quizapp.progress.mock_exams import DONE, AnswerRow, EndedBy, ExamRow
from quizapp.progress.store import Store

MODE_NAMES = {"sheet": "like the exercise sheet", "weak": "weighted towards weak topics"}
TREND_SHOWN = 10


@dataclass(frozen=True)
class QuestionResult:
    answer: AnswerRow
    question: Question
    variant: Variant

    @property
    def status(self) -> str:
        a = self.answer
        if a.answer is None:
            return "unanswered"
        if a.points is None:
            return "pending"
        if a.points >= a.points_max:
            return "right"
        return "partial" if a.points > 0 else "wrong"


@dataclass(frozen=True)
class TopicResult:
    topic: str
    title: str
    points: float
    max_points: float
    questions: int
    previous_share: float | None  # in the last earlier finished exam that asked this topic

    @property
    def share(self) -> float:
        return self.points / self.max_points if self.max_points else 0.0


@dataclass(frozen=True)
class TrendPoint:
    exam_id: int
    started_at: datetime
    mode: str
    share: float


@dataclass(frozen=True)
class Report:
    exam: ExamRow
    results: list[QuestionResult]
    topics: list[TopicResult]
    trend: list[TrendPoint]
    # (title, right idea, how many answers showed it) for each misconception seen
    misconceptions: list[tuple[str, str, int]] = field(default_factory=list)

    @property
    def points(self) -> float:
        return sum(r.answer.points or 0.0 for r in self.results)

    @property
    def max_points(self) -> float:
        return sum(r.answer.points_max for r in self.results)

    @property
    def complete(self) -> bool:
        return self.exam.status == DONE


def build_mock_report(library: Library, store: Store, exam_id: int) -> Report:
    exam = mock_exams.exam(store, exam_id)
    if exam is None:
        raise LookupError(f"there is no mock exam {exam_id}")
    results = []
    for answer in mock_exams.answers(store, exam_id):
        question = library.questions.get(answer.question_id)
        if question is None:
            raise LookupError(
                f"mock exam {exam_id} asked {answer.question_id}, which no loaded deck defines"
            )
        results.append(
            QuestionResult(answer, question, make_variant(question, answer.variant_seed))
        )
    earlier = [e for e in mock_exams.exams(store, status=DONE) if e.id < exam_id]
    return Report(
        exam=exam,
        results=results,
        topics=_topics(library, store, results, earlier),
        trend=_trend(earlier, exam),
        misconceptions=_misconceptions(library, results),
    )


def _misconceptions(library: Library, results: list[QuestionResult]) -> list[tuple[str, str, int]]:
    """The misconceptions the exam's answers showed, most frequent first."""
    from quizapp.misconceptions.seen import shown_by

    counts: dict[str, int] = {}
    for r in results:
        if r.status not in ("wrong", "partial"):
            continue
        for link in shown_by(r.question, r.variant, r.answer.answer, r.answer.diagnosis or ""):
            counts[link] = counts.get(link, 0) + 1
    out = []
    for link, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        entry = library.misconceptions.get(link)
        out.append((entry.title if entry else link, entry.right if entry else "", count))
    return out


def _topic_shares(library: Library, store: Store, exam_id: int) -> dict[str, float]:
    totals: dict[str, list[float]] = {}
    for a in mock_exams.answers(store, exam_id):
        question = library.questions.get(a.question_id)
        if question is None:
            continue
        got, most = totals.setdefault(question.topic, [0.0, 0.0])
        totals[question.topic] = [got + (a.points or 0.0), most + a.points_max]
    return {t: got / most for t, (got, most) in totals.items() if most}


def _topics(
    library: Library, store: Store, results: list[QuestionResult], earlier: list[ExamRow]
) -> list[TopicResult]:
    order: list[str] = []
    for r in results:
        if r.question.topic not in order:
            order.append(r.question.topic)
    previous: dict[str, float] = {}
    for exam in earlier:  # oldest first, so later exams overwrite
        previous.update(_topic_shares(library, store, exam.id))
    out = []
    for topic in order:
        mine = [r for r in results if r.question.topic == topic]
        out.append(
            TopicResult(
                topic=topic,
                title=library.topic_title(topic),
                points=sum(r.answer.points or 0.0 for r in mine),
                max_points=sum(r.answer.points_max for r in mine),
                questions=len(mine),
                previous_share=previous.get(topic),
            )
        )
    return out


def _trend(earlier: list[ExamRow], exam: ExamRow) -> list[TrendPoint]:
    finished = [e for e in earlier if e.max_score]
    if exam.status == DONE and exam.max_score:
        finished.append(exam)
    return [
        TrendPoint(e.id, e.started_at, e.mode, (e.score or 0.0) / (e.max_score or 1.0))
        for e in finished[-TREND_SHOWN:]
    ]


# -- Markdown ------------------------------------------------------------------------------


def _pts(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _duration(ms: int) -> str:
    seconds = round(ms / 1000)
    return f"{seconds // 60}:{seconds % 60:02d}"


def _bar(share: float, width: int = 20) -> str:
    filled = round(share * width)
    return "█" * filled + "░" * (width - filled)


STATUS_MARK = {
    "right": "✓",
    "partial": "◐",
    "wrong": "✗",
    "unanswered": "–",
    "pending": "…",
}


def to_markdown(report: Report) -> str:
    exam = report.exam
    lines = [
        f"# Mock exam {exam.id} · {exam.started_at.astimezone():%a %d %b %Y %H:%M}",
        "",
        f"Mode: {MODE_NAMES.get(exam.mode, exam.mode)} · {len(report.results)} questions · "
        f"time used {_duration(exam.used_ms)} of {_duration(exam.time_limit_s * 1000)}"
        + (" · **time ran out**" if exam.ended_by == EndedBy.TIME else ""),
        "",
    ]
    share = report.points / report.max_points if report.max_points else 0.0
    lines.append(
        f"**Score: {_pts(report.points)} / {_pts(report.max_points)} points ({share:.0%})**"
    )
    if not report.complete:
        lines += [
            "",
            "*Not finished yet: some answers still wait for grading or for your rating "
            "against the rubric (open the app and press m).*",
        ]
    lines += ["", "## Questions", "", "| # | topic | kind | question | points | time |"]
    lines.append("|---|---|---|---|---|---|")
    for r in report.results:
        a = r.answer
        got = "–" if a.points is None else _pts(a.points)
        title = r.question.title.replace("|", "/")
        lines.append(
            f"| {a.position + 1} | {r.question.topic} | {_noun(r.question.kind)} | "
            f"{STATUS_MARK[r.status]} {title} | {got} / {_pts(a.points_max)} | "
            f"{_duration(a.time_ms)} |"
        )
    lines += ["", "## Topics", "", "| topic | points | share | last time |", "|---|---|---|---|"]
    for t in report.topics:
        before = "–" if t.previous_share is None else f"{t.previous_share:.0%}"
        lines.append(
            f"| {t.title} | {_pts(t.points)} / {_pts(t.max_points)} | {t.share:.0%} | {before} |"
        )
    lines += ["", "## Trend", ""]
    if len(report.trend) < 2:
        lines.append("This is your first finished mock exam; the next one will show a trend.")
    else:
        lines += ["```text"]
        for point in report.trend:
            mark = " ← this one" if point.exam_id == exam.id else ""
            lines.append(
                f"{point.started_at.astimezone():%d %b} #{point.exam_id:<3} {point.mode:<5} "
                f"{_bar(point.share)} {point.share:4.0%}{mark}"
            )
        lines += ["```"]
        change = report.trend[-1].share - report.trend[-2].share
        if report.trend[-1].exam_id == exam.id:
            lines += ["", f"Change since the previous exam: {change:+.0%}."]
    if report.misconceptions:
        lines += ["", "## Misconceptions this exam showed", ""]
        for title, right, count in report.misconceptions:
            times = f" ({count}×)" if count > 1 else ""
            lines.append(f"- **{title}**{times}: {right}")
        lines += ["", "Drill them from Home (d) or with `quizapp drill`."]
    lost = [r for r in report.results if r.status in ("wrong", "partial", "unanswered")]
    lines += ["", "## What to learn from it", ""]
    if not lost:
        lines.append("Every answer earned full points." if report.complete else "Nothing yet.")
    for r in lost:
        lines += _worked(r)
    return to_unicode("\n".join(lines).rstrip() + "\n")


def _worked(r: QuestionResult) -> list[str]:
    a, q, v = r.answer, r.question, r.variant
    lines = [f"### {a.position + 1}. {q.title} ({_pts(a.points or 0)} / {_pts(a.points_max)})", ""]
    lines += [v.prompt, ""]
    kind = handler(q.kind)
    if a.answer is None:
        lines += ["**Your answer:** none.", ""]
    else:
        lines += kind.answer_lines(q, a.answer)
    if a.diagnosis and a.answer is not None:
        lines += [f"**What went wrong:** {a.diagnosis}", ""]
    lines += ["**Worked solution**", ""]
    lines += kind.solution_lines(q, v)
    lines += [v.explanation, "", f"*Source: {q.source}*", ""]
    return lines


def _noun(kind: Kind) -> str:
    task = handler(kind).exam
    return str(task.work) if task else str(kind)
