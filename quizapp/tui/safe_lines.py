"""Every line the app draws, with control characters shown instead of sent.

A deck or a submission's printed output can hold escape sequences; Textual passes the
text of a widget to the terminal as it is, so an ESC in a question or in "your code
printed" would reach the student's terminal (clipboard writes, a new title, a wiped
screen). This filter sits under every widget (`QuizApp.get_line_filters`), so no screen
has to remember it: each control character becomes its visible stand-in
(`quizapp.textsafe.visible`), and the line keeps its width.
"""

from __future__ import annotations

from rich.segment import Segment
from textual.color import Color
from textual.filter import LineFilter

from quizapp.textsafe import is_clean, visible


class ControlsMadeVisible(LineFilter):
    """Replaces control characters in a line's text with visible stand-ins."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        if all(segment.control or is_clean(segment.text) for segment in segments):
            return segments
        width = Segment.get_line_length(segments)
        shown = [
            segment
            if segment.control or is_clean(segment.text)
            else Segment(visible(segment.text), segment.style)
            for segment in segments
        ]
        return list(Segment.adjust_line_length(shown, width))


CONTROLS_MADE_VISIBLE = ControlsMadeVisible()
