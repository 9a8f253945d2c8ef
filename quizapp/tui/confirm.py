"""A one-question yes/no dialog for steps that cannot be taken back."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static


class Confirm(ModalScreen[bool]):
    """Dismissed with True for y / enter, False for n / esc."""

    BINDINGS = [
        Binding("y,enter", "answer(True)", "Yes", priority=True),
        Binding("n,escape", "answer(False)", "No", priority=True),
    ]

    def __init__(self, question: str, detail: str = "", *, yes: str = "Yes") -> None:
        super().__init__()
        self.question = question
        self.detail = detail
        self.yes = yes

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Static(f"[b]{self.question}[/b]", id="confirm-question")
            if self.detail:
                yield Static(self.detail, id="confirm-detail")
            yield Static(f"[b]y[/b] {self.yes}   [b]n[/b] / [b]esc[/b] Cancel", id="confirm-keys")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)
