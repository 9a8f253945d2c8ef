"""PyTorch behaviour that the masking and attention decks state as fact.

If a PyTorch upgrade changes any of these, the explanations and hints that describe them
must change too.
"""

import random

import pytest
import torch
import torch.nn.functional as F

from quizapp.solvers import attention, masking


def _fully_masked_case():
    q, k, v = torch.randn(1, 2, 4), torch.randn(1, 3, 4), torch.randn(1, 3, 2)
    mask = torch.tensor([[[True, False, True], [False, False, False]]])
    return q, k, v, mask


def test_sdpa_reads_true_as_may_attend_and_zeroes_a_fully_masked_row():
    q, k, v, mask = _fully_masked_case()
    out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
    plain = masking.neg_inf_scores(q, k, v, mask)
    assert torch.allclose(out[0, 0], plain[0, 0], atol=1e-6)
    assert torch.isnan(plain[0, 1]).all()
    assert torch.equal(out[0, 1], torch.zeros(2))


def test_multihead_attention_reads_true_as_blocked():
    torch.manual_seed(0)
    mha = torch.nn.MultiheadAttention(4, 1, batch_first=True)
    x = torch.randn(1, 3, 4)
    _, weights = mha(x, x, x, attn_mask=~attention.causal_mask(3))
    assert torch.equal(weights[0] > 0, attention.causal_mask(3))


def test_minus_1e9_does_not_fit_float16():
    scores = torch.randn(2, 3, dtype=torch.float16)
    mask = torch.tensor([[True, False, True], [False, False, False]])
    with pytest.raises(RuntimeError, match="overflow"):
        scores.masked_fill(~mask, -1e9)
    unchecked = torch.where(mask, scores, -1e9)
    assert unchecked.dtype == torch.float16 and torch.isinf(unchecked[~mask]).all()
    assert torch.isnan(torch.softmax(unchecked, dim=-1)[1]).all()
    safe = scores.masked_fill(~mask, torch.finfo(torch.float16).min)
    assert torch.allclose(
        torch.softmax(safe, dim=-1)[1].float(), torch.full((3,), 1 / 3), atol=1e-3
    )


def _same(a, b):
    return torch.equal(torch.isnan(a), torch.isnan(b)) and torch.allclose(
        a.nan_to_num(), b.nan_to_num(), rtol=1e-5, atol=1e-6
    )


def test_neg_inf_cases_tell_the_library_call_from_a_hand_written_guard():
    cases = masking.neg_inf_cases(random.Random(3))

    def outputs(fn):
        return [fn(**case) for case in cases]

    reference = outputs(masking.neg_inf_scores)
    sdpa = outputs(masking.library_sdpa)
    guarded = outputs(masking.renormalized_weights)
    assert not all(map(_same, reference, sdpa))
    assert not all(map(_same, sdpa, guarded))
    # Only the fully masked rows separate the library from the reference.
    for ref, lib in zip(reference, sdpa, strict=True):
        assert torch.allclose(ref.nan_to_num(0.0), lib, atol=1e-5)
