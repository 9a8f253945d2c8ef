"""The instructor's class report from real progress databases of simulated students:
their anonymised exports, then the aggregate (success, discrimination, wrong answers,
misconceptions, variants, weak topics) as text, JSON and a self-contained HTML page."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from quizapp.classreport.aggregate import pearson
from quizapp.cli import main
from quizapp.progress.class_export import ID_SETTING
from quizapp.progress.store import Mode, ReviewRow, Store

START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
NUMERIC = "attention.tiny-weights"  # topic attention
CHOICE = "attention.softmax-rows"
OPEN = "attention.why-scale"
HARD = "clr.coles-slices"  # topic clr: the class's weak one
CODE = "clr.info-nce"
HOSTILE = '<script>alert("x")</script>\x1b]0;title\x07'


def _student(path: Path, ability: int, *, misconceptions: bool = False) -> Path:
    """A database as the app leaves it: ability 0..5 decides which answers are right."""
    store = Store(path)
    at = START + timedelta(hours=ability)

    def answer(qid: str, correct: bool | None, text: str, *, seed=None, rating=None) -> None:
        nonlocal at
        at += timedelta(minutes=5)
        rating = rating or (3 if correct else 1)
        store.record(ReviewRow(qid, at, rating, correct, text, 9000, Mode.REVIEW, seed))

    answer(NUMERIC, ability >= 2, "0.5" if ability >= 2 else "4 TB", seed=ability % 2)
    answer(CHOICE, ability >= 1, "A" if ability >= 1 else HOSTILE)
    answer(OPEN, None, "Because my name is Alice Example", rating=3 if ability >= 3 else 1)
    answer("attention.tiny-output", ability >= 3, "1.5" if ability >= 3 else "2")
    answer("attention.multi-head-facts", ability >= 4, "B" if ability >= 4 else "C")
    # The weak students get this one right and the strong ones wrong: a bad question.
    answer(HARD, ability <= 1, "12" if ability <= 1 else "4 TB")
    store.record_attempt(CODE, at, "def calc_info_nce(m):\n    return 0.0\n", "incorrect", "no")
    if ability >= 3:
        store.record_attempt(CODE, at, "def calc_info_nce(m): ...", "correct", "Correct!")
    if misconceptions:  # a misconception this student's numeric slip showed
        with store.write_transaction():
            store.execute(
                "INSERT INTO misconception_events"
                " (misconception_id, question_id, at, kind, source)"
                " VALUES ('bytes-vs-bits', ?, ?, 'seen', 'review')",
                [NUMERIC, at.isoformat()],
            )
    store.close()
    return path


@pytest.fixture
def exports(tmp_path: Path) -> list[Path]:
    files = []
    for ability in range(6):
        db = _student(tmp_path / f"student{ability}.db", ability, misconceptions=ability < 2)
        out = tmp_path / f"class-{ability}.json"
        assert main(["--db", str(db), "export-progress", "--for-class", str(out)]) == 0
        files.append(out)
    return files


def test_the_export_is_pseudonymous_and_leaves_out_free_text(exports, tmp_path: Path):
    data = json.loads(exports[0].read_text())
    text = exports[0].read_text()
    assert data["student"].startswith("s-") and "student0" not in text
    assert "Alice" not in text and "calc_info_nce" not in text  # explanation, code
    assert {r["question_id"]: r.get("answer") for r in data["reviews"]}[NUMERIC] == "4 TB"
    assert all(len(r["day"]) == 10 for r in data["reviews"] + data["attempts"])  # days only
    assert data["misconceptions"] == [
        {"misconception_id": "bytes-vs-bits", "question_id": NUMERIC, "day": "2026-11-02"}
    ]
    assert json.loads(exports[5].read_text())["misconceptions"] == []  # no such table
    # The id is drawn once per database, at random: stable for one student, apart for two.
    again = tmp_path / "again.json"
    db0 = tmp_path / "student0.db"
    assert (
        main(["--db", str(db0), "export-progress", "--for-class", str(again), "--include-text"])
        == 0
    )
    with_text = json.loads(again.read_text())
    assert with_text["student"] == data["student"]
    assert "Alice" in again.read_text() and "calc_info_nce" in again.read_text()
    with closing(sqlite3.connect(db0)) as connection:
        (stored,) = connection.execute(
            "SELECT value FROM settings WHERE key = ?", [ID_SETTING]
        ).fetchone()
    assert json.loads(stored) == data["student"]
    ids = {json.loads(p.read_text())["student"] for p in exports}
    assert len(ids) == 6


def test_the_report_aggregates_the_class(exports, capsys):
    assert main(["class-report", *map(str, exports), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["students"] == 6
    q = {row["question_id"]: row for row in report["questions"]}

    assert q[NUMERIC]["attempts"] == 6 and q[NUMERIC]["success_rate"] == pytest.approx(4 / 6)
    assert q[NUMERIC]["wrong_answers"] == [{"text": "4 TB", "times": 2, "students": 2}]
    assert q[NUMERIC]["misconceptions"] == [{"text": "bytes-vs-bits", "times": 2, "students": 2}]
    # Seeds 0 and 1 alternate with ability: both variants are reported with their rates.
    assert [(v["seed"], v["attempts"]) for v in q[NUMERIC]["variants"]] == [(0, 3), (1, 3)]
    assert q[OPEN]["success_rate"] == pytest.approx(3 / 6)  # self-rated: Again is a miss
    # Code: every check counts; half the class passed after a failed check.
    assert q[CODE]["attempts"] == 9 and q[CODE]["first_try_rate"] == 0
    assert q[CODE]["success_rate"] == pytest.approx(3 / 9)

    # The strong students pass NUMERIC, the weak ones pass HARD: r of opposite sign.
    assert q[NUMERIC]["discrimination"] == pytest.approx(0.562, abs=1e-3)  # by hand
    assert q[HARD]["discrimination"] < -0.8
    assert q[CODE]["discrimination"] is None  # nobody passed it first: no spread
    assert report["questions"][0]["question_id"] == CODE  # hardest first

    topics = [t["topic"] for t in report["weakest_topics"]]
    assert topics == ["clr", "attention"]
    assert report["misconceptions"] == [{"text": "bytes-vs-bits", "times": 2, "students": 2}]


def test_discrimination_is_the_point_biserial_correlation():
    # The textbook form: (M1 - M0) / s * sqrt(p q), s the population standard deviation.
    ys = [0.9, 0.7, 0.4, 0.2]
    mean = sum(ys) / 4
    s = (sum((y - mean) ** 2 for y in ys) / 4) ** 0.5
    expected = (0.8 - 0.3) / s * (0.5 * 0.5) ** 0.5
    assert pearson([1, 1, 0, 0], ys) == pytest.approx(expected) == pytest.approx(0.9285, abs=1e-4)
    assert pearson([1, 1, 1], [0.2, 0.5, 0.9]) is None


def test_the_html_page_is_self_contained_and_escaped(exports, tmp_path: Path, capsys):
    page = tmp_path / "report.html"
    assert main(["class-report", *map(str, exports), "--html", str(page)]) == 0
    out = capsys.readouterr().out
    assert "6 students" in out and "Weakest topics" in out
    assert "'<script>alert(\"x\")</script>' ×1" in out and "\x1b" not in out and "title" not in out
    html = page.read_text()
    assert html.count("<svg") >= 3  # topics, questions, variants
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "<script" not in html and "\x1b" not in html
    assert "http" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "bytes-vs-bits" in html


def test_a_file_that_is_not_a_class_export_is_named(exports, tmp_path: Path, capsys):
    full = tmp_path / "full.json"
    assert main(["--db", str(tmp_path / "student1.db"), "export-progress", str(full)]) == 0
    assert main(["class-report", str(exports[0]), str(full)]) == 1
    err = capsys.readouterr().err
    assert str(full) in err and "not a class export" in err and "--for-class" in err
    assert main(["class-report"]) == 2
