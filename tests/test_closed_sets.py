"""Closed sets are enums whose values are the strings files and the database already hold."""

from __future__ import annotations

import json

import pytest
import yaml

from quizapp.decks.content import Kind, load_library
from quizapp.grading.code import CodeVerdict
from quizapp.progress.store import Mode, Store, iso
from quizapp.study.scheduler import Planner
from quizapp.study.session import StudySession

from testkit import GOOD_DECKS


def test_deck_kinds_load_as_members_and_still_read_as_their_text():
    library = load_library([GOOD_DECKS], bundled=False)
    kinds = {q.kind for q in library.questions.values()}
    assert kinds == {Kind.NUMERIC, Kind.FLASHCARD, Kind.CHOICE, Kind.OPEN}
    assert all(type(kind) is Kind for kind in kinds)
    assert Kind.NUMERIC == "numeric" and json.dumps(Kind.NUMERIC) == '"numeric"'
    assert f"{Kind.OPEN}" == "open"


def test_an_unknown_kind_names_the_allowed_ones(tmp_path):
    deck = {"topic": "bad", "questions": [{"id": "bad.x", "kind": "essay", "title": "t"}]}
    (tmp_path / "bad.yaml").write_text(yaml.safe_dump(deck))
    library = load_library([tmp_path], bundled=False)
    (problem,) = library.problems
    assert "unknown kind 'essay'; use one of flashcard, choice, numeric, open, code" in str(problem)


def test_a_misspelt_session_mode_fails_at_once(tmp_path):
    store = Store(tmp_path / "p.db")
    library = load_library([GOOD_DECKS], bundled=False)
    with pytest.raises(ValueError, match="revew"):
        StudySession(library, store, Planner.from_store(store), question_ids=[], mode="revew")


def test_modes_are_stored_as_text_and_an_unknown_one_reads_as_practice(tmp_path):
    path = tmp_path / "p.db"
    store = Store(path)
    library = load_library([GOOD_DECKS], bundled=False)
    qid = next(q.id for q in library.questions.values() if q.kind == Kind.FLASHCARD)
    session = StudySession(
        library, store, Planner.from_store(store), question_ids=[qid], mode=Mode.PRACTICE
    )
    session.next()
    session.rate(3)
    assert store.execute("SELECT mode FROM reviews").fetchall() == [("practice",)]
    (first,) = store.reviews()
    store.insert_reviews(
        [
            {
                "question_id": qid,
                "reviewed_at": iso(first.reviewed_at),
                "duration_ms": 0,
                "mode": "exam-2031",
                "rating": 3,
                "answer": "",
            }
        ]
    )
    modes = [row.mode for row in Store(path).reviews()]
    assert modes == [Mode.PRACTICE, Mode.PRACTICE] and all(type(m) is Mode for m in modes)


class _Grader:
    def __init__(self, verdict: CodeVerdict) -> None:
        self.verdict = verdict

    def grade(self, question, source):
        return self.verdict


def test_a_code_check_outcome_carries_its_typed_verdict(tmp_path):
    store = Store(tmp_path / "p.db")
    library = load_library([GOOD_DECKS], bundled=False)
    qid = next(iter(library.questions))
    failing = CodeVerdict("incorrect", "case 2 differs", 1, 3)
    session = StudySession(
        library, store, Planner.from_store(store), question_ids=[qid], grader=_Grader(failing)
    )
    session.next()
    outcome = session.check_code("def f(): pass")
    assert outcome.verdict is failing and outcome.status == "incorrect"
    assert outcome.diagnosis == "" and not outcome.recorded
    session.grader = _Grader(CodeVerdict("correct", "all match", 3, 3))
    passed = session.check_code("def f(): return 1")
    assert passed.recorded and passed.verdict.cases_passed == 3
