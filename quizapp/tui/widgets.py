"""Small widgets the screens are built from."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len, set_cell_size
from rich.markup import escape
from rich.table import Table
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import DataTable, Input
from textual.widgets.data_table import ColumnKey

from quizapp.decks.mathtext import to_unicode

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from textual.widgets import TextArea


@cache
def _inline_parser() -> MarkdownIt:
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


class KeysInOrder:
    """Mixin for text fields: their own key bindings (ctrl+u, ctrl+w, ctrl+a …) run the
    moment the key arrives, in order with the typed characters.

    Textual runs a widget's non-priority bindings only after the key has bubbled up to the
    app, while the next key goes straight to the field: keys sent in one burst (a fast
    typist, a paste through the terminal, a test pilot) could apply ctrl+u after the text
    that followed it and delete that text.
    """

    async def _on_key(self, event: events.Key) -> None:
        # Textual calls every class's `_on_key` along the MRO until one prevents the
        # default, so the field's own handling (typing a character) follows when no
        # binding ran here.
        widget: Widget = self  # type: ignore[assignment]
        for binding in widget._bindings.key_to_bindings.get(event.key, ()):
            name = binding.action.partition("(")[0]
            if binding.priority or "." in name or not widget.check_action(name, ()):
                continue  # the app's own dispatch handles these
            event.stop()  # handled here, so it must not run again once it has bubbled up
            event.prevent_default()
            await widget.run_action(binding.action)
            return


class AnswerInput(KeysInOrder, Input):
    """A one-line answer field whose editing keys keep their order."""


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
            body = inline_markdown(option)
            mark = self.marks.get(index, "")
            verdict = inline_markdown(mark)
            verdict.stylize("bold green" if mark.startswith("✓") else "bold red")
            if mark and len(mark) <= 2:  # a bare ✓ / ✗ goes after the option
                body.append(" ").append(verdict)
            number = Text(f"{index + 1}. {box}")  # Text: "[x]" is not markup
            grid.add_row(number, body, style="reverse" if cursor else "")
            if len(mark) > 2:  # a reason gets a row of its own
                grid.add_row("", verdict)
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

    def on_key(self, event: events.Key) -> None:
        if event.character and event.character.isdigit() and event.character != "0":
            event.stop()
            self.toggle(int(event.character) - 1)

    def watch_cursor(self) -> None:
        self.refresh()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()


class QuestionPane(VerticalScroll):
    """The scrolling pane of a question (study and mock exam): it opens at the top, so the
    question is what a student reads first, and follows the editor's cursor once they type.

    On a small terminal (80x24) a code or explanation editor below the prompt does not fit
    with it. Scrolling to the editor when the question opens hid the question itself; here
    the editor has the keys but the pane moves to it only when the cursor would be out of
    view (the first key typed or moved), and then just far enough. `keep_end_in_view`
    keeps the end in view while the content grows (a rubric under a long model answer).
    """

    keep_end = False

    def keep_end_in_view(self, keep: bool = True) -> None:
        self.keep_end = keep
        if keep:
            self.scroll_end(animate=False)

    def watch_virtual_size(self) -> None:
        if self.keep_end:
            self.scroll_end(animate=False)

    def on_text_area_selection_changed(self, event: TextArea.SelectionChanged) -> None:
        self.call_after_refresh(self.show_cursor_of, event.text_area)

    def show_cursor_of(self, editor: Widget) -> None:
        """Scroll (once, no animation) so the editor's cursor line is in view."""
        if not editor.has_focus or not editor.is_attached:
            return
        y = editor.cursor_screen_offset.y  # type: ignore[attr-defined]
        view = self.content_region
        if view.y <= y < view.bottom:
            return
        if editor.region.height <= view.height:  # the whole editor fits: show all of it
            self.scroll_to_widget(editor, animate=False, immediate=True)
        else:
            self.scroll_relative(y=y - (view.y if y < view.y else view.bottom - 1), animate=False)

    def scroll_page(self, pages: int) -> None:
        self.scroll_relative(
            y=pages * max(1, self.scrollable_content_region.height - 1), animate=False
        )


