"""Misconceptions are recorded with the answers that show them, on real SQLite files:
study sessions, undo, `quizapp grade` and `quizapp misconceptions`, mock exams, and the
migration of an older progress file."""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta

import pytest

from quizapp.cli import main
from quizapp.decks.content import load_library
from quizapp.misconceptions.drill import DrillSession, plan, slip_matters
from quizapp.misconceptions.tracking import tracked
from quizapp.mock.assemble import Planned
from quizapp.mock.report import build_mock_report, to_markdown
from quizapp.mock.session import MockExam
from quizapp.progress import mock_exams
from quizapp.progress import store as store_module
from quizapp.progress.store import Store
from quizapp.study.scheduler import Planner
from quizapp.study.session import StudySession

MEMORY = "attention.score-memory"  # 1024 tokens, 8 heads, 6 layers, 4 bytes: 201.3 MB
HEADS_LEFT_OUT = "25.17 MB"


@pytest.fixture(scope="module")
def library():
    return load_library(cache=False)


def _session(library, db_path, clock, ids=()):
    store = Store(db_path)
    planner = Planner.from_store(store, fuzz=False)
    return StudySession(library, store, planner, question_ids=list(ids), clock=clock)


def _drill(library, db_path, clock, items):
    store = Store(db_path)
    return DrillSession(library, store, Planner.from_store(store, fuzz=False), items, clock=clock)


def _events(db_path):
    with sqlite3.connect(db_path) as conn:
        return conn.execute(
            "SELECT misconception_id, question_id, kind, source FROM misconception_events "
            "ORDER BY id"
        ).fetchall()


def test_a_diagnosed_answer_is_recorded_and_undo_removes_it(library, db_path, clock):
    session = _session(library, db_path, clock, [MEMORY])
    session.next()
    outcome = session.answer_numeric(HEADS_LEFT_OUT)
    assert "left out the heads" in outcome.diagnosis
    assert _events(db_path) == [("heads-forgotten", MEMORY, "seen", "review")]
    [item] = tracked(library, session.store)
    assert (item.id, item.times_seen, item.fixed) == ("heads-forgotten", 1, False)
    assert item.due is not None and item.due > clock()

    assert session.undo() is not None
    assert _events(db_path) == []
    assert tracked(library, session.store) == []
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT count(*) FROM misconception_cards").fetchone() == (0,)


def test_a_misconception_is_fixed_once_later_answers_where_it_was_possible_are_right(
    library, db_path, clock
):
    session = _session(library, db_path, clock)
    session.show(MEMORY, fixed=True)
    session.answer_numeric(HEADS_LEFT_OUT)
    clock.advance(days=1)
    session.show("vit.attention-memory-pixels", fixed=True)  # also links heads-forgotten
    session.answer_numeric("549.8 GB")  # heads left out again
    [item] = tracked(library, session.store)
    assert item.times_seen == 2 and not item.fixed
    clock.advance(days=1)
    session.show(MEMORY, fixed=True)
    session.answer_numeric("201.3 MB")
    [item] = tracked(library, session.store)
    assert item.fixed and item.right_since == 1
    # a later wrong answer where the slip was possible (another slip) reopens it
    clock.advance(days=1)
    session.show(MEMORY, fixed=True)
    session.answer_numeric("1000 MB")
    [item] = tracked(library, session.store)
    assert not item.fixed and item.wrong_since == 1


def test_a_wrong_choice_that_encodes_an_error_is_recorded(library, db_path, clock):
    session = _session(library, db_path, clock)
    session.show("attention.softmax-rows", fixed=True)
    columns = next(
        i for i, o in enumerate(session.question.options) if o.misconception == "softmax-wrong-axis"
    )
    session.answer_choice({columns})
    assert _events(db_path) == [("softmax-wrong-axis", "attention.softmax-rows", "seen", "review")]


def test_grade_from_the_shell_records_and_misconceptions_lists_it(tmp_path, capsys):
    db = str(tmp_path / "p.db")
    assert main(["--db", db, "grade", "clr.cosine-similarity", "--answer", "4"]) == 1
    capsys.readouterr()
    assert main(["--db", db, "misconceptions", "--json"]) == 0
    [item] = json.loads(capsys.readouterr().out)
    assert item["id"] == "dot-for-cosine" and item["times_seen"] == 1
    assert item["fixed"] is False and item["last_seen"]
    assert _events(tmp_path / "p.db")[0][3] == "shell"
    assert main(["--db", db, "misconceptions"]) == 0
    out = capsys.readouterr().out
    assert "Dot products instead of cosine similarity" in out and "open" in out


def test_the_drill_draws_variants_where_the_slip_changes_the_answer(library, db_path, clock):
    session = _session(library, db_path, clock)
    session.show(MEMORY, fixed=True)
    session.answer_numeric(HEADS_LEFT_OUT)
    items = plan(library, session.store, clock() + timedelta(hours=1), seed=3)
    assert items and {i.misconception_id for i in items} == {"heads-forgotten"}
    drill = _drill(library, db_path, clock, items)
    shown = []
    while (variant := drill.next()) is not None:
        assert slip_matters(variant, "heads-forgotten")
        assert variant.params.get("heads", 2) != 1
        shown.append(variant.question.id)
        drill.skip()
    assert shown == [i.question_id for i in items]


