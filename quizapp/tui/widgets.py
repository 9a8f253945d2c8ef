"""Small widgets the study screen is built from."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Footer as TextualFooter


class ChoiceList(Widget, can_focus=True):
    """Options with a cursor; number keys or space toggle, enter submits.

    Used for choice questions (single or multiple answer) and for ticking the key points
    of an open question's rubric.
    """

    BINDINGS = [
        Binding("up,k", "move(-1)", "Up", show=False),
        Binding("down,j", "move(1)", "Down", show=False),
        Binding("space", "toggle", "Toggle", id="toggle"),
        Binding("enter", "submit", "Submit", id="submit"),
    ]

    cursor = reactive(0)

    @dataclass
    class Submitted(Message):
        choice_list: ChoiceList
        selected: set[int]

        @property
        def control(self) -> ChoiceList:
            return self.choice_list

    def __init__(self, options: list[str], *, multiple: bool, id: str | None = None) -> None:
        super().__init__(id=id)
        self.options = options
        self.multiple = multiple
        self.selected: set[int] = set()
        self.marks: dict[int, str] = {}  # per-option verdict shown after answering
        self.locked = False

    def render(self) -> Text:
        text = Text()
        for index, option in enumerate(self.options):
            box = (
                ("[x]" if index in self.selected else "[ ]")
                if self.multiple
                else ("(•)" if index in self.selected else "( )")
            )
            style = "reverse" if index == self.cursor and self.has_focus and not self.locked else ""
            line = Text(f" {index + 1}. {box} {option} ", style=style)
            if index in self.marks:
                mark = self.marks[index]
                line.append(f" {mark}", style="bold green" if mark.startswith("✓") else "bold red")
            text.append(line)
            if index < len(self.options) - 1:
                text.append("\n")
        return text

    def action_move(self, delta: int) -> None:
        if self.options:
            self.cursor = (self.cursor + delta) % len(self.options)

    def action_toggle(self) -> None:
        self.toggle(self.cursor)

    def toggle(self, index: int) -> None:
        if self.locked or not 0 <= index < len(self.options):
            return
        self.cursor = index
        if self.multiple:
            self.selected ^= {index}
        else:
            self.selected = {index}
        self.refresh()

    def action_submit(self) -> None:
        if not self.locked:
            self.post_message(self.Submitted(self, set(self.selected)))

    def on_key(self, event) -> None:
        if event.character and event.character.isdigit() and event.character != "0":
            event.stop()
            self.toggle(int(event.character) - 1)

    def watch_cursor(self) -> None:
        self.refresh()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()


class Footer(TextualFooter):
    """Textual's footer, rebuilt only when the keys it shows change, at most once a refresh.

    The stock footer rebuilds all its keys for every binding change, and a study step
    signals several (new answer widget, focus, stage), mostly without changing what the
    footer shows; each rebuild restyles every key. Skipping those rebuilds saves tens of
    milliseconds per question on a slow machine.
    """

    _rebuild_queued = False
    _shown: tuple = ()

    def bindings_changed(self, screen) -> None:
        self._bindings_ready = True
        if self._rebuild_queued or not self.is_attached or screen is not self.screen:
            return
        self._rebuild_queued = True
        self.call_after_refresh(self._rebuild)

    def _keys_shown(self) -> tuple:
        return tuple(
            (binding.key, binding.description, enabled, tooltip)
            for _node, binding, enabled, tooltip in self.screen.active_bindings.values()
            if binding.show
        )

    async def _rebuild(self) -> None:
        self._rebuild_queued = False
        if not (self.is_attached and self.app.app_focus and self.screen.is_current):
            return  # a screen that comes back refreshes its bindings, which lands here again
        shown = self._keys_shown()
        if shown != self._shown:
            self._shown = shown
            await self.recompose()
