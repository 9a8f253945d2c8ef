"""Walks every bundled deck: the course content is complete, computable and self-consistent."""

import math
import random
from collections import Counter

import pytest

from quizapp.checker import check_question
from quizapp.content import load_library
from quizapp.variants import draw_params, expected_value, make_variant

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