class FittedTable(DataTable):
    """A DataTable whose wide text columns give way, so every column stays on screen.

    DataTable sizes each column to its widest cell, so at 80 columns a long topic or
    question title pushed the last columns (Exam recall, Kind, Due …) out of view. Here
    the `flex` columns (key → weight) share what the others leave, long text ending in
    "…", and the rows are refitted whenever the table is resized.
    """

    def __init__(self, *, flex: dict[str, int], min_flex: int = 10, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.flex = flex
        self.min_flex = min_flex
        self._rows: list[tuple[str, list]] = []

    def set_rows(self, rows: Iterable[tuple[str, Sequence]]) -> None:
        """Replace every row (`(key, cells)` in column order); the cursor stays on its row."""
        self._rows = [(key, list(cells)) for key, cells in rows]
        self._fill()

    def on_resize(self) -> None:
        if self._rows:
            self._fill()

    def _fill(self) -> None:
        keep = self.highlighted_key()
        keys = [column.value for column in self.columns if column.value is not None]
        widths = self._flex_widths(keys)
        for key, width in widths.items():
            column = self.columns[ColumnKey(key)]
            column.width, column.auto_width = width, False
        self.clear()
        fitted = {
            key: _fit_column([cells[keys.index(key)] for _, cells in self._rows], width)
            for key, width in widths.items()
        }
        for index, (row_key, cells) in enumerate(self._rows):
            shown = [
                fitted[key][index] if key in fitted else cell
                for key, cell in zip(keys, cells, strict=False)
            ]
            self.add_row(*shown, key=row_key)
        if keep is not None and keep in self.rows:
            self.move_cursor(row=self.get_row_index(keep), animate=False)

    def _flex_widths(self, keys: list[str]) -> dict[str, int]:
        """Each flex column's width: what it needs if there is room, else a weighted share."""
        pad = 2 * self.cell_padding
        wanted = {}
        fixed = 0
        for index, key in enumerate(keys):
            column = self.columns[ColumnKey(key)]
            widest = max((_cell_width(cells[index]) for _, cells in self._rows), default=0)
            if key in self.flex:
                wanted[key] = max(widest, _label_width(column.label))
            else:
                current = column.content_width if column.auto_width else column.width
                fixed += pad + max(current, widest, _label_width(column.label))
        if not self.size.width:
            return wanted  # not laid out yet: the first resize refits
        overflow = len(self._rows) + self.header_height > self.size.height
        room = self.size.width - fixed - pad * len(wanted)
        room -= self.styles.scrollbar_size_vertical if overflow else 0
        widths: dict[str, int] = {}
        pending = dict(wanted)
        while pending:  # a column that needs less than its share gives the rest to the others
            weight = sum(self.flex[key] for key in pending)
            share = {key: room * self.flex[key] // weight for key in pending}
            done = {key for key in pending if pending[key] <= share[key]}
            if not done:
                widths.update({key: max(self.min_flex, share[key]) for key in pending})
                break
            for key in done:
                widths[key] = pending.pop(key)
                room -= widths[key]
        return widths

    def highlighted_key(self) -> str | None:
        if self.row_count == 0:
            return None
        return self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value


def _fit_column(cells: list, width: int) -> list[str]:
    """A flex column's cells fitted to `width`. A cell that is a list (a day's topics) has
    each of its items cut to a share of the width, so every item stays recognisable; its
    items are plain text (from decks: escaped here, after cutting, never read as markup)."""
    if any(isinstance(cell, list | tuple) for cell in cells):
        return [
            escape(fit_items(cell, width))
            if isinstance(cell, list | tuple)
            else fit(str(cell), width)
            for cell in cells
        ]
    return fit_distinct([str(cell) for cell in cells], width)


ITEM_SEPARATOR = " · "  # between a list cell's items (titles may hold commas)


def fit_items(items: Sequence[str], width: int, separator: str = ITEM_SEPARATOR) -> str:
    """`items` joined by `separator` in `width` cells: when they do not fit, each long item
    is cut to an equal share (short ones give what they leave to the others)."""
    joined = separator.join(items)
    if cell_len(joined) <= width or not items:
        return joined
    room = width - cell_len(separator) * (len(items) - 1)
    share = {index: cell_len(item) for index, item in enumerate(items)}
    pending = set(share)
    while pending:
        each = room // len(pending)
        short = {index for index in pending if share[index] <= each}
        if not short:
            for index in pending:
                share[index] = max(2, each)
            break
        room -= sum(share[index] for index in short)
        pending -= short
    return fit(separator.join(fit(item, share[i]) for i, item in enumerate(items)), width)


def _cell_width(cell: object) -> int:
    """Cells a table cell takes: strings are Content markup (`[b $warning]…[/]`)."""
    if isinstance(cell, list | tuple):
        return cell_len(ITEM_SEPARATOR.join(cell))
    if not isinstance(cell, str):
        return cell_len(str(cell))
    from textual.content import Content

    return max((line.cell_length for line in Content.from_markup(cell).split()), default=0)


def _label_width(label: Text) -> int:
    return max((cell_len(line) for line in label.plain.splitlines()), default=0)


def fit(text: str, width: int) -> str:
    """`text` cut to `width` cells, ending in "…" when something was cut."""
    if cell_len(text) <= width:
        return text
    return set_cell_size(text, max(0, width - 1)).rstrip() + "…"


def fit_middle(text: str, width: int) -> str:
    """`text` cut to `width` cells in the middle: its start, "…", and its end."""
    if cell_len(text) <= width:
        return text
    head = max(1, (width - 1) // 2)
    tail = max(0, width - 1 - head)
    end = text[len(text) - tail :] if tail else ""
    while cell_len(end) > tail:
        end = end[1:]
    return set_cell_size(text, head).rstrip() + "…" + end.lstrip()


def fit_distinct(texts: Sequence[str], width: int) -> list[str]:
    """Each text fitted to `width`; different texts that would be cut to the same one
    ("Scaled dot-product attent…" twice) are cut in the middle instead, keeping their
    different ends in view."""
    cut = [fit(text, width) for text in texts]
    sources: dict[str, set[str]] = {}
    for text, shown in zip(texts, cut, strict=True):
        sources.setdefault(shown, set()).add(text)
    return [
        fit_middle(text, width) if len(sources[shown]) > 1 else shown
        for text, shown in zip(texts, cut, strict=True)
    ]
