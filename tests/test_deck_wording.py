"""Statements in the bundled decks that must stay true to the solvers and the grader."""

import pytest

from quizapp.decks.content import load_library
from quizapp.solvers import vit

LIBRARY = load_library()
CODE = [q for q in LIBRARY.questions.values() if q.kind == "code"]


@pytest.mark.parametrize("question", CODE, ids=lambda q: q.id)
def test_every_code_prompt_states_the_output_dtype(question):
    # The grader refuses a float64 tensor where the reference returns float32.
    assert "**dtype:**" in question.prompt or "float32" in question.prompt
    assert "float32" in question.prompt or "torch.bool" in question.prompt


def test_vit_naming_quotes_the_solver_parameter_counts():
    text = LIBRARY.questions["vit.naming"].explanation
    for patch in (16, 32):
        assert f"{vit.vit_params_millions(12, 768, patch_size=patch):.1f}M" in text


# Each deck file covering one more topic of the course: enough questions, mixed kinds.
COURSE_EXTRAS = [
    "clip-weak-supervision.yaml",
    "clip-robustness.yaml",
    "clip-evaluation.yaml",
    "seq2seq-captioning.yaml",
    "vit-insights.yaml",
    "vit-swin.yaml",
    "clr-coles.yaml",
]


@pytest.mark.parametrize("deck", COURSE_EXTRAS)
def test_each_further_topic_has_at_least_four_questions_of_mixed_kinds(deck):
    questions = [q for q in LIBRARY.questions.values() if q.path.name == deck]
    assert len(questions) >= 4
    assert len({q.kind for q in questions}) >= 3
    assert {"numeric", "open"} <= {q.kind for q in questions}
    assert all(q.source for q in questions)
