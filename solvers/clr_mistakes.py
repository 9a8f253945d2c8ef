"""Wrong answers students typically give to the contrastive-learning, SSL, CLIP and DINO
calculations, computed like the right ones.

Each function takes exactly the parameters of the question's own solver (in
`quizapp.solvers.clr_numbers`) and returns the value one particular slip produces, so a wrong
answer can be matched to its cause. They are named in a question's `known_mistakes`.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from .clr_numbers import (
    _cosine_matrix,
    _t,
    margin_contrastive_loss,
)

# ---------------------------------------------------------------- InfoNCE variants


def _info_nce(
    views,
    temperature: float,
    *,
    positive_in_denominator: bool = True,
    mask_self: bool = True,
    reduction: str = "mean",
) -> float:
    """InfoNCE over 2N views (rows 2k and 2k+1 are a pair) with one slip switched on."""
    z = _t(views)
    n2 = z.shape[0]
    logits = _cosine_matrix(z, z) / temperature
    eye = torch.eye(n2, dtype=torch.bool)
    targets = torch.arange(n2) ^ 1
    if mask_self:
        logits = logits.masked_fill(eye, float("-inf"))
    positives = logits[torch.arange(n2), targets]
    others = logits.clone()
    if not positive_in_denominator:
        others[torch.arange(n2), targets] = float("-inf")
    losses = torch.logsumexp(others, dim=1) - positives
    return float(losses.sum() if reduction == "sum" else losses.mean())


def _eye_views(n: int, noise: float) -> torch.Tensor:
    data = torch.eye(n, dtype=torch.float64)
    return torch.stack([data, data + noise], dim=1).reshape(2 * n, n)


def views_positive_out_of_denominator(views, temperature: float = 1.0) -> float:
    """The positive left out of the softmax's denominator (negatives only)."""
    return _info_nce(views, temperature, positive_in_denominator=False)


def views_self_in_denominator(views, temperature: float = 1.0) -> float:
    """The anchor's similarity with itself left in the denominator."""
    return _info_nce(views, temperature, mask_self=False)


def views_summed(views, temperature: float = 1.0) -> float:
    """The row losses summed instead of averaged."""
    return _info_nce(views, temperature, reduction="sum")


def eye_positive_out_of_denominator(
    n: int = 3, noise: float = 0.1, temperature: float = 1.0
) -> float:
    """`views_positive_out_of_denominator` for the identity-matrix example."""
    return views_positive_out_of_denominator(_eye_views(n, noise), temperature)


def eye_self_in_denominator(n: int = 3, noise: float = 0.1, temperature: float = 1.0) -> float:
    """`views_self_in_denominator` for the identity-matrix example."""
    return views_self_in_denominator(_eye_views(n, noise), temperature)


def eye_summed(n: int = 3, noise: float = 0.1, temperature: float = 1.0) -> float:
    """`views_summed` for the identity-matrix example."""
    return views_summed(_eye_views(n, noise), temperature)


def anchor_without_temperature(pos_sim: float, neg_sims, temperature: float) -> float:
    """The similarities not divided by τ."""
    logits = _t([pos_sim, *list(neg_sims)])
    return float(-torch.log_softmax(logits, dim=0)[0])


def anchor_positive_out_of_denominator(pos_sim: float, neg_sims, temperature: float) -> float:
    """−s⁺/τ + log Σ e^{s⁻/τ}: the positive left out of the denominator."""
    negatives = _t(list(neg_sims)) / temperature
    return float(torch.logsumexp(negatives, dim=0) - pos_sim / temperature)


def negatives_per_image(batch_size: int) -> float:
    """N − 1: one view per image, as if there were no second views."""
    return float(batch_size - 1)


def negatives_with_positive(batch_size: int) -> float:
    """2N − 1: the positive partner counted among the negatives."""
    return float(2 * batch_size - 1)


