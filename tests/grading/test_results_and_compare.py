"""Reading the child's results (nothing is unpickled or inflated, only plain tensors count)
and the pure comparison with the reference."""

from __future__ import annotations

import base64
import io
import json
import math
import zipfile
from pathlib import Path

import pytest
import torch

from quizapp.decks.content import load_library
from quizapp.grading import results, wire
from quizapp.grading.code import CodeGrader
from quizapp.grading.compare import brief, mismatch

INFLATED_MB = 64


def deflated(blob: bytes) -> bytes:
    """The same archive with every entry compressed, as a hostile child could send it."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(blob)) as source, zipfile.ZipFile(out, "w") as target:
        for entry in source.infolist():
            target.writestr(entry.filename, source.read(entry), zipfile.ZIP_DEFLATED)
    return out.getvalue()


@pytest.fixture(scope="module")
def bomb() -> bytes:
    buffer = io.BytesIO()
    big = torch.zeros(INFLATED_MB * 2**20 // 4)
    torch.save({"outputs": [{"kind": "tensor", "value": big}], "error": None}, buffer)
    return deflated(buffer.getvalue())


def test_a_compressed_archive_would_inflate_if_it_were_unpacked(bomb):
    """Positive control: torch's own loader unpacks it to 64 MB from a small blob."""
    assert len(bomb) < 2**20
    loaded = torch.load(io.BytesIO(bomb), weights_only=True)
    assert loaded["outputs"][0]["value"].numel() * 4 == INFLATED_MB * 2**20


def test_only_the_plain_report_format_is_read(bomb):
    assert results.load_report(bomb) is results.INVALID
    good = wire.encode({"outputs": [{"kind": "tensor", "value": torch.arange(6.0)}]})
    report = results.load_report(good)
    assert torch.equal(report["outputs"][0], torch.arange(6.0))
    assert results.load_report(b"not a report") is results.INVALID


def _forged(entry: dict, payload: bytes) -> bytes:
    text = json.dumps({"outputs": [entry], "error": None}).encode()
    return wire.HEADER.pack(wire.MAGIC, len(text)) + text + payload


@pytest.mark.parametrize(
    "entry",
    [
        {"kind": "tensor", "dtype": "float32", "shape": [2**40], "offset": 0, "nbytes": 16},
        {"kind": "tensor", "dtype": "float32", "shape": [4], "offset": 8, "nbytes": 16},
        {"kind": "tensor", "dtype": "float32", "shape": [-4], "offset": 0, "nbytes": 16},
        {"kind": "tensor", "dtype": "float32", "shape": "4", "offset": 0, "nbytes": 16},
    ],
)
def test_tensor_headers_that_lie_about_sizes_are_refused(entry):
    assert results.load_report(_forged(entry, bytes(16))) is results.INVALID


def test_a_huge_payload_is_refused():
    entry = {"kind": "tensor", "dtype": "uint8", "shape": [40 * 2**20], "offset": 0}
    entry["nbytes"] = 40 * 2**20
    assert results.load_report(_forged(entry, bytes(40 * 2**20))) is results.INVALID


def test_unknown_dtypes_become_named_values():
    entry = {"kind": "tensor", "dtype": "complex64", "shape": [1], "offset": 0, "nbytes": 8}
    report = results.load_report(_forged(entry, bytes(8)))
    assert report["outputs"] == ["a `complex64 tensor`"]


@pytest.mark.parametrize(
    ("tensor", "named"),
    [
        (torch.zeros(3, device="meta"), "tensor on the meta device"),
        (torch.eye(3).to_sparse(), "sparse_coo tensor"),
        (torch.ones(4).expand(2, 4), "tensor with unusual strides"),
        (torch.zeros(2, dtype=torch.complex64), "complex64 tensor"),
    ],
)
def test_unusual_tensors_are_named_not_used(tensor, named):
    assert results.output_value({"kind": "tensor", "value": tensor}) == f"a {named}"


