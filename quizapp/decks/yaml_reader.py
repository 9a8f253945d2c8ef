"""Safe YAML reading for decks: line numbers on every mapping, no alias bombs.

Kept apart from `quizapp.decks.content` so that a start whose decks all come from the parsed-deck
cache never imports PyYAML.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

MAX_YAML_NODES = 200_000


class YamlProblem(Exception):
    """The text is not YAML a deck can be read from; `line` is 1-based (0 = unknown)."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


# libyaml's parser when available (about 10x faster); the constructor stays PyYAML's safe one.
try:
    from yaml import CSafeLoader as _SafeBase
except ImportError:  # PyYAML built without libyaml
    from yaml import SafeLoader as _SafeBase  # type: ignore[assignment]


class _LineLoader(_SafeBase):
    """A safe loader that remembers the line of every mapping (for error messages).

    Aliases are kept as shared references by PyYAML, but everything after loading walks
    them as copies, so a document whose aliases expand past MAX_YAML_NODES is refused
    before construction (the "billion laughs" attack)."""

    may_have_aliases = True

    def construct_document(self, node: yaml.Node) -> Any:
        if self.may_have_aliases:
            _check_expanded_size(node)
        return super().construct_document(node)

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, TypeError, OverflowError) as err:  # e.g. a date like 2001-02-30
            raise yaml.constructor.ConstructorError(
                None, None, f"cannot read this value ({err})", node.start_mark
            ) from None


class _AliasFreeLoader(_LineLoader):
    """For texts with no anchor at all: without an `&anchor` no `*alias` can exist (an alias
    to an undefined anchor is a composer error), so the expansion count cannot grow."""

    may_have_aliases = False


# An anchor is `&name` (letters, digits, `-`, `_`, as the YAML scanner accepts) after a space,
# a flow indicator, `:` or the line start. Markdown *emphasis* looks like an alias, so aliases
# are found through their anchors; a false hit (say `&amp;` in prose) only costs the check.
_ANCHOR_TOKEN = re.compile(r"(?<![^\s\[{,:])&[\w-]")


def _node_children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _check_expanded_size(root: yaml.Node) -> None:
    """Count the values the document holds once aliases are expanded, without expanding."""
    sizes: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if children_done:
            on_path.discard(key)
            total = 1 + sum(sizes.get(id(child), 1) for child in _node_children(node))
            if total > MAX_YAML_NODES:
                raise yaml.MarkedYAMLError(
                    problem=f"aliases here expand to more than {MAX_YAML_NODES:,} values; "
                    "write the values out instead of repeating aliases",
                    problem_mark=node.start_mark,
                )
            sizes[key] = total
            continue
        if key in sizes or key in on_path:
            continue  # shared (counted once, reused) or recursive (refused by the constructor)
        on_path.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in _node_children(node))


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict:
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def parse(text: str) -> Any:
    """The document in `text` as plain data (dicts carry `__line__`), or `YamlProblem`."""
    try:
        anchored = "&" in text and _ANCHOR_TOKEN.search(text)  # the `in` test is much faster
        loader = _LineLoader if anchored else _AliasFreeLoader
        return yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader subclass
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark else 0
        raise YamlProblem(line, f"invalid YAML: {err.problem or err.context}") from None
    except yaml.YAMLError as err:
        raise YamlProblem(0, f"invalid YAML: {err}") from None
    except RecursionError:
        raise YamlProblem(0, "invalid YAML: nested too deeply; flatten the structure") from None
