"""Swin Transformer arithmetic: model sizes, stage shapes, patch merging, window attention.

Swin cuts the image into 4×4 patches, embeds them to C channels, and runs four stages.
Between stages, patch merging joins each 2×2 group of neighbouring tokens (4C values) and
projects them linearly to 2C, so every stage halves the resolution and doubles the width.
Attention runs inside non-overlapping M×M windows (M = 7), shifted by ⌊M/2⌋ in every
second block.
"""

from __future__ import annotations

import math

import torch

# Lecture 11: Swin-T/S/B/L, C and the number of blocks per stage.
SIZES = {
    "T": (96, (2, 2, 6, 2)),
    "S": (96, (2, 2, 18, 2)),
    "B": (128, (2, 2, 18, 2)),
    "L": (192, (2, 2, 18, 2)),
}
PATCH = 4


def _size(variant: str) -> tuple[int, tuple[int, ...]]:
    try:
        return SIZES[variant]
    except KeyError:
        raise ValueError(f"unknown Swin variant {variant!r}; use one of {sorted(SIZES)}") from None


def _stage(stage: int) -> int:
    if stage not in (1, 2, 3, 4):
        raise ValueError("Swin has stages 1 to 4")
    return stage


def total_blocks(variant: str) -> float:
    """Swin Transformer blocks in the whole model: the sum of the per-stage layer numbers."""
    return float(sum(_size(variant)[1]))


def stage_channels(variant: str, stage: int) -> float:
    """Width of stage s: C · 2^(s-1) (C, 2C, 4C, 8C)."""
    return float(_size(variant)[0] * 2 ** (_stage(stage) - 1))


def stage_side(image_size: int, stage: int) -> int:
    """Tokens per side in stage s: image / (4 · 2^(s-1)), i.e. H/4, H/8, H/16, H/32."""
    factor = PATCH * 2 ** (_stage(stage) - 1)
    if image_size % factor:
        raise ValueError(f"image size {image_size} is not a multiple of {factor}")
    return image_size // factor


def stage_tokens(image_size: int, stage: int) -> float:
    """Tokens (feature-map positions) in stage s for a square image."""
    return float(stage_side(image_size, stage) ** 2)


