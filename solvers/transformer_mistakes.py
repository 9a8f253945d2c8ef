"""Wrong answers students typically give to the attention, Transformer, masking, seq2seq and
language-model calculations, computed like the right ones.

Each function takes exactly the parameters of the question's own solver (in
`quizapp.solvers.transformer_numbers`) and returns the value one particular slip produces, so a
wrong answer can be matched to its cause. They are named in a question's `known_mistakes`.
"""

from __future__ import annotations

import math

import torch

from .transformer_numbers import (
    _softmax,
    attention_matrix_bytes,
    encoder_layer_params,
    ffn_params,
    mha_param_count,
    pe_wavelength,
    transformer_params,
)

# ---------------------------------------------------------------- tiny attention by hand


def _weights(q: list, k: list, *, scaled: bool = True, over_queries: bool = False):
    qt = torch.tensor(q, dtype=torch.float64)
    kt = torch.tensor(k, dtype=torch.float64)
    scores = qt @ kt.T
    if scaled:
        scores = scores / math.sqrt(qt.shape[-1])
    return torch.softmax(scores, dim=0 if over_queries else -1)


def weight_unscaled(q: list, k: list, row: int, key: int) -> float:
    """softmax(QKᵀ) without dividing by √d_k."""
    return float(_weights(q, k, scaled=False)[row - 1, key - 1])


def weight_softmax_over_queries(q: list, k: list, row: int, key: int) -> float:
    """The softmax taken down a column (over the queries) instead of along the row."""
    return float(_weights(q, k, over_queries=True)[row - 1, key - 1])


def output_unscaled(q: list, k: list, v: list, row: int, component: int) -> float:
    """softmax(QKᵀ)V without dividing by √d_k."""
    out = _weights(q, k, scaled=False) @ torch.tensor(v, dtype=torch.float64)
    return float(out[row - 1, component - 1])


def output_softmax_over_queries(q: list, k: list, v: list, row: int, component: int) -> float:
    """Weights normalised over the queries (columns) instead of over the keys (rows)."""
    out = _weights(q, k, over_queries=True) @ torch.tensor(v, dtype=torch.float64)
    return float(out[row - 1, component - 1])


# ---------------------------------------------------------------- scaling


def dot_product_variance(d_k: int, scaled: bool = False) -> float:
    """The variance d_k given where its square root, the standard deviation, is asked."""
    return float(d_k)


def dot_product_std_scaled(d_k: int, scaled: bool = False) -> float:
    """The scaled score's standard deviation (1), although the unscaled one is asked."""
    return 1.0


def smaller_weight_scaled(d_k: int, scaled: bool, gap_in_std: float = 1.0) -> float:
    """The gap divided by √d_k although the question asks without scaling: 1/(1 + e^gap)."""
    return 1.0 / (1.0 + math.exp(gap_in_std))


def larger_weight(d_k: int, scaled: bool, gap_in_std: float = 1.0) -> float:
    """The weight of the key with the larger score."""
    gap = gap_in_std * math.sqrt(d_k)
    diff = gap / math.sqrt(d_k) if scaled else gap
    return 1.0 / (1.0 + math.exp(-diff))


# ---------------------------------------------------------------- heads and parameters


def head_dim_unsplit(d_model: int, heads: int) -> float:
    """d_model itself: the width not split over the heads."""
    return float(d_model)


def head_dim_multiplied(d_model: int, heads: int) -> float:
    """d_model · h: multiplied by the number of heads instead of divided."""
    return float(d_model * heads)


def mha_params_without_biases(d_model: int, heads: int, bias: bool = True) -> float:
    """The four weight matrices only."""
    return mha_param_count(d_model, heads, bias=False)


def mha_params_without_output(d_model: int, heads: int, bias: bool = True) -> float:
    """W^Q, W^K, W^V (with their biases, if any) but no output projection W^O."""
    return float(3 * (d_model * d_model + (d_model if bias else 0)))


def mha_params_full_width_heads(d_model: int, heads: int, bias: bool = True) -> float:
    """Every head with full-width d_model × d_model projections (d_k = d_model)."""
    weights = 3 * heads * d_model * d_model + heads * d_model * d_model
    biases = 3 * heads * d_model + d_model
    return float(weights + biases)


def ffn_params_without_biases(d_model: int, d_ff: int) -> float:
    """W₁ and W₂ only."""
    return float(2 * d_model * d_ff)


def ffn_params_one_layer(d_model: int, d_ff: int, bias: bool = True) -> float:
    """Only the first linear layer (W₁ and b₁, if biases are counted)."""
    return float(d_model * d_ff + (d_ff if bias else 0))


def encoder_layer_weights_only(d_model: int, heads: int, d_ff: int) -> float:
    """Weight matrices only: no biases, no layer-norm gains or biases."""
    return float(4 * d_model * d_model + 2 * d_model * d_ff)


def encoder_layer_one_ffn_layer(d_model: int, heads: int, d_ff: int) -> float:
    """The FFN counted as one linear layer."""
    return mha_param_count(d_model, heads) + ffn_params_one_layer(d_model, d_ff) + 4 * d_model


