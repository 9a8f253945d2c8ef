"""Contrastive losses: SimCLR affinity matrix, InfoNCE / NT-Xent, margin and triplet losses.

Row order of a SimCLR batch: `encoded_pairs` has shape (N, 2, D) and is flattened with
`reshape(2N, D)`, so rows 2i and 2i+1 are the two views of pair i and the positive of row r
is row r ^ 1 (r XOR 1).
"""

from __future__ import annotations

import random

import torch
import torch.nn.functional as F

# --------------------------------------------------------------------------- references


def calc_simclr_affinity_matrix(encoded_pairs):
    """(N, 2, D) -> (2N, 2N) cosine similarities between every pair of the 2N views."""
    z = encoded_pairs.reshape(-1, encoded_pairs.shape[-1])
    z = z / z.norm(dim=-1, keepdim=True)
    return z @ z.T


def _positives(n_rows):
    """Index of each row's positive partner: 0<->1, 2<->3, ..."""
    return torch.arange(n_rows) ^ 1


def calc_info_nce(affinity_matrix):
    """InfoNCE with temperature 1, averaged over all 2N anchors.

    L_i = -log( exp(s[i, p(i)]) / sum_{k != i} exp(s[i, k]) ), p(i) = i ^ 1. The diagonal
    (an anchor compared with itself) is excluded from the denominator.
    """
    n = affinity_matrix.shape[0]
    self_pairs = torch.eye(n, dtype=torch.bool)
    logits = affinity_matrix.masked_fill(self_pairs, float("-inf"))
    return F.cross_entropy(logits, _positives(n)).item()


def nt_xent(encoded_pairs, temperature):
    """NT-Xent: mean over the 2N anchors of -log(exp(sim(z_i,z_j)/t) / sum_{k!=i} exp(sim(z_i,z_k)/t)).

    sim is the cosine similarity; j is the other view of the same pair (row order as above).
    """
    return calc_info_nce(calc_simclr_affinity_matrix(encoded_pairs) / temperature)


def margin_contrastive_loss(x1, x2, y, margin):
    """Per-pair L = (1 - Y) D^2 + Y max(0, m - D)^2, D = ||x1 - x2||_2; Y = 1 for dissimilar.

    x1, x2 (N, D); y (N,) float 0/1; returns (N,).
    """
    dist = (x1 - x2).norm(dim=-1)
    return (1 - y) * dist**2 + y * torch.clamp(margin - dist, min=0) ** 2


def triplet_loss(anchor, positive, negative, margin):
    """Per-triplet L = max(0, ||f(x) - f(x+)||^2 - ||f(x) - f(x-)||^2 + m); inputs (N, D) -> (N,)."""
    d_pos = ((anchor - positive) ** 2).sum(dim=-1)
    d_neg = ((anchor - negative) ** 2).sum(dim=-1)
    return torch.clamp(d_pos - d_neg + margin, min=0)


# ------------------------------------------------------------------------ case generators


def sheet_example_pairs():
    """The exercise sheet's example: torch.eye(3) and eye + 0.1, stacked on dim 1 (InfoNCE 0.9665)."""
    data = torch.eye(3)
    return torch.stack([data, data + torch.full_like(data, 0.1)], dim=1)


def _generator(rng: random.Random) -> torch.Generator:
    return torch.Generator().manual_seed(rng.randrange(2**63))


def _random_pairs(gen, n, d):
    """Pairs of correlated views with very different norms (so normalising matters)."""
    base = torch.randn(n, 1, d, generator=gen)
    views = base + 0.5 * torch.randn(n, 2, d, generator=gen)
    scale = torch.rand(n, 2, 1, generator=gen) * 4 + 0.25
    return views * scale


def pair_cases(rng: random.Random) -> list[dict]:
    """Inputs for `calc_simclr_affinity_matrix(encoded_pairs)`."""
    gen = _generator(rng)
    shapes = [(2, 3), (rng.randint(3, 6), rng.randint(2, 8)), (rng.randint(6, 10), 16)]
    return [dict(encoded_pairs=sheet_example_pairs())] + [
        dict(encoded_pairs=_random_pairs(gen, n, d)) for n, d in shapes
    ]


def affinity_cases(rng: random.Random) -> list[dict]:
    """Inputs for `calc_info_nce(affinity_matrix)`: affinities of random batches and the sheet's."""
    return [
        dict(affinity_matrix=calc_simclr_affinity_matrix(c["encoded_pairs"]))
        for c in pair_cases(rng)
    ]


def nt_xent_cases(rng: random.Random) -> list[dict]:
    """Inputs for `nt_xent(encoded_pairs, temperature)` with several temperatures."""
    temps = [1.0, 0.5, rng.choice([0.07, 0.1, 0.2])]
    pairs = pair_cases(rng)
    return [
        dict(encoded_pairs=p["encoded_pairs"], temperature=t)
        for p, t in zip(pairs, temps + [0.3], strict=True)
    ]


