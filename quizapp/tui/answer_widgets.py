"""The answer widget a question's kind needs, for the study screen and the mock exam.

One `match` over the kinds (mypy's `assert_never` fails when a kind is missing), so a new
kind cannot be shown by one screen and forgotten by the other. The two sittings differ in
their hints and widget ids (tests, styles and event handlers select by id) and in what
they start from: study keeps a draft only of text typed in an editor; an exam shows every
saved answer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, assert_never

from textual.widgets import Markdown

from quizapp.decks.content import Kind
from quizapp.decks.mathtext import to_unicode
from quizapp.tui.widgets import AnswerInput, ChoiceList

if TYPE_CHECKING:
    from textual.widget import Widget
    from textual.widgets import TextArea

    from quizapp.decks.content import Question
    from quizapp.decks.variants import Variant


class Sitting(StrEnum):
    """Where the answer is given: it decides the hints, the ids and what is restored."""

    STUDY = "study"  # feedback straight after each answer
    EXAM = "exam"  # a mock exam: saved as typed, judged at the end


@dataclass(frozen=True)
class Answer:
    """A built answer widget and what the screen needs to know about it."""

    widget: Widget
    hint: str  # the line above it: how to answer
    editor: TextArea | None = None  # a text editor: tall, and the pane follows its cursor
    text: str = ""  # the editor's text as built (a draft saver's starting point)
    restored: bool = False  # the text is one typed earlier (a draft or a saved answer)


def answer_widget(
    variant: Variant,
    sitting: Sitting,
    typed: Callable[[], str | None],
    *,
    no_checks: str = "",
) -> Answer:
    """The widget for `variant`'s question. `typed` gives the text typed earlier, read only
    where this sitting restores one; `no_checks` says why code cannot be checked ('' if it
    can: the study hint then offers ctrl+r)."""
    question = variant.question
    match question.kind:
        case Kind.NUMERIC:
            return _numeric(question, sitting, typed)
        case Kind.CHOICE:
            return _choice(variant, sitting, typed)
        case Kind.FLASHCARD:
            return _card_back(sitting, typed)
        case Kind.OPEN:
            return _open(sitting, typed)
        case Kind.CODE:
            return _code(question, sitting, typed, no_checks)
        case _:
            assert_never(question.kind)


def _numeric(question: Question, sitting: Sitting, typed: Callable[[], str | None]) -> Answer:
    unit = f" in {question.unit}" if question.unit else ""
    if sitting == Sitting.STUDY:
        hint = f"Type your answer{unit} (units like GB, GiB, TB are understood) and press enter."
        return Answer(AnswerInput(placeholder=f"answer{unit}", id="numeric-answer"), hint)
    hint = f"Type your answer{unit}; enter saves it and goes on. No feedback yet."
    field = AnswerInput(value=typed() or "", placeholder=f"answer{unit}", id="mock-numeric")
    return Answer(field, hint)


def _choice(variant: Variant, sitting: Sitting, typed: Callable[[], str | None]) -> Answer:
    question = variant.question
    how = "Select all that apply" if question.multiple else "Pick one"
    shown = variant.shown_options()  # position on screen -> option (file order)
    texts = [to_unicode(question.options[i].text, markdown=False) for i in shown]
    if sitting == Sitting.STUDY:
        hint = f"{how}: number keys or space to select, enter to submit."
        return Answer(ChoiceList(texts, multiple=question.multiple, id="choices"), hint)
    from quizapp.mock.session import chosen_options  # the exam's modules: only in an exam

    choices = ChoiceList(texts, multiple=question.multiple, id="mock-choices")
    chosen = chosen_options(typed() or "", len(question.options))
    choices.selected = {position for position, i in enumerate(shown) if i in chosen}
    return Answer(choices, f"{how}: number keys or space; enter saves and goes on.")


def _card_back(sitting: Sitting, typed: Callable[[], str | None]) -> Answer:
    if sitting == Sitting.EXAM:  # flashcards are not asked in exams; if one were: write it
        return _open(sitting, typed)
    back = Markdown("", id="card-back")
    back.display = False  # until space reveals it
    return Answer(back, "Recall the answer, then press space to reveal it.")


def _open(sitting: Sitting, typed: Callable[[], str | None]) -> Answer:
    from quizapp.tui.editor import AnswerArea  # imports TextArea: first use only

    text = typed()
    if sitting == Sitting.STUDY:
        hint = "Write your explanation, then press ctrl+s to compare with the model answer."
        area = AnswerArea(text or "", id="open-answer", soft_wrap=True)
    else:
        hint = "Write your answer; it is saved as you type. ctrl+n for the next."
        area = AnswerArea(text or "", id="mock-text-answer", soft_wrap=True)
    return Answer(area, hint, area, text or "", bool(text))


def _code(
    question: Question, sitting: Sitting, typed: Callable[[], str | None], no_checks: str
) -> Answer:
    from quizapp.tui.editor import CodeEditor  # imports TextArea: first use only

    text = typed()
    # A review starts from the stub, or from the text typed before the app closed.
    source = question.stub if text is None else text
    if sitting == Sitting.STUDY:
        hint = (
            "Write the function (ctrl+e: in your own editor); ctrl+g shows the solution "
            "to compare, esc leaves the editor, ctrl+↑/↓ scrolls the question."
            if no_checks
            else "Edit the function (ctrl+e: in your own editor); ctrl+r runs the check, "
            "ctrl+g shows the solution, esc leaves the editor, ctrl+↑/↓ scrolls the question."
        )
        editor = CodeEditor.code_editor(source, language="python", id="code-answer")
    else:
        source = text or question.stub
        hint = (
            "Write the function; it is saved as you type and checked after the exam. "
            "esc leaves the editor, ctrl+↑/↓ scrolls the question."
        )
        editor = CodeEditor.code_editor(source, language="python", id="mock-text-answer")
    return Answer(editor, hint, editor, source, bool(text))
