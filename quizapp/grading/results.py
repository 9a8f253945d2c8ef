"""Reading what a confined child sent back, trusting none of it.

The bytes must be a `wire` report: a JSON header and raw tensor bytes whose sizes add up,
no more than the result cap in all. Nothing is unpickled or decompressed, so nothing can
inflate inside the worker. Every tensor must then be a plain, dense, contiguous CPU tensor
of a sensible size; anything else becomes a named "other" value, which the comparison
reports as a wrong answer with a plain explanation.
"""

from __future__ import annotations

import torch

from quizapp.grading import wire
from quizapp.grading.sandbox import OUTPUT_CAP

MAX_RESULT_BYTES = 32 * 2**20


def load_report(data: bytes) -> dict | None:
    """The child's report, checked; None if it is missing, unreadable or malformed."""
    if not data:
        return None
    try:
        report = wire.decode(data, MAX_RESULT_BYTES)
    except wire.BadReport:
        return None
    error = report.get("error")
    if error is not None and not isinstance(error, dict):
        return None
    output = report.get("output", "")
    report["output"] = output[: OUTPUT_CAP + 100] if isinstance(output, str) else ""
    layers = report.get("layers", [])
    report["layers"] = [x for x in layers if isinstance(x, str)] if isinstance(layers, list) else []
    report["outputs"] = [output_value(entry) for entry in report["outputs"]]
    return report


def output_value(entry) -> torch.Tensor | float | str:
    """A plain tensor or float, or a short phrase saying what was returned instead."""
    if not isinstance(entry, dict):
        return "an unreadable value"
    kind, value = entry.get("kind"), entry.get("value")
    if kind == "tensor" and isinstance(value, torch.Tensor):
        problem = unusual_tensor(value)
        return f"a {problem}" if problem else value
    if kind == "number" and isinstance(value, float):
        return value
    named = entry.get("type")
    return f"a `{named[:80]}`" if isinstance(named, str) else "an unknown value"


def unusual_tensor(tensor: torch.Tensor) -> str:
    """'' for a plain dense contiguous CPU tensor of a sensible size, else what it is."""
    try:
        if tensor.is_nested:
            return "nested tensor"
        if tensor.layout != torch.strided:
            return f"{str(tensor.layout).removeprefix('torch.')} tensor"
        if tensor.device.type != "cpu":
            return f"tensor on the {tensor.device.type} device"
        if tensor.is_quantized or tensor.dtype.is_complex:
            return f"{str(tensor.dtype).removeprefix('torch.')} tensor"
        if tensor.numel() * tensor.element_size() > MAX_RESULT_BYTES:
            return "tensor larger than 32 MB"
        if not tensor.is_contiguous():
            return "tensor with unusual strides"
        needed = tensor.storage_offset() + tensor.numel()
        if tensor.untyped_storage().nbytes() < needed * tensor.element_size():
            return "tensor whose storage is too small"
    except Exception:  # noqa: BLE001 - a tensor we cannot even inspect is not an answer
        return "tensor that cannot be read"
    return ""
