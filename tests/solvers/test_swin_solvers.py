"""Swin solvers: stage shapes, sizes, attention cost and the patch-merging reference."""

import random

import pytest
import torch

from quizapp.solvers import swin


def test_stages_halve_the_resolution_and_double_the_width():
    assert [swin.stage_side(224, s) for s in (1, 2, 3, 4)] == [56, 28, 14, 7]
    assert [swin.stage_channels("T", s) for s in (1, 2, 3, 4)] == [96, 192, 384, 768]
    assert swin.stage_channels("L", 4) == 8 * 192
    with pytest.raises(ValueError):
        swin.stage_side(100, 4)


def test_model_sizes_from_the_lecture():
    assert swin.total_blocks("T") == 12
    assert {swin.total_blocks(v) for v in "SBL"} == {24}
    assert swin.patch_embedding_params("T") == 4 * 4 * 3 * 96 + 96
    with pytest.raises(ValueError, match="unknown Swin variant"):
        swin.total_blocks("XL")


def test_windows_and_the_shifted_partition():
    assert swin.stage_windows(224, 1) == 64  # 56 / 7 = 8 windows per side
    assert swin.shifted_windows_padded(224, 1) == 81  # (8 + 1)^2
    assert swin.stage_windows(224, 4) == 1
    assert swin.shift_size(7) == 3


def test_window_attention_is_linear_and_equals_global_attention_on_one_window():
    assert swin.msa_over_window_flops(224, "T", 4) == pytest.approx(1.0)
    assert swin.msa_over_window_flops(224, "T", 1) > 10
    small = swin.window_msa_flops(28, 96, 7)
    large = swin.window_msa_flops(56, 96, 7)
    assert large == pytest.approx(4 * small)  # 4x the tokens, 4x the cost
    assert swin.msa_flops(56, 96) > 8 * swin.msa_flops(28, 96)  # quadratic term dominates


def _merge_by_loops(x, weight):
    b, h, w, c = x.shape
    out = torch.empty(b, h // 2, w // 2, 4 * c)
    for i in range(h // 2):
        for j in range(w // 2):
            parts = [x[:, 2 * i, 2 * j], x[:, 2 * i + 1, 2 * j], x[:, 2 * i, 2 * j + 1]]
            out[:, i, j] = torch.cat([*parts, x[:, 2 * i + 1, 2 * j + 1]], dim=-1)
    return out @ weight


def test_patch_merging_matches_a_loop_over_2x2_groups_and_differs_from_each_mistake():
    cases = swin.patch_merging_cases(random.Random(5))
    for case in cases:
        assert torch.allclose(swin.patch_merging(**case), _merge_by_loops(**case), atol=1e-5)
    for mistake in (
        swin.patch_merging_row_major,
        swin.patch_merging_plain_reshape,
        swin.patch_merging_no_projection,
    ):
        outputs = [mistake(**case) for case in cases]
        expected = [swin.patch_merging(**case) for case in cases]
        assert any(
            o.shape != e.shape or not torch.allclose(o, e)
            for o, e in zip(outputs, expected, strict=True)
        )
    assert swin.patch_merging(**cases[1]).shape == (2, 2, 2, 6)
