"""LaTeX-style math inside Markdown, rendered as Unicode a terminal can show.

Decks write math the way the lectures do (`$\\frac{QK^T}{\\sqrt{d_k}}$`); a terminal cannot
typeset it, so the TUI shows `QKᵀ/√(d_k)` instead. Symbol names come from pylatexenc's
tables; the layout rules (fractions, roots, scripts, spacing) are ours and kept small.
Code blocks and inline code are never touched, and nothing here ever raises: on any
surprise the text is returned as it was.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

from quizapp.decks.math_segments import split_math

# -- rendering Markdown ---------------------------------------------------------------------

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~#&])")


@lru_cache(maxsize=2048)
def to_unicode(text: str, *, markdown: bool = True) -> str:
    """Markdown with every `$...$` / `$$...$$` replaced by readable Unicode.

    With `markdown=True` the rendered math is escaped so Markdown shows it literally;
    use `markdown=False` for plain text (for example option labels).
    """
    if not isinstance(text, str) or "$" not in text:
        return text
    try:
        pieces = []
        for seg in split_math(text):
            if seg.kind in ("text", "code"):
                pieces.append(seg.text)
                continue
            rendered = latex_to_unicode(seg.text)
            pieces.append(_MARKDOWN_SPECIAL.sub(r"\\\1", rendered) if markdown else rendered)
        return "".join(pieces)
    except Exception:  # a display helper must never take a screen down
        return text


# -- rendering one formula ------------------------------------------------------------------

_SUPERSCRIPTS = dict(
    zip(
        "0123456789+-=()abcdefghijklmnoprstuvwxyzABDEGHIJKLMNOPRTUVWβγδθιφχ′⊤−",
        "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻᴬᴮᴰᴱᴳᴴᴵᴶᴷᴸᴹᴺᴼᴾᴿᵀᵁⱽᵂᵝᵞᵟᶿᶥᵠᵡ′ᵀ⁻",
        strict=True,
    )
)
_SUBSCRIPTS = dict(zip("0123456789+-=()−", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎₋", strict=True))
_OPERATORS = set(" \u2009+-−±∓·×/÷=<>≤≥≈≠≡∼∝,;:∑∏∫→←↔⇒⇔∈∉⊂⊆∪∩∧∨")
_COMBINING = {
    "hat": "\u0302",
    "widehat": "\u0302",
    "bar": "\u0304",
    "overline": "\u0305",
    "tilde": "\u0303",
    "widetilde": "\u0303",
    "vec": "\u20d7",
    "dot": "\u0307",
    "ddot": "\u0308",
}
_STYLES = {
    "mathbb": "DOUBLE-STRUCK",
    "mathcal": "SCRIPT",
    "mathscr": "SCRIPT",
    "mathfrak": "FRAKTUR",
}
_PLAIN_STYLE = {
    "mathrm",
    "mathit",
    "mathbf",
    "mathsf",
    "mathtt",
    "boldsymbol",
    "bm",
    "operatorname",
}
_TEXT = {"text", "textrm", "textit", "textbf", "texttt", "textnormal", "mbox", "emph"}
_SIZES = {"left", "right", "middle", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl"}
_SIZES |= {"Bigr", "biggl", "biggr", "displaystyle", "textstyle", "scriptstyle", "limits"}
_SPACES = {",": "\u2009", ":": "\u2009", ";": "\u2009", ">": "\u2009", "!": "", " ": " "}
_SPACES |= {"quad": "\u2003", "qquad": "\u2003\u2003", "\\": "; ", "thinspace": "\u2009"}
_OVERRIDES = {
    "|": "‖",
    "cdots": "⋯",
    "vdots": "⋮",
    "ddots": "⋱",
    "implies": "⇒",
    "iff": "⇔",
    "mid": "|",
    "colon": ":",
    "lbrace": "{",
    "rbrace": "}",
    "setminus": "∖",
    "ne": "≠",  # pylatexenc only knows the long form, \neq
    "gets": "←",
}
_MATRIX_DELIMS = {"pmatrix": "()", "bmatrix": "[]", "Bmatrix": "{}", "vmatrix": "||"}

_TOKEN = re.compile(
    r"(?P<placeholder>\{\{\s*[A-Za-z_]\w*\s*\}\})"
    r"|\\(?P<cmd>[A-Za-z]+)\*?"
    r"|\\(?P<sym>.)"
    r"|(?P<mark>[{}^_&])"
    r"|(?P<space>\s+)"
    r"|(?P<char>.)",
    re.S,
)


@cache
def _symbols() -> dict[str, str]:
    """Macro name → Unicode, from pylatexenc's tables (plain strings only)."""
    table: dict[str, str] = {}
    try:
        from pylatexenc.latex2text import get_default_latex_context_db

        for spec in get_default_latex_context_db().iter_macro_specs():
            repl = getattr(spec, "simplify_repl", None)
            if isinstance(repl, str) and "%" not in repl:
                table[spec.macroname] = repl
    except Exception:  # without pylatexenc, unknown macros simply show their name
        pass
    table.update(_OVERRIDES)
    return table


