"""The key bar at the bottom of every screen: only the keys that work now, never cut off.

Textual's footer rebuilds all its key widgets for every binding change. A study step
changes the keys several times (a new answer widget, the focus, the stage), and a
verdict turns "Run check" into four rating keys: each rebuild mounts and restyles a row
of new widgets, 10-20 ms on a slow machine, and the keys land a frame after the verdict.
This footer keeps its key widgets and rewrites them in place, in the same frame as the
change that caused it. Where one row is too narrow (Home at 80 columns lost Settings,
Help and Quit) the keys go into a grid of two rows, and the palette key (ctrl+p, listed
in the help) makes room for them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.cells import cell_len
from textual.widgets import Footer as TextualFooter
from textual.widgets._footer import FooterKey  # not re-exported by textual.widgets

if TYPE_CHECKING:
    from textual.app import ComposeResult
    from textual.screen import Screen
    from textual.widget import Widget


class Footer(TextualFooter):
    """Textual's footer, updated in place, in one or two rows."""

    KEYS_KEPT = 10  # key widgets mounted from the start, the unused ones hidden
    _rebuild_queued = False
    _shown: tuple = ()

    def compose(self) -> ComposeResult:
        """The keys, then hidden spares (one of them the palette key): a stage that shows
        more keys (a verdict's four ratings) then mounts nothing."""
        keys = list(super().compose())
        yield from keys
        if not all(type(key) is FooterKey for key in keys):
            return
        if not any(key.has_class("-command-palette") for key in keys):
            yield self._spare(classes="-command-palette", compact=True)
        for _ in range(self.KEYS_KEPT - len(keys)):
            yield self._spare(compact=self.compact)

    @staticmethod
    def _spare(*, compact: bool, classes: str = "") -> FooterKey:
        spare = FooterKey("", "", "", "", classes=classes)
        spare.set_reactive(FooterKey.compact, compact)  # as the keys it may stand for
        spare.set_class(compact, "-compact", update=False)
        spare.display = False
        return spare

    def bindings_changed(self, screen: Screen[object]) -> None:
        self._bindings_ready = True
        if self._rebuild_queued or not self.is_attached or screen is not self.screen:
            return
        self._rebuild_queued = True
        # After the next paint: what changed the keys (a verdict, a new question) is shown
        # first, and several changes in a row make one update.
        self.call_after_refresh(self._rebuild)

    def rebuild_now(self) -> None:
        """Rewrite the keys in this frame, not after it: for a change whose news is
        already on screen (a code check's verdict in the status line), so the keys land
        in the frame that lays out the rest, not in one more layout after it."""
        if self.is_attached:
            self.call_next(self._rebuild)

    def on_resize(self) -> None:
        if self._shown:
            self.bindings_changed(self.screen)

    def _keys_shown(self) -> tuple:
        return tuple(
            (
                binding.action,
                binding.key,
                binding.description,
                enabled,
                tooltip,
                self.app.get_key_display(binding),
            )
            for _node, binding, enabled, tooltip in self.screen.active_bindings.values()
            if binding.show
        )

    def _fit(self, shown: tuple) -> tuple[int, bool]:
        """How many rows the keys need, and whether the palette key has room: one row
        with it, else one row without it, else two rows (every row the footer takes is
        one less for the question on an 80x24 terminal)."""
        # compact: "key desc" and a margin; otherwise " key desc " (padding on both)
        extra = 2 if self.compact else 3
        # one key per action is shown (enter and n both say "Next"): the first
        actions: dict[str, tuple[str, str]] = {}
        for action, _key, description, *_, display in shown:
            actions.setdefault(action, (display, description))
        width = sum(cell_len(d) + cell_len(text) + extra for d, text in actions.values())
        palette = 12 if self.app.ENABLE_COMMAND_PALETTE else 0
        if width + palette <= self.size.width:
            return 1, palette > 0
        return (1 if width <= self.size.width else 2), False

    async def _rebuild(self) -> None:
        self._rebuild_queued = False
        if not (self.is_attached and self.app.app_focus and self.screen.is_current):
            return  # a screen that comes back refreshes its bindings, which lands here again
        shown = self._keys_shown()
        rows, palette = self._fit(shown)
        if (shown, rows, palette) == self._shown:
            return
        self._shown = (shown, rows, palette)
        self.set_reactive(TextualFooter.show_command_palette, palette)
        wanted = list(super().compose())
        if not await self._rewrite_keys(wanted):
            await self.recompose()
        self._lay_out(rows)

    def _lay_out(self, rows: int) -> None:
        """One row as Textual lays it out, or two as a grid. Set on the widgets' own
        styles: a class on the footer would restyle it and every key (~15 ms), and a code
        question's footer changes between one and two rows at each check."""
        two = rows > 1
        self.set_class(two, "-rows", update=False)  # says which, for tests and debugging
        keys = [key for key in self.children if key.display]
        if two:
            self.styles.layout = "grid"
            self.styles.height = 2
            self.styles.grid_columns = "auto"
            self.styles.grid_rows = "1"
            self.styles.grid_gutter_vertical = 2  # between the columns
            self.styles.grid_size_columns = -(-len(keys) // rows)
        else:
            for rule in ("layout", "height", "grid_columns", "grid_rows"):
                self.styles.clear_rule(rule)
            self.styles.clear_rule("grid_gutter_vertical")
        for key in self.children:  # in a grid the gutter separates them, not a margin
            if two and not key.styles.inline.has_rule("margin"):
                key.styles.margin = 0
            elif not two and key.styles.inline.has_rule("margin"):
                key.styles.clear_rule("margin")

    async def _rewrite_keys(self, wanted: list[Widget]) -> bool:
        """Make the key widgets show `wanted` (what `compose` yields) by rewriting the
        ones there, mounting only what is missing and hiding the rest; False when the
        keys are grouped (then the footer is composed anew). The palette key is matched
        with the palette key: a key that changes its class is restyled."""
        if not all(type(w) is FooterKey for w in [*wanted, *self.children]):
            return False
        missing: list[Widget] = []
        for palette in (False, True):
            keys = [k for k in self.children if k.has_class("-command-palette") == palette]
            shown = [k for k in wanted if k.has_class("-command-palette") == palette]
            for old, new in zip(keys, shown, strict=False):
                _copy_key(new, old, compact=palette or self.compact)  # type: ignore[arg-type]
            for spare in keys[len(shown) :]:
                if spare.display:
                    spare.display = False
                    spare.description = ""  # type: ignore[attr-defined]
            missing += shown[len(keys) :]
        if missing:
            await self.mount_all(missing)
        return True


def _copy_key(source: FooterKey, key: FooterKey, *, compact: bool) -> None:
    """`key` (on screen) now shows and does what `source` (just composed) says. Only
    what differs is set: each class or style change restyles the key."""
    shown = (key.key, key.key_display, key.action, key.description, key._disabled)
    wanted = (source.key, source.key_display, source.action, source.description, source._disabled)
    if shown != wanted:
        key.key, key.key_display, key.action, key.description, key._disabled = wanted
        key.set_class(source._disabled, "-disabled")
        key.refresh(layout=True)
    if key.tooltip != source.tooltip:
        key.tooltip = source.tooltip
    if key.compact != compact:
        key.compact = compact  # as composed: the palette key is compact, the others as the footer
    if not key.display:
        key.display = True