def stage_windows(image_size: int, stage: int, window: int = 7) -> float:
    """Non-overlapping M×M windows that tile the stage's feature map."""
    side = stage_side(image_size, stage)
    if side % window:
        raise ValueError(f"{side} tokens per side is not a multiple of window {window}")
    return float((side // window) ** 2)


def shifted_windows_padded(image_size: int, stage: int, window: int = 7) -> float:
    """Windows after shifting the grid by ⌊M/2⌋ without the cyclic-shift trick.

    The shifted partition cuts the map into (h/M + 1)² windows, many of them smaller than
    M×M; padding them all to M×M means computing that many windows instead of (h/M)².
    """
    per_side = stage_windows(image_size, stage, window) ** 0.5
    return float((per_side + 1) ** 2)


def merging_params(variant: str, stage: int) -> float:
    """Weights of the patch-merging projection after stage s: 4C_s -> 2C_s, no bias: 8 C_s²."""
    width = stage_channels(variant, stage)
    return float(4 * width * 2 * width)


def patch_embedding_params(variant: str, channels: int = 3) -> float:
    """Linear embedding of a 4×4 patch (4·4·channels values) to C, with bias."""
    c = _size(variant)[0]
    return float(PATCH * PATCH * channels * c + c)


def msa_flops(side: int, channels: int) -> float:
    """Global multi-head self-attention on an h×w map (h = w = side): 4hwC² + 2(hw)²C."""
    n = side * side
    return float(4 * n * channels**2 + 2 * n * n * channels)


def window_msa_flops(side: int, channels: int, window: int) -> float:
    """Window attention: 4hwC² + 2M²hwC (linear in hw for a fixed window size M)."""
    n = side * side
    return float(4 * n * channels**2 + 2 * window * window * n * channels)


def msa_over_window_flops(image_size: int, variant: str, stage: int, window: int = 7) -> float:
    """How many times more multiply-adds global attention needs than window attention."""
    side = stage_side(image_size, stage)
    width = int(stage_channels(variant, stage))
    return msa_flops(side, width) / window_msa_flops(side, width, window)


def base_channels(variant: str) -> float:
    """C, the width of stage 1: 96 for T and S, 128 for B, 192 for L."""
    return float(_size(variant)[0])


def windows_per_side(image_size: int, stage: int, window: int = 7) -> float:
    """Regular M×M windows along one side of the stage's map: h / M."""
    return stage_windows(image_size, stage, window) ** 0.5


def stage_msa_flops(image_size: int, variant: str, stage: int) -> float:
    """Global attention's multiply-adds in one layer of this stage: 4hwC² + 2(hw)²C."""
    return msa_flops(stage_side(image_size, stage), int(stage_channels(variant, stage)))


def stage_window_msa_flops(image_size: int, variant: str, stage: int, window: int = 7) -> float:
    """Window attention's multiply-adds in one layer of this stage: 4hwC² + 2M²hwC."""
    side = stage_side(image_size, stage)
    return window_msa_flops(side, int(stage_channels(variant, stage)), window)


def shift_size(window: int) -> float:
    """Displacement of the shifted window partition: ⌊M/2⌋ tokens along each axis."""
    return float(math.floor(window / 2))


# ------------------------------------------------------------------------------ patch merging


def patch_merging(x, weight):
    """(B, H, W, C) -> (B, H/2, W/2, 2C): concatenate each 2×2 group, then x @ weight.

    The four neighbours are concatenated in the order of the reference implementation:
    x[0::2, 0::2], x[1::2, 0::2], x[0::2, 1::2], x[1::2, 1::2] (rows first, then columns).
    `weight` is (4C, 2C); no LayerNorm and no bias, to keep the exercise about the reshaping.
    """
    x0 = x[:, 0::2, 0::2, :]
    x1 = x[:, 1::2, 0::2, :]
    x2 = x[:, 0::2, 1::2, :]
    x3 = x[:, 1::2, 1::2, :]
    return torch.cat([x0, x1, x2, x3], dim=-1) @ weight


def patch_merging_cases(rng) -> list[dict]:
    """Feature maps of a few sizes with distinct values everywhere, and random weights."""
    gen = torch.Generator().manual_seed(rng.randrange(2**63))
    out = []
    for batch, side, channels in [(1, 2, 1), (2, 4, 3), (1, rng.choice([6, 8]), rng.randint(2, 5))]:
        x = torch.randn(batch, side, side, channels, generator=gen)
        weight = torch.randn(4 * channels, 2 * channels, generator=gen)
        out.append(dict(x=x, weight=weight))
    # Non-square map: rows and columns must not be swapped.
    x = torch.randn(1, 4, 6, 2, generator=gen)
    out.append(dict(x=x, weight=torch.randn(8, 4, generator=gen)))
    return out


def patch_merging_row_major(x, weight):
    """Mistake: neighbours in row-major order (0,0), (0,1), (1,0), (1,1)."""
    x0 = x[:, 0::2, 0::2, :]
    x1 = x[:, 0::2, 1::2, :]
    x2 = x[:, 1::2, 0::2, :]
    x3 = x[:, 1::2, 1::2, :]
    return torch.cat([x0, x1, x2, x3], dim=-1) @ weight


def patch_merging_plain_reshape(x, weight):
    """Mistake: reshape (B, H, W, C) straight to (B, H/2, W/2, 4C), which groups along rows."""
    b, h, w, c = x.shape
    return x.reshape(b, h // 2, w // 2, 4 * c) @ weight


def patch_merging_no_projection(x, weight):
    """Mistake: concatenates correctly but forgets the 4C -> 2C projection."""
    x0 = x[:, 0::2, 0::2, :]
    x1 = x[:, 1::2, 0::2, :]
    x2 = x[:, 0::2, 1::2, :]
    x3 = x[:, 1::2, 1::2, :]
    return torch.cat([x0, x1, x2, x3], dim=-1)
