"""The intermediate values shown in worked explanations agree with the final answers."""

import math
import random

import pytest

from solvers import clr_numbers as clr
from solvers import transformer_numbers as tn
from solvers import worked_steps as steps


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
