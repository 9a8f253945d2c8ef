"""The receptive-field solver agrees with stacking "same"-padded convolutions by brute force."""

import pytest

from quizapp.solvers.transformer_numbers import conv_layers_for_receptive_field


def _layers_by_simulation(length: int, kernel_size: int) -> int:
    half = kernel_size // 2
    seen = [{i} for i in range(length)]
    layers = 0
    while not any(len(s) == length for s in seen):
        seen = [
            set().union(*(seen[j] for j in range(i - half, i + half + 1) if 0 <= j < length))
            for i in range(length)
        ]
        layers += 1
    return layers


@pytest.mark.parametrize("length", [16, 32, 64, 100, 128, 256])
@pytest.mark.parametrize("kernel_size", [3, 5, 7])
def test_layers_match_same_padded_convolutions(length, kernel_size):
    assert conv_layers_for_receptive_field(length, kernel_size) == _layers_by_simulation(
        length, kernel_size
    )
