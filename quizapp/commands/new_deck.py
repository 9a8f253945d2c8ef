"""`quizapp new-deck NAME`: a commented deck file to start from, which loads as it is."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from quizapp.commands import Context
from quizapp.errors import UsageError
from quizapp.locations import expand_path

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from quizapp.commands import Subparsers

TEMPLATE = """\
# A quizapp deck. Study it with:   quizapp --content {directory}
# Check it after editing with:    quizapp --content {directory} check
# Every field is described in docs/authoring.md.

topic: {topic}                 # lowercase slug; every id below starts with "{topic}."
title: {title}                 # shown on the Home screen
questions:

  # flashcard: the student recalls the back, reveals it, and rates themselves 1-4.
  - id: {topic}.first-card
    kind: flashcard
    title: Scaled dot-product attention
    prompt: |
      What does attention divide the scores $QK^T$ by, and why?
    back: |
      By $\\sqrt{{d_k}}$, so that the softmax input does not grow with the key dimension.
    explanation: |
      Dot products of random $d_k$-dimensional vectors have variance $d_k$; dividing by
      $\\sqrt{{d_k}}$ keeps it near 1, so the softmax does not saturate.
    source: "My lecture notes, week 3"
    tags: [attention]

  # choice: options with `correct: true`; several correct ones make it "select all".
  - id: {topic}.encoder-only
    kind: choice
    title: Which Transformer is BERT?
    prompt: Which kind of Transformer is BERT?
    options:
      - text: encoder-only
        correct: true
      - text: decoder-only
        why: That is GPT.                    # optional: shown after answering
      - text: encoder-decoder
    explanation: BERT stacks encoder blocks and predicts masked tokens.
    source: "My lecture notes, week 4"

  # open: the student writes an answer, then ticks the rubric points they covered.
  - id: {topic}.why-positions
    kind: open
    title: Why positional encodings?
    prompt: Why does a Transformer need positional encodings?
    model_answer: |
      Self-attention treats its input as a set: permuting the tokens permutes the output
      the same way. Position information must be added to the inputs.
    rubric:
      - Attention is permutation-equivariant
      - Order must be injected through the input
    explanation: Without positions, "dog bites man" and "man bites dog" look the same.
    source: "My lecture notes, week 3"

  # numeric: the answer is always computed by a function in solvers/ (never typed in).
  # Remove the leading '# ' to try it; the solver must exist in solvers/<module>.py.
  # - id: {topic}.patches
  #   kind: numeric
  #   title: Patches in an image
  #   prompt: How many {{{{patch_size}}}}×{{{{patch_size}}}} patches does a {{{{image_size}}}}² image give?
  #   solver: vit:patch_count              # module:function inside solvers/
  #   params: {{image_size: 224, patch_size: 16}}
  #   vary:                                # optional: new values on every review
  #     patch_size: [8, 16, 32]
  #   explanation: $(224/16)^2 = 196$ for the default values.
  #   source: "ViT paper, section 3.1"

  # code: the student writes a function; it runs in a sandbox on the cases a solver
  # generates and is compared with a reference solver.
  # - id: {topic}.softmax
  #   kind: code
  #   title: Numerically stable softmax
  #   prompt: Implement a softmax over the last dimension that does not overflow.
  #   function: softmax
  #   stub: |
  #     import torch
  #
  #     def softmax(x):
  #         ...
  #   reference: mymodule:softmax          # the right answer, in solvers/mymodule.py
  #   cases: mymodule:cases                # function(rng) -> list of keyword-argument dicts
  #   explanation: Subtract the row maximum before exponentiating.
  #   source: "Exercise sheet 2"
"""


def register(subparsers: Subparsers, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "new-deck",
        parents=[common],
        help="write a commented deck template to start your own questions",
    )
    parser.add_argument(
        "name", help="deck name, e.g. 'my-notes': the file is my-notes.yaml, the topic my-notes"
    )
    parser.add_argument("--dir", default=".", help="where to write it (default: here)")
    parser.add_argument("--force", action="store_true", help="overwrite an existing file")
    parser.set_defaults(func=run)


def slugify(name: str) -> str:
    """A topic slug from any name: 'My Notes (week 3)' → 'my-notes-week-3'."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return slug or "my-deck"


def template(topic: str, title: str, directory: str = ".") -> str:
    return TEMPLATE.format(topic=topic, title=title, directory=directory)


def run(context: Context, args: argparse.Namespace) -> int:
    name = Path(args.name).name.removesuffix(".yaml")
    topic = slugify(name)
    directory = expand_path(args.dir)
    if not directory.is_dir():
        raise UsageError(f"{args.dir}: no such directory")
    path = directory / f"{topic}.yaml"
    if path.exists() and not args.force:
        raise UsageError(f"{path} already exists; use --force to overwrite it")
    title = name.replace("-", " ").replace("_", " ").strip().title() or "My Deck"
    path.write_text(template(topic, _yaml_text(title), str(directory)), encoding="utf-8")
    print(f"Wrote {path} (topic '{topic}'). Try it: quizapp --content {directory} check")
    return 0


def _yaml_text(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
