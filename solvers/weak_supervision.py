"""Weak supervision from image tags and captions before CLIP (Joulin et al. 2015, Li et al. 2017).

Joulin et al. train a CNN on Flickr images to predict the words of each image's text:
a training example is drawn by picking a word uniformly from the K-word dictionary and
then an image associated with that word uniformly; that word is the target and every
other word counts as negative. Li et al. predict n-grams of the text instead of single words.
"""

from __future__ import annotations

import random


def caption_ngrams(words: int, max_n: int) -> float:
    """Contiguous n-grams with 1 <= n <= max_n in a text of `words` words: sum of (L - n + 1)."""
    if words < 0 or max_n < 1:
        raise ValueError("words must be >= 0 and max_n >= 1")
    return float(sum(max(0, words - n + 1) for n in range(1, max_n + 1)))


def negatives_per_example(vocabulary: int) -> float:
    """With one sampled target word, all other K - 1 dictionary words are negatives."""
    return float(vocabulary - 1)


def image_draw_probability(images_per_word: list, vocabulary: int) -> float:
    """Chance that one particular image is drawn in one sampling step.

    `images_per_word` holds, for each word associated with this image, how many images are
    associated with that word: P = sum over its words of (1/K) · (1/n_w).
    """
    return sum(1.0 / vocabulary / n for n in images_per_word)


def draw_image_words(rng: random.Random) -> dict:
    """An image with 2-4 words of different frequencies, in a dictionary of 1000-10000 words."""
    count = rng.randint(2, 4)
    return {
        "images_per_word": [rng.choice([1, 2, 4, 5, 10, 20, 50, 100]) for _ in range(count)],
        "vocabulary": rng.choice([1000, 2000, 5000, 10000]),
    }


# --------------------------------------------------- steps shown in the worked explanations


def ngrams_of_longest_length(words: int, max_n: int) -> float:
    """n-grams of the longest length N in a text of L words: L - N + 1 (none if N > L)."""
    return float(max(0, words - max_n + 1))


def inverse_images_sum(images_per_word: list) -> float:
    """sum over the image's words of 1/n_w: the chance of drawing it once its word is picked."""
    return sum(1.0 / n for n in images_per_word)
