"""The app says once, plainly, when code runs with fewer sandbox layers than this machine
type allows (here simulated by switching layers off for the grader's worker)."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual.widgets import TextArea

from quizapp.decks.content import load_library
from quizapp.grading.code import CodeGrader
from quizapp.grading.layers import describe
from quizapp.progress.store import Store
from quizapp.tui.app import QuizApp

WRONG = "import torch\n\ndef masked_attention(q, k, v, mask):\n    return v\n"


async def _check_twice(tmp_path: Path, grader) -> list[str]:
    app = QuizApp(
        load_library(),
        Store(tmp_path / "p.db"),
        clock=lambda: datetime(2026, 11, 2, 9, 0, tzinfo=UTC),
        grader=grader,
        fuzz=False,
    )
    async with app.run_test(size=(80, 24)) as pilot:
        app.start_session(app.new_session(question_ids=["masking.zero-weights"]), "Review")
        await pilot.pause()
        app.screen.query_one("#code-answer", TextArea).text = WRONG
        for _ in range(2):
            await pilot.press("ctrl+r")
            await app.workers.wait_for_complete()
            await pilot.pause()
        return [str(n.message) for n in app._notifications]


@pytest.mark.parametrize("off", ["", "namespaces"])
async def test_missing_layers_are_named_once(tmp_path, monkeypatch, off):
    monkeypatch.setenv("QUIZAPP_SANDBOX_OFF", off)
    with CodeGrader(timeout_s=20) as grader:
        messages = await _check_twice(tmp_path, grader)
        complete = all(on for _, on, _ in describe(grader.layers))
    notices = [m for m in messages if "less confined" in m]
    if off or not complete:
        assert len(notices) == 1, messages
        assert "--sandbox-info" in notices[0]
    else:
        assert notices == []
