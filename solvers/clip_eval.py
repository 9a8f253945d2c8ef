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


def k_shot_images(shots: int, classes: int, dataset: str = "") -> float:
    """Labelled images for a k-shot probe on a dataset with `classes` classes: k · classes."""
    return float(shots * classes)


def draw_dataset_shots(rng) -> dict:
    """One of the datasets from the notes with its class count, and k in {1, 2, 4, 8, 16}."""
    dataset = rng.choice(sorted(CLASSES))
    return {"dataset": dataset, "classes": CLASSES[dataset], "shots": rng.choice([1, 2, 4, 8, 16])}


def text_encoder_passes(
    classes: int, templates: int, images: int, cached: bool = True, dataset: str = ""
) -> float:
    """Text-encoder forward passes for a zero-shot evaluation with prompt ensembling.

    The class embeddings do not depend on the image, so with caching every (class,
    template) prompt is encoded once; without caching, once per test image.
    """
    per_run = classes * templates
    return float(per_run if cached else per_run * images)


def draw_zero_shot_eval(rng) -> dict:
    """A dataset with its class count, a test-set size and a number of prompt templates."""
    dataset = rng.choice(sorted(CLASSES))
    return {
        "dataset": dataset,
        "classes": CLASSES[dataset],
        "images": rng.choice([1000, 5000, 10000, 50000]),
        "templates": rng.choice([1, 8, 18, 80]),
    }