def test_the_drill_records_as_drill_and_moves_the_misconceptions_own_card(library, db_path, clock):
    session = _session(library, db_path, clock)
    session.show(MEMORY, fixed=True)
    session.answer_numeric(HEADS_LEFT_OUT)
    [before] = tracked(library, session.store)
    clock.advance(days=1)
    items = plan(library, session.store, clock(), seed=1)
    drill = _drill(library, db_path, clock, items[:1])
    variant = drill.next()
    assert variant is not None
    drill.answer_numeric(f"{variant.expected:.6g} {variant.question.unit}")
    [after] = tracked(library, drill.store)
    assert after.fixed and after.due is not None and after.due > before.due
    assert _events(db_path)[-1][2:] == ("right", "drill")


def test_a_mock_exam_records_its_misconceptions_and_its_report_lists_them(library, db_path, clock):
    store = Store(db_path)
    planned = [Planned(MEMORY, 1234, 2.0), Planned("clr.cosine-similarity", 1234, 1.0)]
    exam_id = mock_exams.create(store, clock(), mock_exams.ExamMode.SHEET, 1, 20 * 60, planned)
    exam = MockExam.open(library, store, exam_id, clock=clock)
    variant = exam.variant(0)
    heads = variant.params["heads"]
    exam.save_answer(f"{variant.expected / heads:.6g} MB")
    exam.go_to(1)
    u, v = exam.variant(1).params["u"], exam.variant(1).params["v"]
    exam.save_answer(str(sum(a * b for a, b in zip(u, v, strict=True))))  # the dot product
    exam.end()
    exam.finish(Planner.from_store(store, fuzz=False))
    seen = {(m, q, kind, source) for m, q, kind, source in _events(db_path)}
    assert seen == {
        ("heads-forgotten", MEMORY, "seen", "mock"),
        ("dot-for-cosine", "clr.cosine-similarity", "seen", "mock"),
    }
    text = to_markdown(build_mock_report(library, store, exam_id))
    assert "## Misconceptions this exam showed" in text
    assert "**Heads left out**" in text and "**Dot products instead of cosine similarity**" in text
    exam.finish(Planner.from_store(store, fuzz=False))  # a second call records nothing more
    assert len(_events(db_path)) == 2


def test_a_version_3_file_gains_the_misconception_tables_and_keeps_its_reviews(
    library, db_path, clock, monkeypatch
):
    with monkeypatch.context() as patch:
        patch.setattr(store_module, "SCHEMA_VERSION", 3)
        old = Store(db_path)
        assert old.execute("PRAGMA user_version").fetchone()[0] == 3
        tables = {r[0] for r in old.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert "misconception_events" not in tables
        old.close()
    session = _session(library, db_path, clock)
    assert session.store.execute("PRAGMA user_version").fetchone()[0] == store_module.SCHEMA_VERSION
    session.show(MEMORY, fixed=True)
    session.answer_numeric(HEADS_LEFT_OUT)
    assert _events(db_path) == [("heads-forgotten", MEMORY, "seen", "review")]
    assert list(db_path.parent.glob("*.backups/*"))  # a copy was taken before the upgrade


class _Grader:
    """Stands in for the sandboxed grader (tested in tests/grading): returns the verdicts
    a real check gives, the known mistake's hint included."""

    def __init__(self, *verdicts):
        self.verdicts = list(verdicts)

    def grade(self, question, source):
        return self.verdicts.pop(0)


def test_a_code_check_that_shows_a_known_mistake_is_recorded_and_passing_later_fixes_it(
    library, db_path, clock
):
    from quizapp.grading.code import CodeVerdict

    question = library.questions["attention.scaled-dot-product"]
    unscaled = next(m for m in question.known_mistakes if m.misconception == "scale-forgotten")
    wrong = CodeVerdict("incorrect", f"**Not quite: 2 of 6.**\n\n**Hint:** {unscaled.hint}", 2, 6)
    right = CodeVerdict("correct", "**Correct!**", 6, 6)
    store = Store(db_path)
    session = StudySession(
        library,
        store,
        Planner.from_store(store, fuzz=False),
        question_ids=[],
        clock=clock,
        grader=_Grader(wrong, right),
    )
    session.show(question.id)
    session.check_code("def attention(q, k, v): ...")
    assert _events(db_path) == [("scale-forgotten", question.id, "seen", "review")]
    clock.advance(minutes=5)
    session.check_code("def attention(q, k, v): ...")
    assert _events(db_path)[-1] == ("scale-forgotten", question.id, "right", "review")
    [item] = tracked(library, store)
    assert item.fixed


def test_progress_export_carries_misconceptions_and_import_merges_them_once(
    library, db_path, clock, tmp_path
):
    from quizapp.progress.export import export_progress, import_progress

    session = _session(library, db_path, clock)
    session.show(MEMORY, fixed=True)
    session.answer_numeric(HEADS_LEFT_OUT)
    data = json.loads(json.dumps(export_progress(session.store)))  # through real JSON
    assert [e["misconception_id"] for e in data["misconception_events"]] == ["heads-forgotten"]
    assert [c["misconception_id"] for c in data["misconception_cards"]] == ["heads-forgotten"]

    other = Store(tmp_path / "other.db")
    first = import_progress(other, data)
    again = import_progress(other, data)
    assert (first.misconception_events_added, first.misconception_cards_added) == (1, 1)
    assert (again.misconception_events_added, again.misconception_cards_added) == (0, 0)
    other.close()
    assert _events(tmp_path / "other.db") == [("heads-forgotten", MEMORY, "seen", "review")]
    conn = sqlite3.connect(tmp_path / "other.db")
    assert conn.execute("SELECT review_id FROM misconception_events").fetchall() == [(None,)]
    conn.close()
