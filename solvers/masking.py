"""Five ways to mask attention (exercise sheet, "Masking for Transformers revisited").

Every variant has the signature `(q, k, v, mask)`: q (..., Lq, d_k), k (..., Lk, d_k),
v (..., Lk, d_v), mask bool broadcastable to (..., Lq, Lk), True where a query **may**
attend to a key. Scores are q k^T / sqrt(d_k). The variants differ in where the mask acts:

1. `zero_weights`          softmax first, then set masked weights to 0 (rows no longer sum to 1)
2. `zero_scores`           set masked scores to 0 before softmax (exp(0) = 1 still leaks weight)
3. `neg_inf_scores`        set masked scores to -inf (exact; a fully masked row is NaN)
4. `large_negative_scores` set masked scores to -1e9 (a fully masked row becomes uniform)
5. `renormalized_weights`  softmax, zero masked weights, divide by the row sum; on rows with a
   visible key this equals (3). A fully masked row would be 0/0: we return a zero row (no
   weight anywhere), which is the usual guard, so the output for that query is the zero vector.
"""

from __future__ import annotations

import math
import random

import torch

LARGE_NEGATIVE = -1e9


def _scores(q, k):
    """Scaled similarity of every query with every key, (..., Lq, Lk)."""
    return q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])


# --------------------------------------------------------------------------- references


def zero_weights(q, k, v, mask):
    """(1) softmax over all keys, then zero the masked weights without renormalising."""
    weights = torch.softmax(_scores(q, k), dim=-1)
    return weights.masked_fill(~mask, 0.0) @ v


def zero_scores(q, k, v, mask):
    """(2) set masked scores to 0 before softmax; masked keys still get weight exp(0)."""
    scores = _scores(q, k).masked_fill(~mask, 0.0)
    return torch.softmax(scores, dim=-1) @ v


def neg_inf_scores(q, k, v, mask):
    """(3) set masked scores to -inf; exact, but a row with no visible key gives NaN."""
    scores = _scores(q, k).masked_fill(~mask, float("-inf"))
    return torch.softmax(scores, dim=-1) @ v


def large_negative_scores(q, k, v, mask):
    """(4) set masked scores to -1e9; a fully masked row becomes a uniform average."""
    scores = _scores(q, k).masked_fill(~mask, LARGE_NEGATIVE)
    return torch.softmax(scores, dim=-1) @ v


def renormalized_weights(q, k, v, mask):
    """(5) softmax, zero the masked weights, rescale rows to sum 1; a fully masked row stays 0."""
    weights = torch.softmax(_scores(q, k), dim=-1).masked_fill(~mask, 0.0)
    total = weights.sum(dim=-1, keepdim=True)
    weights = torch.where(total > 0, weights / total.clamp_min(torch.finfo(total.dtype).tiny), 0.0)
    return weights @ v


# ------------------------------------------------------------------------ case generator


