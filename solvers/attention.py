"""Scaled dot-product attention, multi-head attention, causal masks, positional encodings.

Conventions (shared with the decks): tensors are row-major "token per row", so a linear map
is `x @ W`; a boolean mask is True where a query **may** attend to a key.
"""

from __future__ import annotations

import math
import random

import torch

# --------------------------------------------------------------------------- references


def attention_weights(q, k, mask=None):
    """softmax(q k^T / sqrt(d_k)) over the keys; masked entries (mask False) get weight 0."""
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    return torch.softmax(scores, dim=-1)


def scaled_dot_product_attention(q, k, v, mask=None):
    """Attention(Q, K, V) = softmax(Q K^T / sqrt(d_k)) V, with scores of masked keys set to -inf."""
    return attention_weights(q, k, mask) @ v


def multi_head_attention(x_q, x_kv, w_q, w_k, w_v, w_o, num_heads, mask=None):
    """Concat(head_1..head_h) W_o with head_i = Attention(x_q W_q^i, x_kv W_k^i, x_kv W_v^i).

    x_q (B, Lq, d_model), x_kv (B, Lk, d_model), every w_* (d_model, d_model). The projected
    queries/keys/values are split along d_model into `num_heads` heads of size
    d_head = d_model / num_heads; each head scales by 1/sqrt(d_head). `mask` is broadcastable
    to (B, num_heads, Lq, Lk), for example (Lq, Lk).
    """
    batch, len_q, d_model = x_q.shape
    d_head = d_model // num_heads

    def split(x):
        return x.reshape(x.shape[0], x.shape[1], num_heads, d_head).transpose(1, 2)

    q, k, v = split(x_q @ w_q), split(x_kv @ w_k), split(x_kv @ w_v)
    heads = scaled_dot_product_attention(q, k, v, mask)  # (B, h, Lq, d_head)
    return heads.transpose(1, 2).reshape(batch, len_q, d_model) @ w_o


def causal_mask(length):
    """(L, L) bool mask, True on and below the diagonal: position i may see positions <= i."""
    return torch.ones(length, length, dtype=torch.bool).tril()


