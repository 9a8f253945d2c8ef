"""The child's report as the worker decodes it: total (no input raises), and never more
tensor bytes out than came in.

The positive controls decode the same hostile reports with the decoder as it was before
these rules (`wire.py` from the commit this work started from, read from git; skipped
outside a git checkout): there, one report raised a TypeError out of the decoder, which
let a check end without its exit status being read, and another built 40 MB of tensors
from 1 MB.
"""

from __future__ import annotations

import json

import pytest
import torch
from history import BEFORE_SECURITY_REVIEW_2, module_at
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizapp.grading import results, wire


def old_wire():
    """`wire.py` as it was before these rules (skipped outside a git checkout)."""
    return module_at(BEFORE_SECURITY_REVIEW_2, "quizapp/grading/wire.py")


def forged(entries: list, payload: bytes) -> bytes:
    text = json.dumps({"outputs": entries, "error": None}).encode()
    return wire.HEADER.pack(wire.MAGIC, len(text)) + text + payload


IMPOSSIBLE_SHAPE = forged(
    [{"kind": "tensor", "dtype": "float32", "shape": [2**70, 0], "offset": 0, "nbytes": 0}], b""
)
ALIASES = 40
ALIASED = forged(
    [
        {"kind": "tensor", "dtype": "uint8", "shape": [2**20], "offset": 0, "nbytes": 2**20}
        for _ in range(ALIASES)
    ],
    bytes(2**20),
)


@pytest.mark.slow  # runs git
def test_control_an_impossible_shape_raised_out_of_the_old_decoder():
    with pytest.raises(TypeError):
        old_wire().decode(IMPOSSIBLE_SHAPE, results.MAX_RESULT_BYTES)


def test_an_impossible_shape_is_an_invalid_report():
    assert results.load_report(IMPOSSIBLE_SHAPE) is results.INVALID


@pytest.mark.slow  # runs git
def test_control_aliased_entries_built_forty_times_the_bytes_received():
    report = old_wire().decode(ALIASED, results.MAX_RESULT_BYTES)
    built = sum(e["value"].numel() for e in report["outputs"])
    assert built == ALIASES * 2**20  # 40 MB of tensors out of 1 MB received


def test_aliased_entries_are_an_invalid_report():
    assert results.load_report(ALIASED) is results.INVALID


def test_tensors_must_follow_one_another_without_gaps():
    one = {"kind": "tensor", "dtype": "uint8", "shape": [4], "offset": 0, "nbytes": 4}
    two = {**one, "offset": 4}
    assert isinstance(results.load_report(forged([one, two], bytes(8))), dict)
    assert results.load_report(forged([one, {**two, "offset": 2}], bytes(8))) is results.INVALID
    assert results.load_report(forged([one], bytes(8))) is results.INVALID  # spare bytes
    assert results.load_report(forged([two], bytes(8))) is results.INVALID  # a gap


def test_what_the_child_encodes_decodes():
    outputs = [
        {"kind": "tensor", "value": torch.arange(6.0).reshape(2, 3)},
        {"kind": "number", "value": 2.5},
        {"kind": "tensor", "value": torch.zeros(0, 3)},
        {"kind": "tensor", "value": torch.tensor([True, False])},
    ]
    report = results.load_report(wire.encode({"outputs": outputs, "error": None}))
    assert isinstance(report, dict)
    assert torch.equal(report["outputs"][0], torch.arange(6.0).reshape(2, 3))
    assert report["outputs"][1] == 2.5
    assert report["outputs"][2].shape == (0, 3)


def test_complex_and_huge_tensors_are_refused_on_both_sides():
    """One rule (`wire.unusual_tensor`) for the child and the worker."""
    assert wire.unusual_tensor(torch.zeros(2, dtype=torch.complex64)) == "complex64 tensor"
    huge = torch.zeros(1).expand(9 * 2**20)  # 36 MB as float32, no memory of its own
    assert wire.unusual_tensor(huge) == "tensor larger than 32 MB"
    assert results.output_value({"kind": "tensor", "value": huge}) == "a tensor larger than 32 MB"


# ------------------------------------------------------------------------------- fuzzing

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=30,
)
tensor_entries = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(["tensor", "number", "other", 3]),
        "dtype": st.sampled_from([*wire.DTYPES, "complex64", "uint16", 7, None]),
        "shape": st.lists(st.integers(-3, 2**70), max_size=4) | json_values,
        "offset": st.integers(-1, 64) | json_values,
        "nbytes": st.integers(-1, 64) | json_values,
        "value": json_values,
        "type": json_values,
    }
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_no_bytes_raise_out_of_the_decoder(data):
    found = results.load_report(data)
    assert isinstance(found, dict) or found in (results.MISSING, results.INVALID)


@pytest.mark.slow
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(tensor_entries | json_values, max_size=5),
    st.binary(max_size=64),
    json_values,
    json_values,
)
def test_no_well_framed_report_raises_out_of_the_decoder(entries, payload, error, output):
    text = json.dumps({"outputs": entries, "error": error, "output": output}).encode()
    data = wire.HEADER.pack(wire.MAGIC, len(text)) + text + payload
    found = results.load_report(data)
    if isinstance(found, dict):
        tensors = [v for v in found["outputs"] if isinstance(v, torch.Tensor)]
        assert sum(t.numel() * t.element_size() for t in tensors) <= len(payload)
        assert all(isinstance(v, torch.Tensor | float | str) for v in found["outputs"])
    else:
        assert found is results.INVALID


def test_deeply_nested_json_is_an_invalid_report():
    text = b"[" * 100_000
    data = wire.HEADER.pack(wire.MAGIC, len(text)) + text
    assert results.load_report(data) is results.INVALID
