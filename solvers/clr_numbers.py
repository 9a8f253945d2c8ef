"""Numbers for the contrastive-learning, SSL and CLIP decks.

Every solver returns a plain float. Generators `draw_*(rng)` return plain Python numbers or
nested lists (small embeddings and matrices) that are merged over a question's params.
Computation is done in float64 with torch so that hand-worked answers match closely.
"""

from __future__ import annotations

import math
import random

import torch
import torch.nn.functional as F


def _t(x) -> torch.Tensor:
    return torch.as_tensor(x, dtype=torch.float64)


def _cosine_matrix(a, b) -> torch.Tensor:
    a = F.normalize(_t(a), dim=-1)
    b = F.normalize(_t(b), dim=-1)
    return a @ b.T


# --------------------------------------------------------------------------- InfoNCE / SimCLR


def info_nce_views(views, temperature: float = 1.0) -> float:
    """InfoNCE (NT-Xent) over 2N views where rows 2k and 2k+1 are the two views of item k.

    Affinity = cosine similarity / temperature; each row's own entry is excluded and the
    other view of the same item is the target "class"; the loss is averaged over all 2N rows.
    """
    z = _t(views)
    n2 = z.shape[0]
    if n2 % 2:
        raise ValueError("need an even number of views (pairs)")
    logits = _cosine_matrix(z, z) / temperature
    logits = logits.masked_fill(torch.eye(n2, dtype=torch.bool), float("-inf"))
    targets = torch.arange(n2) ^ 1
    return float(F.cross_entropy(logits, targets))


def info_nce_eye_example(n: int = 3, noise: float = 0.1, temperature: float = 1.0) -> float:
    """The exercise-sheet example: items torch.eye(n), second views eye(n) + noise.

    With n=3, noise=0.1, temperature=1 the loss is 0.9665.
    """
    data = torch.eye(n, dtype=torch.float64)
    pairs = torch.stack([data, data + noise], dim=1)  # (N, 2, D)
    return info_nce_views(pairs.reshape(2 * n, n), temperature)


def draw_views(rng: random.Random) -> dict:
    """Two items with two 2-D views each (4 rows, small integers, no zero rows)."""
    rows = []
    for _ in range(2):
        base = [rng.choice([1, 2, 3]) * rng.choice([-1, 1]) for _ in range(2)]
        for _ in range(2):
            while True:
                view = [b + rng.choice([-1, 0, 1]) for b in base]
                if any(view):
                    break
            rows.append(view)
    return {"views": rows, "temperature": rng.choice([1.0, 0.5])}


def cosine_similarity(u, v) -> float:
    """cos(u, v) = u·v / (‖u‖‖v‖)."""
    return float(_cosine_matrix([u], [v])[0, 0])


def draw_vector_pair(rng: random.Random) -> dict:
    """Two small integer vectors in 3-D, neither zero."""

    def vec():
        while True:
            v = [rng.randint(-3, 3) for _ in range(3)]
            if any(v):
                return v

    return {"u": vec(), "v": vec()}


def nt_xent_anchor(pos_sim: float, neg_sims, temperature: float) -> float:
    """NT-Xent for one anchor: −log( e^{s⁺/τ} / (e^{s⁺/τ} + Σ e^{s⁻/τ}) )."""
    logits = _t([pos_sim, *list(neg_sims)]) / temperature
    return float(-torch.log_softmax(logits, dim=0)[0])


def draw_nt_xent_anchor(rng: random.Random) -> dict:
    """A batch of N=3 images: one positive and 2(N−1)=4 negative cosine similarities."""
    pos = round(rng.uniform(0.5, 0.95), 2)
    negs = [round(rng.uniform(-0.3, 0.6), 2) for _ in range(4)]
    return {"pos_sim": pos, "neg_sims": negs}


def negatives_per_anchor(batch_size: int) -> float:
    """SimCLR: 2N views per batch; each anchor has 2(N−1) negatives."""
    return float(2 * (batch_size - 1))


def candidates_per_anchor(batch_size: int) -> float:
    """Entries in each row's softmax: every view except the anchor itself, 2N − 1."""
    return float(2 * batch_size - 1)


def affinity_entries(batch_size: int) -> float:
    """Entries of the SimCLR affinity matrix over 2N views: (2N)²."""
    return float((2 * batch_size) ** 2)


def uniform_info_nce(batch_size: int) -> float:
    """InfoNCE of an untrained encoder whose similarities are all equal: log(2N − 1)."""
    return math.log(2 * batch_size - 1)


# --------------------------------------------------------------------------- margin losses


def margin_contrastive_loss(distance: float, y: int, margin: float) -> float:
    """L = (1 − Y)·D² + Y·max(0, m − D)², with Y = 0 for similar and Y = 1 for dissimilar."""
    return float((1 - y) * distance**2 + y * max(0.0, margin - distance) ** 2)


