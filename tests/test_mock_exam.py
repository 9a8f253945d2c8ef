"""Mock exams without a screen: assembly, answers saved at once, resuming, scoring, reviews."""

import sqlite3
from collections import Counter
from datetime import timedelta

import pytest
from fsrs import Rating

from quizapp.decks.content import load_library
from quizapp.grading.code import CodeVerdict
from quizapp.mock.assemble import EXAM_KINDS, MAX_PER_TOPIC, SHEET, Planned, assemble
from quizapp.mock.session import MockExam, MockExamError
from quizapp.progress import mock_exams
from quizapp.progress import store as store_module
from quizapp.progress.store import Store
from quizapp.study.numeric_answers import format_value
from quizapp.study.scheduler import Planner

NUMERIC, CHOICE, OPEN, CODE = (
    "vit.attention-memory-pixels",
    "vit.positional-ablation",
    "clr.goal",
    "masking.neg-inf-scores",
)


@pytest.fixture(scope="module")
def library():
    return load_library()


class FakeGrader:
    """Stands in for CodeGrader (same `grade` signature); the real one is tested in tests/grading."""

    def __init__(self, verdict: CodeVerdict) -> None:
        self.verdict = verdict
        self.calls: list[tuple[str, str, int | None]] = []

    def grade(self, question, source, *, seed=None):
        self.calls.append((question.id, source, seed))
        return self.verdict


def _kinds(library, planned):
    return [library.questions[p.question_id].kind for p in planned]


def _topics(library, planned):
    return [library.questions[p.question_id].topic for p in planned]


# -- assembly ------------------------------------------------------------------------------


def test_like_the_sheet_follows_its_sections_and_mixes_every_kind(library):
    planned = assemble(library, "sheet", seed=1)
    assert len(planned) == len(SHEET)
    assert _topics(library, planned) == [slot.topic for slot in SHEET]
    kinds = Counter(_kinds(library, planned))
    assert set(kinds) == set(EXAM_KINDS) and kinds["code"] == 2 and kinds["numeric"] >= 3
    assert len({p.question_id for p in planned}) == len(planned)
    for p in planned:
        question = library.questions[p.question_id]
        # fresh variants: calculations get a drawn seed (never the sheet's numbers), choices
        # one for the order of their options, code one for its test cases
        fresh = question.kind in ("code", "choice") or question.is_parameterised
        assert (p.variant_seed is not None) == fresh


def test_the_same_seed_gives_the_same_exam_and_other_seeds_vary(library):
    assert assemble(library, "sheet", seed=5) == assemble(library, "sheet", seed=5)
    weak = {"vit": 0.8}
    assert assemble(library, "weak", 9, weakness=weak) == assemble(
        library, "weak", 9, weakness=weak
    )
    exams = {tuple(p.question_id for p in assemble(library, "sheet", seed=s)) for s in range(6)}
    assert len(exams) > 3


def test_weighted_mode_favours_the_weakest_topics_but_keeps_the_mix(library):
    weakness = {t: 0.05 for t in library.topics} | {"seq2seq": 0.9, "transformer": 0.8}
    weak_share, sheet_share = Counter(), Counter()
    for seed in range(20):
        planned = assemble(library, "weak", seed, weakness=weakness)
        topics = Counter(_topics(library, planned))
        assert max(topics.values()) <= MAX_PER_TOPIC
        assert Counter(_kinds(library, planned)) == Counter(
            _kinds(library, assemble(library, "sheet", seed))
        )
        weak_share.update(topics)
        sheet_share.update(_topics(library, assemble(library, "sheet", seed)))
    # seq2seq and transformer have no code questions, so they can fill 10 of 12 slots
    assert weak_share["seq2seq"] / 20 >= 2.5 and weak_share["transformer"] / 20 >= 2.5
    assert sheet_share["seq2seq"] == 0
    assert weak_share["vit"] / 20 < 1.5


def test_questions_of_recent_exams_are_avoided_while_others_remain(library):
    first = assemble(library, "sheet", seed=3)
    second = assemble(library, "sheet", seed=3, avoid=frozenset(p.question_id for p in first))
    masking_code = [q for q in library.by_topic("masking") if q.kind == "code"]
    assert len(masking_code) > 1
    assert second[0].question_id != first[0].question_id  # another masking code question


def test_an_unknown_mode_is_refused(library):
    with pytest.raises(ValueError, match="unknown mock exam mode"):
        assemble(library, "hard", seed=1)


# -- sitting an exam -----------------------------------------------------------------------


