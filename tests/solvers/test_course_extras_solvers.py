"""Solvers for weak supervision, robustness, CLIP's datasets, captioning and CoLES."""

import math
import random

import pytest

from quizapp.solvers import captioning, clip_eval, coles, robustness, weak_supervision


def test_ngram_counts():
    assert weak_supervision.caption_ngrams(3, 2) == 3 + 2
    assert weak_supervision.caption_ngrams(2, 5) == 2 + 1  # no n-grams longer than the text
    assert weak_supervision.negatives_per_example(1000) == 999


def test_image_draw_probability_sums_one_term_per_word():
    p = weak_supervision.image_draw_probability([1, 4], 100)
    assert p == pytest.approx(1 / 100 + 1 / 400)
    drawn = weak_supervision.draw_image_words(random.Random(1))
    assert 0 < weak_supervision.image_draw_probability(**drawn) < 1


def test_effective_and_relative_robustness():
    assert robustness.effective_robustness(76.0, 60.0, 1.0, -16.0) == pytest.approx(0.0)
    assert robustness.effective_robustness(76.0, 70.0, 1.0, -16.0) == pytest.approx(10.0)
    assert robustness.relative_robustness(60.0, 63.5) == pytest.approx(3.5)
    # Moving along the baseline line raises tau but leaves rho unchanged.
    gain = robustness.effective_robustness_gain(70, 50, 75, 57.5, 1.5, -55)
    assert gain == pytest.approx(0.0)
    drawn = robustness.draw_intervention(random.Random(4))
    assert drawn["shift_after"] > drawn["shift_before"]


def test_clip_dataset_numbers():
    assert clip_eval.labelled_images_k_shot("Stanford Cars", 4) == 784
    assert clip_eval.chance_accuracy_percent("EuroSAT") == pytest.approx(10.0)
    assert clip_eval.images_per_class(16185, 196) == pytest.approx(82.58, abs=0.01)
    with pytest.raises(ValueError):
        clip_eval.labelled_images_k_shot("MNIST-3D", 1)


def test_captioning_counts_and_the_doubly_stochastic_penalty():
    assert captioning.annotation_vectors(14) == 196
    assert captioning.attention_weights_per_caption(14, 10) == 1960
    assert captioning.context_floats(14, 512) == 196 * 512
    balanced = [[1, 0], [0, 1]]  # every location receives exactly one unit of attention
    assert captioning.doubly_stochastic_penalty(balanced) == 0.0
    assert captioning.doubly_stochastic_penalty([[1, 0], [1, 0]], 0.5) == pytest.approx(1.0)
    drawn = captioning.draw_caption_attention(random.Random(3))
    assert all(math.isclose(sum(row), 1.0) for row in drawn["alphas"])


def test_coles_pair_counts_add_up():
    n, k = 64, 5
    total = n * k * (n * k - 1) / 2
    assert coles.positive_pairs(n, k) + coles.negative_pairs(n, k) == total
    assert coles.negatives_per_anchor(n, k) * n * k / 2 == coles.negative_pairs(n, k)
    assert coles.positives_per_anchor(k) * n * k / 2 == coles.positive_pairs(n, k)
    assert coles.contiguous_slices(10, 10, 12) == 1
    assert coles.contiguous_slices(5, 1, 5) == 15


def test_zero_shot_evaluation_costs():
    assert clip_eval.k_shot_images(4, 196) == clip_eval.labelled_images_k_shot("Stanford Cars", 4)
    assert clip_eval.text_encoder_passes(1000, 80, 50000) == 80000
    assert clip_eval.text_encoder_passes(1000, 80, 50000, cached=False) == 80000 * 50000
    drawn = clip_eval.draw_zero_shot_eval(random.Random(0))
    assert drawn["classes"] == clip_eval.CLASSES[drawn["dataset"]]
    drawn = clip_eval.draw_dataset_shots(random.Random(0))
    assert clip_eval.k_shot_images(**drawn) == drawn["shots"] * drawn["classes"]


def test_relative_robustness_of_an_intervention_ignores_the_imagenet_change():
    drawn = robustness.draw_intervention(random.Random(9))
    tau = robustness.intervention_relative_robustness(**drawn)
    assert tau == pytest.approx(drawn["shift_after"] - drawn["shift_before"])
    rho_gain = robustness.effective_robustness_gain(**drawn)
    in_gain = drawn["in_after"] - drawn["in_before"]
    assert rho_gain == pytest.approx(tau - drawn["slope"] * in_gain)
