"""`quizapp grade --sandbox-info` reports the layers a probe submission really ran under."""

from __future__ import annotations

from quizapp.cli import main
from quizapp.grading.layers import expected


def test_every_expected_layer_is_listed(capsys):
    code = main(["grade", "--sandbox-info"])
    out = capsys.readouterr().out
    listed = [line.split()[1] for line in out.splitlines() if line[:1] in "✓✗"]
    assert listed == expected()
    assert code == (0 if "✗" not in out else 1)


def test_a_layer_switched_off_is_named_with_what_is_open(capsys, monkeypatch):
    monkeypatch.setenv("QUIZAPP_SANDBOX_OFF", "seccomp")
    assert main(["grade", "--sandbox-info"]) == 1
    out = capsys.readouterr().out
    assert "✗ seccomp      no system-call filter" in out
