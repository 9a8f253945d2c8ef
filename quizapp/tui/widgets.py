"""Small widgets the study screen is built from."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from rich.table import Table
from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Footer as TextualFooter

from quizapp.mathtext import to_unicode


@cache
def _inline_parser():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark")


def inline_markdown(text: str) -> Text:
    """One line of deck Markdown (math, `code`, *emphasis*, **bold**) as styled text.

    Options, rubric points and per-option verdicts are short and shown in a list the
    student moves through, where a full Markdown widget per line would be heavy.
    """
    out = Text()
    styles: list[str] = []
    try:
        tokens = _inline_parser().parseInline(to_unicode(text))
    except Exception:  # a display helper never takes the screen down
        return Text(text)
    for token in tokens[0].children or () if tokens else ():
        if token.type in ("em_open", "strong_open"):
            styles.append("italic" if token.type == "em_open" else "bold")
        elif token.type in ("em_close", "strong_close") and styles:
            styles.pop()
        elif token.type == "code_inline":
            out.append(token.content, style="bold")
        elif token.type in ("softbreak", "hardbreak"):
            out.append(" ")
        elif token.content:
            out.append(token.content, style=" ".join(styles))
    return out


class ChoiceList(Widget, can_focus=True):
    """Options with a cursor; number keys or space toggle, enter submits.

    Used for choice questions (single or multiple answer) and for ticking the key points
    of an open question's rubric.
    """

    BINDINGS = [
        Binding("up,k", "move(-1)", "Up", show=False),
        Binding("down,j", "move(1)", "Down", show=False),
        Binding("space", "toggle_cursor", "Toggle", id="toggle"),
        Binding("enter", "submit", "Submit", id="submit"),
    ]

    cursor = reactive(0)
    locked = reactive(False, layout=True)  # locking comes with verdicts: lay out the new rows

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

    def render(self) -> Table:
        """One row per option with a hanging indent, its verdict on a row of its own."""
        grid = Table.grid(padding=(0, 1), expand=True)
        grid.add_column(no_wrap=True)
        grid.add_column(ratio=1, overflow="fold")
        for index, option in enumerate(self.options):
            box = (
                ("[x]" if index in self.selected else "[ ]")
                if self.multiple
                else ("(•)" if index in self.selected else "( )")
            )
            cursor = index == self.cursor and self.has_focus and not self.locked
            grid.add_row(
                f"{index + 1}. {box}", inline_markdown(option), style="reverse" if cursor else ""
            )
            if index in self.marks:
                mark = self.marks[index]
                text = inline_markdown(mark)
                text.stylize("bold green" if mark.startswith("✓") else "bold red")
                grid.add_row("", text)
        return grid

    def action_move(self, delta: int) -> None:
        if self.options:
            self.cursor = (self.cursor + delta) % len(self.options)

    def action_toggle_cursor(self) -> None:
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
