"""The intermediate values shown in worked explanations agree with the final answers."""

import math
import random

import pytest

from quizapp.solvers import clr_numbers as clr
from quizapp.solvers import transformer_numbers as tn
from quizapp.solvers import worked_steps as steps


def test_cosine_parts_recombine_to_the_cosine():
    u, v = [1, 2, 2], [2, 0, 1]
    assert (steps.dot_product(u, v), steps.norm_u(u), steps.norm_v(v)) == pytest.approx(
        (4, 3, math.sqrt(5))
    )
    assert steps.dot_product(u, v) / (steps.norm_u(u) * steps.norm_v(v)) == pytest.approx(
        clr.cosine_similarity(u, v)
    )


def test_nt_xent_is_minus_log_of_the_positives_probability():
    args = dict(pos_sim=0.8, neg_sims=[0.1, 0.3, -0.2, 0.0], temperature=0.5)
    assert -math.log(steps.positive_probability(**args)) == pytest.approx(
        clr.nt_xent_anchor(**args)
    )


def test_triplet_distances_are_squared_euclidean():
    anchor, positive, negative = [1, 2], [2, 1], [3, 5]
    assert steps.triplet_positive_distance(anchor, positive) == 2
    assert steps.triplet_negative_distance(anchor, negative) == 4 + 9
    assert clr.triplet_loss(anchor, positive, negative, 1.0) == max(0, 2 - 13 + 1)


def test_bahdanau_softmax_parts():
    scores = [1.0, 0.0, -1.0]
    total = steps.exponential_sum(scores)
    assert total == pytest.approx(math.e + 1 + 1 / math.e)
    assert steps.score_exponential(scores, 2) / total == pytest.approx(
        tn.bahdanau_weight(scores, 2)
    )
    weights = [steps.weight_1(scores), steps.weight_2(scores), steps.weight_3(scores)]
    assert sum(weights) == pytest.approx(1.0)
    annotations = [[1, 0], [0, 1], [2, 2]]
    first = weights[0] * 1 + weights[2] * 2
    assert first == pytest.approx(tn.bahdanau_context_component(scores, annotations, 1))


def test_clip_cosines_and_the_two_loss_directions():
    drawn = clr.draw_caption_scoring(random.Random(3))
    cosines = [f(**drawn) for f in (steps.cosine_1, steps.cosine_2, steps.cosine_3)]
    assert max(cosines) == pytest.approx(clr.best_caption_cosine(**drawn))
    batch = dict(
        image_embeddings=[[1, 1], [-2, 0]], text_embeddings=[[2, 1], [1, 0]], temperature=0.5
    )
    rows = steps.clip_image_to_text_loss(**batch)
    columns = steps.clip_text_to_image_loss(**batch)
    assert rows != pytest.approx(columns)  # the two directions differ in general
    assert (rows + columns) / 2 == pytest.approx(clr.clip_symmetric_loss(**batch))


def test_tiny_attention_steps_rebuild_the_weight_and_the_output():
    q, k, v = [[1, 0], [0, 1]], [[1, 1], [0, 2], [-1, 0]], [[1, 2], [3, 0], [0, -1]]
    assert steps.scaled_score(q, k, 1, 1) == pytest.approx(1 / math.sqrt(2))
    total = steps.scaled_score_exponential_sum(q, k, 1)
    assert total == pytest.approx(math.exp(2**-0.5) + 1 + math.exp(-(2**-0.5)))
    weight = math.exp(steps.scaled_score(q, k, 1, 1)) / total
    assert weight == pytest.approx(tn.attention_weight_entry(q, k, 1, 1))
    weights = [
        f(q, k, 1) for f in (steps.query_weight_1, steps.query_weight_2, steps.query_weight_3)
    ]
    assert sum(w * row[0] for w, row in zip(weights, v, strict=True)) == pytest.approx(
        tn.attention_output_entry(q, k, v, 1, 1)
    )


def test_masked_row_steps():
    scores, mask = [0.5, 1.0, -0.5, 2.0], [1, 1, 0, 0]
    z = steps.zeroed_scores_denominator(scores, mask)
    assert z == pytest.approx(math.exp(0.5) + math.e + 2)
    assert steps.masked_positions(mask) / z == pytest.approx(tn.zero_score_leak(scores, mask))
    allowed = steps.allowed_exponential_sum(scores, mask)
    assert steps.position_exponential(scores, 2) / allowed == pytest.approx(
        tn.renormalized_weight(scores, mask, 2)
    )


def test_four_view_losses_average_to_info_nce_and_the_class_embedding_is_a_unit_vector():
    drawn = clr.draw_views(random.Random(5))
    losses = [f(**drawn) for f in (steps.view_loss_1, steps.view_loss_2, steps.view_loss_3)]
    losses.append(steps.view_loss_4(**drawn))
    assert sum(losses) / 4 == pytest.approx(clr.info_nce_views(**drawn))
    prompts = [[0.8, 0.1, 0.6], [1.0, 0.4, 0.3], [0.7, 0.0, 0.7]]
    image = [0.9, 0.2, 0.5]
    c = [f(prompts) for f in (steps.class_embedding_1, steps.class_embedding_2)]
    c.append(steps.class_embedding_3(prompts))
    assert sum(x * x for x in c) == pytest.approx(1.0)
    assert clr.cosine_similarity(image, c) == pytest.approx(
        clr.prompt_ensemble_cosine(image, prompts)
    )


def test_identity_plus_noise_steps_for_the_sheets_example():
    # e_1 = (1, 0, 0) and e_1 + 0.1 = (1.1, 0.1, 0.1): cosine 1.1 / sqrt(1.23).
    assert steps.eye_positive_cosine(3, 0.1) == pytest.approx(1.1 / math.sqrt(1.23))
    assert steps.eye_cross_cosine(3, 0.1) == pytest.approx(0.1 / math.sqrt(1.23))
    assert steps.eye_noisy_cosine(3, 0.1) == pytest.approx(0.23 / 1.23)  # 0.11 + 0.11 + 0.01
    clean, noisy = (
        steps.eye_clean_anchor_loss(3, 0.1, 1.0),
        steps.eye_noisy_anchor_loss(3, 0.1, 1.0),
    )
    assert (clean + noisy) / 2 == pytest.approx(clr.info_nce_eye_example(3, 0.1, 1.0))
    assert (clean + noisy) / 2 == pytest.approx(0.9665, abs=1e-4)
