"""Reading what a confined child sent back, trusting none of it.

The bytes must be a `wire` report: a JSON header and raw tensor bytes whose sizes add up,
no more than the result cap in all. Nothing is unpickled or decompressed, so nothing can
inflate inside the worker. Every tensor must then be a plain, dense CPU tensor of a
sensible size (`wire.unusual_tensor`); anything else becomes a named "other" value, which
the comparison reports as a wrong answer with a plain explanation.

Decoding is total: whatever the bytes, `load_report` returns a report, `MISSING` (the
child sent nothing) or `INVALID` (it sent something that is not a report). No exception
leaves it, so a hostile report can never cut a check short and leave the worker's
exchange with the zygote half done.
"""

from __future__ import annotations

from enum import Enum

import torch

from quizapp.grading import wire
from quizapp.grading.sandbox import OUTPUT_CAP
from quizapp.textsafe import inline_code

MAX_RESULT_BYTES = wire.MAX_RESULT_BYTES
unusual_tensor = wire.unusual_tensor


class NoReport(Enum):
    MISSING = "missing"
    INVALID = "invalid"


MISSING, INVALID = NoReport.MISSING, NoReport.INVALID


def load_report(data: bytes) -> dict | NoReport:
    """The child's report, checked; MISSING if it sent nothing, INVALID for anything else
    that is not a well-formed report (never an exception)."""
    if not data:
        return MISSING
    try:
        return _checked(wire.decode(data, MAX_RESULT_BYTES))
    except Exception:  # noqa: BLE001 - any failure to read the report is the report's fault
        return INVALID


def _checked(report: dict) -> dict | NoReport:
    error = report.get("error")
    if error is not None and not isinstance(error, dict):
        return INVALID
    output = report.get("output", "")
    report["output"] = output[: OUTPUT_CAP + 100] if isinstance(output, str) else ""
    layers = report.get("layers", [])
    report["layers"] = [x for x in layers if isinstance(x, str)] if isinstance(layers, list) else []
    report["outputs"] = [output_value(entry) for entry in report["outputs"]]
    return report


def output_value(entry: object) -> torch.Tensor | float | str:
    """A plain tensor or float, or a short phrase saying what was returned instead."""
    if not isinstance(entry, dict):
        return "an unreadable value"
    kind, value = entry.get("kind"), entry.get("value")
    if kind == "tensor" and isinstance(value, torch.Tensor):
        problem = unusual_tensor(value) or _unusual_layout(value)
        return f"a {problem}" if problem else value
    if kind == "number" and isinstance(value, float):
        return value
    named = entry.get("type")
    return f"a {inline_code(named[:80])}" if isinstance(named, str) else "an unknown value"


def _unusual_layout(tensor: torch.Tensor) -> str:
    """What only the worker checks: the decoder builds contiguous tensors over their own
    bytes, so this holds for every tensor that came through `wire` (the child makes its
    outputs contiguous before sending them)."""
    try:
        if not tensor.is_contiguous():
            return "tensor with unusual strides"
        needed = tensor.storage_offset() + tensor.numel()
        if tensor.untyped_storage().nbytes() < needed * tensor.element_size():
            return "tensor whose storage is too small"
    except Exception:  # noqa: BLE001
        return "tensor that cannot be read"
    return ""