def _exam(library, db_path, clock, ids=(NUMERIC, CHOICE, OPEN, CODE)):
    store = Store(db_path)

    def seed(qid):
        question = library.questions[qid]
        return 1234 if question.is_parameterised or question.kind in ("code", "choice") else None

    points = (2.0, 1.0, 3.0, 4.0)
    planned = [Planned(qid, seed(qid), p) for qid, p in zip(ids, points, strict=False)]
    exam_id = mock_exams.create(store, clock(), "sheet", 1, 20 * 60, planned)
    return MockExam.open(library, store, exam_id, clock=clock)


def test_an_answer_is_in_the_database_the_moment_it_is_given(library, db_path, clock):
    exam = _exam(library, db_path, clock)
    exam.save_answer("12 GB")
    with sqlite3.connect(db_path) as other:  # another connection: committed, not cached
        row = other.execute(
            "SELECT answer FROM mock_answers WHERE exam_id = ? AND position = 0", [exam.id]
        ).fetchone()
    assert row == ("12 GB",)
    exam.save_answer("   ")  # blank clears it
    assert mock_exams.answers(exam.store, exam.id)[0].answer is None
    exam.go_to(3)
    assert not exam.save_answer(library.questions[CODE].stub)  # the untouched stub is no answer


def test_quit_and_resume_keeps_answers_position_and_time(library, db_path, clock):
    exam = _exam(library, db_path, clock)
    clock.advance(seconds=40)
    exam.save_answer("7")
    exam.go_to(2)
    clock.advance(seconds=50)
    exam.save_answer("Pull positives together, push negatives apart.")
    exam.checkpoint()
    exam.store.close()  # the student quits (or the app crashes after the last write)

    clock.advance(hours=3)  # time away does not count
    again = MockExam.open(library, Store(db_path), exam.id, clock=clock)
    assert again.position == 2 and again.running
    assert [a.answer for a in again.answers][:3] == [
        "7",
        None,
        "Pull positives together, push negatives apart.",
    ]
    assert again.used_ms() == 90_000
    assert again.spent_ms(0) == 40_000 and again.spent_ms(2) == 50_000
    assert again.time_left_s() == 20 * 60 - 90


def test_time_running_out_ends_the_exam(library, db_path, clock):
    exam = _exam(library, db_path, clock)
    clock.advance(minutes=19, seconds=59)
    assert not exam.time_is_up()
    clock.advance(seconds=2)
    assert exam.time_is_up()
    exam.end("time")
    assert exam.status == "rating" and exam.row.ended_by == "time"
    assert exam.row.used_ms == 20 * 60 * 1000
    assert not exam.save_answer("too late")


def test_scoring_and_diagnosis_then_reviews_enter_the_schedule(library, db_path, clock):
    exam = _exam(library, db_path, clock)
    variant = exam.variant(0)
    wrong_by_gib = format_value(variant.expected * 1e9 / 2**30, "GiB").replace("GiB", "GB")
    exam.save_answer(wrong_by_gib)
    choice = library.questions[CHOICE]
    wrong_option = next(i for i, o in enumerate(choice.options) if not o.correct)
    exam.go_to(1)
    exam.save_answer(str(wrong_option + 1))
    exam.go_to(2)
    exam.save_answer("Similar pairs close, others far apart.")
    exam.go_to(3)
    clock.advance(seconds=30)
    exam.save_answer("def f():\n    return 0\n")
    exam.end()

    answers = exam.answers
    assert (answers[0].points, answers[0].correct) == (0.0, False)
    assert format_value(variant.expected, "GB") in answers[0].diagnosis
    assert "GB vs GiB" in answers[0].diagnosis
    assert answers[1].points == 0.0 and choice.options[wrong_option].text in answers[1].diagnosis
    assert exam.pending_code() == [3] and exam.pending_ratings() == [2]
    assert not exam.ready_to_finish
    with pytest.raises(MockExamError):
        exam.finish(Planner.from_store(exam.store, fuzz=False))

    grader = FakeGrader(CodeVerdict("incorrect", "You forgot the scale.", 3, 4))
    exam.record_code(3, exam.grade_code(grader, 3))
    assert grader.calls == [(CODE, "def f():\n    return 0\n", 1234)]
    assert exam.answers[3].points == 3.0 and exam.answers[3].diagnosis == "You forgot the scale."
    rubric = library.questions[OPEN].rubric
    exam.rate_open(2, {0})
    assert exam.answers[2].points == round(3.0 / len(rubric), 2)
    assert exam.answers[2].diagnosis.startswith("Missed: ")

    planner = Planner.from_store(exam.store, fuzz=False)
    exam.finish(planner)
    assert exam.status == "done" and exam.row.score == pytest.approx(3.0 + exam.answers[2].points)
    reviews = {r.question_id: r for r in exam.store.reviews()}
    assert set(reviews) == {NUMERIC, CHOICE, OPEN, CODE}
    assert reviews[NUMERIC].rating == Rating.Again and reviews[NUMERIC].mode == "review"
    assert reviews[CODE].duration_ms == 30_000 and reviews[CODE].variant_seed == 1234
    assert exam.store.card(CHOICE) is not None
    exam.finish(planner)  # a second call records nothing more
    assert len(exam.store.reviews()) == 4


