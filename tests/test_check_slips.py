"""`quizapp check` fails when a known slip of any drawn variant would be accepted as right,
and the questions it flagged now tell those slips apart (integer answers shown in full)."""

from __future__ import annotations

import dataclasses
import math

import pytest

from quizapp.decks.checker import check_question
from quizapp.decks.content import load_library
from quizapp.decks.variants import make_variant, mistake_values
from quizapp.study.numeric_answers import format_value, grade_numeric


@pytest.fixture(scope="module")
def library():
    return load_library()


# (question, the tolerance it had, the slip the issue reported it accepted)
LOOSE_BEFORE = [
    ("clr.chance-loss", {"abs_tol": 0.005}, "clr_mistakes:chance_loss_all_views"),
    ("seq2seq.additive-params", {"rel_tol": 0.001, "abs_tol": 0.0},
     "transformer_mistakes:additive_params_without_v"),
    ("language-models.bert-embedding-params", {"rel_tol": 0.001, "abs_tol": 0.0},
     "transformer_mistakes:bert_embedding_without_segments"),
    ("transformer.base-model-params", {"rel_tol": 0.001, "abs_tol": 0.0},
     "transformer_mistakes:transformer_without_final_norms"),
]  # fmt: skip


@pytest.mark.parametrize(("qid", "loose", "slip"), LOOSE_BEFORE)
def test_check_fails_a_question_whose_tolerance_accepts_a_known_slip(library, qid, loose, slip):
    question = library.questions[qid]
    assert slip in {m.solver for m in question.known_mistakes}
    assert check_question(question) == []  # as the deck is now
    if qid == "clr.chance-loss":  # the draws it had: the slip shrinks as 1/(2N)
        question = dataclasses.replace(question, vary={"batch_size": [2, 8, 4096]})
    widened = dataclasses.replace(question, **loose)
    messages = check_question(widened)
    assert any(slip in m and "accepted as right" in m for m in messages), messages


@pytest.mark.parametrize(("qid", "loose", "slip"), LOOSE_BEFORE)
def test_the_slip_is_now_graded_wrong_and_named(library, qid, loose, slip):
    question = library.questions[qid]
    variant = make_variant(question, fixed=True)
    hint = next(m.hint for m in question.known_mistakes if m.solver == slip)
    value = next(v for v, h in mistake_values(variant) if h == hint)
    typed = format_value(value, question.unit, question.decimals)
    result = grade_numeric(
        typed,
        variant.expected,
        question.unit,
        question.rel_tol,
        question.abs_tol,
        mistakes=mistake_values(variant),
        decimals=question.decimals,
    )
    assert result.status == "incorrect" and result.diagnosis == hint
    right = format_value(variant.expected, question.unit, question.decimals)
    assert grade_numeric(right, variant.expected, question.unit, question.rel_tol,
                         question.abs_tol, decimals=question.decimals).correct  # fmt: skip


def test_the_exact_count_is_asked_and_shown_in_full(library):
    question = library.questions["transformer.base-model-params"]
    variant = make_variant(question, fixed=True)
    assert float(variant.expected).is_integer()
    exact = str(int(variant.expected))
    result = grade_numeric(exact, variant.expected, "", question.rel_tol, question.abs_tol)
    assert result.correct and result.message == f"Correct: {exact}."
    off_by_one = grade_numeric(
        str(int(variant.expected) + 1), variant.expected, "", question.rel_tol, question.abs_tol
    )
    assert off_by_one.status == "incorrect" and f"expected {exact}." in off_by_one.message
    assert "e+" not in format_value(44_140_000.0) and format_value(44_140_000.0) == "44140000"


def test_a_slip_equal_to_the_answer_for_some_draw_is_not_a_failure(library):
    """heads = 1 makes "forgot the heads" right: harmless for those numbers, never shown."""
    question = library.questions["vit.patch-dim"]
    assert check_question(question) == []
    values = [
        (make_variant(question, seed).expected, mistake_values(make_variant(question, seed)))
        for seed in range(20)
    ]
    assert any(math.isclose(v, m) for v, ms in values for m, _ in ms)  # such a draw exists


def test_the_bundled_decks_accept_no_known_slip(library):
    flagged = [
        (q.id, m)
        for q in library.questions.values()
        if q.kind == "numeric"
        for m in check_question(q)
        if "accepted as right" in m
    ]
    assert flagged == []
