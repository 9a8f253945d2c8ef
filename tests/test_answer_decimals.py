"""`decimals`: a question that asks for N decimals shows its answer with N decimals."""

from quizapp.decks.content import load_library
from quizapp.decks.variants import make_variant
from quizapp.study.numeric_answers import format_value, grade_numeric

DECK = """\
topic: demo
questions:
  - id: demo.rounded
    kind: numeric
    title: Rounded
    prompt: What is 1/7? Give 3 decimals.
    solver: transformer_numbers:fully_masked_row_weight
    params: {{length: 7}}
    decimals: {decimals}
    tolerance: {{abs: 0.0005}}
    explanation: It is {{{{answer}}}}.
    source: test
"""


def _load(tmp_path, decimals):
    (tmp_path / "demo.yaml").write_text(DECK.format(decimals=decimals), encoding="utf-8")
    return load_library([tmp_path], bundled=False, cache=False)


def test_format_value_pads_and_rounds_to_the_decimals():
    assert format_value(0.5, "", 3) == "0.500"
    assert format_value(0.84512, "GB", 3) == "0.845 GB"
    assert format_value(0.84512) == "0.8451"  # default: 4 significant digits


def test_feedback_shows_the_answer_with_the_decimals_asked_for():
    right = grade_numeric("0.845", 0.84512, abs_tol=0.005, decimals=3)
    assert right.correct and "Correct: 0.845." in right.message
    wrong = grade_numeric("0.7", 0.84512, abs_tol=0.005, decimals=3)
    assert "expected 0.845." in wrong.message


def test_the_explanation_answer_uses_the_decimals(tmp_path):
    library = _load(tmp_path, 3)
    assert library.problems == []
    question = library.questions["demo.rounded"]
    assert question.decimals == 3
    assert "It is 0.143." in make_variant(question, fixed=True).explanation


def test_bad_decimals_are_reported_with_file_and_question(tmp_path):
    for bad in ("-1", "'3'", "true", "2.5"):
        library = _load(tmp_path, bad)
        assert "demo.rounded" not in library.questions
        (problem,) = library.problems
        assert problem.question_id == "demo.rounded" and "decimals" in problem.message


def test_bundled_questions_that_ask_for_decimals_declare_them():
    library = load_library()
    for question in library.questions.values():
        if question.kind == "numeric" and "decimal" in question.prompt:
            assert question.decimals is not None, question.id
