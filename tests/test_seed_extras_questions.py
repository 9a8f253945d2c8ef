"""The questions written for the rest of the seeds (Transformer results, GPT scale, PET,
ELMo, captioning/VQA data sets, distribution shift, CLIP's zero-shot examples, textures)
and the audit corrections: sheet values come out, slips are diagnosed, text reads right."""

import re

import pytest

from quizapp.decks.content import load_library
from quizapp.decks.variants import answer_text, make_variant, mistake_values, slip_candidates
from quizapp.misconceptions.slips import question_slips
from quizapp.study.numeric_answers import grade_numeric

DECKS = {
    "transformer-results.yaml",
    "language-models-scale.yaml",
    "clip-datasets.yaml",
    "clip-distribution-shift.yaml",
    "clip-zero-shot-examples.yaml",
    "vit-textures.yaml",
}
LIBRARY = load_library(cache=False)
NEW = [q for q in LIBRARY.questions.values() if q.path.name in DECKS]
NUMERIC = [q for q in NEW if q.kind == "numeric"]
CHOICE = [q for q in NEW if q.kind == "choice"]

# The values the course material gives (or that follow from it by hand).
SHEET_ANSWERS = {
    "transformer.training-gpu-hours": 3.5 * 24 * 8,  # 672 GPU-hours
    "language-models.gpt-weight-storage": 175e9 * 4 / 1e9,  # 700 GB in fp32
    "language-models.gpt-tokens-per-batch": 64 * 512,  # GPT-1
    "language-models.gpt3-batch-sequences": 3.2e6 / 2048,
    "clip.coco-caption-count": 100_000 * 5,
    "clip.conceptual-vs-coco": 30,
    "clip.visual-genome-qa": 1_700_000,
    "clip.objectnet-overlap": 100 * 113 / 313,
    "clip.zero-shot-times-chance": 0.902 * 397,
}


def test_every_topic_of_the_rest_of_the_seeds_has_questions():
    kinds = {q.kind for q in NEW}
    assert {"flashcard", "choice", "numeric", "open"} <= kinds
    assert len(NEW) >= 25
    assert set(SHEET_ANSWERS) <= {q.id for q in NUMERIC}


@pytest.mark.parametrize("qid", sorted(SHEET_ANSWERS))
def test_the_fixed_variant_gives_the_material_s_value(qid):
    question = LIBRARY.questions[qid]
    variant = make_variant(question, fixed=True)
    assert variant.expected == pytest.approx(SHEET_ANSWERS[qid], rel=1e-6)


@pytest.mark.parametrize("question", NUMERIC, ids=lambda q: q.id)
def test_a_slip_gets_its_own_hint(question):
    assert question_slips(question)
    for seed in range(4):
        variant = make_variant(question, seed)
        assert answer_text(question, variant.expected) in variant.explanation
        assert "{{" not in variant.prompt + variant.explanation
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
            if result.status != "correct":
                assert hint in result.diagnosis, (variant.params, value)


@pytest.mark.parametrize("question", CHOICE, ids=lambda q: q.id)
def test_every_wrong_option_says_why(question):
    wrong = [o for o in question.options if not o.correct]
    assert len(wrong) >= 2
    assert all(o.why for o in wrong)


def test_gpt_storage_names_the_size_in_words_and_accepts_gib():
    question = LIBRARY.questions["language-models.gpt-weight-storage"]
    variant = make_variant(question, fixed=True)
    assert "GPT-3 has 175 billion parameters" in variant.prompt
    result = grade_numeric(
        "651.9 GiB", variant.expected, question.unit, question.rel_tol, question.abs_tol
    )
    assert result.status == "correct"
    slip = grade_numeric(
        "651.9",
        variant.expected,
        question.unit,
        question.rel_tol,
        question.abs_tol,
        mistakes=mistake_values(variant),
    )
    assert "GiB" in slip.diagnosis


