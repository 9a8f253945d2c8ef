"""Wrong answers students typically give to the calculations in `quizapp.solvers.dataset_counts`.

Each function takes exactly the parameters of the question's own solver and returns the
value one particular slip produces; questions name them in `known_mistakes`.
"""

from __future__ import annotations

from .dataset_counts import qa_pairs

# -------------------------------------------------------------------------- captions, VQA


def captions_images_only(images: int, captions_per_image: int) -> float:
    """The number of images: one caption per image assumed."""
    return float(images)


def ratio_inverted(larger: int, smaller: int) -> float:
    """The smaller data set over the larger one."""
    return smaller / larger


def ratio_as_increase(larger: int, smaller: int) -> float:
    """The increase over the smaller data set in multiples of it: the ratio minus one."""
    return (larger - smaller) / smaller


def qa_times_question_types(
    images: int, questions_per_image: float, question_types: int = 6
) -> float:
    """Multiplied by the 6 question types as well, as if each question came in every type."""
    return qa_pairs(images, questions_per_image) * question_types


def qa_one_question_per_type(
    images: int, questions_per_image: float, question_types: int = 6
) -> float:
    """One question per type and image instead of the average number of questions."""
    return float(images * question_types)


# ------------------------------------------------------------------------ ObjectNet overlap


def overlap_share_of_reference(overlap: int, classes: int, reference_classes: int = 1000) -> float:
    """Share of ImageNet's 1000 classes instead of ObjectNet's own classes."""
    return 100 * overlap / reference_classes


def overlap_share_complement(overlap: int, classes: int, reference_classes: int = 1000) -> float:
    """The share of classes that do **not** overlap."""
    return 100 * (classes - overlap) / classes


# --------------------------------------------------------------------- zero-shot vs chance


def chance_percent_not_converted(
    probability: float, classes: int, dataset: str = "", label: str = ""
) -> float:
    """The percentage multiplied by the classes without dividing by 100 first."""
    return probability * classes


def chance_over_shown_labels(
    probability: float, classes: int, dataset: str = "", label: str = ""
) -> float:
    """Compared with a guess among the 5 labels the figure shows instead of all classes."""
    return probability / 100 * 5
