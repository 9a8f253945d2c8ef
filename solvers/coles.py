"""CoLES (Babaev et al. 2022): contrastive learning on event sequences.

Each entity (e.g. a bank client) has one long sequence of events. Sub-sequences cut from
the same entity's sequence form positive pairs; sub-sequences of different entities are
negatives. A batch holds N entities with K sub-sequences each.
"""

from __future__ import annotations


def positives_per_anchor(slices: int) -> float:
    """Other sub-sequences of the same entity: K - 1."""
    return float(slices - 1)


def negatives_per_anchor(entities: int, slices: int) -> float:
    """Sub-sequences of all other entities in the batch: (N - 1) · K."""
    return float((entities - 1) * slices)


def positive_pairs(entities: int, slices: int) -> float:
    """Unordered positive pairs in the batch: N · K(K - 1)/2."""
    return float(entities * slices * (slices - 1) // 2)


def negative_pairs(entities: int, slices: int) -> float:
    """Unordered negative pairs: all pairs of the NK sub-sequences minus the positive ones."""
    total = entities * slices
    return float(total * (total - 1) // 2) - positive_pairs(entities, slices)


def contiguous_slices(length: int, min_length: int, max_length: int) -> float:
    """Distinct contiguous sub-sequences with min_length <= l <= max_length of a length-T
    sequence: sum over l of (T - l + 1)."""
    if not 1 <= min_length <= max_length:
        raise ValueError("need 1 <= min_length <= max_length")
    return float(sum(max(0, length - size + 1) for size in range(min_length, max_length + 1)))


# --------------------------------------------------- steps shown in the worked explanations


def positive_pairs_per_entity(slices: int) -> float:
    """Unordered pairs among one entity's K slices: K(K - 1)/2."""
    return float(slices * (slices - 1) // 2)


def slice_lengths(min_length: int, max_length: int) -> float:
    """How many slice lengths are allowed: M - m + 1 (both ends included)."""
    return float(max_length - min_length + 1)


def starts_of_shortest(length: int, min_length: int) -> float:
    """Start positions of a slice of the shortest length: T - m + 1."""
    return float(max(0, length - min_length + 1))


def starts_of_longest(length: int, max_length: int) -> float:
    """Start positions of a slice of the longest length: T - M + 1."""
    return float(max(0, length - max_length + 1))