def margin_contrastive_batch(distances, labels, margin: float) -> float:
    """Mean margin contrastive loss over several pairs."""
    losses = [margin_contrastive_loss(d, y, margin) for d, y in zip(distances, labels, strict=True)]
    return sum(losses) / len(losses)


def draw_contrastive_batch(rng: random.Random) -> dict:
    """Four pairs with Euclidean distances and similar(0)/dissimilar(1) labels, both kinds present."""
    labels = [0, 0, 1, 1]
    rng.shuffle(labels)
    distances = [round(rng.uniform(0.2, 2.0), 1) for _ in labels]
    return {"distances": distances, "labels": labels, "margin": rng.choice([1.0, 1.5, 2.0])}


def triplet_loss(anchor, positive, negative, margin: float) -> float:
    """L = max(0, ‖f(x) − f(x⁺)‖² − ‖f(x) − f(x⁻)‖² + m) with squared Euclidean distances."""
    a, p, n = _t(anchor), _t(positive), _t(negative)
    d_pos = float(((a - p) ** 2).sum())
    d_neg = float(((a - n) ** 2).sum())
    return max(0.0, d_pos - d_neg + margin)


def triplet_loss_from_distances(d_pos: float, d_neg: float, margin: float) -> float:
    """Triplet loss given the (unsquared) Euclidean distances to positive and negative."""
    return max(0.0, d_pos**2 - d_neg**2 + margin)


def draw_triplet(rng: random.Random) -> dict:
    """Anchor, positive and negative in 2-D with small integer coordinates; often a hard negative."""

    def near(v, spread):
        return [c + rng.randint(-spread, spread) for c in v]

    anchor = [rng.randint(-2, 2), rng.randint(-2, 2)]
    positive = near(anchor, 2)
    negative = near(anchor, 2)
    return {
        "anchor": anchor,
        "positive": positive,
        "negative": negative,
        "margin": rng.choice([0.5, 1.0, 2.0]),
    }


# --------------------------------------------------------------------------- CLIP


def caption_cosine(image_embedding, caption_embeddings, caption: int = 0) -> float:
    """Cosine similarity between the image and caption number `caption` (0-based)."""
    return float(_cosine_matrix([image_embedding], caption_embeddings)[0, caption])


def best_caption_cosine(image_embedding, caption_embeddings) -> float:
    """Cosine similarity of the caption CLIP would pick (the highest one)."""
    return float(_cosine_matrix([image_embedding], caption_embeddings)[0].max())


def best_caption_dot(image_embedding, caption_embeddings) -> float:
    """Highest raw dot product (what you would get without normalising)."""
    return float((_t(caption_embeddings) @ _t(image_embedding)).max())


def draw_zero_shot_scoring(rng: random.Random) -> dict:
    """An image embedding, three caption embeddings in 3-D (one decimal each) and a
    temperature, drawn again while the answer is nearly 1 or the known slips (no
    temperature, raw dot products) would land within 0.02 of it: there a slip could not
    be told from the right answer."""
    from . import clr_mistakes  # imports this module: only when drawing

    while True:
        drawn = draw_caption_scoring(rng)
        drawn["temperature"] = rng.choice([1.0, 0.5, 0.2, 0.1])
        right = zero_shot_top_probability(**drawn)
        slips = (clr_mistakes.zero_shot_without_temperature(**drawn),
                 clr_mistakes.zero_shot_raw_dots(**drawn))  # fmt: skip
        if right <= 0.95 and all(abs(slip - right) >= 0.02 for slip in slips):
            return drawn


def draw_caption_scoring(rng: random.Random) -> dict:
    """An image embedding and three caption embeddings in 3-D, one decimal each."""

    def vec():
        while True:
            v = [round(rng.uniform(-1.0, 1.0), 1) for _ in range(3)]
            if any(abs(c) > 0.05 for c in v):
                return v

    image = vec()
    # one caption roughly matches the image, the other two are unrelated; order shuffled
    close = [round(c + rng.uniform(-0.4, 0.4), 1) for c in image]
    if not any(close):
        close = list(image)
    captions = [close, vec(), vec()]
    rng.shuffle(captions)
    return {"image_embedding": image, "caption_embeddings": captions}


def zero_shot_top_probability(image_embedding, caption_embeddings, temperature: float) -> float:
    """Softmax over cosine similarities / temperature; probability of the most likely caption."""
    logits = _cosine_matrix([image_embedding], caption_embeddings)[0] / temperature
    return float(torch.softmax(logits, dim=0).max())


def zero_shot_probability(
    image_embedding, caption_embeddings, temperature: float, caption: int = 0
) -> float:
    """Softmax over cosine similarities / temperature; probability of caption `caption`."""
    logits = _cosine_matrix([image_embedding], caption_embeddings)[0] / temperature
    return float(torch.softmax(logits, dim=0)[caption])


def draw_zero_shot(rng: random.Random) -> dict:
    """Three cosine-friendly embeddings plus a temperature."""
    out = draw_caption_scoring(rng)
    out["temperature"] = rng.choice([1.0, 0.5, 0.2, 0.1])
    return out


