"""`quizapp check`: the deep validation that loading skips to stay fast.

Loading already checks the schema, ids and that solver functions exist. Here every solver
is actually called, by the question's kind handler (`KindHandler.deep_check`): a numeric
question must give a finite answer for its defaults and for many drawn variants
(`quizapp.kinds.numeric_checks`), a code question's reference must pass its own cases.
Every text is also rendered as the app shows it, to catch math and Markdown that would
come out wrong (see `quizapp.decks.text_lint`).
"""

from __future__ import annotations

from collections.abc import Callable

from quizapp.decks.content import Library, Problem, Question
from quizapp.decks.text_lint import question_problems
from quizapp.kinds import handler

VARIANTS_CHECKED = 20


def check_question(question: Question, variants: int = VARIANTS_CHECKED) -> list[str]:
    """Messages for everything wrong with one question (empty when it is fine): what its
    kind's handler finds by running its solvers, then how its texts would show."""
    return handler(question.kind).deep_check(question, variants) + question_problems(question)


def check_library(
    library: Library, progress: Callable[[int, int], None] | None = None
) -> list[Problem]:
    """Loading problems plus every deep problem, in file order."""
    from quizapp import locations
    from quizapp.misconceptions.catalogue import link_problems

    problems = list(library.problems)
    questions = list(library.questions.values())
    bundled = locations.bundled_content_dir().resolve()
    for index, question in enumerate(questions):
        # Every diagnosis of the bundled decks must link; a student's own deck may link.
        require = question.path.resolve().parent == bundled
        links = link_problems(question, library.misconceptions, require=require)
        for message in check_question(question) + links:
            problems.append(Problem(question.path, question.line, question.id, message))
        if progress:
            progress(index + 1, len(questions))
    return sorted(problems, key=lambda p: (str(p.path), p.line))
