"""Attention solvers against PyTorch's own implementations and the lecture's formulas."""

import math
import random

import torch
import torch.nn.functional as F

from quizapp.solvers import attention as a


def test_scaled_dot_product_matches_torch_with_and_without_mask():
    q, k, v = torch.randn(2, 3, 4, 8), torch.randn(2, 3, 6, 8), torch.randn(2, 3, 6, 5)
    mask = torch.rand(4, 6) < 0.5
    mask[:, 0] = True
    assert torch.allclose(
        a.scaled_dot_product_attention(q, k, v), F.scaled_dot_product_attention(q, k, v), atol=1e-5
    )
    expected = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
    assert torch.allclose(a.scaled_dot_product_attention(q, k, v, mask), expected, atol=1e-5)


def test_attention_weights_rows_sum_to_one():
    w = a.attention_weights(torch.randn(3, 4), torch.randn(5, 4))
    assert w.shape == (3, 5)
    assert torch.allclose(w.sum(-1), torch.ones(3))


def test_causal_mask():
    m = a.causal_mask(4)
    assert m.dtype == torch.bool and m.shape == (4, 4)
    assert m[2, 2] and m[3, 0] and not m[0, 1]
    assert int(m.sum()) == 10


def test_positional_encoding_formula():
    pe = a.sinusoidal_positional_encoding(10, 6)
    assert pe.shape == (10, 6) and pe.dtype == torch.float32
    pos, i = 7, 1
    angle = pos / 10000 ** (2 * i / 6)
    assert math.isclose(pe[pos, 2 * i].item(), math.sin(angle), abs_tol=1e-6)
    assert math.isclose(pe[pos, 2 * i + 1].item(), math.cos(angle), abs_tol=1e-6)
    assert torch.equal(pe[0], torch.tensor([0.0, 1.0] * 3))


def test_multi_head_matches_torch_module():
    d, h = 8, 2
    x, mem = torch.randn(2, 5, d), torch.randn(2, 7, d)
    ws = [torch.randn(d, d) for _ in range(4)]
    module = torch.nn.MultiheadAttention(d, h, bias=False, batch_first=True)
    with torch.no_grad():
        module.in_proj_weight.copy_(torch.cat([ws[0].T, ws[1].T, ws[2].T]))
        module.out_proj.weight.copy_(ws[3].T)
        expected = module(x, mem, mem, need_weights=False)[0]
    assert torch.allclose(a.multi_head_attention(x, mem, *ws, h), expected, atol=1e-4)


def test_case_generators_give_keyword_dicts_the_reference_accepts():
    rng = random.Random(1)
    for make, ref in [
        (a.attention_cases, a.scaled_dot_product_attention),
        (a.causal_mask_cases, a.causal_mask),
        (a.positional_encoding_cases, a.sinusoidal_positional_encoding),
        (a.multi_head_cases, a.multi_head_attention),
    ]:
        for case in make(rng):
            assert not torch.isnan(ref(**case)).any()