def prompt_ensemble_cosine(image_embedding, prompt_embeddings) -> float:
    """Cosine between the image and the normalised mean of the normalised prompt embeddings."""
    prompts = F.normalize(_t(prompt_embeddings), dim=-1)
    mean = prompts.mean(dim=0)
    return cosine_similarity(image_embedding, mean.tolist())


def draw_prompt_ensemble(rng: random.Random) -> dict:
    """An image embedding and three prompt embeddings for the same class (3-D, one decimal)."""
    base = [rng.choice([0.5, 0.8, 1.0]) * rng.choice([-1, 1]) for _ in range(3)]
    prompts = [[round(b + rng.uniform(-0.4, 0.4), 1) for b in base] for _ in range(3)]
    image = [round(b + rng.uniform(-0.5, 0.5), 1) for b in base]
    return {"image_embedding": image, "prompt_embeddings": prompts}


def clip_symmetric_loss(image_embeddings, text_embeddings, temperature: float = 1.0) -> float:
    """CLIP loss: cross-entropy over rows (image→text) and columns (text→image), averaged."""
    logits = _cosine_matrix(image_embeddings, text_embeddings) / temperature
    labels = torch.arange(logits.shape[0])
    loss_i = F.cross_entropy(logits, labels)
    loss_t = F.cross_entropy(logits.T, labels)
    return float((loss_i + loss_t) / 2)


def draw_clip_batch(rng: random.Random) -> dict:
    """Two images and their two captions, 2-D embeddings with small integer entries."""

    def vec():
        while True:
            v = [rng.randint(-2, 2) for _ in range(2)]
            if any(v):
                return v

    return {
        "image_embeddings": [vec(), vec()],
        "text_embeddings": [vec(), vec()],
        "temperature": rng.choice([1.0, 0.5]),
    }


def clip_logit_count(batch_size: int) -> float:
    """Entries in CLIP's image-text similarity matrix for a batch of n pairs: n²."""
    return float(batch_size * batch_size)


def clip_negatives_per_image(batch_size: int) -> float:
    """Captions in the batch that are negatives for one image: n − 1."""
    return float(batch_size - 1)


def mean_gap(baseline, improved) -> float:
    """Mean of `improved` minus mean of `baseline` (e.g. accuracies in percentage points)."""
    return sum(improved) / len(improved) - sum(baseline) / len(baseline)


def accuracy_retained(in_distribution: float, shifted: float) -> float:
    """Share (in %) of the in-distribution accuracy that survives the distribution shift."""
    return 100.0 * shifted / in_distribution


def draw_robustness_row(rng: random.Random) -> dict:
    """One row of the lecture's robustness table (ImageNet ResNet-101 vs zero-shot CLIP)."""
    table = {
        "ImageNetV2": (64.3, 70.1),
        "ImageNet-R": (37.7, 88.9),
        "ObjectNet": (32.6, 72.3),
        "ImageNet Sketch": (25.2, 60.2),
        "ImageNet-A": (2.7, 77.1),
    }
    name = rng.choice(sorted(table))
    resnet, clip = table[name]
    return {"dataset": name, "resnet": resnet, "clip": clip}


def clip_minus_resnet(resnet: float, clip: float, dataset: str = "") -> float:
    """Accuracy gap in percentage points (dataset is only shown in the prompt)."""
    return clip - resnet


def logit_scale(temperature: float) -> float:
    """CLIP multiplies cosine similarities by exp(t) = 1/τ."""
    return 1.0 / temperature


def logit_range(temperature: float) -> float:
    """Width of the logit range when cosines span [−1, 1] and are divided by τ: 2/τ."""
    return 2.0 / temperature


def resnet_retained(resnet: float, clip: float, dataset: str = "", imagenet: float = 76.2) -> float:
    """Share (in %) of its ImageNet accuracy that the ResNet-101 keeps on a shifted dataset."""
    return accuracy_retained(imagenet, resnet)


def clip_retained(resnet: float, clip: float, dataset: str = "", imagenet: float = 76.2) -> float:
    """Share (in %) of its ImageNet accuracy that zero-shot CLIP keeps on a shifted dataset."""
    return accuracy_retained(imagenet, clip)


# --------------------------------------------------------------------------- DINO


def ema_update(teacher: float, student: float, momentum: float) -> float:
    """One teacher update: θ_t ← λ·θ_t + (1 − λ)·θ_s."""
    return momentum * teacher + (1.0 - momentum) * student


def ema_gap_remaining(momentum: float, steps: int) -> float:
    """Share of the teacher-student gap left after `steps` EMA updates (student held fixed): λ^k."""
    return momentum**steps


def dino_loss_terms(global_crops: int, local_crops: int) -> float:
    """Teacher sees the global crops, the student all crops; pairs of different views: G·(G+L) − G."""
    return float(global_crops * (global_crops + local_crops) - global_crops)