def test_nested_tensors_are_named():
    nested = torch.nested.nested_tensor([torch.ones(2), torch.ones(3)])
    assert results.output_value({"kind": "tensor", "value": nested}) == "a nested tensor"


# --------------------------------------------------------------------------- comparison


def test_matching_within_tolerance_is_none():
    expected = torch.tensor([1.0, 2.0, 3.0])
    assert mismatch(expected, expected + 1e-7, 1e-5, 1e-6) is None
    assert mismatch(2.5, torch.tensor(2.5), 1e-5, 1e-6) is None


def test_first_difference_is_named_with_rounded_values():
    expected = torch.zeros(2, 3)
    got = expected.clone()
    got[0, 2] = 0.123456789
    got[1, 1] = 5.0
    text = mismatch(expected, got, 1e-5, 1e-6)
    assert "first at index (0, 2)" in text and "got 0.1235" in text
    assert "largest difference 5 at index (1, 1)" in text
    assert "0.123456789" not in text


@pytest.mark.parametrize(
    ("got", "phrase"),
    [
        (torch.zeros(2, 2), "wrong shape: expected (2, 3), got (2, 2)"),
        (torch.zeros(2, 3, dtype=torch.float64), "wrong dtype"),
        ("a `Liar`", "your function returned a `Liar`"),
        (1.0, "got the number 1"),
    ],
)
def test_shape_dtype_and_type_problems(got, phrase):
    assert phrase in mismatch(torch.zeros(2, 3), got, 1e-5, 1e-6)


def test_nan_positions_must_agree():
    expected = torch.tensor([float("nan"), 1.0])
    assert mismatch(expected, torch.tensor([float("nan"), 1.0]), 1e-5, 1e-6) is None
    assert "expected NaN at index (0,)" in mismatch(expected, torch.tensor([0.0, 1.0]), 0, 0)
    assert "your output has NaN" in mismatch(
        torch.tensor([0.0, 1.0]), torch.tensor([math.nan, 1.0]), 0, 0
    )


def test_brief_shows_shape_and_a_few_values():
    text = brief(torch.arange(100, dtype=torch.float32) / 3)
    assert text.startswith("shape (100,) float32: [0, 0.3333, 0.6667")
    assert text.endswith(", …]")
    assert len(text) < 80


# ------------------------------------------------------------------ through the grader


@pytest.fixture(scope="module")
def grader():
    with CodeGrader(timeout_s=5.0, memory_mb=1024) as warm:
        warm.start()
        yield warm


@pytest.fixture(scope="module")
def question():
    return load_library().questions["attention.scaled-dot-product"]


def worker_peak_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def test_an_inflating_result_is_refused_and_the_worker_stays_small(grader, question, bomb):
    grader.grade(question, "def attention(q, k, v, mask=None):\n    return q\n")
    before = worker_peak_kb(grader.worker_pid)
    source = f"""
import base64, os, stat
BLOB = base64.b64decode({base64.b64encode(bomb).decode()!r})
def attention(q, k, v, mask=None):
    for fd in range(3, 64):
        try:
            if stat.S_ISFIFO(os.fstat(fd).st_mode):
                os.write(fd, BLOB)
        except OSError:
            pass
    os._exit(0)
"""
    verdict = grader.grade(question, source)
    assert verdict.status == "invalid", verdict.feedback
    assert worker_peak_kb(grader.worker_pid) - before < INFLATED_MB * 1024 // 2


@pytest.mark.parametrize(
    ("expression", "named"),
    [
        ("torch.zeros(q.shape[0], v.shape[-1], device='meta')", "meta device"),
        ("torch.zeros(q.shape[0], v.shape[-1]).to_sparse()", "sparse_coo"),
        ("torch.nested.nested_tensor([torch.ones(2), torch.ones(3)])", "nested tensor"),
    ],
)
def test_unusual_tensor_results_are_incorrect_with_a_reason(grader, question, expression, named):
    source = f"import torch\ndef attention(q, k, v, mask=None):\n    return {expression}\n"
    verdict = grader.grade(question, source)
    assert verdict.status == "incorrect", verdict.feedback
    assert named in verdict.feedback
