"""Choice questions: one or several right options, shown in a shuffled order."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

from quizapp.decks.content import Kind, Option, Question
from quizapp.decks.fields import Fields, misconception_link
from quizapp.errors import UsageError

if TYPE_CHECKING:
    from quizapp.decks.variants import Variant
    from quizapp.study.session import Outcome, StudySession
from quizapp.kinds.base import AnkiSides, ExamTask, ExamVerdict, Judge, Work, one_line


class Choice:
    kind = Kind.CHOICE
    label = "Choice"
    fields = frozenset({"options"})
    exam: ExamTask | None = ExamTask(points=1.0, minutes=2, work=Work.CHOICE)
    draws_variant = True
    judge = Judge.INSTANT
    default_seconds = 25.0

    def parse(self, fields: Fields, common: dict[str, Any]) -> Question:
        return Question(**common, options=_options(fields))

    def anki_sides(self, question: Question) -> AnkiSides:
        """Options in a shuffled order (decks tend to list the right one first); the order
        depends only on the id, so a re-export does not reshuffle notes already in Anki."""
        from quizapp.decks.choices import shuffled_order, stable_seed

        q = question
        how = "*Select all that apply.*" if q.multiple else "*Pick one.*"
        shown = [q.options[i] for i in shuffled_order(q.options, stable_seed(q.id))]
        listing = "\n".join(f"{i}. {one_line(o.text)}" for i, o in enumerate(shown, 1))
        right = []
        for i, option in enumerate(shown, 1):
            if option.correct:
                why = f" — {one_line(option.why)}" if option.why else ""
                right.append(f"- **{i}.** {one_line(option.text)}{why}")
        label = "Correct options" if q.multiple else "Correct option"
        answer = f"**{label}**\n\n" + "\n".join(right)
        return AnkiSides(f"{q.prompt}\n\n{how}\n\n{listing}", answer, q.explanation)

    def answer_lines(self, question: Question, answer: str) -> list[str]:
        from quizapp.decks.choices import decode_answer

        chosen = sorted(i for i in decode_answer(answer) if i < len(question.options))
        return ["**You chose:** " + "; ".join(question.options[i].text for i in chosen), ""]

    def solution_lines(self, question: Question, variant: Variant) -> list[str]:
        lines = []
        for option in right_options(question):
            why = f" — {option.why}" if option.why else ""
            lines.append(f"- ✓ {option.text}{why}")
        return [*lines, ""]

    def exam_verdict(self, variant: Variant, answer: str) -> ExamVerdict | None:
        from quizapp.decks.choices import decode_answer

        question = variant.question
        chosen = {i for i in decode_answer(answer) if i < len(question.options)}
        right = {i for i, o in enumerate(question.options) if o.correct}
        if chosen == right:
            return ExamVerdict(True)
        notes = []
        for index in sorted(chosen - right):
            option = question.options[index]
            notes.append(f"You chose “{option.text}”: {option.why or 'it is not right'}")
        for index in sorted(right - chosen):
            option = question.options[index]
            why = f": {option.why}" if option.why else ""
            notes.append(f"You left out “{option.text}”{why}")
        return ExamVerdict(False, " · ".join(notes))

    def stub(self, question: Question) -> str | None:
        return None

    def variant(self, question: Question, seed: int | None, *, fixed: bool) -> Variant:
        """Options in a fresh order per showing (file order when `fixed`); the seed is kept
        with the answer so the order shown can be reproduced."""
        from quizapp.decks.choices import shuffled_order
        from quizapp.decks.variants import Variant

        if fixed:
            seed = None
        elif seed is None:
            seed = random.SystemRandom().randrange(2**31)
        order = shuffled_order(question.options, seed)
        return Variant(question, seed, {}, question.prompt, question.explanation, order=order)

    def deep_check(self, question: Question, variants: int) -> list[str]:
        return []  # no solver to run: the text checks cover the options

    def answer_in_shell(
        self, session: StudySession, question: Question, text: str, seed: int | None
    ) -> Outcome | None:
        """Letters (or numbers) name options in the deck file's order (A = the first one
        there), so the options are shown unshuffled and `seed` is not used."""
        session.show(question.id, seed=seed, fixed=True)
        return session.answer_choice(letters_chosen(text, len(question.options)))

    def misconceptions_shown(
        self, variant: Variant, answer: str, diagnosis: str
    ) -> tuple[str, ...]:
        """The misconceptions the wrong options ticked encode."""
        from quizapp.decks.choices import decode_answer
        from quizapp.misconceptions.hooks import chosen_links

        question = variant.question
        chosen = {i for i in decode_answer(answer) if i < len(question.options)}
        return chosen_links(question, chosen)

    def can_reveal(self, variant: Variant, misconception_id: str) -> bool:
        return True


def right_options(question: Question) -> list[Option]:
    return [o for o in question.options if o.correct]


def letters_chosen(text: str, count: int) -> set[int]:
    """Options named on the command line as letters or numbers ("A,C", "1 3"), as indices in
    the deck file's order; UsageError names one that is not an option."""
    letters = [part.strip().upper() for part in text.replace(" ", ",").split(",") if part.strip()]
    chosen = set()
    for letter in letters:
        if letter.isdigit():
            index = int(letter) - 1
        else:
            index = ord(letter) - ord("A") if len(letter) == 1 else -1
        if not 0 <= index < count:
            raise UsageError(
                f"{letter!r} is not an option; use letters A–{chr(ord('A') + count - 1)}"
            )
        chosen.add(index)
    return chosen


def _options(fields: Fields) -> tuple[Option, ...]:
    raw = fields.get("options")
    if not isinstance(raw, list) or len(raw) < 2:
        raise fields.error("'options' must list at least two options")
    options = []
    for entry in raw:
        if not isinstance(entry, dict) or not isinstance(entry.get("text"), str | int | float):
            raise fields.error("each option needs a 'text'")
        where = entry.get("__line__", fields.line)
        correct = entry.get("correct", False)
        if not isinstance(correct, bool):
            raise fields.error("'correct' must be true or false", where)
        fixed = entry.get("fixed", False)
        if not isinstance(fixed, bool):
            raise fields.error("'fixed' must be true or false", where)
        why = str(entry.get("why", "") or "")
        link = misconception_link(fields, entry, where)
        options.append(Option(str(entry["text"]), correct, why, fixed, link))
    if not any(o.correct for o in options):
        raise fields.error("no option is marked 'correct: true'")
    return tuple(options)


HANDLER = Choice()
