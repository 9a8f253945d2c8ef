"""Wrong answers students typically give to the CLIP evaluation calculations, computed like
the right ones in `quizapp.solvers.clip_eval`.

Each function takes exactly the parameters of the question's own solver and returns the
value one particular slip produces; questions name them in `known_mistakes`.
"""

from __future__ import annotations

from .clip_eval import text_encoder_passes

# ------------------------------------------------------------------ labels for a k-shot probe


def k_shot_per_class_only(shots: int, classes: int, dataset: str = "") -> float:
    """k: the images of one class, not multiplied by the number of classes."""
    return float(shots)


def k_shot_one_per_class(shots: int, classes: int, dataset: str = "") -> float:
    """One image per class: k left out."""
    return float(classes)


# ------------------------------------------------------------- text-encoder passes, zero-shot


def passes_without_cache(
    classes: int, templates: int, images: int, cached: bool = True, dataset: str = ""
) -> float:
    """The prompts encoded again for every test image."""
    return text_encoder_passes(classes, templates, images, cached=False)


def passes_one_prompt_per_class(
    classes: int, templates: int, images: int, cached: bool = True, dataset: str = ""
) -> float:
    """One prompt per class: the templates of the ensemble left out."""
    return float(classes)


def passes_per_image(
    classes: int, templates: int, images: int, cached: bool = True, dataset: str = ""
) -> float:
    """One pass per test image: that is the image encoder's count."""
    return float(images)
