"""Intermediate values that explanations show with the student's own numbers (`derived`).

These belong to questions whose right answers come from `quizapp.solvers.clr_numbers` and
`quizapp.solvers.transformer_numbers`: a cosine's dot product and norms, a softmax's numerator
and denominator, the two directions of CLIP's loss, and so on. Each takes (a subset of) the
question's parameters; `derived` passes only the ones a function accepts.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from .clr_numbers import _cosine_matrix, _t

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


# ------------------------------------------------------------------- tiny attention by hand


def _scaled_scores(q: list, k: list, row: int) -> list[float]:
    """q_row · k_j / sqrt(d_k) for every key j (row 1-based)."""
    query = [float(x) for x in q[row - 1]]
    scale = math.sqrt(len(query))
    return [sum(a * float(b) for a, b in zip(query, key, strict=True)) / scale for key in k]


def scaled_score(q: list, k: list, row: int, key: int) -> float:
    """The scaled score of the asked (query, key) pair: the softmax's exponent."""
    return _scaled_scores(q, k, row)[key - 1]


def scaled_score_exponential_sum(q: list, k: list, row: int) -> float:
    """sum_j exp(q_row · k_j / sqrt(d_k)): the softmax's denominator for that query."""
    return sum(math.exp(s) for s in _scaled_scores(q, k, row))


def _query_weight(q: list, k: list, row: int, key: int) -> float:
    return math.exp(scaled_score(q, k, row, key)) / scaled_score_exponential_sum(q, k, row)


def query_weight_1(q: list, k: list, row: int) -> float:
    """The asked query's attention weight on key 1."""
    return _query_weight(q, k, row, 1)


def query_weight_2(q: list, k: list, row: int) -> float:
    """The asked query's attention weight on key 2."""
    return _query_weight(q, k, row, 2)


def query_weight_3(q: list, k: list, row: int) -> float:
    """The asked query's attention weight on key 3."""
    return _query_weight(q, k, row, 3)


# ------------------------------------------------------------------------ masked rows


def zeroed_scores_denominator(scores: list, mask: list) -> float:
    """Z after setting the masked scores to 0: sum of exp over allowed scores + one per masked."""
    return sum(math.exp(float(s)) if m else 1.0 for s, m in zip(scores, mask, strict=True))


def masked_positions(mask: list) -> float:
    """How many positions the mask blocks."""
    return float(sum(1 for m in mask if not m))


def allowed_exponential_sum(scores: list, mask: list) -> float:
    """sum of exp(s_k) over the allowed positions only."""
    return sum(math.exp(float(s)) for s, m in zip(scores, mask, strict=True) if m)


def position_exponential(scores: list, position: int) -> float:
    """exp(s_p) of the asked position (1-based)."""
    return math.exp(float(scores[position - 1]))


# --------------------------------------------------------------------- InfoNCE, four views


def _view_losses(views, temperature: float) -> torch.Tensor:
    """Per-anchor InfoNCE losses of 2N views (rows 2k and 2k+1 are a positive pair)."""
    z = _t(views)
    logits = _cosine_matrix(z, z) / temperature
    logits = logits.masked_fill(torch.eye(z.shape[0], dtype=torch.bool), float("-inf"))
    targets = torch.arange(z.shape[0]) ^ 1
    return F.cross_entropy(logits, targets, reduction="none")


def view_loss_1(views, temperature: float = 1.0) -> float:
    """InfoNCE loss of anchor 1."""
    return float(_view_losses(views, temperature)[0])


def view_loss_2(views, temperature: float = 1.0) -> float:
    """InfoNCE loss of anchor 2."""
    return float(_view_losses(views, temperature)[1])


def view_loss_3(views, temperature: float = 1.0) -> float:
    """InfoNCE loss of anchor 3."""
    return float(_view_losses(views, temperature)[2])


def view_loss_4(views, temperature: float = 1.0) -> float:
    """InfoNCE loss of anchor 4."""
    return float(_view_losses(views, temperature)[3])


# ------------------------------------------------------------------ prompt ensembling


def _class_embedding(prompt_embeddings) -> torch.Tensor:
    """The normalised mean of the normalised prompt embeddings."""
    mean = F.normalize(_t(prompt_embeddings), dim=-1).mean(dim=0)
    return F.normalize(mean, dim=0)


def class_embedding_1(prompt_embeddings) -> float:
    """First component of the class embedding."""
    return float(_class_embedding(prompt_embeddings)[0])


def class_embedding_2(prompt_embeddings) -> float:
    """Second component of the class embedding."""
    return float(_class_embedding(prompt_embeddings)[1])


def class_embedding_3(prompt_embeddings) -> float:
    """Third component of the class embedding."""
    return float(_class_embedding(prompt_embeddings)[2])


# ------------------------------------------------------- InfoNCE on identity-plus-noise views


def _eye_views(n: int, noise: float) -> torch.Tensor:
    """Rows 2i and 2i+1: e_i and e_i + noise (the exercise sheet's construction)."""
    data = torch.eye(n, dtype=torch.float64)
    return torch.stack([data, data + noise], dim=1).reshape(2 * n, n)


def eye_positive_cosine(n: int, noise: float) -> float:
    """cos(e_i, e_i + c): an anchor with its positive."""
    z = F.normalize(_eye_views(n, noise), dim=-1)
    return float(z[0] @ z[1])


def eye_cross_cosine(n: int, noise: float) -> float:
    """cos(e_i, e_j + c) for j != i: a clean view with another item's noisy view."""
    z = F.normalize(_eye_views(n, noise), dim=-1)
    return float(z[0] @ z[3])


def eye_noisy_cosine(n: int, noise: float) -> float:
    """cos(e_i + c, e_j + c) for j != i: two noisy views of different items."""
    z = F.normalize(_eye_views(n, noise), dim=-1)
    return float(z[1] @ z[3])


def eye_clean_anchor_loss(n: int, noise: float, temperature: float) -> float:
    """InfoNCE loss of an anchor e_i (all clean anchors have the same loss)."""
    return float(_view_losses(_eye_views(n, noise), temperature)[0])


def eye_noisy_anchor_loss(n: int, noise: float, temperature: float) -> float:
    """InfoNCE loss of an anchor e_i + c (all noisy anchors have the same loss)."""
    return float(_view_losses(_eye_views(n, noise), temperature)[1])
