"""Known-mistake solvers of the weak-supervision, robustness, CLIP evaluation, captioning and
CoLES questions: each reproduces its slip on hand-worked numbers and differs from the right
answer on the deck's own numbers (otherwise its hint could never be shown)."""

import pytest

from quizapp.solvers import captioning as cap
from quizapp.solvers import captioning_mistakes as capm
from quizapp.solvers import clip_eval as ce
from quizapp.solvers import clip_eval_mistakes as cem
from quizapp.solvers import coles as co
from quizapp.solvers import coles_mistakes as com
from quizapp.solvers import robustness as rb
from quizapp.solvers import robustness_mistakes as rbm
from quizapp.solvers import weak_supervision as ws
from quizapp.solvers import weak_supervision_mistakes as wsm

# ------------------------------------------------------------------------- weak supervision


def test_joulin_negatives_counting_the_target_gives_k():
    assert wsm.negatives_including_target(1000) == 1000
    assert ws.negatives_per_example(1000) == 999


def test_joulin_sampling_slips():
    words = [1, 4, 100]  # 1 + 0.25 + 0.01 = 1.26
    assert ws.inverse_images_sum(words) == pytest.approx(1.26)
    assert ws.image_draw_probability(words, 1000) == pytest.approx(1.26e-3)
    assert wsm.draw_probability_without_word_pick(words, 1000) == pytest.approx(1.26)
    assert wsm.draw_probability_mean_over_words(words, 1000) == pytest.approx(0.42e-3)


def test_ngram_slips_on_ten_words_up_to_trigrams():
    assert ws.caption_ngrams(10, 3) == 10 + 9 + 8
    assert ws.ngrams_of_longest_length(10, 3) == 8
    assert wsm.ngrams_every_length_full(10, 3) == 30
    assert wsm.ngrams_one_start_short(10, 3) == 9 + 8 + 7
    assert wsm.ngrams_longest_only(10, 3) == 8
    # No n-grams longer than the text, in the slips as in the right answer.
    assert ws.ngrams_of_longest_length(4, 5) == 0
    assert wsm.ngrams_one_start_short(2, 5) == 1 + 0


# ------------------------------------------------------------------------------ robustness

SHEET = dict(in_before=74.0, shift_before=60.0, in_after=78.0, shift_after=65.0)
TREND = dict(slope=1.25, intercept=-32.5)  # beta(74) = 60, beta(78) = 65


def test_effective_robustness_slips():
    args = dict(acc_in=76.2, acc_shift=70.1, slope=1.2, intercept=-27.0)  # beta = 64.44
    assert rb.effective_robustness(**args) == pytest.approx(5.66)
    assert rbm.rho_against_imagenet_accuracy(**args) == pytest.approx(70.1 - 76.2)
    assert rbm.rho_sign_flipped(**args) == pytest.approx(-5.66)
    assert rbm.rho_without_intercept(**args) == pytest.approx(70.1 - 1.2 * 76.2)


def test_relative_robustness_slips_use_the_wrong_test_set_or_the_trend():
    assert rb.intervention_relative_robustness(**SHEET, **TREND) == 5
    assert rbm.tau_imagenet_gain(**SHEET, **TREND) == 4
    assert rbm.tau_as_effective_gain(**SHEET, **TREND) == 0  # the model moved along the trend


def test_effective_gain_slips_and_the_shown_steps():
    assert rb.effective_robustness_gain(**SHEET, **TREND) == 0
    assert rbm.effective_gain_as_tau(**SHEET, **TREND) == 5
    assert rbm.effective_gain_without_slope(**SHEET, **TREND) == 1  # 5 - 4 instead of 5 - 1.25·4
    assert rb.baseline_before(74.0, **TREND) == 60 and rb.baseline_after(78.0, **TREND) == 65
    # Float remainders are rounded away, so a model on the trend shows exactly 0.
    assert 60.11 - (1.1 * 74.1 - 21.4) != 0.0
    assert rb.rho_before(74.1, 60.11, 1.1, -21.4) == 0.0
    assert rb.rho_after(74.1, 61.11, 1.1, -21.4) == pytest.approx(1.0)


