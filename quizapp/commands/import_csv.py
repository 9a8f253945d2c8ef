"""`quizapp import-csv FILE`: a two-column CSV (front, back) as a flashcard deck.

Students often have cards in a spreadsheet or an exported Anki/Quizlet list. Ids come
from the front text, so importing an edited CSV again keeps the progress of cards whose
front did not change.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from quizapp.commands import Context
from quizapp.decks.content import MAX_DECK_BYTES, TOPIC_PATTERN, Library, load_file
from quizapp.errors import UsageError
from quizapp.locations import expand_path

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from quizapp.commands import Subparsers

HEADER_WORDS = {
    ("front", "back"),
    ("question", "answer"),
    ("prompt", "answer"),
    ("term", "definition"),
    ("q", "a"),
}
MAX_ID_SLUG = 48


@dataclass(frozen=True)
class Card:
    line: int
    front: str
    back: str


@dataclass(frozen=True)
class BadRow:
    line: int
    message: str


def register(subparsers: Subparsers, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "import-csv",
        parents=[common],
        help="turn a two-column CSV (front, back) into a flashcard deck",
    )
    parser.add_argument("file", help="UTF-8 CSV with two columns: front, back")
    parser.add_argument("--topic", help="topic slug (default: from the file name)")
    parser.add_argument("--title", help="topic title shown on Home (default: from the topic)")
    parser.add_argument("--out", help="deck file to write (default: <topic>.yaml in --dir)")
    parser.add_argument("--dir", default=".", help="where to write the deck (default: here)")
    header = parser.add_mutually_exclusive_group()
    header.add_argument("--header", dest="header", action="store_true", default=None)
    header.add_argument("--no-header", dest="header", action="store_false")
    parser.add_argument("--force", action="store_true", help="overwrite an existing deck file")
    parser.set_defaults(func=run)


def slugify(text: str, limit: int = MAX_ID_SLUG) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:limit].rstrip("-")


def read_cards(text: str, header: bool | None = None) -> tuple[list[Card], list[BadRow]]:
    """Cards and bad rows, each with the line it starts on. `header=None` detects one."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=guess_delimiter(text))
    cards: list[Card] = []
    bad: list[BadRow] = []
    start = 1
    first = True
    try:
        for row in reader:
            line, start = start, reader.line_num + 1
            cells = [c.strip() for c in row]
            while cells and not cells[-1]:
                cells.pop()
            if not cells:
                continue
            if first:
                first = False
                words = tuple(c.lower() for c in cells)
                if header or (header is None and words in HEADER_WORDS):
                    continue
            if len(cells) != 2:
                bad.append(BadRow(line, f"expected 2 columns (front, back), found {len(cells)}"))
            elif not cells[0] or not cells[1]:
                side = "front" if not cells[0] else "back"
                bad.append(BadRow(line, f"the {side} is empty"))
            else:
                cards.append(Card(line, cells[0], cells[1]))
    except csv.Error as err:
        bad.append(BadRow(start, f"unreadable CSV: {err}"))
    return cards, bad


def guess_delimiter(text: str) -> str:
    """Comma, unless the first line clearly uses semicolons or tabs (spreadsheet exports)."""
    first = re.sub(r'"(?:[^"]|"")*"', "", text.split("\n", 1)[0])  # ignore quoted text
    counts = {d: first.count(d) for d in ",;\t"}
    best = max(counts, key=counts.__getitem__)
    return best if counts[best] and counts[","] == 0 else ","


def deck_yaml(cards: list[Card], topic: str, title: str, source: str, taken: set[str]) -> str:
    """The deck as YAML text; ids avoid every id in `taken`."""
    questions = []
    used = set(taken)
    for card in cards:
        base = slugify(card.front) or "card-" + hashlib.sha1(card.front.encode()).hexdigest()[:8]
        qid, n = f"{topic}.{base}", 2
        while qid in used:
            qid, n = f"{topic}.{base}-{n}", n + 1
        used.add(qid)
        first_line = card.front.splitlines()[0]
        questions.append(
            {
                "id": qid,
                "kind": "flashcard",
                "title": first_line if len(first_line) <= 70 else first_line[:69] + "…",
                "prompt": card.front,
                "back": card.back,
                "explanation": "",
                "source": f"{source}, line {card.line}",
            }
        )
    head = (
        f"# Imported from {source} by `quizapp import-csv`.\n"
        "# Add an explanation to a card to say *why* its answer is right.\n"
    )
    body = yaml.dump(
        {"topic": topic, "title": title, "questions": questions},
        Dumper=_BlockDumper,
        allow_unicode=True,
        sort_keys=False,
        width=100,
    )
    return head + body


class _BlockDumper(yaml.SafeDumper):
    """Multi-line text as `|` blocks, the way decks are written by hand."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_BlockDumper.add_representer(str, _represent_str)


def run(context: Context, args: argparse.Namespace) -> int:
    path = expand_path(args.file)
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise UsageError(f"{args.file}: cannot read: {err.strerror}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise UsageError(f"{args.file}:{line}: not UTF-8 text; save the CSV as UTF-8") from None
    topic = args.topic or slugify(path.stem, 40) or "my-cards"
    if not TOPIC_PATTERN.match(topic):
        raise UsageError(f"--topic {topic!r}: use a lowercase slug such as 'my-cards'")
    out = expand_path(args.out) if args.out else expand_path(args.dir) / f"{topic}.yaml"
    if not out.parent.is_dir():
        raise UsageError(f"{out.parent}: no such directory")
    if out.exists() and not args.force:
        raise UsageError(f"{out} already exists; use --force to overwrite it")

    cards, bad = read_cards(text, args.header)
    for row in bad:
        print(f"{path}:{row.line}: {row.message}")
    if not cards:
        raise UsageError(f"{args.file}: no usable rows; each row needs a front and a back")
    resolved = out.resolve()
    taken = {
        qid for qid, q in context.library.questions.items() if Path(q.path).resolve() != resolved
    }
    title = args.title or topic.replace("-", " ").title()
    deck = deck_yaml(cards, topic, title, path.name, taken)
    if len(deck.encode()) > MAX_DECK_BYTES:
        raise UsageError(f"{args.file}: too many cards for one deck (2 MB); split the CSV")
    _check_loads(deck, out.name)
    out.write_text(deck, encoding="utf-8")
    print(f"Wrote {len(cards)} flashcards to {out} (topic '{topic}').")
    if bad:
        print(f"Skipped {len(bad)} row(s) listed above; fix them and import again with --force.")
        return 1
    return 0


def _check_loads(deck: str, name: str) -> None:
    """Refuse to write a deck that quizapp itself would not load."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_text(deck, encoding="utf-8")
        library = Library()
        load_file(path, library, {})
        if library.problems:
            raise UsageError(f"the generated deck does not load: {library.problems[0].message}")
