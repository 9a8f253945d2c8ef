"""The answer editors of the study screen and the mock exam: one for code that types
Python the way editors do, and the TextArea they share for explanations.

Textual's TextArea inserts a bare newline on enter, so every new line of a function body
started in column 0 and had to be indented by hand. Here enter keeps the indentation (one
level more after a line ending in `:`), tab / shift+tab indent and dedent the selected
lines, ctrl+a selects everything, and esc hands the keyboard back to the screen. This
module imports TextArea, so it is imported when the first editor is shown, not at start-up.
"""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.widgets import TextArea
from textual.widgets.text_area import Selection

from quizapp.tui.widgets import KeysInOrder


class AnswerArea(KeysInOrder, TextArea):
    """A TextArea for answers that repaints after it re-wraps.

    Textual's TextArea re-wraps soft-wrapped text in its Resize handler, after the resized
    widget was painted from the old wrap, and repaints only when the number of wrapped
    lines changes. A saved answer shown in a pane that then narrows (its scrollbar appears
    once the prompt is rendered) kept the old line breaks cut at the new width: a word at
    each line end was missing until the student edited the text.
    """

    def _on_resize(self) -> None:
        super()._on_resize()
        self.refresh()


class CodeEditor(AnswerArea):
    BINDINGS = [
        Binding("escape", "leave", "Leave editor", id="leave_editor"),
        Binding("ctrl+a", "select_all", "Select all", show=False),
        Binding("shift+tab", "dedent", "Dedent", show=False),
    ]

    async def _on_key(self, event: events.Key) -> None:
        if self.read_only:
            return
        if event.key == "escape":
            event.prevent_default()  # not TextArea's "focus the next widget": our binding
            return
        if event.key == "enter":
            self._stop(event)
            self._replace_via_keyboard("\n" + self._indent_for_new_line(), *self.selection)
        elif event.key == "tab":
            self._stop(event)
            start, end = sorted(self.selection)
            if start[0] != end[0]:
                self._shift_lines(+1)
            else:
                self._replace_via_keyboard(" " * self._find_columns_to_next_tab_stop(), start, end)

    @staticmethod
    def _stop(event: events.Key) -> None:
        event.stop()
        event.prevent_default()

    def _indent_for_new_line(self) -> str:
        """The current line's indentation, one level deeper after a `:` (def, for, if …)."""
        row, column = self.selection.end
        before = self.document[row][:column]
        indent = before[: len(before) - len(before.lstrip())]
        if before.rstrip().endswith(":") and not before.lstrip().startswith("#"):
            indent += " " * self.indent_width
        return indent

    def action_dedent(self) -> None:
        if not self.read_only:
            self._shift_lines(-1)

    def _shift_lines(self, direction: int) -> None:
        """Indent (+1) or dedent (-1) every line the selection touches, keeping it selected."""
        (start_row, start_col), (end_row, end_col) = sorted(self.selection)
        if end_row > start_row and end_col == 0:
            end_row -= 1  # a selection ending at a line start leaves that line alone
        width = self.indent_width
        lines = [self.document[row] for row in range(start_row, end_row + 1)]
        if direction > 0:
            shifted = [" " * width + line if line.strip() else line for line in lines]
        else:
            shifted = [line[min(width, len(line) - len(line.lstrip(" "))) :] for line in lines]
        cursor = self.selection.end
        self.replace("\n".join(shifted), (start_row, 0), (end_row, len(self.document[end_row])))
        if start_row == end_row:  # one line: the cursor moves with its text
            column = max(0, cursor[1] + len(shifted[0]) - len(lines[0]))
            self.selection = Selection.cursor((cursor[0], column))
        else:
            self.selection = Selection((start_row, 0), (end_row, len(shifted[-1])))

    def action_leave(self) -> None:
        """Give the keys back to the screen: esc again goes Home, enter/n go on."""
        self.screen.set_focus(None)
