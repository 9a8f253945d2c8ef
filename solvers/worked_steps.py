"""Intermediate values that explanations show with the student's own numbers (`derived`).

These belong to questions whose right answers come from `solvers.clr_numbers` and
`solvers.transformer_numbers`: a cosine's dot product and norms, a softmax's numerator
and denominator, the two directions of CLIP's loss, and so on. Each takes (a subset of) the
question's parameters; `derived` passes only the ones a function accepts.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from solvers.clr_numbers import _cosine_matrix, _t

# -------------------------------------------------------------------- cosine of two vectors


def dot_product(u, v) -> float:
    """u · v."""
    return float(_t(u) @ _t(v))


def norm_u(u) -> float:
    """‖u‖."""
    return float(_t(u).norm())


def norm_v(v) -> float:
    """‖v‖."""
    return float(_t(v).norm())


# ------------------------------------------------------------------- NT-Xent of one anchor


def positive_probability(pos_sim: float, neg_sims, temperature: float) -> float:
    """Softmax probability of the positive among positive and negatives, similarities / tau."""
    logits = _t([pos_sim, *neg_sims]) / temperature
    return float(torch.softmax(logits, dim=0)[0])


# ------------------------------------------------------------------------- triplet loss


def triplet_positive_distance(anchor, positive) -> float:
    """d⁺ = ‖f(x) − f(x⁺)‖², squared Euclidean."""
    return float(((_t(anchor) - _t(positive)) ** 2).sum())


def triplet_negative_distance(anchor, negative) -> float:
    """d⁻ = ‖f(x) − f(x⁻)‖², squared Euclidean."""
    return float(((_t(anchor) - _t(negative)) ** 2).sum())


# ------------------------------------------------------------------ Bahdanau attention


def score_exponential(scores: list, j: int) -> float:
    """exp(e_ij) of the asked position (1-based): the softmax's numerator."""
    return math.exp(float(scores[j - 1]))


def exponential_sum(scores: list) -> float:
    """sum_k exp(e_ik): the softmax's denominator."""
    return sum(math.exp(float(s)) for s in scores)


def _weight(scores: list, position: int) -> float:
    return math.exp(float(scores[position])) / exponential_sum(scores)


def weight_1(scores: list) -> float:
    """alpha_i1 of a softmax over the scores."""
    return _weight(scores, 0)


def weight_2(scores: list) -> float:
    """alpha_i2 of a softmax over the scores."""
    return _weight(scores, 1)


def weight_3(scores: list) -> float:
    """alpha_i3 of a softmax over the scores."""
    return _weight(scores, 2)


# ------------------------------------------------------------------ CLIP on tiny vectors


def _cosines(image_embedding, caption_embeddings) -> torch.Tensor:
    return _cosine_matrix([image_embedding], caption_embeddings)[0]


def cosine_1(image_embedding, caption_embeddings) -> float:
    """Cosine of the image with the first caption (or prompt)."""
    return float(_cosines(image_embedding, caption_embeddings)[0])


def cosine_2(image_embedding, caption_embeddings) -> float:
    """Cosine of the image with the second caption (or prompt)."""
    return float(_cosines(image_embedding, caption_embeddings)[1])


def cosine_3(image_embedding, caption_embeddings) -> float:
    """Cosine of the image with the third caption (or prompt)."""
    return float(_cosines(image_embedding, caption_embeddings)[2])


def _clip_logits(image_embeddings, text_embeddings, temperature: float) -> torch.Tensor:
    return _cosine_matrix(image_embeddings, text_embeddings) / temperature


def clip_image_to_text_loss(image_embeddings, text_embeddings, temperature: float = 1.0) -> float:
    """Cross-entropy over the rows (each image picks its text), averaged over the images."""
    logits = _clip_logits(image_embeddings, text_embeddings, temperature)
    return float(F.cross_entropy(logits, torch.arange(logits.shape[0])))


def clip_text_to_image_loss(image_embeddings, text_embeddings, temperature: float = 1.0) -> float:
    """Cross-entropy over the columns (each text picks its image), averaged over the texts."""
    logits = _clip_logits(image_embeddings, text_embeddings, temperature)
    return float(F.cross_entropy(logits.T, torch.arange(logits.shape[0])))
