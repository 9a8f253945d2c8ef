"""Wrong answers students typically give to the calculations on what a ViT learns, computed
like the right ones in `quizapp.solvers.vit_insights`.

Each function takes exactly the parameters of the question's own solver and returns the
value one particular slip produces; questions name them in `known_mistakes`. (The code
question's mistakes live in `quizapp.solvers.vit_insights` itself.)
"""

from __future__ import annotations

from .vit_insights import attention_distance_in_patches, attention_distance_one_query

# ------------------------------------------------------------ attention distance of one query


def distance_in_patches(weights, query_row: int, query_col: int, patch_size: int) -> float:
    """Distances counted in patch widths, not pixels: the patch size left out."""
    return attention_distance_in_patches(weights, query_row, query_col)


def distance_manhattan(weights, query_row: int, query_col: int, patch_size: int) -> float:
    """|dr| + |dc| (steps along the grid) instead of the straight-line distance."""
    total = 0.0
    for r, row in enumerate(weights, start=1):
        for c, weight in enumerate(row, start=1):
            total += float(weight) * (abs(r - query_row) + abs(c - query_col)) * patch_size
    return total


def distance_divided_by_patches(weights, query_row: int, query_col: int, patch_size: int) -> float:
    """The weighted sum divided by the nine patches; the weights already sum to 1."""
    return attention_distance_one_query(weights, query_row, query_col, patch_size) / 9


# ------------------------------------------------------------------ patch-embedding size


def embedding_without_bias(patch_size: int, hidden: int, channels: int = 3) -> float:
    """P²C · D: the D biases left out."""
    return float(patch_size * patch_size * channels * hidden)


def embedding_without_channels(patch_size: int, hidden: int, channels: int = 3) -> float:
    """P² · D + D: a patch taken as P² values, forgetting the three colour channels."""
    return float(patch_size * patch_size * hidden + hidden)


def embedding_side_not_squared(patch_size: int, hidden: int, channels: int = 3) -> float:
    """PC · D + D: the patch side P used where a patch has P × P pixels."""
    return float(patch_size * channels * hidden + hidden)
