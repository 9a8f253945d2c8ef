"""`quizapp mock --report FILE`: the Markdown report of a real exam in a real database."""

import re

import pytest

from quizapp.cli import main
from quizapp.decks.content import load_library
from quizapp.decks.variants import format_param
from quizapp.grading.code import CodeVerdict
from quizapp.mock.session import MockExam
from quizapp.progress import mock_exams
from quizapp.progress.store import Store
from quizapp.study.numeric_answers import format_value
from quizapp.study.scheduler import Planner


@pytest.fixture(scope="module")
def library():
    return load_library()


def _sit(library, store, clock, seed, *, right: bool) -> MockExam:
    """A finished exam: calculations right or wrong, choices wrong, code partly passing."""
    planner = Planner.from_store(store, fuzz=False)
    exam = MockExam.start(library, store, planner, "sheet", clock=clock, seed=seed)
    for position in range(len(exam)):
        exam.go_to(position)
        clock.advance(seconds=45 + position)
        question = exam.question_at(position)
        if question.kind == "numeric":
            expected = exam.variant(position).expected
            assert expected is not None  # every numeric question has one
            value = expected * (1 if right else 3)
            exam.save_answer(format_value(value, question.unit))
        elif question.kind == "choice":
            exam.save_answer(str(1 + [o.correct for o in question.options].index(False)))
        elif question.kind == "open":
            exam.save_answer("What I remember about it.")
        else:
            exam.save_answer("def attempt():\n    pass\n")
    exam.end()
    for position in exam.pending_code():
        exam.record_code(position, CodeVerdict("incorrect", "Wrong output shape.", 2, 4))
    for position in exam.pending_ratings():
        exam.rate_open(position, {0})
    exam.finish(planner)
    return exam


def test_the_report_file_has_points_times_diagnoses_worked_solutions_and_trend(
    library, db_path, clock, tmp_path, capsys
):
    store = Store(db_path)
    first = _sit(library, store, clock, seed=11, right=True)
    clock.advance(days=2)
    second = _sit(library, store, clock, seed=12, right=False)
    store.close()

    out = tmp_path / "report.md"
    assert main(["--db", str(db_path), "mock", "--report", str(out)]) == 0
    assert f"mock exam {second.id}" in capsys.readouterr().out
    text = out.read_text(encoding="utf-8")
    assert text.startswith(f"# Mock exam {second.id} ·")
    rows = re.findall(r"^\| (\d+) \| ", text, re.MULTILINE)
    assert rows == [str(n) for n in range(1, 13)]  # one row per question
    assert re.search(r"\| ✗ .* \| 0 / 2 \| 0:4\d \|", text)  # a wrong calculation, its time
    assert "| 2 / 4 |" in text  # code: half the cases, half the points
    # Each wrong calculation: the diagnosis and the answer for the student's own numbers.
    for answer in second.answers:
        question = library.questions[answer.question_id]
        if question.kind != "numeric":
            continue
        variant = second.variant(answer.position)
        assert f"Answer: **{format_value(variant.expected, question.unit)}**" in text
        shown = [(k, v) for k, v in variant.params.items() if v is not None]
        if shown:
            assert (
                "Your numbers: " + ", ".join(f"{k} = {format_param(v)}" for k, v in shown) in text
            )
    assert "**What went wrong:** Not quite: expected" in text
    assert "**What went wrong:** Wrong output shape." in text
    assert "**What went wrong:** Missed: " in text
    assert "A reference solution:" in text
    # The trend over both exams, and the topic's share last time.
    assert "← this one" in text and f"#{first.id} " in text
    assert "Change since the previous exam:" in text
    topics = text.split("## Topics", 1)[1].split("## Trend", 1)[0]
    assert re.search(r"\| Vision Transformers \| [\d.]+ / 8 \| \d+% \| \d+% \|", topics)

    older = tmp_path / "first.md"
    assert main(["--db", str(db_path), "mock", "--report", str(older), "--exam", "1"]) == 0
    assert older.read_text(encoding="utf-8").startswith("# Mock exam 1 ·")
    assert "first finished mock exam" in older.read_text(encoding="utf-8")

    assert main(["--db", str(db_path), "mock", "--list"]) == 0
    listing = capsys.readouterr().out
    assert re.search(r"^\s+1 .* sheet\s+done\s+\S+/30 \(\d+%\)$", listing, re.MULTILINE)


def test_report_errors_name_the_problem(library, db_path, clock, tmp_path, capsys):
    out = str(tmp_path / "r.md")
    assert main(["--db", str(db_path), "mock", "--report", out]) == 2
    assert "no mock exam has ended yet" in capsys.readouterr().err
    store = Store(db_path)
    MockExam.start(library, store, Planner.from_store(store), "sheet", clock=clock, seed=1)
    store.close()
    assert main(["--db", str(db_path), "mock", "--report", out, "--exam", "1"]) == 2
    assert "mock exam 1 is still running" in capsys.readouterr().err
    assert main(["--db", str(db_path), "mock", "--report", out, "--exam", "7"]) == 2
    assert "there is no mock exam 7" in capsys.readouterr().err
    assert mock_exams.exams(Store(db_path))[0].status == "running"


def test_a_report_that_cannot_be_written_says_where(library, db_path, clock, tmp_path, capsys):
    store = Store(db_path)
    _sit(library, store, clock, seed=3, right=True)
    store.close()
    missing = tmp_path / "no-such-dir" / "r.md"
    assert main(["--db", str(db_path), "mock", "--report", str(missing)]) == 2
    assert f"cannot write {missing}" in capsys.readouterr().err
