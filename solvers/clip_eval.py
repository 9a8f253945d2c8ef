"""CLIP's evaluation datasets: class counts from the course notes and what k-shot costs."""

from __future__ import annotations

CLASSES = {
    "Stanford Cars": 196,
    "Food101": 101,
    "Flowers102": 102,
    "FGVC Aircraft": 102,
    "SUN397": 397,
    "EuroSAT": 10,
    "YouTube-BB": 23,
    "PatchCamelyon": 2,
    "ImageNet": 1000,
}


def _classes(dataset: str) -> int:
    try:
        return CLASSES[dataset]
    except KeyError:
        raise ValueError(f"no class count for {dataset!r}; known: {sorted(CLASSES)}") from None


def labelled_images_k_shot(dataset: str, shots: int) -> float:
    """Labelled training images a k-shot linear probe needs: k per class (zero-shot needs 0)."""
    return float(shots * _classes(dataset))


def chance_accuracy_percent(dataset: str) -> float:
    """Accuracy of guessing uniformly among the dataset's classes, in percent."""
    return 100.0 / _classes(dataset)


def images_per_class(images: int, classes: int) -> float:
    """Average number of images per class."""
    return images / classes
