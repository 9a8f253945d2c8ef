"""The numeric questions of the later course decks diagnose wrong answers and work through
the student's own numbers, like the original decks."""

import pytest

from quizapp.decks.content import load_library
from quizapp.decks.variants import answer_text, make_variant, mistake_values
from quizapp.study.numeric_answers import grade_numeric

DECKS = {
    "clip-weak-supervision.yaml",
    "clip-robustness.yaml",
    "clip-evaluation.yaml",
    "seq2seq-captioning.yaml",
    "vit-insights.yaml",
    "vit-swin.yaml",
    "clr-coles.yaml",
}
# The only count a student reaches besides K - 1 is K; there is no second plausible slip.
ONE_MISTAKE = {"clip.joulin-negatives"}

QUESTIONS = [
    q for q in load_library().questions.values() if q.kind == "numeric" and q.path.name in DECKS
]


def test_the_later_decks_have_their_numeric_questions():
    assert len(QUESTIONS) >= 20


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: q.id)
def test_each_names_its_typical_slips(question):
    slips = len(question.known_mistakes) + len(question.slips)
    assert slips >= (1 if question.id in ONE_MISTAKE else 2)


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: q.id)
def test_a_slip_on_a_drawn_variant_gets_its_own_hint(question):
    """For a few variants, typing a mistake's value names that mistake (unless the slip
    gives the right answer for those numbers), and the explanation shows the variant's own
    answer with nothing left unfilled."""
    for seed in range(3):
        variant = make_variant(question, seed)
        assert answer_text(question, variant.expected) in variant.explanation
        assert "{{" not in variant.explanation
        mistakes = mistake_values(variant)
        for value, hint in mistakes:
            result = grade_numeric(
                repr(value),
                variant.expected,
                question.unit,
                question.rel_tol,
                question.abs_tol,
                mistakes=mistakes,
            )
            if result.status == "correct":
                continue  # this slip coincides with the right answer here
            assert hint in result.diagnosis, (variant.params, value)