def decoder_layer_without_cross_attention(d_model: int, heads: int, d_ff: int) -> float:
    """One attention block instead of two (the cross-attention forgotten)."""
    return mha_param_count(d_model, heads) + ffn_params(d_model, d_ff) + 3 * 2 * d_model


def decoder_layer_weights_only(d_model: int, heads: int, d_ff: int) -> float:
    """Weight matrices only: no biases, no layer-norm gains or biases."""
    return float(8 * d_model * d_model + 2 * d_model * d_ff)


def transformer_decoder_as_encoder(
    d_model: int, heads: int, d_ff: int, encoder_layers: int, decoder_layers: int
) -> float:
    """Decoder layers counted like encoder layers (no cross-attention, two norms)."""
    layer = encoder_layer_params(d_model, heads, d_ff)
    return float((encoder_layers + decoder_layers) * layer + 2 * 2 * d_model)


def transformer_encoder_only(
    d_model: int, heads: int, d_ff: int, encoder_layers: int, decoder_layers: int
) -> float:
    """Only the encoder stack and its final norm."""
    return transformer_params(d_model, heads, d_ff, encoder_layers, 0) - 2 * d_model


# ---------------------------------------------------------------- memory and growth


def score_bytes_without_heads(seq_len: int, heads: int, layers: int, bytes_per_float: int) -> float:
    """One matrix per layer instead of one per head and layer."""
    return attention_matrix_bytes(seq_len, 1, layers, bytes_per_float)


def score_bytes_without_layers(
    seq_len: int, heads: int, layers: int, bytes_per_float: int
) -> float:
    """The matrices of a single layer only."""
    return attention_matrix_bytes(seq_len, heads, 1, bytes_per_float)


def score_bits(seq_len: int, heads: int, layers: int, bytes_per_float: int) -> float:
    """Bits counted as bytes: eight times too much."""
    return 8 * attention_matrix_bytes(seq_len, heads, layers, bytes_per_float)


def score_bytes_fp32(seq_len: int, heads: int, layers: int, bytes_per_float: int) -> float:
    """4 bytes per number (fp32) whatever precision the question states."""
    return attention_matrix_bytes(seq_len, heads, layers, 4)


def growth_linear(length_from: int, length_to: int) -> float:
    """The length ratio itself, not its square."""
    return length_to / length_from


def growth_increase(length_from: int, length_to: int) -> float:
    """The increase (ratio² − 1) instead of the factor ratio²."""
    return (length_to / length_from) ** 2 - 1


# ---------------------------------------------------------------- convolutions


def unshared_every_pixel(input_size: int, kernel_size: int) -> float:
    """A filter at all n² pixels instead of at the (n − k + 1)² valid placements."""
    return float(input_size**2 * kernel_size**2)


def unshared_one_row(input_size: int, kernel_size: int) -> float:
    """The n − k + 1 placements along one row only."""
    return float((input_size - kernel_size + 1) * kernel_size**2)


def dense_as_many_outputs_as_inputs(input_size: int, kernel_size: int) -> float:
    """n² inputs to n² outputs: n⁴."""
    return float(input_size**4)


def dense_as_local_filters(input_size: int, kernel_size: int) -> float:
    """Each output connected to its k × k window only (the unshared-filter count)."""
    return float((input_size - kernel_size + 1) ** 2 * kernel_size**2)


def layers_adding_kernel(length: int, kernel_size: int) -> float:
    """Each layer taken to add k positions: ⌈L / k⌉."""
    return float(math.ceil(length / kernel_size))


