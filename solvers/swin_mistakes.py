"""Wrong answers students typically give to the Swin calculations, computed like the right
ones in `quizapp.solvers.swin`.

Each function takes exactly the parameters of the question's own solver and returns the
value one particular slip produces; questions name them in `known_mistakes`.
"""

from __future__ import annotations

from .swin import (
    PATCH,
    _size,
    _stage,
    merging_params,
    msa_over_window_flops,
    stage_channels,
    stage_side,
    stage_windows,
    total_blocks,
)

# ------------------------------------------------------------------------ channels per stage


def channels_doubled_once_more(variant: str, stage: int) -> float:
    """C · 2^s: a doubling counted before stage 1 as well."""
    return 2 * stage_channels(variant, stage)


def channels_linear_growth(variant: str, stage: int) -> float:
    """C · s: the width grown by C per stage instead of doubled."""
    return float(_size(variant)[0] * _stage(stage))


# -------------------------------------------------------------------------- tokens per stage


def tokens_one_side(image_size: int, stage: int) -> float:
    """h: the tokens along one side of the map, not h × w."""
    return float(stage_side(image_size, stage))


def tokens_without_patch_embedding(image_size: int, stage: int) -> float:
    """(H / 2^(s-1))²: the 4×4 patches of stage 1 forgotten, as if pixels were tokens."""
    return float((image_size // 2 ** (_stage(stage) - 1)) ** 2)


def tokens_vit_patches(image_size: int, stage: int) -> float:
    """(H / (16 · 2^(s-1)))²: ViT-B/16's 16×16 patches instead of Swin's 4×4."""
    return stage_side(image_size, stage) ** 2 / (16 / PATCH) ** 2


# ----------------------------------------------------------------------------- total depth


def blocks_counted_as_pairs(variant: str) -> float:
    """Half the blocks: each (regular, shifted) pair counted as one block."""
    return total_blocks(variant) / 2


def blocks_each_doubled(variant: str) -> float:
    """Twice the blocks: every listed block taken as a (regular, shifted) pair."""
    return total_blocks(variant) * 2


# ----------------------------------------------------------------- patch-merging weights


def merging_without_concatenation(variant: str, stage: int) -> float:
    """C_s · 2C_s: the input taken as one token's C_s values, not the four concatenated."""
    return merging_params(variant, stage) / 4


def merging_next_stage_width(variant: str, stage: int) -> float:
    """8 (2C_s)²: the next stage's width 2C_s taken as C_s."""
    return merging_params(variant, stage) * 4


# ----------------------------------------------------------- global over window attention


def attention_terms_only(image_size: int, variant: str, stage: int, window: int = 7) -> float:
    """hw / M²: the ratio of the attention terms alone, the 4hwC² projections dropped."""
    return stage_side(image_size, stage) ** 2 / window**2


def window_over_global(image_size: int, variant: str, stage: int, window: int = 7) -> float:
    """The ratio upside down: window attention's cost over global attention's."""
    return 1 / msa_over_window_flops(image_size, variant, stage, window)


def window_side_not_squared(image_size: int, variant: str, stage: int, window: int = 7) -> float:
    """2MhwC instead of 2M²hwC: a window taken to hold M tokens, not M × M."""
    side = stage_side(image_size, stage)
    width = stage_channels(variant, stage)
    n = side * side
    return (4 * n * width**2 + 2 * n * n * width) / (4 * n * width**2 + 2 * window * n * width)


# ------------------------------------------------------------ windows after a naive shift


def shifted_regular_count(image_size: int, stage: int, window: int = 7) -> float:
    """(h/M)²: the regular partition, as if the shift cut off no partial windows."""
    return stage_windows(image_size, stage, window)


def shifted_two_extra_per_side(image_size: int, stage: int, window: int = 7) -> float:
    """(h/M + 2)²: a partial window counted at both ends of every row and column on top of
    the h/M full ones, where only h/M - 1 full ones remain."""
    per_side = stage_windows(image_size, stage, window) ** 0.5
    return float((per_side + 2) ** 2)
