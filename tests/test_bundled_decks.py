"""Walks every bundled deck: the course content is complete, computable and self-consistent."""

import math
import random
from collections import Counter

import pytest

from quizapp.decks.checker import check_question
from quizapp.decks.content import load_library
from quizapp.decks.variants import (
    answer_text,
    draw_params,
    expected_value,
    make_variant,
    mistake_values,
)
from quizapp.study.numeric_answers import grade_numeric

LIBRARY = load_library()

# Every exercise of the exercise sheet that the app must carry under a stable id.
SHEET_IDS = {
    "attention.scaled-dot-product",
    "masking.zero-weights",
    "masking.zero-scores",
    "masking.neg-inf-scores",
    "masking.large-negative-scores",
    "masking.renormalized-weights",
    "clr.simclr-affinity",
    "clr.info-nce",
    "clip.caption-scores",
    "vit.attention-memory-pixels",
    "vit.attention-memory-patches",
    "clr.info-nce-example",
}


def _of_kind(kind):
    return [q for q in LIBRARY.questions.values() if q.kind == kind]


def test_every_deck_loads_and_the_course_is_covered():
    assert LIBRARY.problems == []
    assert not SHEET_IDS - set(LIBRARY.questions)
    assert len(LIBRARY.questions) >= 150
    assert len(LIBRARY.topics) >= 10
    kinds = Counter(q.kind for q in LIBRARY.questions.values())
    assert set(kinds) == {"flashcard", "choice", "numeric", "open", "code"}


def test_every_question_says_where_it_comes_from_and_explains():
    for question in LIBRARY.questions.values():
        assert question.source and question.explanation, question.id


@pytest.mark.parametrize("question", _of_kind("numeric"), ids=lambda q: q.id)
def test_numeric_answers_are_finite_for_the_defaults_and_20_variants(question):
    values = [expected_value(question, dict(question.params))]
    for seed in range(20 if question.is_parameterised else 0):
        values.append(expected_value(question, draw_params(question, random.Random(seed))))
    assert all(math.isfinite(v) for v in values)
    variant = make_variant(question, seed=7)
    assert "{{" not in variant.prompt  # every placeholder was filled


def test_at_least_15_numeric_questions_draw_fresh_parameters():
    assert sum(q.is_parameterised for q in _of_kind("numeric")) >= 15


def test_sheet_values_agree_with_the_material():
    pixels = LIBRARY.questions["vit.attention-memory-pixels"]
    assert expected_value(pixels, dict(pixels.params)) == pytest.approx(8796.09, rel=1e-4)  # GB
    example = LIBRARY.questions["clr.info-nce-example"]
    assert expected_value(example, dict(example.params)) == pytest.approx(0.9665, abs=1e-4)


def test_choice_questions_have_a_right_option_and_open_ones_a_rubric():
    assert all(any(o.correct for o in q.options) for q in _of_kind("choice"))
    assert all(q.rubric and q.model_answer for q in _of_kind("open"))
    assert all(q.back for q in _of_kind("flashcard"))


@pytest.mark.parametrize("question", _of_kind("code"), ids=lambda q: q.id)
def test_code_reference_passes_its_own_grader(question):
    assert check_question(question) == []


# -- known mistakes of numeric questions ---------------------------------------------------

WITH_MISTAKES = [q for q in _of_kind("numeric") if q.known_mistakes or q.slips]


def _slip_count(question) -> int:
    """Known mistakes (formula slips) and declared slips (parameter or result changes)."""
    return len(question.known_mistakes) + len(question.slips)


def test_at_least_30_numeric_questions_name_two_or_more_mistakes():
    assert sum(_slip_count(q) >= 2 for q in WITH_MISTAKES) >= 30


def test_every_numeric_question_knows_a_mistake():
    assert [q.id for q in _of_kind("numeric") if not _slip_count(q)] == []


@pytest.mark.parametrize("question", WITH_MISTAKES, ids=lambda q: q.id)
def test_every_mistake_is_computable_and_finite_for_the_sheet_and_drawn_variants(question):
    variants = [make_variant(question, fixed=True)]
    variants += [
        make_variant(question, seed) for seed in range(8 if question.is_parameterised else 0)
    ]
    # a position slip (key 3 read as the fourth) has no value where it would run off the end
    shifts = sum(bool(slip.add) for slip in question.slips)
    for index, variant in enumerate(variants):
        values = mistake_values(variant)
        least = _slip_count(question) - (shifts if index else 0)
        assert least <= len(values) <= _slip_count(question), variant.params
        assert all(math.isfinite(value) for value, _ in values)
    sheet = variants[0]
    for value, hint in mistake_values(sheet):  # each one is diagnosed on the sheet's numbers
        result = grade_numeric(
            repr(value),
            sheet.expected,
            "",
            question.rel_tol,
            question.abs_tol,
            mistakes=mistake_values(sheet),
        )
        assert result.status == "incorrect" and hint in result.diagnosis, hint


def _variant_with(question, **wanted):
    for seed in range(500):
        variant = make_variant(question, seed)
        if all(variant.params[k] == v for k, v in wanted.items()):
            return variant
    raise AssertionError(f"no seed draws {wanted}")


def test_forgetting_the_temperature_is_no_mistake_when_it_is_1():
    question = LIBRARY.questions["clr.nt-xent-anchor"]
    hint = "You forgot to divide the similarities by the temperature τ."
    cold = _variant_with(question, temperature=0.1)
    slip = dict((h, v) for v, h in mistake_values(cold))[hint]
    assert hint in grade(cold, slip).diagnosis
    neutral = _variant_with(question, temperature=1.0)
    slip = dict((h, v) for v, h in mistake_values(neutral))[hint]
    assert slip == pytest.approx(neutral.expected)  # the "mistake" is the right answer here
    result = grade(neutral, slip)
    assert result.status == "correct" and "temperature" not in result.message


def test_a_mistake_within_tolerance_of_the_right_answer_is_never_blamed():
    """λ = 0.999 and 10 steps: λ^k = 0.99004 and the linear 1 − k(1 − λ) = 0.99 are the
    same answer at 1% tolerance, so an answer near 0.98 is wrong but not that slip. (The
    deck no longer draws such numbers, as `quizapp check` forbids them; the grader must
    still never blame a slip it cannot tell from the right answer.)"""
    question = LIBRARY.questions["readings.dino-ema-memory"]
    hint = next(m.hint for m in question.known_mistakes if "linear" in m.solver)
    sheet = make_variant(question, fixed=True)  # λ = 0.996, 100 steps: 0.67 against 0.6
    assert grade(sheet, "0.6").diagnosis == hint
    expected, linear, rel_tol = 0.999**10, 1 - 10 * (1 - 0.999), 0.01
    answer = linear * (1 - rel_tol)  # matches the slip's value, not the right one
    result = grade_numeric(repr(answer), expected, "", rel_tol, 0.0, mistakes=[(linear, hint)])
    assert result.status == "incorrect"
    assert result.diagnosis == "" and hint not in result.message


def grade(variant, answer):
    question = variant.question
    return grade_numeric(
        str(answer),
        variant.expected,
        question.unit,
        question.rel_tol,
        question.abs_tol,
        mistakes=mistake_values(variant),
    )


@pytest.mark.parametrize(
    "question", [q for q in WITH_MISTAKES if q.is_parameterised], ids=lambda q: q.id
)
def test_a_drawn_variants_explanation_works_through_its_own_numbers(question):
    for seed in range(4):
        variant = make_variant(question, seed)
        answer = answer_text(question, variant.expected)
        assert answer in variant.explanation, (variant.params, answer)
        assert "{{" not in variant.explanation
