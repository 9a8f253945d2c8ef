"""Known-mistake solvers of the questions on what a ViT learns: each reproduces its slip on
hand-worked numbers (a centre query on a 3×3 grid, ViT-L/32)."""

import pytest

from quizapp.solvers import vit_insights as vi
from quizapp.solvers import vit_insights_mistakes as vim

CENTRE = dict(
    weights=[[0.05, 0.1, 0.05], [0.1, 0.4, 0.1], [0.05, 0.1, 0.05]],
    query_row=2,
    query_col=2,
    patch_size=16,
)


def test_attention_distance_slips_for_a_centre_query():
    in_patches = 0.4 * 1 + 0.2 * 2**0.5  # four neighbours at 1, four corners at sqrt(2)
    assert vi.attention_distance_in_patches(
        **{k: v for k, v in CENTRE.items() if k != "patch_size"}
    ) == pytest.approx(in_patches)
    assert vi.attention_distance_one_query(**CENTRE) == pytest.approx(16 * in_patches)
    assert vim.distance_in_patches(**CENTRE) == pytest.approx(in_patches)
    assert vim.distance_manhattan(**CENTRE) == pytest.approx(16 * (0.4 + 0.2 * 2))
    assert vim.distance_divided_by_patches(**CENTRE) == pytest.approx(16 * in_patches / 9)


def test_patch_embedding_slips_for_vit_l32():
    assert vi.patch_embedding_params(32, 1024) == 3072 * 1024 + 1024
    assert vim.embedding_without_bias(32, 1024) == 3072 * 1024
    assert vim.embedding_without_channels(32, 1024) == 1024 * 1024 + 1024
    assert vim.embedding_side_not_squared(32, 1024) == 96 * 1024 + 1024
