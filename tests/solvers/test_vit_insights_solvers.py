"""Mean attention distance and patch-embedding size."""

import random

import pytest
import torch

from quizapp.solvers import vit_insights as vi


def test_patch_embedding_of_vit_l32():
    assert vi.patch_embedding_params(32, 1024) == 32 * 32 * 3 * 1024 + 1024


def test_local_head_has_distance_zero_and_a_neighbour_head_one_patch():
    assert vi.mean_attention_distance(torch.eye(9)[None], 16).item() == 0.0
    shift = torch.zeros(1, 4, 4)  # 2x2 grid, each query attends to its horizontal neighbour
    for query, key in [(0, 1), (1, 0), (2, 3), (3, 2)]:
        shift[0, query, key] = 1.0
    assert vi.mean_attention_distance(shift, 16).item() == pytest.approx(16.0)
    assert vi.mean_attention_distance(shift, 16).dtype == torch.float32


def test_one_query_formula_agrees_with_the_tensor_version():
    drawn = vi.draw_attention_grid(random.Random(11))
    weights = drawn["weights"]
    assert sum(map(sum, weights)) == pytest.approx(1.0)
    row = torch.tensor(weights).reshape(1, 1, 9).expand(1, 9, 9)
    per_query = [
        vi.attention_distance_one_query(weights, r, c, drawn["patch_size"])
        for r in (1, 2, 3)
        for c in (1, 2, 3)
    ]
    expected = sum(per_query) / 9
    assert vi.mean_attention_distance(row, drawn["patch_size"]).item() == pytest.approx(
        expected, rel=1e-5
    )


def test_the_code_mistakes_differ_from_the_reference():
    cases = vi.attention_distance_cases(random.Random(2))
    for mistake in (
        vi.mean_attention_distance_in_patches,
        vi.mean_attention_distance_manhattan,
        vi.mean_attention_distance_unweighted,
    ):
        assert any(not torch.allclose(mistake(**c), vi.mean_attention_distance(**c)) for c in cases)
