"""Vision Transformer arithmetic: patches, sequence lengths, attention memory, model sizes.

Every function returns a plain Python number. Images are square (`image_size` pixels per
side); `patch_size` None or 1 means every pixel is its own token.
"""

from __future__ import annotations


def _tokens_per_side(image_size: int, patch_size: int | None) -> int:
    p = 1 if patch_size in (None, 0) else int(patch_size)
    if p < 1 or image_size < 1:
        raise ValueError("image_size and patch_size must be positive")
    if image_size % p:
        raise ValueError(f"image size {image_size} is not a multiple of patch size {p}")
    return image_size // p


def patch_count(image_size: int, patch_size: int | None) -> int:
    """Number of non-overlapping P×P patches in an H×W image: HW / P²."""
    side = _tokens_per_side(image_size, patch_size)
    return side * side


def patch_count_rect(height: int, width: int, patch_size: int) -> int:
    """HW / P² for a rectangular image (both sides multiples of P)."""
    return _tokens_per_side(height, patch_size) * _tokens_per_side(width, patch_size)


def patch_dim(patch_size: int, channels: int = 3) -> int:
    """Length of a flattened patch before the linear projection: P²·C."""
    return patch_size * patch_size * channels


def sequence_length(image_size: int, patch_size: int | None, cls_token: bool = True) -> int:
    """Tokens the encoder sees: the patches plus, optionally, the CLS token."""
    return patch_count(image_size, patch_size) + (1 if cls_token else 0)


def deit_sequence_length(image_size: int, patch_size: int) -> int:
    """DeiT adds a distillation token next to the CLS token: HW/P² + 2."""
    return patch_count(image_size, patch_size) + 2


def attention_memory_bytes(
    image_size: int,
    patch_size: int | None,
    layers: int,
    heads: int,
    bytes_per_float: int = 4,
    cls_token: bool = False,
) -> float:
    """Bytes for all attention matrices of one image: n² · bytes · heads · layers."""
    n = sequence_length(image_size, patch_size, cls_token=cls_token)
    return float(n * n * bytes_per_float * heads * layers)


def attention_memory_ratio(image_size: int, patch_size: int) -> float:
    """How many times smaller the attention matrices get with P×P patches (= P⁴)."""
    pixels = patch_count(image_size, None)
    patches = patch_count(image_size, patch_size)
    return float((pixels / patches) ** 2)


def encoder_params(layers: int, hidden: int, mlp_size: int | None = None) -> float:
    """Parameters in the Transformer encoder blocks (weights and biases).

    Per block: Q, K, V and output projections (4·(D² + D)), the two MLP layers
    (D·M + M + M·D + D) and two LayerNorms (4·D). Embeddings and the head are left out;
    they add well under 1% for the standard ViT sizes.
    """
    d = hidden
    m = 4 * d if mlp_size is None else mlp_size
    per_block = 4 * (d * d + d) + (d * m + m) + (m * d + d) + 4 * d
    return float(layers * per_block)


def vit_params(
    layers: int,
    hidden: int,
    mlp_size: int | None = None,
    image_size: int = 224,
    patch_size: int = 16,
    channels: int = 3,
    classes: int = 1000,
) -> float:
    """Whole ViT: patch projection, CLS token, position embeddings, blocks, final norm, head."""
    d = hidden
    n = sequence_length(image_size, patch_size, cls_token=True)
    embed = patch_dim(patch_size, channels) * d + d + d + n * d
    head = 2 * d + d * classes + classes
    return encoder_params(layers, hidden, mlp_size) + embed + head


def vit_params_millions(layers: int, hidden: int, **sizes: int) -> float:
    """`vit_params` in millions (ViT-Base/16 ≈ 86.6); `sizes` are vit_params' other arguments."""
    return vit_params(layers, hidden, **sizes) / 1e6


def global_attention_entries(image_size: int, patch_size: int) -> float:
    """Attention scores per head and layer when every token attends to every token: n²."""
    n = patch_count(image_size, patch_size)
    return float(n * n)


def window_attention_entries(image_size: int, patch_size: int, window: int) -> float:
    """Swin-style window attention: each token attends only inside its M×M window, n·M²."""
    side = _tokens_per_side(image_size, patch_size)
    if side % window:
        raise ValueError(f"{side} tokens per side is not a multiple of window {window}")
    return float(side * side * window * window)


def window_attention_saving(image_size: int, patch_size: int, window: int) -> float:
    """Factor by which window attention shrinks the score matrix: n² / (n·M²) = n / M²."""
    return global_attention_entries(image_size, patch_size) / window_attention_entries(
        image_size, patch_size, window
    )


def perceiver_cross_attention_entries(inputs: int, latents: int) -> float:
    """Perceiver cross-attention: N latent queries against M input keys, M·N scores."""
    return float(inputs * latents)


def perceiver_saving(inputs: int, latents: int) -> float:
    """Factor saved by cross-attention to N latents instead of self-attention: M² / (M·N)."""
    return float(inputs * inputs) / perceiver_cross_attention_entries(inputs, latents)


def perceiver_pixel_saving(image_size: int, latents: int) -> float:
    """Perceiver on raw pixels (M = image_size²): self-attention / cross-attention = M / N."""
    return perceiver_saving(patch_count(image_size, None), latents)
