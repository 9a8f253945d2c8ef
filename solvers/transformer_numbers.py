"""Numeric answers for the seq2seq, attention, transformer, masking and language-model decks.

Every public function either computes the answer of a numeric question from its parameters
(keyword arguments, plain Python numbers or nested lists) or is a `draw_*` generator that
takes a `random.Random` and returns fresh parameter values for a parameterised question.

Index parameters that a student sees (`row`, `key`, `position`, ...) are 1-based, as they
are written in the prompts; the functions convert them.
"""

from __future__ import annotations

import math
import random

import torch

# ---------------------------------------------------------------------------- helpers


def _softmax(values: list[float]) -> list[float]:
    """Numerically stable softmax of a list of floats."""
    top = max(values)
    exps = [math.exp(v - top) for v in values]
    total = sum(exps)
    return [e / total for e in exps]


def _round_list(rng: random.Random, n: int, low: float, high: float, digits: int = 1) -> list:
    return [round(rng.uniform(low, high), digits) for _ in range(n)]


def _int_matrix(rng: random.Random, rows: int, cols: int, low: int = -2, high: int = 2) -> list:
    return [[rng.randint(low, high) for _ in range(cols)] for _ in range(rows)]


def _attention_weights(q: list, k: list) -> torch.Tensor:
    """softmax(Q K^T / sqrt(d_k)) in float64 for small nested-list matrices."""
    qt = torch.tensor(q, dtype=torch.float64)
    kt = torch.tensor(k, dtype=torch.float64)
    scores = qt @ kt.transpose(-2, -1) / math.sqrt(qt.shape[-1])
    return torch.softmax(scores, dim=-1)


# ---------------------------------------------------------------------------- seq2seq


def bahdanau_weight(scores: list, j: int) -> float:
    """Attention weight alpha_ij = softmax over the source positions of e_i, at position j."""
    return _softmax([float(s) for s in scores])[j - 1]


def draw_bahdanau_scores(rng: random.Random) -> dict:
    """Alignment scores e_i1..e_iT (T = 3 or 4, one decimal) and a 1-based source position."""
    length = rng.choice([3, 4])
    return {"scores": _round_list(rng, length, -2.0, 2.0), "j": rng.randint(1, length)}


def bahdanau_context_component(scores: list, annotations: list, component: int) -> float:
    """Component `component` (1-based) of the context vector c_i = sum_j alpha_ij h_j."""
    alphas = _softmax([float(s) for s in scores])
    return sum(a * float(h[component - 1]) for a, h in zip(alphas, annotations, strict=True))


def draw_bahdanau_context(rng: random.Random) -> dict:
    """Three alignment scores, three 2-d annotations h_j (small integers) and a component."""
    return {
        "scores": _round_list(rng, 3, -2.0, 2.0),
        "annotations": _int_matrix(rng, 3, 2, -3, 3),
        "component": rng.randint(1, 2),
    }


def alignment_score_count(source_length: int, target_length: int) -> float:
    """Number of alignment weights alpha_ij: one per (target step, source position) pair."""
    return float(source_length * target_length)


def additive_attention_params(
    decoder_hidden: int, encoder_hidden: int, attention_dim: int
) -> float:
    """Weights of e = v^T tanh(W s + U h) without biases: W, U and the vector v."""
    return float(attention_dim * decoder_hidden + attention_dim * encoder_hidden + attention_dim)


def encoder_memory_floats(source_length: int, hidden_size: int, attention: bool) -> float:
    """Floats the decoder can read about the source: one vector c, or every annotation h_j."""
    return float(source_length * hidden_size if attention else hidden_size)


# ---------------------------------------------------------------------------- attention


def attention_weight_entry(q: list, k: list, row: int, key: int) -> float:
    """Entry (row, key), 1-based, of softmax(Q K^T / sqrt(d_k))."""
    return float(_attention_weights(q, k)[row - 1, key - 1])


def draw_tiny_qk(rng: random.Random) -> dict:
    """Small integer Q (2-3 x 2) and K (2-3 x 2) and a 1-based (row, key) entry to ask for."""
    n_q, n_k = rng.choice([2, 3]), rng.choice([2, 3])
    return {
        "q": _int_matrix(rng, n_q, 2),
        "k": _int_matrix(rng, n_k, 2),
        "row": rng.randint(1, n_q),
        "key": rng.randint(1, n_k),
    }