def test_right_answers_score_full_points_and_unanswered_ones_are_not_reviews(
    library, db_path, clock
):
    exam = _exam(library, db_path, clock, ids=(NUMERIC, CHOICE, OPEN))
    exam.save_answer(format_value(exam.variant(0).expected, "GB"))
    exam.go_to(1)
    right = {i for i, o in enumerate(library.questions[CHOICE].options) if o.correct}
    exam.save_answer(",".join(str(i + 1) for i in sorted(right)))
    exam.end()
    assert [a.points for a in exam.answers] == [2.0, 1.0, 0.0]
    assert exam.answers[2].diagnosis == "Not answered." and exam.ready_to_finish
    exam.finish(Planner.from_store(exam.store, fuzz=False))
    assert {r.question_id: r.rating for r in exam.store.reviews()} == {
        NUMERIC: Rating.Good,
        CHOICE: Rating.Good,
    }


def test_start_builds_a_timed_exam_and_records_it(library, db_path, clock):
    store = Store(db_path)
    exam = MockExam.start(
        library, store, Planner.from_store(store, fuzz=False), "weak", clock=clock, seed=4
    )
    assert len(exam) == len(SHEET) and exam.row.time_limit_s == 60 * 60
    assert mock_exams.unfinished(store).id == exam.id
    second = MockExam.start(
        library, store, Planner.from_store(store, fuzz=False), "sheet", clock=clock, seed=4
    )
    asked_first = {a.question_id for a in exam.answers}
    assert len(asked_first & {a.question_id for a in second.answers}) <= 2


def test_a_version_1_database_gains_the_mock_tables(db_path, monkeypatch):
    with monkeypatch.context() as patch:
        patch.setattr(store_module, "SCHEMA_VERSION", 1)
        Store(db_path).close()
    store = Store(db_path)
    assert store.execute("PRAGMA user_version").fetchone()[0] == store_module.SCHEMA_VERSION
    assert mock_exams.exams(store) == []


def test_reopening_an_exam_whose_question_was_removed_says_which(library, db_path, clock):
    exam = _exam(library, db_path, clock)
    smaller = load_library([], bundled=False)
    with pytest.raises(MockExamError, match=NUMERIC):
        MockExam.open(smaller, exam.store, exam.id, clock=clock)
    with pytest.raises(MockExamError, match="no mock exam 99"):
        MockExam.open(library, exam.store, 99, clock=clock)


def test_time_on_a_question_counts_only_while_it_is_shown(library, db_path, clock):
    exam = _exam(library, db_path, clock)
    clock.advance(seconds=10)
    exam.go_to(1)
    clock.advance(seconds=25)
    exam.go_to(0)
    clock.advance(seconds=5)
    assert exam.spent_ms(0) == 15_000 and exam.spent_ms(1) == 25_000
    assert exam.used_ms() == 40_000
    assert timedelta(milliseconds=exam.used_ms()) == timedelta(seconds=40)


def test_the_mock_exam_domain_never_imports_textual():
    import subprocess
    import sys

    code = (
        "import sys, quizapp.mock.assemble, quizapp.progress.mock_exams, quizapp.mock.session, "
        "quizapp.mock.report; print(any(m.split('.')[0] == 'textual' for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_wrong_calculation_that_matches_a_known_mistake_is_diagnosed(library, db_path, clock):
    from quizapp.decks.variants import mistake_values

    candidates = [
        q.id for q in library.questions.values() if q.kind == "numeric" and q.known_mistakes
    ]
    assert candidates
    for qid in candidates:
        exam = _exam(library, db_path, clock, ids=(qid,))
        variant = exam.variant(0)
        mistakes = [
            (value, hint)
            for value, hint in mistake_values(variant)
            if abs(value - variant.expected) > 0.05 * abs(variant.expected)
        ]
        if mistakes:
            break
    value, hint = mistakes[0]
    exam.save_answer(format_value(value, library.questions[qid].unit))
    exam.end()
    assert exam.answers[0].points == 0.0
    assert hint in exam.answers[0].diagnosis
