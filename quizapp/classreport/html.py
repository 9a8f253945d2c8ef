"""The class report as one self-contained HTML page: tables and inline SVG bar charts,
no script, no external file, nothing fetched.

Every text in it (question ids and titles from decks, answers students typed,
misconception ids) passes through `_esc` (control characters removed, HTML escaped);
numbers are formatted here.
"""

from __future__ import annotations

from html import escape

from quizapp.classreport.aggregate import ClassReport, QuestionStats
from quizapp.inert import inert

BAR_WIDTH = 360
ROW_HEIGHT = 22
LABEL_WIDTH = 300
MAX_BARS = 25

STYLE = """
body{font-family:system-ui,sans-serif;margin:2em auto;max-width:62em;color:#1f2328;padding:0 1em}
table{border-collapse:collapse;margin:1em 0;width:100%}
th,td{border-bottom:1px solid #d0d7de;padding:.3em .5em;text-align:left;vertical-align:top}
th{background:#f6f8fa}
td.n{text-align:right;font-variant-numeric:tabular-nums}
code{background:#f6f8fa;padding:0 .2em}
.low{color:#b42318}
small{color:#57606a}
"""


def render_html(report: ClassReport, *, title: str = "Class report") -> str:
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{_esc(title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{_esc(title)}</h1>",
        f"<p>{report.students} students · {len(report.questions)} questions answered · "
        f"{sum(q.attempts for q in report.questions)} answers and code checks</p>",
    ]
    parts += [f"<p><small>{_esc(note)}</small></p>" for note in report.notes]
    parts.append("<h2>Weakest topics</h2>")
    parts.append(
        _bars(
            [(t.title, t.success_rate, f"{t.attempts} answers") for t in report.weakest_topics],
            "Success rate per topic",
        )
    )
    parts.append("<h2>Hardest questions</h2>")
    parts.append(
        _bars(
            [
                (q.question_id, q.success_rate, f"{q.attempts} answers")
                for q in report.questions[:MAX_BARS]
            ],
            "Success rate per question, hardest first",
        )
    )
    parts.append(_question_table(report.questions))
    if report.misconceptions:
        parts.append("<h2>Misconceptions across the class</h2><table>")
        parts.append("<tr><th>misconception</th><th>students</th><th>times</th></tr>")
        parts += [
            f"<tr><td><code>{_esc(m.text)}</code></td><td class=n>{m.students}</td>"
            f"<td class=n>{m.times}</td></tr>"
            for m in report.misconceptions
        ]
        parts.append("</table>")
    variants = [q for q in report.questions if q.variants]
    if variants:
        parts.append("<h2>Difficulty per drawn variant</h2>")
        parts.append("<p><small>Questions whose parameters are drawn per review.</small></p>")
        for q in variants:
            parts.append(
                _bars(
                    [
                        (f"seed {v.seed}", v.success_rate, f"{v.attempts} answers")
                        for v in q.variants
                    ],
                    q.question_id,
                )
            )
    parts.append(
        "<h2>How to read this</h2><p><small>Success rate: right answers and passing code "
        "checks over all answers and checks (self-rated cards count as recalled unless "
        "rated Again). First try: students whose first answer was right. Discrimination: "
        "correlation of a student's first answer with their success on every other "
        "question (point-biserial); below about 0.2 the question separates strong and weak "
        "students poorly. Students are pseudonymous ids drawn at random per progress file."
        "</small></p></body></html>"
    )
    return "\n".join(parts) + "\n"


def _esc(text: str) -> str:
    """Text from students or decks as inert HTML text: no markup, no control characters."""
    return escape(inert(text))


def _percent(rate: float) -> str:
    return f"{100 * rate:.0f}%"


def _question_table(questions: list[QuestionStats]) -> str:
    rows = [
        "<table><tr><th>question</th><th>topic</th><th>students</th><th>answers</th>"
        "<th>success</th><th>first try</th><th>discrimination</th>"
        "<th>most common wrong answers · misconceptions</th></tr>"
    ]
    for q in questions:
        d = "—" if q.discrimination is None else f"{q.discrimination:+.2f}"
        low = (
            ' class="n low"'
            if q.discrimination is not None and q.discrimination < 0.2
            else " class=n"
        )
        wrong = [f"<code>{_esc(w.text)}</code> ×{w.times}" for w in q.wrong_answers]
        wrong += [f"<em>{_esc(m.text)}</em> ({m.students})" for m in q.misconceptions[:3]]
        rows.append(
            f"<tr><td><code>{_esc(q.question_id)}</code><br><small>{_esc(q.title)}</small>"
            f"</td><td>{_esc(q.topic)}</td><td class=n>{q.students}</td>"
            f"<td class=n>{q.attempts}</td><td class=n>{_percent(q.success_rate)}</td>"
            f"<td class=n>{_percent(q.first_try_rate)}</td><td{low}>{d}</td>"
            f"<td>{'<br>'.join(wrong) or '—'}</td></tr>"
        )
    rows.append("</table>")
    return "\n".join(rows)


def _bars(rows: list[tuple[str, float, str]], caption: str) -> str:
    """A horizontal bar chart of rates in [0, 1] as inline SVG."""
    if not rows:
        return "<p><small>Not enough answers yet.</small></p>"
    height = ROW_HEIGHT * len(rows) + 28
    width = LABEL_WIDTH + BAR_WIDTH + 150
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" font-size="12" '
        'font-family="system-ui,sans-serif">',
        f"<title>{_esc(caption)}</title>",
    ]
    for i, (label, rate, detail) in enumerate(rows):
        y = 8 + i * ROW_HEIGHT
        length = max(0.0, min(1.0, rate)) * BAR_WIDTH
        colour = "#b42318" if rate < 0.5 else "#bf8700" if rate < 0.75 else "#1a7f37"
        shown = label if len(label) <= 44 else label[:43] + "…"
        out.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + 14}" text-anchor="end">{_esc(shown)}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{BAR_WIDTH}" height="14" fill="#eaeef2"/>'
            f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{length:.1f}" height="14" '
            f'fill="{colour}"/>'
            f'<text x="{LABEL_WIDTH + BAR_WIDTH + 6}" y="{y + 14}">{_percent(rate)} · '
            f"{_esc(detail)}</text>"
        )
    axis_y = 8 + len(rows) * ROW_HEIGHT + 12
    for tick in (0, 0.5, 1):
        x = LABEL_WIDTH + tick * BAR_WIDTH
        out.append(
            f'<text x="{x:.0f}" y="{axis_y}" text-anchor="middle" fill="#57606a">{_percent(tick)}</text>'
        )
    out.append("</svg>")
    return "\n".join(out)
