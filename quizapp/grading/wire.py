"""The child's report on the wire: a JSON header and raw tensor bytes, nothing else.

No pickle and no archive: the worker parses JSON and copies bytes into tensors of the
dtype and shape the header names, after checking that every size adds up. Tensors lie one
after the other in the order of the header, so no two can share bytes: what the worker
builds is never more than the bytes it received, which are never more than the cap. A
hostile child can write any bytes here; the worst it gets is a report the worker refuses.
It is also far cheaper than `torch.save`, which matters when a whole check takes a few
milliseconds.

`unusual_tensor` is the one rule for which tensors count as an answer, applied in the
child (so it sends only a name for anything else) and again in the worker.
"""

from __future__ import annotations

import json
import math
import struct

import torch

MAGIC = b"QZR1"
HEADER = struct.Struct("!4sI")
MAX_HEADER_BYTES = 1 << 20
MAX_RESULT_BYTES = 32 * 2**20
MAX_OUTPUTS = 10_000
DTYPES = {
    name: getattr(torch, name)
    for name in (
        "float16", "bfloat16", "float32", "float64", "uint8", "int8", "int16", "int32",
        "int64", "bool",
    )
}  # fmt: skip


class BadReport(ValueError):
    """Bytes that are not a well-formed report."""


def encode(report: dict) -> bytes:
    """`report` with plain tensors in `outputs[i]["value"]` -> bytes (child side)."""
    header = dict(report)
    outputs, chunks, offset = [], [], 0
    for entry in report.get("outputs", []):
        value = entry.get("value")
        if entry.get("kind") == "tensor" and isinstance(value, torch.Tensor):
            flat = value.detach().contiguous().reshape(-1)
            data = flat.view(torch.uint8).numpy().tobytes() if flat.numel() else b""
            dtype = str(value.dtype).removeprefix("torch.")
            outputs.append(
                {"kind": "tensor", "dtype": dtype, "shape": list(value.shape), "offset": offset,
                 "nbytes": len(data)}
            )  # fmt: skip
            chunks.append(data)
            offset += len(data)
        else:
            outputs.append(entry)
    header["outputs"] = outputs
    text = json.dumps(header, allow_nan=True).encode()
    return HEADER.pack(MAGIC, len(text)) + text + b"".join(chunks)


def decode(data: bytes, max_payload: int) -> dict:
    """bytes -> report with tensors rebuilt (worker side); BadReport if anything is off."""
    if len(data) < HEADER.size:
        raise BadReport("too short")
    magic, size = HEADER.unpack_from(data)
    if magic != MAGIC or size > MAX_HEADER_BYTES or HEADER.size + size > len(data):
        raise BadReport("not a report")
    try:
        header = json.loads(data[HEADER.size : HEADER.size + size])
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise BadReport("unreadable header") from None
    payload = memoryview(data)[HEADER.size + size :]
    if len(payload) > max_payload:
        raise BadReport("larger than allowed")
    if not isinstance(header, dict) or not isinstance(header.get("outputs"), list):
        raise BadReport("no outputs")
    if len(header["outputs"]) > MAX_OUTPUTS:
        raise BadReport("too many outputs")
    end = [0]  # where the next tensor's bytes must start
    header["outputs"] = [_entry(e, payload, end) for e in header["outputs"]]
    if end[0] != len(payload):
        raise BadReport("bytes that belong to no tensor")
    return header


def _entry(entry: object, payload: memoryview, end: list[int]) -> object:
    if not isinstance(entry, dict) or entry.get("kind") != "tensor":
        return entry
    shape, offset, nbytes = entry.get("shape"), entry.get("offset"), entry.get("nbytes")
    if not (
        isinstance(shape, list)
        and len(shape) <= 16
        and all(_count(n) and n < 2**31 for n in shape)
        and _count(offset)
        and _count(nbytes)
    ):
        raise BadReport("bad tensor header")
    assert isinstance(offset, int) and isinstance(nbytes, int)  # checked just above
    if offset != end[0] or offset + nbytes > len(payload):
        raise BadReport("tensors overlap, leave gaps or run past the end")
    end[0] = offset + nbytes  # each byte builds at most one tensor
    dtype = DTYPES.get(str(entry.get("dtype")))
    if dtype is None:
        return {"kind": "other", "type": f"{entry.get('dtype')!s:.40} tensor"}
    itemsize = torch.empty((), dtype=dtype).element_size()
    if math.prod(shape) * itemsize != nbytes:
        raise BadReport("tensor sizes do not add up")
    try:
        if nbytes == 0:
            return {"kind": "tensor", "value": torch.empty(shape, dtype=dtype)}
        raw = bytearray(payload[offset : offset + nbytes])
        return {"kind": "tensor", "value": torch.frombuffer(raw, dtype=dtype).reshape(shape)}
    except (RuntimeError, TypeError, ValueError, OverflowError):
        raise BadReport("tensor cannot be built") from None


def _count(value: object) -> bool:
    """A non-negative whole number (JSON has no other way to say a size)."""
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def unusual_tensor(tensor: torch.Tensor) -> str:
    """'' for a plain dense CPU tensor of a real dtype and a sensible size, else what it is.

    Used in the child on what the function returned and in the worker on what it rebuilt.
    """
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
    except Exception:  # noqa: BLE001 - a tensor we cannot even inspect is not an answer
        return "tensor that cannot be read"
    return ""