# A slip written as a transformation (times, set, unit_as, then) is diagnosed with its own
# hint and catalogue link, and two of them together are derived, not listed.
SLIPS_ON_THE_SHEET = [
    ("language-models.gpt-weight-storage", "5600", ["bits-for-bytes"], "size in bits"),
    ("language-models.gpt-weight-storage", "175", ["bytes-per-float-forgotten"], "one byte"),
    ("language-models.gpt-weight-storage", "651.9", ["decimal-vs-binary-units"], "GiB"),
    ("language-models.gpt-weight-storage", "1400",
     ["bits-for-bytes", "bytes-per-float-forgotten"], "Two slips at once"),
    ("language-models.gpt-tokens-per-batch", "64", ["batch-unit-confused"], "number of sequences"),
    ("language-models.gpt3-batch-sequences", "3125", ["gpt-context-mixed-up"], "GPT-2's context"),
    ("clip.conceptual-vs-coco", "0.03333", ["ratio-inverted"], "other way round"),
    ("clip.coco-caption-count", "100000", ["one-per-item-assumed"], "number of images"),
    ("clip.zero-shot-times-chance", "451",
     ["percent-vs-fraction", "chance-over-shown-labels"], "Two slips at once"),
    ("clip.objectnet-overlap", "0.361", ["percent-vs-fraction"], "as a fraction"),
    ("transformer.training-gpu-hours", "3.5",
     ["time-unit-not-converted", "count-for-one"], "Two slips at once"),
]  # fmt: skip


@pytest.mark.parametrize(("qid", "typed", "links", "hint"), SLIPS_ON_THE_SHEET)
def test_a_transformation_slip_is_diagnosed_with_its_hint_and_link(qid, typed, links, hint):
    question = LIBRARY.questions[qid]
    variant = make_variant(question, fixed=True)
    result = grade_numeric(
        typed,
        variant.expected,
        question.unit,
        question.rel_tol,
        question.abs_tol,
        mistakes=slip_candidates(variant),
    )
    assert result.status == "incorrect"
    assert hint in result.diagnosis
    assert set(links) <= set(result.misconceptions)


# ------------------------------------------------------------------ audit corrections


def _all_renderings(qid: str, seeds: int = 60) -> str:
    question = LIBRARY.questions[qid]
    return "\n".join(
        make_variant(question, seed).prompt + make_variant(question, seed).explanation
        for seed in range(seeds)
    )


@pytest.mark.parametrize(
    "qid",
    [
        "clip.k-shot-labels",
        "clip.zero-shot-eval-cost",
        "masking.zero-score-leak",
        "clip.effective-robustness-gain",
    ],
)
def test_drawn_values_never_make_a_singular_plural(qid):
    text = _all_renderings(qid)
    assert not re.search(r"(?<![\d.])-?\b1 (?:[a-z]+ )?(images|templates|positions|points)\b", text)


def test_lists_of_counts_read_as_prose():
    joulin = " ".join(
        make_variant(LIBRARY.questions["clip.joulin-sampling"], fixed=True).prompt.split()
    )
    assert "attached to 1, 4 and 100 images" in joulin
    gap = " ".join(
        make_variant(LIBRARY.questions["clip.robustness-mean-gap"], fixed=True).prompt.split()
    )
    assert "64.3, 37.7, 32.6, 25.2 and 2.7 %" in gap
    assert "[" not in joulin + gap


def test_audited_answers_say_what_the_seeds_say():
    pca = LIBRARY.questions["vit.why-principal-components"].model_answer
    assert "can be undone by the next layer" not in pca
    assert "1024" in pca.split("\n\n")[0] and "variance" in pca.split("\n\n")[0]
    robust = LIBRARY.questions["clip.robustness-measures-open"].model_answer
    assert "ResNet-101 reaches 2.7%, zero-shot CLIP 77.1%" in " ".join(robust.split())
    weak = LIBRARY.questions["clip.zero-shot-weak-spots"]
    assert "ResNet-50" in weak.prompt and "beyond the lecture" in weak.source
    for qid in ("vit.swin-stage-tokens", "clr.coles-negatives", "seq2seq.sat-doubly-stochastic"):
        assert (
            "paper" in LIBRARY.questions[qid].source
            and "beyond the lecture" in LIBRARY.questions[qid].source
        )