def margin_cases(rng: random.Random) -> list[dict]:
    """Inputs for `margin_contrastive_loss(x1, x2, y, margin)`: near and far pairs of both kinds."""
    gen = _generator(rng)
    out = []
    for n, d, margin in [
        (4, 2, 1.0),
        (rng.randint(5, 10), rng.randint(3, 8), rng.choice([2.0, 3.0])),
    ]:
        x1 = torch.randn(n, d, generator=gen)
        x2 = x1 + torch.randn(n, d, generator=gen) * torch.linspace(0.1, 2.0, n)[:, None]
        y = (torch.arange(n) % 2).float()
        out.append(dict(x1=x1, x2=x2, y=y, margin=margin))
    return out


def triplet_cases(rng: random.Random) -> list[dict]:
    """Inputs for `triplet_loss(anchor, positive, negative, margin)`: easy, semi-hard, hard."""
    gen = _generator(rng)
    out = []
    for n, d, margin in [
        (3, 2, 1.0),
        (rng.randint(4, 9), rng.randint(2, 16), rng.choice([0.2, 0.5])),
    ]:
        anchor = torch.randn(n, d, generator=gen)
        positive = anchor + 0.3 * torch.randn(n, d, generator=gen)
        negative = anchor + torch.randn(n, d, generator=gen) * torch.linspace(0.1, 2.0, n)[:, None]
        out.append(dict(anchor=anchor, positive=positive, negative=negative, margin=margin))
    return out


# -------------------------------------------------------------------------- known mistakes


def affinity_dot_product_unnormalised(encoded_pairs):
    """Mistake: raw dot products instead of cosine similarities."""
    z = encoded_pairs.reshape(-1, encoded_pairs.shape[-1])
    return z @ z.T


def affinity_rows_other_order(encoded_pairs):
    """Mistake: rows ordered [all first views; all second views] (positive of i is i + N)."""
    z = torch.cat([encoded_pairs[:, 0], encoded_pairs[:, 1]], dim=0)
    z = z / z.norm(dim=-1, keepdim=True)
    return z @ z.T


def info_nce_diagonal_not_excluded(affinity_matrix):
    """Mistake: keeps s[i, i] (always the largest, = 1) in the denominator."""
    n = affinity_matrix.shape[0]
    return F.cross_entropy(affinity_matrix, _positives(n)).item()


def info_nce_rows_other_order(affinity_matrix):
    """Mistake: takes row i + N (mod 2N) as the positive, i.e. the other row layout."""
    n = affinity_matrix.shape[0]
    logits = affinity_matrix.masked_fill(torch.eye(n, dtype=torch.bool), float("-inf"))
    return F.cross_entropy(logits, (torch.arange(n) + n // 2) % n).item()


def info_nce_sum_not_mean(affinity_matrix):
    """Mistake: sums the 2N anchor losses instead of averaging them."""
    return calc_info_nce(affinity_matrix) * affinity_matrix.shape[0]


def nt_xent_no_temperature(encoded_pairs, temperature):
    """Mistake: ignores the temperature."""
    return nt_xent(encoded_pairs, 1.0)


def nt_xent_temperature_multiplied(encoded_pairs, temperature):
    """Mistake: multiplies the similarities by the temperature instead of dividing."""
    return calc_info_nce(calc_simclr_affinity_matrix(encoded_pairs) * temperature)


def nt_xent_diagonal_not_excluded(encoded_pairs, temperature):
    """Mistake: keeps the self-similarity in the denominator."""
    return info_nce_diagonal_not_excluded(calc_simclr_affinity_matrix(encoded_pairs) / temperature)


def margin_contrastive_labels_swapped(x1, x2, y, margin):
    """Mistake: reads Y = 1 as "similar"."""
    return margin_contrastive_loss(x1, x2, 1 - y, margin)


def margin_contrastive_unsquared(x1, x2, y, margin):
    """Mistake: uses D and max(0, m - D) without squaring."""
    dist = (x1 - x2).norm(dim=-1)
    return (1 - y) * dist + y * torch.clamp(margin - dist, min=0)


def triplet_loss_unsquared(anchor, positive, negative, margin):
    """Mistake: plain Euclidean distances instead of squared ones."""
    d_pos = (anchor - positive).norm(dim=-1)
    d_neg = (anchor - negative).norm(dim=-1)
    return torch.clamp(d_pos - d_neg + margin, min=0)


def triplet_loss_no_hinge(anchor, positive, negative, margin):
    """Mistake: forgets max(0, .), so easy triplets give negative losses."""
    d_pos = ((anchor - positive) ** 2).sum(dim=-1)
    d_neg = ((anchor - negative) ** 2).sum(dim=-1)
    return d_pos - d_neg + margin
