"""Wrong answers students typically give to the Show, Attend and Tell calculations, computed
like the right ones in `quizapp.solvers.captioning`.

Each function takes exactly the parameters of the question's own solver and returns the
value one particular slip produces; questions name them in `known_mistakes`.
"""

from __future__ import annotations

from .captioning import doubly_stochastic_penalty

# ----------------------------------------------------------------- attention weights per caption


def weights_per_channel(feature_side: int, caption_words: int, channels: int = 0) -> float:
    """T · L · D: one weight per value of the annotation vectors instead of one per location."""
    return float(caption_words * feature_side * feature_side * channels)


def weights_one_word(feature_side: int, caption_words: int, channels: int = 0) -> float:
    """L: the weights of a single word, not of the whole caption."""
    return float(feature_side * feature_side)


def weights_side_not_squared(feature_side: int, caption_words: int, channels: int = 0) -> float:
    """T · s: the side of the map used as the number of locations."""
    return float(caption_words * feature_side)


# --------------------------------------------------------------- doubly stochastic penalty


def penalty_over_rows(alphas: list, weight: float = 1.0) -> float:
    """(1 - row sum)² per word: every row is a softmax and sums to 1, so this is about 0."""
    return weight * sum((1.0 - sum(float(a) for a in row)) ** 2 for row in alphas)


def penalty_not_squared(alphas: list, weight: float = 1.0) -> float:
    """sum_i (1 - sum_t alpha_ti) without the square: always lambda · (L - T)."""
    locations = len(alphas[0])
    totals = [sum(float(row[i]) for row in alphas) for i in range(locations)]
    return weight * sum(1.0 - total for total in totals)


def penalty_mean_over_regions(alphas: list, weight: float = 1.0) -> float:
    """The squared gaps averaged over the L regions instead of summed."""
    return doubly_stochastic_penalty(alphas, weight) / len(alphas[0])
