"""The five masking variants: each one's defining property, on hand-checkable inputs."""

import math
import random

import pytest
import torch

from quizapp.solvers import masking

VARIANTS = [
    "zero_weights",
    "zero_scores",
    "neg_inf_scores",
    "large_negative_scores",
    "renormalized_weights",
]


def _inputs():
    gen = torch.Generator().manual_seed(0)
    q = torch.randn(2, 3, 4, generator=gen)
    k = torch.randn(2, 5, 4, generator=gen)
    v = torch.eye(5).expand(2, 5, 5)  # output rows are the attention weights themselves
    mask = torch.rand(2, 3, 5, generator=gen) < 0.6
    mask[..., 0] = True
    return q, k, v, mask


def _softmax_weights(q, k):
    return torch.softmax(q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1]), dim=-1)


def test_zero_weights_keeps_softmax_values_and_zeroes_masked():
    q, k, v, mask = _inputs()
    out = masking.zero_weights(q, k, v, mask)
    full = _softmax_weights(q, k)
    assert torch.allclose(out[mask], full[mask])
    assert (out[~mask] == 0).all()
    assert (out.sum(-1) < 1).any()  # rows no longer sum to 1


def test_zero_scores_gives_masked_keys_weight_of_score_zero():
    q, k, v, mask = _inputs()
    out = masking.zero_scores(q, k, v, mask)
    scores = (q @ k.transpose(-2, -1) / 2).masked_fill(~mask, 0.0)
    z = scores.exp().sum(-1, keepdim=True)
    assert torch.allclose(out[~mask], (1 / z).expand_as(out)[~mask])
    assert torch.allclose(out.sum(-1), torch.ones(2, 3))


@pytest.mark.parametrize(
    "name", ["neg_inf_scores", "large_negative_scores", "renormalized_weights"]
)
def test_proper_masks_agree_on_rows_with_a_visible_key(name):
    q, k, v, mask = _inputs()
    out = getattr(masking, name)(q, k, v, mask)
    assert (out[~mask] == 0).all()
    assert torch.allclose(out.sum(-1), torch.ones(2, 3))
    assert torch.allclose(out, masking.neg_inf_scores(q, k, v, mask), atol=1e-6)


def test_fully_masked_row_behaviour_differs_as_documented():
    q, k, v, mask = _inputs()
    mask[0, 1] = False
    assert torch.isnan(masking.neg_inf_scores(q, k, v, mask)[0, 1]).all()
    assert torch.allclose(masking.large_negative_scores(q, k, v, mask)[0, 1], torch.full((5,), 0.2))
    assert (masking.renormalized_weights(q, k, v, mask)[0, 1] == 0).all()
    assert (masking.zero_weights(q, k, v, mask)[0, 1] == 0).all()
    assert torch.allclose(masking.zero_scores(q, k, v, mask)[0, 1], torch.full((5,), 0.2))
    assert not torch.isnan(masking.renormalized_weights(q, k, v, mask)).any()


def test_scores_are_scaled_by_sqrt_dk():
    q = torch.tensor([[4.0, 0.0, 0.0, 0.0]])
    k = torch.tensor([[1.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0]])
    v = torch.eye(2)
    out = masking.neg_inf_scores(q, k, v, torch.ones(1, 2, dtype=torch.bool))
    assert torch.allclose(out, torch.softmax(torch.tensor([[2.0, 0.0]]), dim=-1))


def test_cases_separate_every_pair_of_variants():
    cases = masking.cases(random.Random(5))
    outputs = {n: [getattr(masking, n)(**c) for c in cases] for n in VARIANTS}
    for i, a in enumerate(VARIANTS):
        for b in VARIANTS[i + 1 :]:
            same = all(
                torch.allclose(x, y, equal_nan=True)
                for x, y in zip(outputs[a], outputs[b], strict=True)
            )
            assert not same, f"{a} and {b} agree on every case"


def test_cases_are_reproducible_and_include_batches_and_broadcast_masks():
    one, two = masking.cases(random.Random(3)), masking.cases(random.Random(3))
    assert all(torch.equal(a["q"], b["q"]) for a, b in zip(one, two, strict=True))
    assert any(c["q"].dim() == 4 for c in one)
    assert any(c["mask"].shape[-2] == 1 for c in one)
    assert any((~c["mask"]).all(-1).any() for c in one)
