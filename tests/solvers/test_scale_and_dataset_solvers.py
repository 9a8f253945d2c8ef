"""Solvers for the Transformer/GPT scale questions and the data-set counts, on inputs
small enough to check by hand, and their typical slips."""

import random

import pytest

from quizapp.solvers import dataset_counts as dc
from quizapp.solvers import dataset_counts_mistakes as dcm
from quizapp.solvers import lm_scale as lm
from quizapp.solvers import lm_scale_mistakes as lmm


def test_gpu_hours_and_their_slips():
    assert lm.gpu_hours(1, 1) == 24
    assert lm.gpu_hours(0.5, 4) == 48
    assert lm.gpu_hours(3.5, 8) == 672  # the Transformer paper's big model
    assert lmm.gpu_days(3.5, 8) == 28
    assert lmm.hours_of_one_gpu(3.5, 8) == 84


def test_weight_storage_and_its_slips():
    assert lm.weight_bytes(10, 4) == 40
    assert lm.weight_bytes(175e9, 4) == pytest.approx(700e9)  # GPT-3 in fp32: 700 GB
    assert lm.weight_bytes(175e9, 2) == pytest.approx(350e9)
    assert lmm.storage_in_bits(10, 4) == 320
    assert lmm.storage_one_byte_per_param(10, 4) == 10
    # 2**30 bytes are 1 GiB; read in GB the slip shows that 1 as 1 GB.
    assert lmm.storage_gib_as_gb(2**30, 1) == pytest.approx(1e9)


def test_batch_sizes_and_their_slips():
    assert lm.tokens_per_batch(64, 512) == 32768  # GPT-1
    assert lm.tokens_per_batch(512, 1024) == 524288  # GPT-2
    assert lm.sequences_per_batch(4096, 2048) == 2
    assert lm.sequences_per_batch(3.2e6, 2048) == pytest.approx(1562.5)
    assert lmm.tokens_sequences_only(64, 512) == 64
    assert lmm.tokens_with_gpt3_context(64, 512) == 64 * 2048
    assert lmm.sequences_tokens_taken_as_sequences(3.2e6, 2048) == 3.2e6
    assert lmm.sequences_with_gpt2_context(3.2e6, 2048) == pytest.approx(3125)


def test_drawn_gpt_parameters_are_consistent():
    for seed in range(20):
        storage = lm.draw_gpt_storage(random.Random(seed))
        assert storage["params"] == lm.GPT[storage["model"]]["params"]
        assert storage["bytes_per_param"] == lm.BYTES_PER_PARAM[storage["precision"]]
        batch = lm.draw_gpt_batch(random.Random(seed))
        assert batch["model"] in {"GPT-1", "GPT-2"}
        assert batch["context"] == lm.GPT[batch["model"]]["context"]


def test_caption_and_vqa_counts_and_their_slips():
    assert dc.captions_total(3, 5) == 15
    assert dc.captions_total(100_000, 5) == 500_000  # MS-COCO
    assert dc.size_ratio(3_000_000, 100_000) == 30  # Conceptual Captions vs MS-COCO
    assert dc.qa_pairs(100_000, 17) == 1_700_000  # Visual Genome
    assert dcm.captions_images_only(3, 5) == 3
    assert dcm.ratio_inverted(10, 2) == pytest.approx(0.2)
    assert dcm.qa_times_question_types(2, 3) == 36
    assert dcm.qa_one_question_per_type(2, 3) == 12


def test_overlap_share_and_its_slips():
    assert dc.overlap_share_percent(1, 4) == 25
    assert dc.overlap_share_percent(113, 313) == pytest.approx(36.10, abs=0.01)  # ObjectNet
    assert dcm.overlap_share_of_reference(113, 313) == pytest.approx(11.3)
    assert dcm.overlap_share_complement(1, 4) == 75


def test_times_chance_and_its_slips():
    assert dc.times_chance(50.0, 10) == 5
    assert dc.times_chance(90.1, 101) == pytest.approx(91.0, abs=0.01)  # guacamole, Food101
    assert dcm.chance_percent_not_converted(50.0, 10) == 500
    assert dcm.chance_over_shown_labels(50.0, 10) == 2.5
    drawn = dc.draw_zero_shot_example(random.Random(3))
    assert drawn["classes"] == dc.ZERO_SHOT_EXAMPLES[drawn["dataset"]][2]


def test_drawn_gpt_size_names_match_the_parameter_counts():
    named = {"117 million": 117e6, "1.5 billion": 1.5e9, "175 billion": 175e9}
    for seed in range(20):
        storage = lm.draw_gpt_storage(random.Random(seed))
        assert named[storage["size_name"]] == storage["params"]
