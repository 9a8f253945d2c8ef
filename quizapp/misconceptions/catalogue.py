"""The catalogue of misconceptions (`misconceptions.yaml` beside the decks) and its links.

Each entry names one wrong idea: id, title, the wrong idea and the right one in a line
each, and a topic. Numeric slips, known mistakes of code questions and choice
distractors link to an entry by id; `quizapp check` reports links to unknown ids and
diagnoses that link to nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from quizapp.decks.cache import ParsedDeckCache
    from quizapp.decks.content import Library, Question

ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
FIELDS = ("id", "title", "wrong", "right", "topic")
MAX_FIELD_CHARS = 400


@dataclass(frozen=True)
class Misconception:
    id: str
    title: str
    wrong: str
    right: str
    topic: str
    path: Path
    line: int

    @property
    def hint(self) -> str:
        """What a diagnosis shows when the slip has no hint of its own."""
        return f"{self.title}: {self.right}"


# Every entry loaded so far, so a slip without its own hint can show the catalogue's.
_LOADED: dict[str, Misconception] = {}


def hint_for(misconception_id: str) -> str:
    entry = _LOADED.get(misconception_id)
    return entry.hint if entry else "A known slip."


def load_catalogue(path: Path, library: Library, parsed: ParsedDeckCache | None = None) -> None:
    """Read one catalogue file into `library.misconceptions`; problems are reported."""
    from quizapp.decks.content import DeckError, Problem, _read_yaml

    try:
        data = _read_yaml(path, parsed)
        items = _entries(data)
    except DeckError as err:
        library.problems.append(Problem(path, err.line, "", err.message))
        return
    for item in items:
        line = item.get("__line__", 0) if isinstance(item, dict) else 0
        try:
            entry = _entry(item, path, line)
        except DeckError as err:
            library.problems.append(Problem(path, err.line or line, "", err.message))
            continue
        if entry.id in library.misconceptions:
            first = library.misconceptions[entry.id]
            message = f"duplicate misconception '{entry.id}'; first at {first.path}:{first.line}"
            library.problems.append(Problem(path, line, "", message))
            continue
        library.misconceptions[entry.id] = entry
        _LOADED[entry.id] = entry


def _entries(data: Any) -> list:
    from quizapp.decks.content import DeckError

    items = data.get("misconceptions") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise DeckError(1, "a catalogue needs 'misconceptions:', a list of entries")
    return items


def _entry(item: Any, path: Path, line: int) -> Misconception:
    from quizapp.decks.content import DeckError

    if not isinstance(item, dict):
        raise DeckError(line, "each misconception must be a mapping with " + ", ".join(FIELDS))
    unknown = set(item) - set(FIELDS) - {"__line__"}
    if unknown:
        raise DeckError(line, f"unknown field(s) in a misconception: {', '.join(sorted(unknown))}")
    values = {}
    for name in FIELDS:
        value = item.get(name)
        if not isinstance(value, str) or not value.strip():
            raise DeckError(line, f"misconception needs '{name}' (text)")
        if len(value) > MAX_FIELD_CHARS:
            raise DeckError(line, f"'{name}' is longer than {MAX_FIELD_CHARS} characters")
        values[name] = " ".join(value.split())
    if not ID.match(values["id"]):
        raise DeckError(line, "misconception 'id' must be lowercase words joined by '-'")
    return Misconception(path=path, line=line, **values)


def links(question: Question) -> list[tuple[str, str]]:
    """(where, misconception id) for every diagnosis the question can give."""
    out = [(f"known mistake {m.solver}", m.misconception) for m in question.known_mistakes]
    out += [(f"slip at line {s.line}", s.misconception) for s in question.slips]
    out += [
        (f"option “{o.text[:40]}”", o.misconception) for o in question.options if o.misconception
    ]
    return out


def link_problems(
    question: Question, catalogue: dict[str, Misconception], *, require: bool = True
) -> list[str]:
    """Links to ids the catalogue lacks and, with `require` (the bundled decks), diagnoses
    that link to nothing."""
    messages = []
    for where, link in links(question):
        if not link and require:
            messages.append(f"{where} links to no misconception; add 'misconception: <id>'")
        elif link and link not in catalogue:
            messages.append(
                f"{where} links to unknown misconception '{link}'; add it to misconceptions.yaml"
            )
    return messages


def question_ids_for(library: Library, misconception_id: str) -> list[str]:
    """The questions where this slip is possible (they link to it), in study order."""
    return [
        qid
        for qid in library.study_order()
        if any(link == misconception_id for _, link in links(library.questions[qid]))
    ]
