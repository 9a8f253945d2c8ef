"""Wrong answers students typically give to the CoLES batch calculations, computed like the
right ones in `quizapp.solvers.coles`.

Each function takes exactly the parameters of the question's own solver and returns the
value one particular slip produces; questions name them in `known_mistakes`.
"""

from __future__ import annotations

from .coles import positive_pairs, positive_pairs_per_entity

# ---------------------------------------------------------------------- negatives per anchor


def negatives_one_per_client(entities: int, slices: int) -> float:
    """N - 1: one negative per other client, forgetting that each supplies K slices."""
    return float(entities - 1)


def negatives_with_own_slices(entities: int, slices: int) -> float:
    """NK - 1: every other slice in the batch, the anchor's own K - 1 positives included."""
    return float(entities * slices - 1)


def negatives_simclr_count(entities: int, slices: int) -> float:
    """2(N - 1): SimCLR's count with two views per image, whatever K is."""
    return float(2 * (entities - 1))


# ---------------------------------------------------------------------- positive pairs


def positive_pairs_ordered(entities: int, slices: int) -> float:
    """N · K(K - 1): ordered pairs, each pair counted twice."""
    return 2 * positive_pairs(entities, slices)


def positive_pairs_one_client(entities: int, slices: int) -> float:
    """K(K - 1)/2: the pairs of one client, not multiplied by N."""
    return positive_pairs_per_entity(slices)


# ---------------------------------------------------------------------- contiguous slices


def slices_one_start_short(length: int, min_length: int, max_length: int) -> float:
    """T - l start positions per length instead of T - l + 1 (off by one)."""
    return float(sum(max(0, length - size) for size in range(min_length, max_length + 1)))


def slices_every_start_every_length(length: int, min_length: int, max_length: int) -> float:
    """(T - m + 1) · (M - m + 1): every start position combined with every length, as if a
    long slice could start as late as a short one."""
    return float(max(0, length - min_length + 1) * (max_length - min_length + 1))
