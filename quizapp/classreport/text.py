"""The class report for a terminal: the hardest questions, the weakest topics, what the
class answers wrongly. Answers come from students: control characters are removed."""

from __future__ import annotations

from quizapp.classreport.aggregate import ClassReport
from quizapp.inert import inert

SHOWN_QUESTIONS = 15


def render_text(report: ClassReport) -> str:
    lines = [f"{report.students} students, {len(report.questions)} questions answered."]
    lines += [inert(note) for note in report.notes]
    if report.weakest_topics:
        lines += ["", "Weakest topics", "  success  answers  topic"]
        lines += [
            f"  {100 * t.success_rate:6.0f}%  {t.attempts:7d}  {inert(t.title)}"
            for t in report.weakest_topics[:8]
        ]
    lines += ["", "Hardest questions", "  success  first try  discrimination  students  question"]
    for q in report.questions[:SHOWN_QUESTIONS]:
        d = "—" if q.discrimination is None else f"{q.discrimination:+.2f}"
        lines.append(
            f"  {100 * q.success_rate:6.0f}%  {100 * q.first_try_rate:8.0f}%  {d:>14}  "
            f"{q.students:8d}  {inert(q.question_id)}"
        )
        wrong = [f"{inert(w.text)!r} ×{w.times}" for w in q.wrong_answers]
        wrong += [f"{inert(m.text)} ({m.students} students)" for m in q.misconceptions[:3]]
        if wrong:
            lines.append("           wrong: " + ", ".join(wrong))
    if len(report.questions) > SHOWN_QUESTIONS:
        lines.append(f"  … and {len(report.questions) - SHOWN_QUESTIONS} more (--json, --html)")
    if report.misconceptions:
        lines += ["", "Misconceptions", "  students  misconception"]
        lines += [f"  {m.students:8d}  {inert(m.text)}" for m in report.misconceptions[:10]]
    return "\n".join(lines) + "\n"
