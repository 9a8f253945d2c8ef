"""The grader's paths for systems without `waitid` and pidfds (macOS), exercised on Linux by
hiding both: checks still pass, and the time limit still holds."""

from __future__ import annotations

import dataclasses
import os
import time

import pytest

from quizapp.grading import sandbox, worker, zygote
from quizapp.grading.identity import Identity
from quizapp.grading.job import Job

RIGHT = """
import math, torch
def scaled_dot_product_attention(q, k, v, mask=None):
    s = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])
    if mask is not None:
        s = s.masked_fill(~mask, float("-inf"))
    return torch.softmax(s, dim=-1) @ v
"""


@pytest.fixture
def setting(monkeypatch, tmp_path):
    monkeypatch.setattr(zygote, "HAS_WAITID", False)
    monkeypatch.delattr(os, "pidfd_open", raising=False)
    plan = sandbox.Plan(
        stage=str(tmp_path),
        layers=sandbox.ALL_LAYERS - {"namespaces", "landlock", "seccomp", "private-uid"},
    )
    z = zygote.Zygote(plan)  # forked now, so it has neither waitid nor pidfds either
    yield worker.Setting(Identity(None, None, None, False), z, plan)
    z.sock.close()
    os.waitpid(z.pid, 0)


JOB = Job(
    op="grade",
    function="scaled_dot_product_attention",
    reference="attention:scaled_dot_product_attention",
    cases="attention:attention_cases",
    source=RIGHT,
    timeout_s=2.0,
)


def test_a_right_submission_passes(setting):
    assert worker.grade(JOB, setting).status == "correct"
    assert worker.grade(JOB, setting).status == "correct"  # the zygote keeps going


def test_the_time_limit_holds(setting):
    endless = (
        "def scaled_dot_product_attention(q, k, v, mask=None):\n    while True:\n        pass\n"
    )
    started = time.monotonic()
    answer = worker.grade(dataclasses.replace(JOB, source=endless), setting)
    assert answer.status == "timeout"
    assert time.monotonic() - started < JOB.timeout_s + 1.0
    assert worker.grade(JOB, setting).status == "correct"