def attention_output_entry(q: list, k: list, v: list, row: int, component: int) -> float:
    """Entry (row, component), 1-based, of softmax(Q K^T / sqrt(d_k)) V."""
    weights = _attention_weights(q, k)
    out = weights @ torch.tensor(v, dtype=torch.float64)
    return float(out[row - 1, component - 1])


def draw_tiny_qkv(rng: random.Random) -> dict:
    """Small integer Q (2 x 2), K and V (3 x 2) and a 1-based output entry to ask for."""
    return {
        "q": _int_matrix(rng, 2, 2),
        "k": _int_matrix(rng, 3, 2),
        "v": _int_matrix(rng, 3, 2, -3, 3),
        "row": rng.randint(1, 2),
        "component": rng.randint(1, 2),
    }


def dot_product_std(d_k: int, scaled: bool = False) -> float:
    """Std of q.k for q, k with iid zero-mean unit-variance entries (optionally / sqrt(d_k))."""
    return 1.0 if scaled else math.sqrt(d_k)


def two_key_smaller_weight(d_k: int, scaled: bool, gap_in_std: float = 1.0) -> float:
    """Softmax weight of the smaller of two scores whose raw dot products differ by
    `gap_in_std` standard deviations of q.k (one std = sqrt(d_k))."""
    gap = gap_in_std * math.sqrt(d_k)
    diff = gap / math.sqrt(d_k) if scaled else gap
    return 1.0 / (1.0 + math.exp(diff))


def head_dim(d_model: int, heads: int) -> float:
    """Per-head query/key dimension d_k = d_model / h."""
    return d_model / heads


def mha_param_count(d_model: int, heads: int, bias: bool = True) -> float:
    """Parameters of multi-head attention with d_k = d_v = d_model / h: W^Q, W^K, W^V, W^O."""
    d_k = d_model // heads
    weights = 3 * d_model * heads * d_k + heads * d_k * d_model
    biases = 3 * heads * d_k + d_model if bias else 0
    return float(weights + biases)


def attention_score_count(seq_len: int, heads: int = 1, layers: int = 1, batch: int = 1) -> float:
    """Number of attention scores: seq_len^2 per head, per layer, per sequence."""
    return float(batch * layers * heads * seq_len * seq_len)


def attention_matrix_bytes(
    seq_len: int, heads: int, layers: int, bytes_per_float: int, batch: int = 1
) -> float:
    """Bytes needed to keep every attention matrix (seq_len x seq_len per head and layer)."""
    return attention_score_count(seq_len, heads, layers, batch) * bytes_per_float


def attention_cost_growth(length_from: int, length_to: int) -> float:
    """Factor by which the attention matrix (and its compute) grows: (L_to / L_from)^2."""
    return (length_to / length_from) ** 2


def unshared_filter_weights(input_size: int, kernel_size: int) -> float:
    """Weights if every placement of a k x k filter on an n x n input (no padding, stride 1)
    had its own weights (a locally connected layer)."""
    positions = (input_size - kernel_size + 1) ** 2
    return float(positions * kernel_size**2)


def dense_equivalent_weights(input_size: int, kernel_size: int) -> float:
    """Weights of a dense layer from the n x n input to as many outputs as filter placements."""
    positions = (input_size - kernel_size + 1) ** 2
    return float(input_size**2 * positions)


def conv_layers_for_receptive_field(length: int, kernel_size: int) -> float:
    """Stacked stride-1 convolutions needed so one output sees `length` inputs:
    the receptive field after n layers is 1 + n (k - 1)."""
    return float(math.ceil((length - 1) / (kernel_size - 1)))


# ---------------------------------------------------------------------------- transformer


def sinusoidal_pe_entry(pos: int, dim: int, d_model: int) -> float:
    """PE[pos, dim] of the original Transformer: sin for even dim = 2i, cos for odd dim = 2i+1."""
    i = dim // 2
    angle = pos / 10000 ** (2 * i / d_model)
    return math.sin(angle) if dim % 2 == 0 else math.cos(angle)


def pe_wavelength(i: int, d_model: int) -> float:
    """Wavelength (in positions) of the sinusoid pair 2i, 2i+1: 2 pi 10000^(2i / d_model)."""
    return 2 * math.pi * 10000 ** (2 * i / d_model)


def ffn_params(d_model: int, d_ff: int, bias: bool = True) -> float:
    """Position-wise feed-forward network: Linear(d_model, d_ff) and Linear(d_ff, d_model)."""
    return float(d_model * d_ff + d_ff * d_model + (d_ff + d_model if bias else 0))