def cases(rng: random.Random) -> list[dict]:
    """Random shapes and masks plus fixed cases that tell the five variants apart.

    The fixed cases include a padding mask, a causal mask, a broadcast (Lq, Lk) mask over a
    batch, a row with every key masked, and scores far from 0 (so zeroing a score differs
    from removing it).
    """
    gen = torch.Generator().manual_seed(rng.randrange(2**63))
    out = []

    # Partially masked rows only: (1), (2) and (5) differ, (3), (4), (5) agree.
    q = torch.tensor([[2.0, 0.0], [0.0, 1.0]])
    k = torch.tensor([[1.0, 1.0], [3.0, -1.0], [-2.0, 0.5]])
    v = torch.tensor([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
    mask = torch.tensor([[True, False, True], [True, True, False]])
    out.append(dict(q=q, k=k, v=v, mask=mask))

    # Batched causal self-attention.
    length = rng.randint(3, 5)
    x = torch.randn(2, length, 4, generator=gen) * 2
    causal = torch.ones(length, length, dtype=torch.bool).tril()
    out.append(dict(q=x, k=x, v=torch.randn(2, length, 3, generator=gen), mask=causal))

    # A fully masked query row (e.g. a padding query): separates (3), (4) and (5).
    q = torch.randn(1, 3, 4, generator=gen)
    k = torch.randn(1, 4, 4, generator=gen)
    v = torch.randn(1, 4, 2, generator=gen)
    mask = torch.tensor([[[True, True, False, False], [False, False, False, False], [True] * 4]])
    out.append(dict(q=q, k=k, v=v, mask=mask))

    # Random shapes with batch dims and a key-padding mask broadcast over queries.
    for batch in [(rng.randint(1, 3),), (2, rng.randint(1, 3))]:
        len_q, len_k, d_k, d_v = rng.randint(1, 5), rng.randint(2, 6), rng.randint(2, 8), 3
        q = torch.randn(*batch, len_q, d_k, generator=gen) * 2
        k = torch.randn(*batch, len_k, d_k, generator=gen)
        v = torch.randn(*batch, len_k, d_v, generator=gen)
        keep = torch.rand(*batch, 1, len_k, generator=gen) < 0.6
        keep[..., 0] = True
        out.append(dict(q=q, k=k, v=v, mask=keep))

    # Random full-size mask, where some rows may end up fully masked.
    len_q, len_k = rng.randint(2, 5), rng.randint(2, 5)
    q = torch.randn(2, len_q, 6, generator=gen) * 3
    k = torch.randn(2, len_k, 6, generator=gen)
    v = torch.randn(2, len_k, 2, generator=gen)
    mask = torch.rand(2, len_q, len_k, generator=gen) < 0.5
    mask[0, 0, :] = False
    out.append(dict(q=q, k=k, v=v, mask=mask))
    return out


# -------------------------------------------------------------------------- known mistakes


def neg_inf_scores_unscaled(q, k, v, mask):
    """Mistake: variant (3) without the 1/sqrt(d_k) scale."""
    return neg_inf_scores(q * math.sqrt(q.shape[-1]), k, v, mask)


def neg_inf_scores_inverted_mask(q, k, v, mask):
    """Mistake: variant (3) with True read as "blocked"."""
    return neg_inf_scores(q, k, v, ~mask)


def renormalized_weights_nan_rows(q, k, v, mask):
    """Mistake: variant (5) without a guard, so a fully masked row is 0/0 = NaN."""
    weights = torch.softmax(_scores(q, k), dim=-1).masked_fill(~mask, 0.0)
    return (weights / weights.sum(dim=-1, keepdim=True)) @ v


def neg_inf_cases(rng: random.Random) -> list[dict]:
    """`cases` plus one row whose masked key dominates the unmasked softmax.

    There the allowed weights of softmax-then-renormalise (variant 5) underflow to 0, so the
    row comes out as zeros, while masking the scores first gives a proper softmax over the
    allowed keys. This tells a hand-written guard (variant 5) apart from
    `F.scaled_dot_product_attention`, which returns zeros only for fully masked rows.
    """
    q = torch.tensor([[10.0, 0.0], [0.0, 1.0]])
    k = torch.tensor([[-10.0, 0.0], [-9.8, 0.0], [12.0, 0.0]])
    v = torch.tensor([[1.0, 0.0], [0.0, 1.0], [5.0, 5.0]])
    mask = torch.tensor([[True, True, False], [True, True, True]])
    return [*cases(rng), dict(q=q, k=k, v=v, mask=mask)]


def library_sdpa(q, k, v, mask):
    """Mistake for variant (3): `F.scaled_dot_product_attention` with the bool mask.

    Its bool mask means "may attend" like ours, and it masks with -inf, but current PyTorch
    returns a zero row (not NaN) when every key of a query is masked.
    """
    return torch.nn.functional.scaled_dot_product_attention(q, k, v, attn_mask=mask)
