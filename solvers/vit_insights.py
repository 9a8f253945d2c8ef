"""What a trained ViT learns: patch-embedding filters and the mean attention distance.

The attention distance of a head is the average, over query patches, of the distance in
pixels between the query and the patches it attends to, weighted by the attention weights
(ViT paper, Figure 7 right). Patch positions are the centres of a square grid of patches.
"""

from __future__ import annotations

import random

import torch


def patch_embedding_params(patch_size: int, hidden: int, channels: int = 3) -> float:
    """Weights and biases of the patch projection: (P²C) · D + D."""
    return float(patch_size * patch_size * channels * hidden + hidden)


def _grid_distances(side: int, patch_size: float) -> torch.Tensor:
    """(N, N) Euclidean distances in pixels between the patches of a side×side grid."""
    rows, cols = torch.meshgrid(torch.arange(side), torch.arange(side), indexing="ij")
    pos = torch.stack([rows.reshape(-1), cols.reshape(-1)], dim=-1).float() * patch_size
    return torch.cdist(pos, pos)


def mean_attention_distance(attention, patch_size):
    """(heads, N, N) attention over N = side² patches -> (heads,) mean distance in pixels."""
    side = round(attention.shape[-1] ** 0.5)
    dist = _grid_distances(side, patch_size).to(attention.dtype)
    return (attention * dist).sum(dim=-1).mean(dim=-1)


def attention_distance_one_query(weights, query_row: int, query_col: int, patch_size: int) -> float:
    """Attention distance in pixels of one query on a small grid; `weights` is a side×side grid
    of attention weights (rows of patches), the query sits at 1-based (query_row, query_col)."""
    total = 0.0
    for r, row in enumerate(weights, start=1):
        for c, weight in enumerate(row, start=1):
            dr, dc = (r - query_row) * patch_size, (c - query_col) * patch_size
            total += float(weight) * (dr * dr + dc * dc) ** 0.5
    return total


def draw_attention_grid(rng: random.Random) -> dict:
    """A 3×3 grid of attention weights (two decimals, summing to 1) and a query patch."""
    raw = [rng.randint(0, 9) for _ in range(9)]
    raw[rng.randrange(9)] += 10
    total = sum(raw)
    cents = [round(100 * r / total) for r in raw]
    cents[cents.index(max(cents))] += 100 - sum(cents)
    grid = [[c / 100 for c in cents[i : i + 3]] for i in (0, 3, 6)]
    return {
        "weights": grid,
        "query_row": rng.randint(1, 3),
        "query_col": rng.randint(1, 3),
        "patch_size": rng.choice([16, 32]),
    }


# ------------------------------------------------------------------------------- code cases


def attention_distance_cases(rng: random.Random) -> list[dict]:
    """Softmax-normalised attention maps over square grids, with local and global heads."""
    gen = torch.Generator().manual_seed(rng.randrange(2**63))
    out = []
    for heads, side, patch in [(1, 2, 16), (3, 3, 16), (rng.randint(2, 4), rng.choice([4, 5]), 32)]:
        n = side * side
        logits = torch.randn(heads, n, n, generator=gen) * 3
        out.append(dict(attention=torch.softmax(logits, dim=-1), patch_size=patch))
    # A perfectly local head (attends to itself) and a uniform, global one.
    n = 9
    local = torch.eye(n)
    uniform = torch.full((n, n), 1.0 / n)
    out.append(dict(attention=torch.stack([local, uniform]), patch_size=16))
    return out


def mean_attention_distance_in_patches(attention, patch_size):
    """Mistake: distances counted in patches, not pixels (forgot the patch size)."""
    return mean_attention_distance(attention, 1)


def mean_attention_distance_manhattan(attention, patch_size):
    """Mistake: |dr| + |dc| instead of the Euclidean distance."""
    side = round(attention.shape[-1] ** 0.5)
    rows, cols = torch.meshgrid(torch.arange(side), torch.arange(side), indexing="ij")
    pos = torch.stack([rows.reshape(-1), cols.reshape(-1)], dim=-1).float() * patch_size
    dist = torch.cdist(pos, pos, p=1).to(attention.dtype)
    return (attention * dist).sum(dim=-1).mean(dim=-1)


def mean_attention_distance_unweighted(attention, patch_size):
    """Mistake: plain mean distance over all pairs, ignoring the attention weights."""
    n = attention.shape[-1]
    return mean_attention_distance(torch.full_like(attention, 1.0 / n), patch_size)


def attention_distance_in_patches(weights, query_row: int, query_col: int) -> float:
    """The same weighted distance measured in patch widths (a step of the pixel version)."""
    return attention_distance_one_query(weights, query_row, query_col, 1)