def chance_loss_over_images(batch_size: int) -> float:
    """log N: a softmax over the N images instead of the 2N − 1 other views."""
    return math.log(batch_size)


def chance_loss_log2(batch_size: int) -> float:
    """log₂(2N − 1): base-2 logarithm where the natural one is asked."""
    return math.log2(2 * batch_size - 1)


def cosine_as_dot(u, v) -> float:
    """The dot product, not divided by the norms."""
    return float(_t(u) @ _t(v))


def cosine_squared_norms(u, v) -> float:
    """Divided by the squared norms ‖u‖²‖v‖² (square roots forgotten)."""
    a, b = _t(u), _t(v)
    return float((a @ b) / ((a @ a) * (b @ b)))


# ---------------------------------------------------------------- margin losses


def margin_loss_labels_swapped(distance: float, y: int, margin: float) -> float:
    """Y = 1 read as "similar": the two terms swapped."""
    return margin_contrastive_loss(distance, 1 - y, margin)


def margin_loss_not_squared(distance: float, y: int, margin: float) -> float:
    """(1 − Y)·D + Y·max(0, m − D): the squares forgotten."""
    return float((1 - y) * distance + y * max(0.0, margin - distance))


def margin_batch_summed(distances, labels, margin: float) -> float:
    """The pair losses summed instead of averaged."""
    pairs = zip(distances, labels, strict=True)
    return sum(margin_contrastive_loss(d, y, margin) for d, y in pairs)


def margin_batch_labels_swapped(distances, labels, margin: float) -> float:
    """Labels read the other way round (1 = similar)."""
    pairs = zip(distances, labels, strict=True)
    losses = [margin_contrastive_loss(d, 1 - y, margin) for d, y in pairs]
    return sum(losses) / len(losses)


def triplet_distances_unsquared(d_pos: float, d_neg: float, margin: float) -> float:
    """max(0, d⁺ − d⁻ + m): the distances not squared."""
    return max(0.0, d_pos - d_neg + margin)


def triplet_without_margin(anchor, positive, negative, margin: float) -> float:
    """max(0, d⁺ − d⁻): the margin forgotten."""
    a, p, n = _t(anchor), _t(positive), _t(negative)
    return max(0.0, float(((a - p) ** 2).sum()) - float(((a - n) ** 2).sum()))


def triplet_distances_without_margin(d_pos: float, d_neg: float, margin: float) -> float:
    """max(0, d⁺² − d⁻²): the margin forgotten."""
    return max(0.0, d_pos**2 - d_neg**2)


# ---------------------------------------------------------------- CLIP


def caption_cosine_of_best_dot(image_embedding, caption_embeddings) -> float:
    """The cosine of the caption with the largest raw dot product."""
    dots = _t(caption_embeddings) @ _t(image_embedding)
    best = int(dots.argmax())
    return float(_cosine_matrix([image_embedding], caption_embeddings)[0, best])


def caption_best_dot(image_embedding, caption_embeddings) -> float:
    """The largest raw dot product: no normalisation at all."""
    return float((_t(caption_embeddings) @ _t(image_embedding)).max())


def zero_shot_without_temperature(image_embedding, caption_embeddings, temperature: float) -> float:
    """The cosines not divided by τ."""
    logits = _cosine_matrix([image_embedding], caption_embeddings)[0]
    return float(torch.softmax(logits, dim=0).max())


def zero_shot_raw_dots(image_embedding, caption_embeddings, temperature: float) -> float:
    """Raw dot products / τ instead of cosines / τ."""
    logits = (_t(caption_embeddings) @ _t(image_embedding)) / temperature
    return float(torch.softmax(logits, dim=0).max())


def ensemble_mean_of_cosines(image_embedding, prompt_embeddings) -> float:
    """The mean of the image's cosines with each prompt, not the cosine with their mean."""
    return float(_cosine_matrix([image_embedding], prompt_embeddings)[0].mean())


