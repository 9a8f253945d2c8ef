"""Comparing a submission's outputs with the reference's: pure functions, no processes.

`mismatch` answers None when an output matches (values within tolerance, shape, dtype, NaN
and infinity positions), otherwise one sentence a student can act on: what differs, where
the first difference is, with a few rounded values rather than whole tensors.
"""

from __future__ import annotations

import math

import torch

SHOWN_VALUES = 6


def number(value: float) -> str:
    """A value rounded for reading: 4 significant digits."""
    if isinstance(value, bool) or not isinstance(value, float):
        return str(value)
    return f"{value:.4g}"


def brief(value: object) -> str:
    """A tensor as its shape, dtype and first few rounded values; anything else as repr."""
    if not isinstance(value, torch.Tensor):
        return number(value) if isinstance(value, float) else repr(value)
    text = f"shape {tuple(value.shape)} {str(value.dtype).removeprefix('torch.')}"
    if value.numel() == 0:
        return text
    flat = value.detach().reshape(-1)[:SHOWN_VALUES].tolist()
    shown = ", ".join(number(float(x)) if not isinstance(x, bool) else str(x) for x in flat)
    more = ", …" if value.numel() > SHOWN_VALUES else ""
    return f"{text}: [{shown}{more}]"


def mismatch(
    expected: torch.Tensor | float, got: torch.Tensor | float | str, rtol: float, atol: float
) -> str | None:
    """None if `got` matches `expected`, else why not (see the module docstring)."""
    if isinstance(got, str):
        want = "a number" if isinstance(expected, float) else f"a torch tensor ({brief(expected)})"
        return f"your function returned {got}; it must return {want}"
    if isinstance(expected, float):
        if isinstance(got, torch.Tensor):
            if got.numel() != 1:
                return f"expected a single number, got a tensor of shape {tuple(got.shape)}"
            if not (got.dtype.is_floating_point or got.dtype == torch.int64):
                return f"expected a number, got a {got.dtype} tensor"
            got = float(got.reshape(()).item())
        return compare_tensors(
            torch.tensor(expected, dtype=torch.float64),
            torch.tensor(got, dtype=torch.float64),
            rtol,
            atol,
        )
    if not isinstance(got, torch.Tensor):
        return f"expected a tensor ({brief(expected)}), got the number {number(got)}"
    if tuple(got.shape) != tuple(expected.shape):
        return f"wrong shape: expected {tuple(expected.shape)}, got {tuple(got.shape)}"
    if got.dtype != expected.dtype:
        return f"wrong dtype: expected {expected.dtype}, got {got.dtype}"
    return compare_tensors(expected, got, rtol, atol)


def _first(mask: torch.Tensor) -> tuple[int, ...]:
    return tuple(int(i) for i in mask.nonzero()[0])


def compare_tensors(
    expected: torch.Tensor, got: torch.Tensor, rtol: float, atol: float
) -> str | None:
    """None if equal within tolerance (same shape and dtype assumed), else the first problem."""
    if expected.dtype == torch.bool or not expected.dtype.is_floating_point:
        wrong = expected != got
        if not wrong.any():
            return None
        index = _first(wrong)
        return (
            f"{int(wrong.sum())} of {wrong.numel()} entries differ; first at index {index}: "
            f"expected {expected[index].item()}, got {got[index].item()}"
        )
    e, g = expected.double(), got.double()
    e_nan, g_nan = torch.isnan(e), torch.isnan(g)
    if (e_nan != g_nan).any():
        index = _first(e_nan != g_nan)
        if g_nan[index]:
            return (
                f"your output has NaN at index {index} where {number(e[index].item())} was expected"
            )
        return (
            f"expected NaN at index {index} (nothing to attend to), got {number(g[index].item())}"
        )
    finite = ~e_nan & torch.isfinite(e)
    inf_wrong = ~e_nan & ~torch.isfinite(e) & (e != g)
    if inf_wrong.any():
        index = _first(inf_wrong)
        return f"at index {index} expected {e[index].item()}, got {number(g[index].item())}"
    diff = torch.where(finite, (e - g).abs(), torch.zeros_like(e))
    diff = torch.where(torch.isnan(diff), torch.full_like(diff, math.inf), diff)
    bad = finite & (diff > atol + rtol * e.abs())
    if not bad.any():
        return None
    first = _first(bad) if e.dim() else ()
    worst = _first(diff == diff.max()) if e.dim() else ()
    text = (
        f"values differ in {int(bad.sum())} of {bad.numel()} entries; first at index {first} "
        f"(expected {number(e[first].item())}, got {number(g[first].item())})"
    )
    if worst != first:
        text += (
            f"; largest difference {number(diff.max().item())} at index {worst} "
            f"(expected {number(e[worst].item())}, got {number(g[worst].item())})"
        )
    return text
