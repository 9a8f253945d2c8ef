"""Decks: YAML files turned into validated, frozen question objects.

Loading is cheap and never imports torch or the solvers: a solver reference is checked
against the solver module's source parsed with `ast` (see `quizapp.decks.solver_ref`), so start-up
stays fast. Computing answers is the job of `quizapp.decks.variants` and of `quizapp check`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from quizapp import locations
from quizapp.decks.cache import ParsedDeckCache
from quizapp.decks.fields import DeckError, Fields
from quizapp.decks.solver_ref import index_solvers


class Kind(StrEnum):
    """The kinds of question; the values are what deck files write after `kind:`."""

    FLASHCARD = "flashcard"
    CHOICE = "choice"
    NUMERIC = "numeric"
    OPEN = "open"
    CODE = "code"


KINDS = tuple(Kind)  # also the order new cards are introduced in, lighter kinds first
KIND_ORDER = {kind: index for index, kind in enumerate(KINDS)}
DEFAULT_ORDER = 1000
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]*\.[a-z0-9][a-z0-9_.-]*$")
TOPIC_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
MAX_DECK_BYTES = 2_000_000
CATALOGUE_FILE = "misconceptions.yaml"  # beside the decks; not a deck itself


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a deck, located precisely enough to fix it."""

    path: Path
    line: int
    question_id: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.question_id or '-'}: {self.message}"


@dataclass(frozen=True)
class Option:
    text: str
    correct: bool = False
    why: str = ""
    fixed: bool = False  # keeps its place when the options are shuffled ("none of the above")
    misconception: str = ""  # catalogue id of the known error this distractor encodes


@dataclass(frozen=True)
class KnownMistake:
    solver: str
    hint: str
    misconception: str = ""  # catalogue id (content/misconceptions.yaml)


@dataclass(frozen=True)
class Question:
    """A question of any kind; fields that a kind does not use stay empty."""

    id: str
    kind: Kind
    title: str
    prompt: str
    explanation: str
    source: str
    topic: str
    path: Path
    line: int
    tags: tuple[str, ...] = ()
    # flashcard
    back: str = ""
    # choice
    options: tuple[Option, ...] = ()
    # numeric
    solver: str = ""
    params: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    vary: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    generator: str = ""
    unit: str = ""
    solver_unit: str = ""
    rel_tol: float = 0.01
    abs_tol: float = 0.0
    decimals: int | None = None  # the answer is shown with this many decimals
    # name -> solver of an intermediate value shown as {{name}} in the explanation
    derived: dict[str, str] = field(default_factory=dict, hash=False, compare=False)
    # open
    model_answer: str = ""
    rubric: tuple[str, ...] = ()
    # code
    function: str = ""
    stub: str = ""
    reference: str = ""
    cases: str = ""
    known_mistakes: tuple[KnownMistake, ...] = ()  # code and numeric questions
    # numeric: slips as transformations of params or result (quizapp.misconceptions.slips)
    slips: tuple[Any, ...] = ()
    rtol: float = 1e-5
    atol: float = 1e-6

    @property
    def multiple(self) -> bool:
        """A choice question with several right options is "select all that apply"."""
        return sum(o.correct for o in self.options) > 1

    @property
    def is_parameterised(self) -> bool:
        return bool(self.vary or self.generator)