# ------------------------------------------------------------------------- CLIP evaluation


def test_k_shot_slips_forget_the_classes_or_the_shots():
    cars = dict(dataset="Stanford Cars", classes=196, shots=4)
    assert ce.k_shot_images(**cars) == 784
    assert cem.k_shot_per_class_only(**cars) == 4
    assert cem.k_shot_one_per_class(**cars) == 196


def test_text_encoder_pass_slips():
    imagenet = dict(dataset="ImageNet", classes=1000, images=50000, templates=80, cached=True)
    assert ce.text_encoder_passes(**imagenet) == 80_000
    assert cem.passes_without_cache(**imagenet) == 80_000 * 50_000
    assert cem.passes_one_prompt_per_class(**imagenet) == 1000
    assert cem.passes_per_image(**imagenet) == 50_000


# ------------------------------------------------------------------------------ captioning

ALPHAS = [[0.7, 0.1, 0.1, 0.1], [0.6, 0.2, 0.1, 0.1], [0.1, 0.1, 0.4, 0.4]]  # columns 1.4 .4 .6 .6


def test_attention_weight_count_slips():
    args = dict(feature_side=14, caption_words=12, channels=512)
    assert cap.attention_weights_per_caption(**args) == 12 * 196
    assert capm.weights_per_channel(**args) == 12 * 196 * 512
    assert capm.weights_one_word(**args) == 196
    assert capm.weights_side_not_squared(**args) == 12 * 14


def test_doubly_stochastic_slips_and_the_column_totals():
    assert cap.doubly_stochastic_penalty(ALPHAS) == pytest.approx(0.84)
    totals = [f(ALPHAS) for f in (cap.region_1_attention, cap.region_2_attention)]
    totals += [f(ALPHAS) for f in (cap.region_3_attention, cap.region_4_attention)]
    assert totals == [1.4, 0.4, 0.6, 0.6]  # rounded, so shown without float noise
    assert cap.squared_gaps(ALPHAS) == 0.84
    assert capm.penalty_over_rows(ALPHAS, 2.0) == pytest.approx(0.0)  # rows are softmaxes
    # Unsquared, the gaps always add up to lambda · (L - T) = 2 · (4 - 3).
    assert capm.penalty_not_squared(ALPHAS, 2.0) == pytest.approx(2.0)
    assert capm.penalty_mean_over_regions(ALPHAS, 2.0) == pytest.approx(2 * 0.84 / 4)


# ----------------------------------------------------------------------------------- CoLES


def test_coles_negative_slips():
    assert co.negatives_per_anchor(64, 5) == 63 * 5
    assert com.negatives_one_per_client(64, 5) == 63
    assert com.negatives_with_own_slices(64, 5) == 64 * 5 - 1
    assert com.negatives_simclr_count(64, 5) == 126
    # With two slices per client CoLES is SimCLR's setting: that "slip" is the right count.
    assert com.negatives_simclr_count(64, 2) == co.negatives_per_anchor(64, 2)


def test_coles_positive_pair_slips():
    assert co.positive_pairs(64, 5) == 64 * 10
    assert co.positive_pairs_per_entity(5) == 10
    assert com.positive_pairs_ordered(64, 5) == 64 * 20
    assert com.positive_pairs_one_client(64, 5) == 10


def test_coles_slice_slips_and_the_arithmetic_series_shown():
    args = dict(length=100, min_length=20, max_length=60)
    lengths = co.slice_lengths(20, 60)
    first, last = co.starts_of_shortest(100, 20), co.starts_of_longest(100, 60)
    assert (lengths, first, last) == (41, 81, 41)
    assert co.contiguous_slices(**args) == lengths * (first + last) / 2 == 2501
    assert com.slices_one_start_short(**args) == 2501 - 41
    assert com.slices_every_start_every_length(**args) == 81 * 41
    # A slice as long as the sequence has exactly one place, which the off-by-one loses.
    assert co.contiguous_slices(5, 5, 5) == 1 and com.slices_one_start_short(5, 5, 5) == 0
