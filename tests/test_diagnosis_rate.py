"""How many typical wrong answers to the numeric questions get the right diagnosis.

The answers (tests/data/typical_wrong_answers.yaml) were worked out by hand as students
make them, combinations of two slips included; each is graded on the sheet's own numbers
exactly as a study session grades it. The goal is at least 90 %.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from quizapp.decks.content import Kind, load_library
from quizapp.decks.variants import make_variant
from quizapp.kinds.numeric import judge

ANSWERS = Path(__file__).parent / "data" / "typical_wrong_answers.yaml"
GOAL = 0.90

pytestmark = pytest.mark.slow  # grades ~230 answers with the solvers (a few seconds)


@pytest.fixture(scope="module")
def library():
    return load_library(cache=False)


@pytest.fixture(scope="module")
def answers():
    return yaml.safe_load(ANSWERS.read_text(encoding="utf-8"))


def _grade(question, text):
    variant = make_variant(question, fixed=True)
    return judge(variant, text)  # as study, shell and mock exams judge it


def test_every_numeric_question_has_typical_wrong_answers(library, answers):
    numeric = {q.id for q in library.questions.values() if q.kind == Kind.NUMERIC}
    assert numeric - set(answers) == set()
    assert set(answers) - numeric == set()  # no stale ids


def test_at_least_90_percent_of_typical_wrong_answers_get_the_right_diagnosis(
    library, answers, capsys
):
    right, missed = 0, []
    total = 0
    for qid, entries in answers.items():
        question = library.questions[qid]
        for entry in entries:
            if entry.get("correct"):
                continue  # counted in the next test
            total += 1
            result = _grade(question, entry["answer"])
            wanted = set(entry["shows"])
            if wanted and not result.correct and wanted <= set(result.misconceptions):
                right += 1
            else:
                missed.append((qid, entry["answer"], sorted(wanted), result.misconceptions))
    rate = right / total
    with capsys.disabled():
        print(f"\ndiagnosis rate: {right}/{total} = {rate:.1%}; missed: {missed}")
    assert rate >= GOAL, missed


def test_answers_right_by_coincidence_are_graded_right(library, answers):
    for qid, entries in answers.items():
        for entry in entries:
            if entry.get("correct"):
                assert _grade(library.questions[qid], entry["answer"]).correct, (qid, entry)