@lru_cache(maxsize=4096)
def latex_to_unicode(latex: str) -> str:
    """One formula (without dollars) as Unicode; the source on any failure."""
    try:
        return _parse(latex)[0]
    except Exception:
        return latex


def unknown_commands(text: str) -> list[str]:
    """LaTeX commands inside the math of `text` that would be shown as their bare name.

    An unknown `\\foo` renders as "foo", which reads as a word and hides the mistake,
    so deck checks ask for this list instead of looking at the output.
    """
    names: set[str] = set()
    for seg in split_math(text) if isinstance(text, str) else ():
        if seg.kind in ("inline", "display"):
            try:
                names |= _parse(seg.text)[1]
            except Exception:
                continue
    return sorted(names)


def _parse(latex: str) -> tuple[str, set[str]]:
    tokens = []
    for m in _TOKEN.finditer(latex):
        name = m.lastgroup
        assert name is not None  # every alternative of _TOKEN is a named group
        tokens.append((name, m.group(name)))
    parser = _Parser(tokens)
    out = parser.sequence(top=True)
    return re.sub(" {2,}", " ", out).strip(), parser.unknown


class _Parser:
    """A tiny recursive-descent reader over the token list; output is plain text."""

    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.unknown: set[str] = set()

    def peek(self) -> tuple[str, str]:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else ("end", "")

    def take(self) -> tuple[str, str]:
        token = self.peek()
        self.pos += 1
        return token

    def skip_space(self) -> None:
        while self.peek()[0] == "space":
            self.pos += 1

    def sequence(self, top: bool = False) -> str:
        """Tokens up to the matching `}` (or the end) rendered in order."""
        out: list[str] = []
        word_before = False
        while True:
            kind, value = self.peek()
            if kind == "end" or (kind == "mark" and value == "}" and not top):
                if kind != "end":
                    self.pos += 1
                return "".join(out).strip()
            self.pos += 1
            piece, is_word = self.token(kind, value)
            if word_before and piece[:1].isalnum():
                out.append(" ")
            out.append(piece)
            word_before = is_word

    def token(self, kind: str, value: str) -> tuple[str, bool]:
        """One token's text, and whether it is a named word such as `log`."""
        if kind == "space":
            return " ", False
        if kind in ("char", "placeholder"):
            return value, False
        if kind == "sym":
            return _SPACES.get(value, _OVERRIDES.get(value, value)), False
        if kind == "mark":
            if value == "{":
                return self.sequence(), False
            if value == "^":
                return _script(self.argument(), _SUPERSCRIPTS, "^"), False
            if value == "_":
                return _script(self.argument(), _SUBSCRIPTS, "_"), False
            if value == "&":
                return "\u2003", False
            return "", False  # a stray closing brace
        return self.command(value)

    def argument(self) -> str:
        """The next argument: a `{group}`, a command, or a single character."""
        self.skip_space()
        kind, value = self.take()
        if kind == "end":
            return ""
        if kind == "mark" and value == "{":
            return self.sequence()
        piece, _ = self.token(kind, value)
        return piece

    def raw_text(self) -> str:
        """A `\\text{...}` argument: words kept with their spaces."""
        self.skip_space()
        if self.peek() != ("mark", "{"):
            return self.argument()
        self.pos += 1
        depth, out = 1, []
        while True:
            kind, value = self.take()
            if kind == "end":
                break
            if kind == "mark" and value in "{}":
                depth += 1 if value == "{" else -1
                if depth == 0:
                    break
                continue
            if kind == "cmd":
                out.append(self.command(value)[0])
            elif kind == "sym":
                out.append(_SPACES.get(value, value))
            else:
                out.append(" " if kind == "space" else value)
        return "".join(out)

    def optional(self) -> str:
        """An optional `[...]` argument (as in `\\sqrt[3]{x}`), or ""."""
        self.skip_space()
        if self.peek() != ("char", "["):
            return ""
        self.pos += 1
        out = []
        while self.peek()[0] != "end" and self.peek() != ("char", "]"):
            kind, value = self.take()
            out.append(self.token(kind, value)[0])
        self.pos += 1
        return "".join(out).strip()

    def command(self, name: str) -> tuple[str, bool]:
        if name in ("frac", "dfrac", "tfrac", "cfrac"):
            top, bottom = self.argument(), self.argument()
            return f"{_wrap(top)}/{_wrap(bottom)}", False
        if name == "sqrt":
            index = self.optional()
            body = self.argument()
            root = {"": "√", "2": "√", "3": "∛", "4": "∜"}.get(index)
            if root is None:
                root = _script(index, _SUPERSCRIPTS, "") + "√"
            bare = len(body) == 1 or body.isdigit()
            return root + (body if bare else f"({body})"), False
        if name in _TEXT:
            return self.raw_text(), False
        if name in _PLAIN_STYLE:
            return self.argument(), name == "operatorname"
        if name in _STYLES:
            return "".join(_styled(c, _STYLES[name]) for c in self.argument()), False
        if name in _COMBINING:
            body = self.argument()
            return "".join(c + _COMBINING[name] for c in body), False
        if name in _SIZES:
            self.skip_space()
            if self.peek() == ("char", "."):
                self.pos += 1
            return "", False
        if name in ("begin", "end"):
            env = self.raw_text()
            delims = _MATRIX_DELIMS.get(env, "")
            return (delims[0] if name == "begin" else delims[1]) if delims else "", False
        if name in _SPACES:
            return _SPACES[name], False
        symbol = _symbols().get(name)
        if symbol is not None:
            return symbol, symbol.isalpha() and len(symbol) > 1
        self.unknown.add(name)
        return name, True