def encoder_layer_params(d_model: int, heads: int, d_ff: int) -> float:
    """Encoder layer: self-attention, FFN, two LayerNorms (gain and bias each)."""
    return mha_param_count(d_model, heads) + ffn_params(d_model, d_ff) + 2 * 2 * d_model


def decoder_layer_params(d_model: int, heads: int, d_ff: int) -> float:
    """Decoder layer: masked self-attention, cross-attention, FFN, three LayerNorms."""
    return 2 * mha_param_count(d_model, heads) + ffn_params(d_model, d_ff) + 3 * 2 * d_model


def transformer_params(
    d_model: int, heads: int, d_ff: int, encoder_layers: int, decoder_layers: int
) -> float:
    """Encoder and decoder stacks, each followed by a final LayerNorm (embeddings excluded),
    as built by torch.nn.Transformer."""
    encoder = encoder_layers * encoder_layer_params(d_model, heads, d_ff) + 2 * d_model
    decoder = decoder_layers * decoder_layer_params(d_model, heads, d_ff) + 2 * d_model
    return float(encoder + decoder)


# ---------------------------------------------------------------------------- masking


def causal_allowed_pairs(length: int) -> float:
    """(query, key) pairs a causal mask keeps: the diagonal and everything below it."""
    return float(length * (length + 1) // 2)


def causal_masked_pairs(length: int) -> float:
    """(query, key) pairs a causal mask blocks: everything strictly above the diagonal."""
    return float(length * (length - 1) // 2)


def zeroed_row_sum(scores: list, mask: list) -> float:
    """Row sum after softmax over all scores and then zeroing the masked weights (mask 0)."""
    weights = _softmax([float(s) for s in scores])
    return sum(w for w, m in zip(weights, mask, strict=True) if m)


def zero_score_leak(scores: list, mask: list) -> float:
    """Total weight left on masked positions when their scores are set to 0 before softmax."""
    replaced = [float(s) if m else 0.0 for s, m in zip(scores, mask, strict=True)]
    weights = _softmax(replaced)
    return sum(w for w, m in zip(weights, mask, strict=True) if not m)


def renormalized_weight(scores: list, mask: list, position: int) -> float:
    """Weight at `position` (1-based) after softmax, zeroing masked entries and renormalising."""
    weights = _softmax([float(s) for s in scores])
    kept = [w if m else 0.0 for w, m in zip(weights, mask, strict=True)]
    return kept[position - 1] / sum(kept)


def draw_masked_row(rng: random.Random) -> dict:
    """A causal-style row: scores (one decimal) and mask 1 = may attend, a prefix of
    1 to T-1 of the T = 3..5 positions."""
    length = rng.choice([3, 4, 5])
    allowed = rng.randint(1, length - 1)
    return {
        "scores": _round_list(rng, length, -2.0, 2.0),
        "mask": [1] * allowed + [0] * (length - allowed),
    }


def draw_masked_row_position(rng: random.Random) -> dict:
    """Like `draw_masked_row`, plus a 1-based allowed position to ask about."""
    row = draw_masked_row(rng)
    row["position"] = rng.randint(1, sum(row["mask"]))
    return row


def fully_masked_row_weight(length: int) -> float:
    """Each weight of a row whose scores all equal the same large negative constant: 1 / L."""
    return 1.0 / length


# ---------------------------------------------------------------------------- language models


def masked_token_count(seq_len: int, mask_rate: float) -> float:
    """Expected number of tokens chosen for masked-language-model prediction."""
    return seq_len * mask_rate


def bert_embedding_params(vocab_size: int, max_positions: int, segments: int, hidden: int) -> float:
    """Token, segment and position embedding tables of BERT (LayerNorm excluded)."""
    return float((vocab_size + max_positions + segments) * hidden)


def gpt_param_estimate(layers: int, d_model: int) -> float:
    """Rule of thumb for the non-embedding parameters of a decoder stack: 12 L d^2
    (4 d^2 for attention plus 8 d^2 for an FFN with d_ff = 4 d, per layer)."""
    return float(12 * layers * d_model**2)


def draw_gpt_config(rng: random.Random) -> dict:
    """Layers and width of one of the GPT models in the lecture table."""
    layers, d_model = rng.choice([(12, 768), (48, 1600), (96, 12288)])
    return {"layers": layers, "d_model": d_model}
