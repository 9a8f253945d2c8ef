"""Wrong answers students typically give to the ViT calculations, computed like the right ones.

Each function takes exactly the parameters of the question's own solver and returns the
value a particular slip produces, so a wrong answer can be matched to its cause. They are
named in a question's `known_mistakes`; see docs/authoring.md.
"""

from __future__ import annotations

from .vit import (
    _tokens_per_side,
    attention_memory_bytes,
    patch_count,
    perceiver_pixel_saving,
    vit_params_millions,
    window_attention_saving,
)

# ---------------------------------------------------------------- attention memory


def memory_without_heads(
    image_size: int,
    patch_size: int | None,
    layers: int,
    heads: int,
    bytes_per_float: int = 4,
    cls_token: bool = False,
) -> float:
    """One matrix per layer instead of one per head and layer."""
    return attention_memory_bytes(image_size, patch_size, layers, 1, bytes_per_float, cls_token)


def memory_without_layers(
    image_size: int,
    patch_size: int | None,
    layers: int,
    heads: int,
    bytes_per_float: int = 4,
    cls_token: bool = False,
) -> float:
    """The matrices of a single layer only."""
    return attention_memory_bytes(image_size, patch_size, 1, heads, bytes_per_float, cls_token)


def memory_in_bits(
    image_size: int,
    patch_size: int | None,
    layers: int,
    heads: int,
    bytes_per_float: int = 4,
    cls_token: bool = False,
) -> float:
    """32 per float (the bits) where 4 bytes belong: eight times too much."""
    return 8 * attention_memory_bytes(
        image_size, patch_size, layers, heads, bytes_per_float, cls_token
    )


def memory_not_squared(
    image_size: int,
    patch_size: int | None,
    layers: int,
    heads: int,
    bytes_per_float: int = 4,
    cls_token: bool = False,
) -> float:
    """n entries per head and layer instead of n × n."""
    n = patch_count(image_size, patch_size) + (1 if cls_token else 0)
    return float(n * bytes_per_float * heads * layers)


def memory_tokens_per_side(
    image_size: int,
    patch_size: int | None,
    layers: int,
    heads: int,
    bytes_per_float: int = 4,
    cls_token: bool = False,
) -> float:
    """n taken as H/P (the patches along one side) instead of (H/P)²."""
    n = _tokens_per_side(image_size, patch_size) + (1 if cls_token else 0)
    return float(n * n * bytes_per_float * heads * layers)


# ---------------------------------------------------------------- token counts


def patches_per_side(image_size: int, patch_size: int) -> int:
    """H/P: the patches along one side, not the whole grid."""
    return _tokens_per_side(image_size, patch_size)


def patch_count_with_cls(image_size: int, patch_size: int) -> int:
    """The CLS token added to a count of patches."""
    return patch_count(image_size, patch_size) + 1


def pixels_over_patch_side(image_size: int, patch_size: int) -> float:
    """HW / P: divided by the patch side instead of the patch area."""
    return image_size * image_size / patch_size


def patch_dim_without_channels(patch_size: int, channels: int = 3) -> int:
    """P²: the colour channels forgotten."""
    return patch_size * patch_size


def patch_dim_not_squared(patch_size: int, channels: int = 3) -> int:
    """P·C: the patch side instead of its area."""
    return patch_size * channels


def sequence_without_cls(image_size: int, patch_size: int, cls_token: bool = True) -> int:
    """The patches only: the CLS token forgotten."""
    return patch_count(image_size, patch_size)


def sequence_side_plus_cls(image_size: int, patch_size: int, cls_token: bool = True) -> int:
    """H/P + 1: the patches along one side plus the CLS token."""
    return _tokens_per_side(image_size, patch_size) + 1


def deit_with_cls_only(image_size: int, patch_size: int) -> int:
    """The distillation token forgotten: HW/P² + 1."""
    return patch_count(image_size, patch_size) + 1


def deit_without_special_tokens(image_size: int, patch_size: int) -> int:
    """Both special tokens forgotten: HW/P²."""
    return patch_count(image_size, patch_size)


# ---------------------------------------------------------------- ratios and savings


def memory_ratio_of_token_counts(image_size: int, patch_size: int) -> float:
    """P²: the token counts compared, not the n × n matrices."""
    return float(patch_size**2)


def memory_ratio_of_sides(image_size: int, patch_size: int) -> float:
    """P: only the side lengths compared."""
    return float(patch_size)


def window_saving_over_side(image_size: int, patch_size: int, window: int) -> float:
    """n / M: divided by the window's side instead of its M² patches."""
    return window_attention_saving(image_size, patch_size, window) * window


def window_saving_one_window(image_size: int, patch_size: int, window: int) -> float:
    """n² / M⁴: global scores compared with the scores of a single window."""
    n = patch_count(image_size, patch_size)
    return float(n * n) / window**4


def perceiver_side_over_latents(image_size: int, latents: int) -> float:
    """H / N: the image side used as M instead of its H·W pixels."""
    return image_size / latents


def perceiver_square_over_latents(image_size: int, latents: int) -> float:
    """M² / N: cross-attention taken as N scores instead of M·N."""
    return perceiver_pixel_saving(image_size, latents) * image_size * image_size


# ---------------------------------------------------------------- model size


def params_without_mlp(
    layers: int,
    hidden: int,
    image_size: int = 224,
    patch_size: int = 16,
    channels: int = 3,
    classes: int = 1000,
) -> float:
    """Millions of parameters with the blocks' MLPs left out (attention and norms only)."""
    total = vit_params_millions(
        layers,
        hidden,
        image_size=image_size,
        patch_size=patch_size,
        channels=channels,
        classes=classes,
    )
    d, m = hidden, 4 * hidden
    mlp = layers * ((d * m + m) + (m * d + d))
    return total - mlp / 1e6


def params_one_block(
    layers: int,
    hidden: int,
    image_size: int = 224,
    patch_size: int = 16,
    channels: int = 3,
    classes: int = 1000,
) -> float:
    """Millions of parameters of a ViT with a single block: the layers forgotten."""
    return vit_params_millions(
        1,
        hidden,
        image_size=image_size,
        patch_size=patch_size,
        channels=channels,
        classes=classes,
    )


def params_mlp_width_hidden(
    layers: int,
    hidden: int,
    image_size: int = 224,
    patch_size: int = 16,
    channels: int = 3,
    classes: int = 1000,
) -> float:
    """Millions of parameters with an MLP of width D instead of 4D."""
    return vit_params_millions(
        layers,
        hidden,
        mlp_size=hidden,
        image_size=image_size,
        patch_size=patch_size,
        channels=channels,
        classes=classes,
    )


def memory_pixels_over_patch_side(
    image_size: int,
    patch_size: int | None,
    layers: int,
    heads: int,
    bytes_per_float: int,
    cls_token: bool = False,
) -> float:
    """n taken as H·W/P instead of H·W/P² (the pixels divided by the patch side)."""
    n = image_size * image_size // (patch_size or 1) + int(cls_token)
    return float(n * n * layers * heads * bytes_per_float)