def _script(content: str, table: dict[str, str], marker: str) -> str:
    """A superscript or subscript: Unicode when every character has one, else ^x / ^(…).

    Subscript words stay bare (`d_model`); anything longer gets parentheses so that
    `∑_(m=1)^(d_k)` cannot be misread.
    """
    content = content.strip()
    if not content:
        return ""
    if all(c in table for c in content):
        return "".join(table[c] for c in content)
    word = len(content) == 1 or (marker == "_" and content.isalnum())
    if word or content[0] + content[-1] in ("()", "[]", "{}"):
        return marker + content
    return f"{marker}({content})"


def _is_simple(text: str) -> bool:
    """True for one 'word' (`x`, `d_k`, `QKᵀ`, `√(d)`): no operator outside brackets."""
    depth = 0
    for c in text:
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif depth == 0 and c in _OPERATORS:
            return False
    return bool(text)


def _wrap(text: str) -> str:
    """Parenthesise a fraction's part when it is more than one word."""
    text = text.strip()
    return text if _is_simple(text) else f"({text})"


def _styled(char: str, style: str) -> str:
    """`\\mathbb{R}` → ℝ and friends, via Unicode names; the plain letter if none exists."""
    if char.isdigit():
        names = [f"MATHEMATICAL {style} DIGIT {unicodedata.name(char).split()[-1]}"]
    elif char.isalpha() and char.isascii():
        case = "CAPITAL" if char.isupper() else "SMALL"
        short = style.replace("FRAKTUR", "BLACK-LETTER")
        names = [
            f"MATHEMATICAL {style} {case} {char.upper()}",
            f"{short} {case} {char.upper()}",
        ]
    else:
        return char
    for name in names:
        try:
            return unicodedata.lookup(name)
        except KeyError:
            continue
    return char