@dataclass
class Library:
    """Every question that loaded, plus every problem found while loading."""

    questions: dict[str, Question] = field(default_factory=dict)
    topic_titles: dict[str, str] = field(default_factory=dict)
    topic_short_titles: dict[str, str] = field(default_factory=dict)  # for narrow columns
    topic_order: dict[str, int] = field(default_factory=dict)
    # the decks' `exam_weight` per topic (1 where no deck of the topic sets one)
    topic_weights: dict[str, float] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    # id -> quizapp.misconceptions.catalogue.Misconception, from each dir's misconceptions.yaml
    misconceptions: dict[str, Any] = field(default_factory=dict)

    @property
    def topics(self) -> list[str]:
        """Topics in course order (the decks' `order`), then alphabetically."""
        names = {q.topic for q in self.questions.values()}
        return sorted(names, key=lambda t: (self.topic_order.get(t, DEFAULT_ORDER), t))

    def study_order(self) -> list[str]:
        """Question ids in the order new cards are introduced: course order, then the
        lighter kinds before the heavier ones within each topic, then file order."""
        rank = {topic: index for index, topic in enumerate(self.topics)}
        position = {qid: index for index, qid in enumerate(self.questions)}
        return sorted(
            self.questions,
            key=lambda qid: (
                rank[self.questions[qid].topic],
                KIND_ORDER[self.questions[qid].kind],
                position[qid],
            ),
        )

    def by_topic(self, topic: str) -> list[Question]:
        return [q for q in self.questions.values() if q.topic == topic]

    def topic_title(self, topic: str) -> str:
        return self.topic_titles.get(topic) or topic.replace("-", " ").title()

    def topic_short_title(self, topic: str) -> str:
        """The topic's `short` title (where several topics share one line), else its title."""
        return self.topic_short_titles.get(topic) or self.topic_title(topic)


def load_library(
    extra_dirs: list[Path] | tuple[Path, ...] = (), *, bundled: bool = True, cache: bool = True
) -> Library:
    """Load the bundled decks and any extra directories; bad files are reported, not fatal.

    With `cache`, unchanged deck files are not parsed again (see `quizapp.decks.cache`).
    """
    dirs = ([locations.bundled_content_dir()] if bundled else []) + [Path(d) for d in extra_dirs]
    library = Library()
    seen: dict[str, Question] = {}
    parsed = ParsedDeckCache(locations.deck_cache_path() if cache else None)
    index_solvers(parsed)
    for directory in dirs:
        if not directory.is_dir():
            library.problems.append(
                Problem(directory, 0, "", "content directory not found; check the path given")
            )
            continue
        for path in sorted(directory.glob("*.yaml")):
            if path.name == CATALOGUE_FILE:
                from quizapp.misconceptions.catalogue import load_catalogue

                load_catalogue(path, library, parsed)
                continue
            load_file(path, library, seen, parsed)
    parsed.save()
    return library


def load_file(
    path: Path,
    library: Library,
    seen: dict[str, Question],
    parsed: ParsedDeckCache | None = None,
) -> None:
    """Load one deck file into `library`; every problem becomes a `Problem` entry."""
    try:
        data = _read_yaml(path, parsed)
        topic, title, order, items = _deck_header(data)
        weight = _exam_weight(data)
        short = _short_title(data)
    except DeckError as err:
        library.problems.append(Problem(path, err.line, err.question_id, err.message))
        return
    if title and (topic not in library.topic_titles or path.stem == topic):
        library.topic_titles[topic] = title  # the file named after the topic has the last word
    if short and (topic not in library.topic_short_titles or path.stem == topic):
        library.topic_short_titles[topic] = short
    if order is not None:
        library.topic_order[topic] = min(order, library.topic_order.get(topic, order))
    if weight is not None:
        library.topic_weights[topic] = max(weight, library.topic_weights.get(topic, weight))
    for item in items:
        qid = str(item.get("id", "")) if isinstance(item, dict) else ""
        line = item.get("__line__", 0) if isinstance(item, dict) else 0
        try:
            question = parse_question(item, topic, path)
        except DeckError as err:
            library.problems.append(
                Problem(path, err.line or line, err.question_id or qid, err.message)
            )
            continue
        if question.id in seen:
            first = seen[question.id]
            library.problems.append(
                Problem(
                    path,
                    line,
                    question.id,
                    f"duplicate id; first defined at {first.path}:{first.line}",
                )
            )
            continue
        seen[question.id] = question
        library.questions[question.id] = question


def _read_yaml(path: Path, parsed: ParsedDeckCache | None = None) -> Any:
    try:
        size = path.stat().st_size
        if size > MAX_DECK_BYTES:
            raise DeckError(
                0, f"file is {size // 1_000_000} MB; decks are limited to 2 MB, split it"
            )
        raw = path.read_bytes()
    except OSError as err:
        raise DeckError(0, f"cannot read file: {err.strerror}") from None
    if parsed is not None and (data := parsed.get(raw)) is not None:
        return data
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise DeckError(line, "file is not UTF-8 text; save it as UTF-8") from None
    from quizapp.decks import (
        yaml_reader as deck_yaml,  # only on a cache miss: PyYAML's import is ~10 ms
    )

    try:
        data = deck_yaml.parse(text)
    except deck_yaml.YamlProblem as err:
        raise DeckError(err.line, err.message) from None
    if parsed is not None:
        parsed.put(raw, data)
    return data