def clip_loss_summed(image_embeddings, text_embeddings, temperature: float = 1.0) -> float:
    """The two directions added instead of averaged."""
    logits = _cosine_matrix(image_embeddings, text_embeddings) / temperature
    labels = torch.arange(logits.shape[0])
    return float(F.cross_entropy(logits, labels) + F.cross_entropy(logits.T, labels))


def logits_positives_only(batch_size: int) -> float:
    """n: only the matching pairs on the diagonal."""
    return float(batch_size)


def logits_both_directions(batch_size: int) -> float:
    """2n²: the matrix counted once per loss direction."""
    return float(2 * batch_size * batch_size)


def caption_image_norm_only(image_embedding, caption_embeddings) -> float:
    """The best I·T / ‖I‖: only the image normalised, not the captions."""
    image = _t(image_embedding)
    return float((_t(caption_embeddings) @ image).max() / image.norm())


def clip_loss_unnormalized(image_embeddings, text_embeddings, temperature: float = 1.0) -> float:
    """The symmetric loss on raw dot products, without L2-normalising the embeddings."""
    logits = _t(image_embeddings) @ _t(text_embeddings).T / temperature
    labels = torch.arange(logits.shape[0])
    return float((F.cross_entropy(logits, labels) + F.cross_entropy(logits.T, labels)) / 2)


def ensemble_dot_with_mean(image_embedding, prompt_embeddings) -> float:
    """The image's raw dot product with the mean of the normalised prompts: no cosine."""
    mean = F.normalize(_t(prompt_embeddings), dim=-1).mean(dim=0)
    return float(_t(image_embedding) @ mean)


# ---------------------------------------------------------------- DINO


def ema_weights_swapped(teacher: float, student: float, momentum: float) -> float:
    """λ on the student and 1 − λ on the teacher."""
    return momentum * student + (1.0 - momentum) * teacher


def ema_step_only(teacher: float, student: float, momentum: float) -> float:
    """The change (1 − λ)(θ_s − θ_t) instead of the new value."""
    return (1.0 - momentum) * (student - teacher)


def ema_gap_closed(momentum: float, steps: int) -> float:
    """1 − λ^k: the share of the gap closed, not the share left."""
    return 1.0 - momentum**steps


def ema_gap_linear(momentum: float, steps: int) -> float:
    """1 − k(1 − λ): the gap shrinking by the same amount every step."""
    return 1.0 - steps * (1.0 - momentum)


def dino_terms_same_view_kept(global_crops: int, local_crops: int) -> float:
    """G·(G + L): pairs of a view with itself kept."""
    return float(global_crops * (global_crops + local_crops))


def dino_terms_teacher_sees_all(global_crops: int, local_crops: int) -> float:
    """(G + L)(G + L − 1): as if the teacher saw the local crops too."""
    views = global_crops + local_crops
    return float(views * (views - 1))


def caption_dot_of_best_cosine(image_embedding: list, caption_embeddings: list) -> float:
    """The raw dot product of the caption the *cosine* ranks first."""
    image = torch.tensor(image_embedding, dtype=torch.float64)
    captions = torch.tensor(caption_embeddings, dtype=torch.float64)
    dots = captions @ image
    cosines = dots / (captions.norm(dim=1) * image.norm())
    return float(dots[int(cosines.argmax())])


def mean_ratio_not_gap(baseline: list, improved: list) -> float:
    """The ratio of the mean accuracies instead of their difference."""
    return (sum(improved) / len(improved)) / (sum(baseline) / len(baseline))


def retained_as_drop(dataset: str, resnet: float, clip: float, imagenet: float = 76.2) -> float:
    """The drop in percentage points, not the share retained."""
    return imagenet - resnet


def negatives_all_views(batch_size: int) -> float:
    """All 2N views counted as negatives, the anchor and its positive included."""
    return float(2 * batch_size)


def chance_loss_all_views(batch_size: int) -> float:
    """log 2N: the anchor kept among the candidates of its own softmax."""
    return math.log(2 * batch_size)
