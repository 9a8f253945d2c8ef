"""Contrastive solvers: the sheet's InfoNCE example, shapes, row order and the lecture formulas."""

import math
import random

import torch
import torch.nn.functional as F

from quizapp.solvers import contrastive as c


def test_sheet_example_gives_0_9665():
    data = torch.eye(3)
    noise = torch.full_like(data, 0.1)
    encoded_pairs = torch.stack([data, data + noise], dim=1)
    affinity = c.calc_simclr_affinity_matrix(encoded_pairs)
    loss = c.calc_info_nce(affinity)
    assert isinstance(loss, float)
    torch.testing.assert_close(0.9665, loss, rtol=1e-4, atol=1e-4)


def test_affinity_shape_diagonal_and_row_order():
    pairs = torch.randn(4, 2, 5)
    a = c.calc_simclr_affinity_matrix(pairs)
    assert a.shape == (8, 8)
    assert torch.allclose(a.diagonal(), torch.ones(8))
    assert torch.allclose(a[2, 3], F.cosine_similarity(pairs[1, 0], pairs[1, 1], dim=0))
    assert torch.allclose(a, a.T)


def test_info_nce_by_hand_for_one_pair_plus_one():
    s = torch.tensor(
        [[1.0, 0.5, 0.1, 0.2], [0.5, 1.0, 0.3, 0.0], [0.1, 0.3, 1.0, 0.9], [0.2, 0.0, 0.9, 1.0]]
    )
    rows = [(0, 1), (1, 0), (2, 3), (3, 2)]
    expected = (
        sum(
            -s[a, p] + math.log(sum(math.exp(s[a, b]) for b in range(4) if b != a)) for a, p in rows
        )
        / 4
    )
    assert abs(c.calc_info_nce(s) - expected) < 1e-6


def test_nt_xent_with_temperature_one_is_info_nce_and_temperature_matters():
    pairs = torch.randn(5, 2, 3)
    assert abs(c.nt_xent(pairs, 1.0) - c.calc_info_nce(c.calc_simclr_affinity_matrix(pairs))) < 1e-6
    assert c.nt_xent(pairs, 0.1) != c.nt_xent(pairs, 1.0)


def test_margin_contrastive_loss_formula():
    x1 = torch.tensor([[0.0, 0.0], [0.0, 0.0], [0.0, 0.0]])
    x2 = torch.tensor([[3.0, 4.0], [0.6, 0.8], [3.0, 4.0]])
    y = torch.tensor([0.0, 1.0, 1.0])
    out = c.margin_contrastive_loss(x1, x2, y, 2.0)
    assert torch.allclose(out, torch.tensor([25.0, 1.0, 0.0]))


def test_triplet_loss_formula_uses_squared_distances_and_hinge():
    a = torch.zeros(2, 2)
    p = torch.tensor([[1.0, 0.0], [1.0, 0.0]])
    n = torch.tensor([[0.0, 1.5], [0.0, 0.5]])
    out = c.triplet_loss(a, p, n, 0.5)
    assert torch.allclose(out, torch.tensor([0.0, 1.25]))


def test_known_mistakes_differ_from_references_on_cases():
    rng = random.Random(0)
    for case in c.pair_cases(rng):
        ref = c.calc_simclr_affinity_matrix(**case)
        assert (
            not torch.allclose(ref, c.affinity_rows_other_order(**case))
            or case["encoded_pairs"].shape[0] == 1
        )
    case = c.affinity_cases(random.Random(0))[0]
    assert abs(c.calc_info_nce(**case) - c.info_nce_diagonal_not_excluded(**case)) > 1e-3
