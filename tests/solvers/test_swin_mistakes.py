"""Known-mistake solvers of the Swin questions: each reproduces its slip on hand-worked
numbers from the lecture (Swin-T at 224 px)."""

import pytest

from quizapp.solvers import swin
from quizapp.solvers import swin_mistakes as sm


def test_stage_width_slips():
    assert swin.base_channels("B") == 128
    assert swin.stage_channels("T", 3) == 384
    assert sm.channels_doubled_once_more("T", 3) == 768
    assert sm.channels_linear_growth("T", 3) == 288
    # Stages 1 and 2 cannot tell linear growth from doubling.
    assert sm.channels_linear_growth("L", 2) == swin.stage_channels("L", 2)


def test_stage_token_slips():
    assert swin.stage_tokens(224, 1) == 3136
    assert sm.tokens_one_side(224, 1) == 56
    assert sm.tokens_without_patch_embedding(224, 1) == 224**2
    assert sm.tokens_without_patch_embedding(224, 3) == 56**2
    assert sm.tokens_vit_patches(224, 1) == 196  # ViT-B/16's 14 × 14
    assert sm.tokens_vit_patches(448, 2) == 14**2


def test_block_and_merging_slips():
    assert (sm.blocks_counted_as_pairs("T"), sm.blocks_each_doubled("S")) == (6, 48)
    assert swin.merging_params("T", 1) == 8 * 96**2
    assert sm.merging_without_concatenation("T", 1) == 96 * 192
    assert sm.merging_next_stage_width("T", 1) == 8 * 192**2


def test_attention_cost_slips_on_stage_1_of_swin_t():
    # h = w = 56, C = 96, M = 7: divide both costs by hw·C.
    right = (4 * 96 + 2 * 3136) / (4 * 96 + 2 * 49)
    assert swin.msa_over_window_flops(224, "T", 1) == pytest.approx(right)
    assert swin.stage_msa_flops(224, "T", 1) / swin.stage_window_msa_flops(
        224, "T", 1
    ) == pytest.approx(right)
    assert sm.attention_terms_only(224, "T", 1) == pytest.approx(3136 / 49)
    assert sm.window_over_global(224, "T", 1) == pytest.approx(1 / right)
    assert sm.window_side_not_squared(224, "T", 1) == pytest.approx(
        (4 * 96 + 2 * 3136) / (4 * 96 + 2 * 7)
    )


def test_shifted_window_slips():
    assert swin.windows_per_side(224, 1) == 8
    assert swin.shifted_windows_padded(224, 1) == 81
    assert sm.shifted_regular_count(224, 1) == 64
    assert sm.shifted_two_extra_per_side(224, 1) == 100
