"""The evidence rule, one for every client: the first graded answer of a due or new card
that day is the review; later ones are practice; failed checks before a pass make it Hard."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from fsrs import Rating

from quizapp.cli import main
from quizapp.decks.content import load_library
from quizapp.grading.code import CodeVerdict
from quizapp.mock.session import MockExam
from quizapp.progress.store import CardRow, Mode, Store
from quizapp.service.server import check_and_record
from quizapp.study.evidence import Evidence, Help, rule
from quizapp.study.scheduler import Planner
from quizapp.study.session import StudySession

from testkit import GOOD_DECKS, FakeClock

CODE = "masking.neg-inf-scores"
NUMERIC = "vit.attention-memory-pixels"
PASS = CodeVerdict("correct", "All cases match.", 5, 5)
FAIL = CodeVerdict("incorrect", "Case 1 differs.", 0, 5)


class SwitchGrader:
    """Stands in for the sandboxed grader: answers with whatever verdict is set."""

    def __init__(self) -> None:
        self.verdict = PASS

    def grade(self, question, source, *, seed=None):
        return self.verdict


@pytest.fixture(scope="module")
def library():
    return load_library()


def _grade_from_shell(library, db_path, grader, source="def f(): ..."):
    """One `quizapp grade ID FILE` as the grading service runs it: a fresh session and a
    fresh connection every time, as separate shell commands have."""
    store = Store(db_path)
    try:
        outcome, _ = check_and_record(library, store, grader, library.questions[CODE], source, None)
        return outcome
    finally:
        store.close()


def _modes(db_path, qid=CODE):
    store = Store(db_path)
    try:
        return [(r.mode, r.rating) for r in store.reviews(qid)]
    finally:
        store.close()


def test_three_shell_checks_of_one_file_give_one_review_then_practice(library, db_path):
    grader = SwitchGrader()
    outcomes = [_grade_from_shell(library, db_path, grader) for _ in range(3)]
    assert [o.next_due is not None for o in outcomes] == [True, False, False]
    assert "already reviewed today" in outcomes[1].evidence_note
    assert _modes(db_path) == [
        (Mode.REVIEW, Rating.Good),
        (Mode.PRACTICE, Rating.Good),
        (Mode.PRACTICE, Rating.Good),
    ]
    store = Store(db_path)
    assert store.card(CODE).reps == 1  # the schedule moved once
    assert len(list(store.db["attempts"].rows)) == 3  # every check is kept


def test_failed_shell_checks_before_the_first_pass_make_it_hard(library, db_path):
    grader = SwitchGrader()
    grader.verdict = FAIL
    failed = _grade_from_shell(library, db_path, grader)
    assert not failed.recorded and _modes(db_path) == []  # an attempt, not a review
    grader.verdict = PASS
    passed = _grade_from_shell(library, db_path, grader)
    assert passed.rating == Rating.Hard and passed.next_due is not None
    assert _modes(db_path) == [(Mode.REVIEW, Rating.Hard)]


def test_a_card_not_due_gets_practice_only(library, db_path):
    now = datetime.now(UTC)
    store = Store(db_path)
    card = CardRow(CODE, 2, None, 10.0, 5.0, now + timedelta(days=5), now - timedelta(days=5),
                   3, 0, now - timedelta(days=20))  # fmt: skip
    store.db["cards"].insert(card.to_row())
    store.close()
    outcome = _grade_from_shell(library, db_path, SwitchGrader())
    assert outcome.next_due is None and outcome.evidence_note.startswith("practice: due 20")
    assert _modes(db_path) == [(Mode.PRACTICE, Rating.Good)]
    assert Store(db_path).card(CODE) == card  # untouched


def test_numeric_answers_from_the_shell_follow_the_same_rule(tmp_path, capsys):
    db = str(tmp_path / "p.db")
    args = ["--db", db, "grade", NUMERIC, "--json", "--answer"]
    assert main([*args, "8.8 TB"]) == 0
    assert main([*args, "8.8 TB"]) == 0
    assert main(["--db", db, "grade", NUMERIC, "--answer", "8.8 TB"]) == 0
    assert "as practice: already reviewed today" in capsys.readouterr().out
    assert _modes(tmp_path / "p.db", NUMERIC) == [
        (Mode.REVIEW, Rating.Good),
        (Mode.PRACTICE, Rating.Good),
        (Mode.PRACTICE, Rating.Good),
    ]


def test_the_next_day_the_due_card_is_a_review_again(db_path):
    library = load_library([GOOD_DECKS], bundled=False)
    clock = FakeClock(datetime(2026, 11, 2, 9, tzinfo=UTC))
    store = Store(db_path)
    planner = Planner.from_store(store, fuzz=False)

    def answer(text: str):
        session = StudySession(library, store, planner, question_ids=[], clock=clock)
        session.show("basics.memory")
        return session.answer_numeric(text)

    assert answer("8796 GB").next_due is not None
    clock.advance(minutes=30)  # the 10 minute learning step has come round: still a review
    assert answer("8796 GB").next_due is not None
    clock.advance(minutes=5)  # graduated to days: a third answer today is practice
    assert answer("8796 GB").next_due is None
    clock.now = store.card("basics.memory").due + timedelta(minutes=1)
    assert answer("8796 GB").next_due is not None
    assert [r.mode for r in store.reviews("basics.memory")] == ["review"] * 2 + [
        "practice",
        "review",
    ]


def test_help_caps_the_rating_at_hard(db_path):
    store = Store(db_path)
    now = datetime(2026, 11, 2, 9, tzinfo=UTC)
    ruling = rule(store, "x.y", now, help_used={Help.LAST_ATTEMPT})
    assert ruling.evidence == Evidence.REVIEW and ruling.cap == Rating.Hard
    assert ruling.apply(Rating.Easy) == Rating.Hard and ruling.apply(Rating.Again) == Rating.Again
    assert rule(store, "x.y", now).cap == Rating.Easy


def test_failed_checks_yesterday_do_not_cap_today(db_path):
    store = Store(db_path)
    now = datetime(2026, 11, 2, 12, tzinfo=UTC)
    store.record_attempt("x.y", now - timedelta(days=1), "src", "incorrect", "no")
    assert rule(store, "x.y", now).cap == Rating.Easy
    store.record_attempt("x.y", now - timedelta(minutes=3), "src", "timeout", "slow")
    assert rule(store, "x.y", now).cap == Rating.Hard


@pytest.mark.slow  # assembles and scores a whole mock exam (~4 s)
def test_a_mock_result_for_a_card_reviewed_today_is_practice(library, db_path):
    clock = FakeClock(datetime(2026, 11, 2, 9, tzinfo=UTC))
    store = Store(db_path)
    planner = Planner.from_store(store, fuzz=False)
    exam = MockExam.start(library, store, planner, "sheet", clock=clock, seed=3)
    numeric, other = [
        a.position for a in exam.answers if library.questions[a.question_id].kind == "numeric"
    ][:2]
    qid = exam.answers[numeric].question_id
    session = StudySession(library, store, planner, question_ids=[], clock=clock)
    session.show(qid)
    session.answer_numeric("1")  # reviewed (Again) this morning, before the exam
    for position in (numeric, other):
        exam.go_to(position)
        exam.save_answer("1")
    exam.end()
    for position in exam.pending_code():
        exam.record_code(position, exam.grade_code(SwitchGrader(), position))
    for position in exam.pending_ratings():
        exam.rate_open(position, set())
    exam.finish(planner)
    assert [r.mode for r in store.reviews(qid)] == ["review", "practice"]
    others = [r for r in store.reviews() if r.question_id != qid]
    assert others and all(r.mode == "review" for r in others)  # new cards: reviews


def test_json_report_of_practice_says_recorded(tmp_path, capsys):
    db = str(tmp_path / "p.db")
    main(["--db", db, "grade", NUMERIC, "--answer", "8.8 TB"])
    capsys.readouterr()
    main(["--db", db, "grade", NUMERIC, "--answer", "8.8 TB", "--json"])
    assert json.loads(capsys.readouterr().out)["recorded"] is True


def test_watch_checks_in_one_process_follow_the_rule(library, tmp_path, capsys):
    """`quizapp grade --watch` keeps one session: a fail, a pass (Hard), then saves after
    the pass are practice, each recorded."""
    from argparse import Namespace

    from quizapp.commands import Context
    from quizapp.commands.grade import _CodeChecks

    source = tmp_path / "work.py"
    source.write_text("def f(): ...")
    args = Namespace(db=str(tmp_path / "p.db"), content=None, file=str(source), seed=None,
                     no_record=False, json=True, no_service=True)  # fmt: skip
    grader = SwitchGrader()
    grader.via = "in-process"
    grader.why_not_service = ""
    checks = _CodeChecks(Context(args), library.questions[CODE], args, grader)
    grader.verdict = FAIL
    assert checks() == 1
    grader.verdict = PASS
    assert [checks() for _ in range(3)] == [0, 0, 0]
    reports, out, decoder = [], capsys.readouterr().out.strip(), json.JSONDecoder()
    while out:  # one JSON object per check
        report, end = decoder.raw_decode(out)
        reports.append(report)
        out = out[end:].strip()
    assert [r["recorded"] for r in reports] == [False, True, True, True]
    assert _modes(tmp_path / "p.db") == [
        (Mode.REVIEW, Rating.Hard),
        (Mode.PRACTICE, Rating.Good),
        (Mode.PRACTICE, Rating.Good),
    ]


def test_exam_prep_reviews_a_card_early_but_once_a_day(db_path):
    library = load_library([GOOD_DECKS], bundled=False)
    clock = FakeClock(datetime(2026, 11, 2, 9, tzinfo=UTC))
    store = Store(db_path)
    planner = Planner.from_store(store, fuzz=False)
    session = StudySession(library, store, planner, question_ids=[], clock=clock)
    session.show("basics.flash")
    session.rate(Rating.Easy)  # due in days
    clock.now = datetime(2026, 11, 3, 9, tzinfo=UTC)  # the next day, not due yet

    def exam_prep_answer():
        early = StudySession(library, store, planner, question_ids=[], clock=clock, early=True)
        early.show("basics.flash")
        return early.rate(Rating.Good)

    assert store.card("basics.flash").due > clock.now
    assert exam_prep_answer().next_due is not None  # early on purpose: a review
    assert exam_prep_answer().next_due is None  # but only one a day
    plain = StudySession(library, store, planner, question_ids=[], clock=clock)
    plain.show("basics.flash")
    assert "already reviewed today" in plain.rate(Rating.Good).evidence_note


def test_practice_answers_are_counted_apart_in_stats(tmp_path, capsys):
    from quizapp.study.stats import reviews_per_day

    db = str(tmp_path / "p.db")
    for _ in range(3):
        main(["--db", db, "grade", NUMERIC, "--answer", "8.8 TB"])
    store = Store(tmp_path / "p.db")
    today = reviews_per_day(store, datetime.now(UTC))[-1]
    assert (today.reviews, today.practice) == (3, 2)
    capsys.readouterr()
    assert main(["--db", db, "stats"]) == 0
    assert "today 3, of which 2 practice" in capsys.readouterr().out