def _deck_header(data: Any) -> tuple[str, str, int | None, list]:
    if data is None:
        raise DeckError(1, "file is empty; a deck needs 'topic' and 'questions'")
    if not isinstance(data, dict):
        raise DeckError(1, "a deck must be a mapping with 'topic' and 'questions'")
    line = data.get("__line__", 1)
    topic = data.get("topic")
    if not isinstance(topic, str) or not TOPIC_PATTERN.match(topic):
        raise DeckError(line, "'topic' must be a lowercase slug such as 'vit'")
    title = data.get("title", "")
    if not isinstance(title, str):
        raise DeckError(line, "'title' must be text")
    order = data.get("order")
    if order is not None and (isinstance(order, bool) or not isinstance(order, int)):
        raise DeckError(line, "'order' must be a whole number (the topic's place in the course)")
    items = data.get("questions")
    if not isinstance(items, list) or not items:
        raise DeckError(line, "'questions' must be a non-empty list")
    return topic, title, order, items


SHORT_TITLE_MAX = 16


def _short_title(data: dict[str, Any]) -> str:
    """`short`: the topic's name where a line lists several topics (the exam plan's days)."""
    short = data.get("short", "")
    if not isinstance(short, str) or len(short) > SHORT_TITLE_MAX:
        raise DeckError(
            data.get("__line__", 1),
            f"'short' must be text of at most {SHORT_TITLE_MAX} characters (say 'ViT')",
        )
    return short.strip()


def _exam_weight(data: dict[str, Any]) -> float | None:
    """`exam_weight`: how much the topic counts in the exam planner (the exercise sheet's
    sections weigh more); a student can still change it in Settings."""
    weight = data.get("exam_weight")
    if weight is None:
        return None
    if isinstance(weight, bool) or not isinstance(weight, int | float) or not 0 <= weight <= 100:
        raise DeckError(data.get("__line__", 1), "'exam_weight' must be a number from 0 to 100")
    return float(weight)


COMMON_FIELDS = frozenset(
    {"id", "kind", "title", "prompt", "explanation", "source", "tags", "__line__"}
)


def parse_question(item: Any, topic: str, path: Path) -> Question:
    """Validate one question mapping and build its `Question` (the kind's handler reads
    the fields that only its kind has)."""
    # Imported here: the handlers build Questions, so they import this module.
    from quizapp.kinds import handler

    if not isinstance(item, dict):
        raise DeckError(0, "each entry of 'questions' must be a mapping")
    line = item.get("__line__", 0)
    qid = item.get("id")
    if not isinstance(qid, str) or not ID_PATTERN.match(qid):
        raise DeckError(line, "'id' must look like 'topic.slug' (lowercase, digits, - and _)")
    if not qid.startswith(topic + "."):
        raise DeckError(line, f"id must start with the deck's topic '{topic}.'", qid)
    raw_kind = item.get("kind")
    if raw_kind not in KINDS:
        raise DeckError(line, f"unknown kind {raw_kind!r}; use one of {', '.join(KINDS)}", qid)
    kind = Kind(raw_kind)
    kind_handler = handler(kind)
    unknown = set(item) - COMMON_FIELDS - kind_handler.fields
    if unknown:
        raise DeckError(
            line, f"unknown field(s) for a {kind} question: {', '.join(sorted(unknown))}", qid
        )
    fields = Fields(item, line, qid)
    tags = item.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise DeckError(line, "'tags' must be a list of words", qid)
    common = dict(
        id=qid,
        kind=kind,
        title=fields.text("title"),
        prompt=fields.text("prompt"),
        explanation=fields.text("explanation"),
        source=fields.text("source"),
        topic=topic,
        path=path,
        line=line,
        tags=tuple(tags),
    )
    return kind_handler.parse(fields, common)