def sinusoidal_positional_encoding(max_len, d_model):
    """PE[pos, 2i] = sin(pos / 10000^(2i/d_model)), PE[pos, 2i+1] = cos(same angle); float32."""
    pos = torch.arange(max_len, dtype=torch.float64)[:, None]
    two_i = torch.arange(0, d_model, 2, dtype=torch.float64)
    angle = pos / 10000.0 ** (two_i / d_model)
    pe = torch.zeros(max_len, d_model, dtype=torch.float64)
    pe[:, 0::2] = torch.sin(angle)
    pe[:, 1::2] = torch.cos(angle[:, : d_model // 2])
    return pe.float()


# ------------------------------------------------------------------------ case generators


def _generator(rng: random.Random) -> torch.Generator:
    """A torch generator seeded from the question's rng, so cases are reproducible."""
    return torch.Generator().manual_seed(rng.randrange(2**63))


def _qkv(gen, batch, len_q, len_k, d_k, d_v):
    q = torch.randn(*batch, len_q, d_k, generator=gen)
    k = torch.randn(*batch, len_k, d_k, generator=gen)
    v = torch.randn(*batch, len_k, d_v, generator=gen)
    return q, k, v


def _mask_with_visible_key(gen, shape):
    """A random bool mask where every query row can see at least one key."""
    mask = torch.rand(*shape, generator=gen) < 0.6
    first = torch.randint(0, shape[-1], shape[:-1], generator=gen)
    return mask.scatter(-1, first.unsqueeze(-1), True)


def attention_cases(rng: random.Random) -> list[dict]:
    """Cases for `attention(q, k, v, mask=None)`: no mask, padding and causal masks, batches.

    Every row of every mask has at least one True, so -inf and a large negative agree.
    """
    gen = _generator(rng)
    cases = []
    q, k, v = _qkv(gen, (), 3, 4, 2, 3)
    cases.append(dict(q=q, k=k, v=v, mask=None))
    for batch in [(2,), (2, 3), ()]:
        len_q, len_k = rng.randint(1, 5), rng.randint(2, 6)
        d_k, d_v = rng.choice([4, 8, 16, 64]), rng.randint(1, 5)
        q, k, v = _qkv(gen, batch, len_q, len_k, d_k, d_v)
        cases.append(dict(q=q * 3, k=k, v=v, mask=None))
        cases.append(dict(q=q, k=k, v=v, mask=_mask_with_visible_key(gen, (*batch, len_q, len_k))))
    length = rng.randint(3, 6)
    q, k, v = _qkv(gen, (2,), length, length, 16, 4)
    cases.append(dict(q=q * 2, k=k, v=v, mask=causal_mask(length)))
    return cases


def causal_mask_cases(rng: random.Random) -> list[dict]:
    """Lengths for `causal_mask(length)`, including 1."""
    return [dict(length=n) for n in [1, 2, 4, rng.randint(5, 12)]]


def positional_encoding_cases(rng: random.Random) -> list[dict]:
    """(max_len, d_model) pairs with even d_model, small and medium."""
    return [
        dict(max_len=4, d_model=4),
        dict(max_len=rng.randint(5, 20), d_model=rng.choice([6, 8, 16])),
        dict(max_len=rng.randint(20, 50), d_model=rng.choice([32, 64, 128])),
    ]


def multi_head_cases(rng: random.Random) -> list[dict]:
    """Self- and cross-attention with several head counts, with and without a mask."""
    gen = _generator(rng)
    cases = []
    for num_heads, d_model, cross, masked in [
        (2, 8, False, False),
        (rng.choice([2, 4]), 16, True, False),
        (4, 16, False, True),
        (1, 6, False, False),
    ]:
        batch, len_q = rng.randint(1, 3), rng.randint(2, 5)
        len_k = rng.randint(2, 6) if cross else len_q
        x_q = torch.randn(batch, len_q, d_model, generator=gen)
        x_kv = torch.randn(batch, len_k, d_model, generator=gen) if cross else x_q
        ws = [torch.randn(d_model, d_model, generator=gen) / math.sqrt(d_model) for _ in range(4)]
        mask = causal_mask(len_q) if masked else None
        cases.append(
            dict(
                x_q=x_q,
                x_kv=x_kv,
                w_q=ws[0],
                w_k=ws[1],
                w_v=ws[2],
                w_o=ws[3],
                num_heads=num_heads,
                mask=mask,
            )
        )
    return cases


# -------------------------------------------------------------------------- known mistakes


def attention_unscaled(q, k, v, mask=None):
    """Mistake: forgets the 1/sqrt(d_k) scale."""
    return scaled_dot_product_attention(q * math.sqrt(q.shape[-1]), k, v, mask)


def attention_scaled_by_d(q, k, v, mask=None):
    """Mistake: divides the scores by d_k instead of sqrt(d_k)."""
    return scaled_dot_product_attention(q / math.sqrt(q.shape[-1]), k, v, mask)


def attention_softmax_over_queries(q, k, v, mask=None):
    """Mistake: normalises each column (over queries) instead of each row (over keys)."""
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    return torch.softmax(scores, dim=-2) @ v


def attention_mask_inverted(q, k, v, mask=None):
    """Mistake: treats True as "blocked" instead of "may attend"."""
    if mask is None:
        return scaled_dot_product_attention(q, k, v)
    return scaled_dot_product_attention(q, k, v, ~mask)


def causal_mask_strict(length):
    """Mistake: excludes the diagonal, so a token cannot see itself."""
    return torch.ones(length, length, dtype=torch.bool).tril(-1)


def causal_mask_upper(length):
    """Mistake: marks the future (above the diagonal) instead of the past."""
    return torch.ones(length, length, dtype=torch.bool).triu()


def causal_mask_blocked(length):
    """Mistake: True above the diagonal, the "blocked" convention of nn.Transformer's bool mask."""
    return ~causal_mask(length)


def positional_encoding_swapped(max_len, d_model):
    """Mistake: cos in even columns and sin in odd ones."""
    pe = sinusoidal_positional_encoding(max_len, d_model)
    return torch.stack([pe[:, 1::2], pe[:, 0::2]], dim=-1).reshape(max_len, d_model)


def positional_encoding_halves(max_len, d_model):
    """Mistake: all sines in the first half of the columns, all cosines in the second."""
    pe = sinusoidal_positional_encoding(max_len, d_model)
    return torch.cat([pe[:, 0::2], pe[:, 1::2]], dim=-1)


def positional_encoding_column_exponent(max_len, d_model):
    """Mistake: uses the column index j as the exponent (10000^(j/d)) for odd columns too."""
    pos = torch.arange(max_len, dtype=torch.float64)[:, None]
    j = torch.arange(d_model, dtype=torch.float64)
    angle = pos / 10000.0 ** (j / d_model)
    pe = torch.where(j.long() % 2 == 0, torch.sin(angle), torch.cos(angle))
    return pe.float()


def multi_head_no_output_projection(x_q, x_kv, w_q, w_k, w_v, w_o, num_heads, mask=None):
    """Mistake: concatenates the heads but never applies W_o."""
    eye = torch.eye(w_o.shape[0], dtype=w_o.dtype)
    return multi_head_attention(x_q, x_kv, w_q, w_k, w_v, eye, num_heads, mask)


def multi_head_scaled_by_d_model(x_q, x_kv, w_q, w_k, w_v, w_o, num_heads, mask=None):
    """Mistake: scales by 1/sqrt(d_model) instead of 1/sqrt(d_head)."""
    factor = math.sqrt(num_heads) ** -1  # sqrt(d_head)/sqrt(d_model) folded into the queries
    return multi_head_attention(x_q, x_kv, w_q * factor, w_k, w_v, w_o, num_heads, mask)


def multi_head_split_without_transpose(x_q, x_kv, w_q, w_k, w_v, w_o, num_heads, mask=None):
    """Mistake: reshapes (B, L, d_model) straight to (B, h, L, d_head), mixing tokens."""
    batch, len_q, d_model = x_q.shape
    d_head = d_model // num_heads

    def split(x):
        return x.reshape(x.shape[0], num_heads, x.shape[1], d_head)

    q, k, v = split(x_q @ w_q), split(x_kv @ w_k), split(x_kv @ w_v)
    heads = scaled_dot_product_attention(q, k, v, mask)
    return heads.reshape(batch, len_q, d_model) @ w_o
