"""Counting with the data sets of the course notes: captioning and VQA data, distribution
shift test sets and CLIP's zero-shot examples.

From the notes: MS-COCO has about 100k images with 5 captions each; Conceptual Captions
3 million web images with their captions; Visual Genome 100k MS-COCO images with about
17 questions per image in 6 question types; ObjectNet 313 classes of which 113 overlap
with ImageNet's 1000.
"""

from __future__ import annotations

import random


def captions_total(images: int, captions_per_image: int) -> float:
    """Image-caption pairs in a data set that gives every image the same number of captions."""
    return float(images * captions_per_image)


def size_ratio(larger: int, smaller: int) -> float:
    """How many times more images the larger data set has."""
    return larger / smaller


def qa_pairs(images: int, questions_per_image: float, question_types: int = 6) -> float:
    """Question-answer pairs from images and the average number of questions per image
    (the question types only sort the questions, they do not multiply them)."""
    return images * questions_per_image


def overlap_share_percent(overlap: int, classes: int, reference_classes: int = 1000) -> float:
    """Percentage of a test set's classes that also exist in the reference label set."""
    return 100 * overlap / classes


# Probability CLIP gave its top class in the lecture's zero-shot examples (all ranked 1st).
ZERO_SHOT_EXAMPLES: dict[str, tuple[str, float, int]] = {  # label, probability (%), classes
    "Food101": ("guacamole", 90.1, 101),
    "SUN397": ("television studio", 90.2, 397),
    "YouTube-BB": ("airplane, person", 89.0, 23),
}


def times_chance(probability: float, classes: int, dataset: str = "", label: str = "") -> float:
    """The predicted probability (in percent) as a multiple of a uniform guess, 1/classes."""
    return probability / 100 * classes


def draw_zero_shot_example(rng: random.Random) -> dict:
    """One of the lecture's zero-shot examples."""
    dataset = rng.choice(sorted(ZERO_SHOT_EXAMPLES))
    label, probability, classes = ZERO_SHOT_EXAMPLES[dataset]
    return {"dataset": dataset, "label": label, "probability": probability, "classes": classes}
