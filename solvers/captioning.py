"""Show, Attend and Tell (Xu et al.): attention over CNN feature-map locations while captioning.

The encoder CNN's last convolutional feature map of side s gives L = s² annotation
vectors a_i (one per location, D channels). At every word t the LSTM decoder computes
weights alpha_t over the L locations (summing to 1) and the context z_t = sum_i alpha_ti a_i.
"""

from __future__ import annotations

import random


def annotation_vectors(feature_side: int) -> float:
    """Locations the decoder can attend to: L = s² (14 × 14 = 196 for a VGG conv map)."""
    return float(feature_side * feature_side)


def attention_weights_per_caption(
    feature_side: int, caption_words: int, channels: int = 0
) -> float:
    """One weight per location for every generated word: T · L (the channels do not matter)."""
    return float(caption_words * feature_side * feature_side)


def context_floats(feature_side: int, channels: int) -> float:
    """Floats in the annotation set the decoder attends over: L · D."""
    return float(feature_side * feature_side * channels)


def doubly_stochastic_penalty(alphas: list, weight: float = 1.0) -> float:
    """lambda · sum_i (1 - sum_t alpha_ti)²: pushes every location to get, over the whole
    caption, about one unit of attention. `alphas` has one row per word (T × L)."""
    locations = len(alphas[0])
    totals = [sum(float(row[i]) for row in alphas) for i in range(locations)]
    return weight * sum((1.0 - total) ** 2 for total in totals)


def draw_caption_attention(rng: random.Random) -> dict:
    """T = 2-4 words attending over L = 4 locations; each row sums to 1 (one decimal)."""
    words = rng.randint(2, 4)
    rows = []
    for _ in range(words):
        tenths = [0, 0, 0, 0]
        for _ in range(10):
            tenths[rng.randrange(4)] += 1
        rows.append([t / 10 for t in tenths])
    return {"alphas": rows, "weight": rng.choice([1.0, 0.5, 2.0])}


# --------------------------------------------------- steps shown in the worked explanations


def _attention_received(alphas: list, region: int) -> float:
    """Total attention region `region` (0-based) gets over the caption: a column sum, rounded
    to 6 decimals so that 0.7 + 0.6 + 0.1 shows as 1.4."""
    return round(sum(float(row[region]) for row in alphas), 6)


def region_1_attention(alphas: list) -> float:
    """sum_t alpha_t1: the first column."""
    return _attention_received(alphas, 0)


def region_2_attention(alphas: list) -> float:
    """sum_t alpha_t2: the second column."""
    return _attention_received(alphas, 1)


def region_3_attention(alphas: list) -> float:
    """sum_t alpha_t3: the third column."""
    return _attention_received(alphas, 2)


def region_4_attention(alphas: list) -> float:
    """sum_t alpha_t4: the fourth column."""
    return _attention_received(alphas, 3)


def squared_gaps(alphas: list) -> float:
    """sum_i (1 - sum_t alpha_ti)², the penalty before it is multiplied by lambda."""
    return round(doubly_stochastic_penalty(alphas, 1.0), 9)