def layers_rounded_down(length: int, kernel_size: int) -> float:
    """(L − 1)/(k − 1) rounded down: one layer short when it does not divide."""
    return float((length - 1) // (kernel_size - 1))


# ---------------------------------------------------------------- positional encoding


def pe_entry_sin_cos_swapped(pos: int, dim: int, d_model: int) -> float:
    """Cosine on even columns and sine on odd ones."""
    i = dim // 2
    angle = pos / 10000 ** (2 * i / d_model)
    return math.cos(angle) if dim % 2 == 0 else math.sin(angle)


def pe_entry_degrees(pos: int, dim: int, d_model: int) -> float:
    """The angle read in degrees instead of radians."""
    i = dim // 2
    angle = math.radians(pos / 10000 ** (2 * i / d_model))
    return math.sin(angle) if dim % 2 == 0 else math.cos(angle)


def wavelength_without_2pi(i: int, d_model: int) -> float:
    """10000^(2i/d): the 2π of one full turn forgotten."""
    return pe_wavelength(i, d_model) / (2 * math.pi)


def wavelength_i_not_2i(i: int, d_model: int) -> float:
    """2π · 10000^(i/d): the pair index i used where the column 2i belongs."""
    return 2 * math.pi * 10000 ** (i / d_model)


# ---------------------------------------------------------------- masking


def causal_allowed_pairs(length: int) -> float:
    """L(L + 1)/2: the pairs the mask keeps (diagonal included), not the blocked ones."""
    return float(length * (length + 1) // 2)


def causal_both_triangles(length: int) -> float:
    """L(L − 1): both off-diagonal triangles."""
    return float(length * (length - 1))


def zeroed_row_sum_one(scores: list, mask: list) -> float:
    """1: as if the row were renormalised after zeroing."""
    return 1.0


def zeroed_row_masked_mass(scores: list, mask: list) -> float:
    """The weight the masked positions had (what was removed), not what is left."""
    weights = _softmax([float(s) for s in scores])
    return sum(w for w, m in zip(weights, mask, strict=True) if not m)


def zero_score_leak_none(scores: list, mask: list) -> float:
    """0: a zero score taken to mean a zero weight."""
    return 0.0


def masked_mass_original_scores(scores: list, mask: list) -> float:
    """The masked positions' weight with their original scores (no replacement by 0)."""
    return zeroed_row_masked_mass(scores, mask)


def renormalized_not_renormalized(scores: list, mask: list, position: int) -> float:
    """The plain softmax weight, before zeroing and renormalising."""
    return _softmax([float(s) for s in scores])[position - 1]


def renormalized_with_zero_scores(scores: list, mask: list, position: int) -> float:
    """Masked scores set to 0 before the softmax (variant 2) instead of dropped."""
    replaced = [float(s) if m else 0.0 for s, m in zip(scores, mask, strict=True)]
    return _softmax(replaced)[position - 1]


# ---------------------------------------------------------------- seq2seq


def bahdanau_unnormalized(scores: list, j: int) -> float:
    """exp(e_ij) without dividing by the sum over the positions."""
    return math.exp(float(scores[j - 1]))


def bahdanau_own_term_left_out(scores: list, j: int) -> float:
    """exp(e_ij) divided by the other positions' exponentials only."""
    exps = [math.exp(float(s)) for s in scores]
    return exps[j - 1] / (sum(exps) - exps[j - 1])


def context_plain_mean(scores: list, annotations: list, component: int) -> float:
    """The plain mean of the annotations: the weights ignored."""
    return sum(float(h[component - 1]) for h in annotations) / len(annotations)


def context_scores_as_weights(scores: list, annotations: list, component: int) -> float:
    """The raw scores used as weights, without the softmax."""
    pairs = zip(scores, annotations, strict=True)
    return sum(float(e) * float(h[component - 1]) for e, h in pairs)


def alignment_sum(source_length: int, target_length: int) -> float:
    """T_x + T_y: the lengths added instead of multiplied."""
    return float(source_length + target_length)


def alignment_source_squared(source_length: int, target_length: int) -> float:
    """T_x²: the source length used for both axes."""
    return float(source_length * source_length)


def encoder_memory_single_vector(source_length: int, hidden_size: int, attention: bool) -> float:
    """One context vector, as without attention."""
    return float(hidden_size)


def encoder_memory_bidirectional(source_length: int, hidden_size: int, attention: bool) -> float:
    """Two states per word, as for a bidirectional encoder."""
    return float(2 * source_length * hidden_size)


# ---------------------------------------------------------------- language models


def masked_tokens_only_mask_symbol(seq_len: int, mask_rate: float) -> float:
    """Only the 80% of selected tokens that become [MASK]."""
    return seq_len * mask_rate * 0.8


def masked_tokens_unselected(seq_len: int, mask_rate: float) -> float:
    """The tokens that are *not* selected."""
    return seq_len * (1 - mask_rate)


def gpt_attention_only(layers: int, d_model: int) -> float:
    """4 L d²: the attention weights without the FFN."""
    return float(4 * layers * d_model**2)


def gpt_one_layer(layers: int, d_model: int) -> float:
    """12 d²: a single layer, the L layers forgotten."""
    return float(12 * d_model**2)


def masked_row_all_zero(length: int) -> float:
    """0: a fully masked row taken to give every key zero weight."""
    return 0.0


def additive_params_v_as_matrix(
    decoder_hidden: int, encoder_hidden: int, attention_dim: int
) -> float:
    """v_a counted as a square matrix (n × n) instead of a vector of n weights."""
    n = attention_dim
    return float(n * decoder_hidden + n * encoder_hidden + n * n)


# ------------------------------------------------------------- parts left out of a count


def additive_params_without_v(
    decoder_hidden: int, encoder_hidden: int, attention_dim: int
) -> float:
    """W_a and U_a only: the output vector v_a of the alignment net is forgotten."""
    return float(attention_dim * (decoder_hidden + encoder_hidden))


def bert_embedding_without_segments(
    vocab_size: int, max_positions: int, segments: int, hidden: int
) -> float:
    """Token and position tables only: the segment table is forgotten."""
    return float((vocab_size + max_positions) * hidden)


def transformer_without_final_norms(
    d_model: int, heads: int, d_ff: int, encoder_layers: int, decoder_layers: int
) -> float:
    """Both stacks without the final LayerNorm after each (2 · 2d parameters)."""
    return transformer_params(d_model, heads, d_ff, encoder_layers, decoder_layers) - 4 * d_model
