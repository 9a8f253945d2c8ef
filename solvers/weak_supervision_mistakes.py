"""Wrong answers students typically give to the weak-supervision calculations (Joulin et al.
2015, Li et al. 2017), computed like the right ones in `quizapp.solvers.weak_supervision`.

Each function takes exactly the parameters of the question's own solver and returns the
value one particular slip produces; questions name them in `known_mistakes`.
"""

from __future__ import annotations

from .weak_supervision import image_draw_probability, inverse_images_sum

# ------------------------------------------------------------------ negatives per example


def negatives_including_target(vocabulary: int) -> float:
    """All K dictionary words counted as negatives, the target word among them."""
    return float(vocabulary)


# ------------------------------------------------------------------ image draw probability


def draw_probability_without_word_pick(images_per_word: list, vocabulary: int) -> float:
    """sum of 1/n_w, forgetting the 1/K chance of picking the word in the first place."""
    return inverse_images_sum(images_per_word)


def draw_probability_mean_over_words(images_per_word: list, vocabulary: int) -> float:
    """The terms of the image's words averaged instead of added."""
    return image_draw_probability(images_per_word, vocabulary) / len(images_per_word)


# ------------------------------------------------------------------------- n-gram counts


def ngrams_every_length_full(words: int, max_n: int) -> float:
    """L n-grams of every length: forgets that longer n-grams have fewer start positions."""
    return float(words * max_n)


def ngrams_one_start_short(words: int, max_n: int) -> float:
    """L - n start positions per length instead of L - n + 1 (off by one)."""
    return float(sum(max(0, words - n) for n in range(1, max_n + 1)))


def ngrams_longest_only(words: int, max_n: int) -> float:
    """Only the n-grams of length N, not those of lengths 1 to N - 1."""
    return float(max(0, words - max_n + 1))
