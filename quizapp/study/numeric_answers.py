"""Numeric answers: read what the student typed (with units, via pint) and judge it.

An answer that cannot be read is never counted as wrong: the student gets a message and
tries again. A bare number is taken in the unit the question asks in.
"""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    import pint

CORRECT = "correct"
INCORRECT = "incorrect"
UNREADABLE = "unreadable"
_ALLOWED = re.compile(r"^[0-9A-Za-z .,+\-*/^()%µ]*$")
MAX_ANSWER_CHARS = 60
# Students type "gb" or "bytes"; read those as the byte units they mean.
_BYTE_UNITS = {"kb": "kB", "mb": "MB", "gb": "GB", "tb": "TB", "pb": "PB", "kib": "KiB"}
_BYTE_UNITS |= {"mib": "MiB", "gib": "GiB", "tib": "TiB", "bytes": "B", "byte": "B"}
_LOWERCASE_BYTES = re.compile(r"\b(kb|mb|gb|tb|pb|kib|mib|gib|tib|bytes|byte)\b")


_registry_lock = threading.RLock()


def registry() -> pint.UnitRegistry:
    """One shared pint registry (building it costs ~0.2 s, so only when first needed; the
    app builds it in the background at start). Locked: two registries built at once would
    give quantities that cannot be compared with each other."""
    with _registry_lock:
        return _build_registry()


def warm_up() -> None:
    """Build the registry and read one answer, for a thread to do ahead of the first
    question. All of it under the registry's lock: pint is not thread-safe, and a first
    answer arriving meanwhile then waits in `registry()` instead of being read alongside."""
    with _registry_lock:
        read_answer("8.8 TB", "GB")


@cache
def _build_registry() -> pint.UnitRegistry:
    import pint

    ureg: pint.UnitRegistry = pint.UnitRegistry()
    # Differences of percentages ("by how many percentage points"): written pp or %.
    ureg.define("percentage_point = percent = pp")
    return ureg


def parse_unit(name: str) -> pint.Unit:
    """Pint units for `name`; ValueError with a readable message if pint does not know it."""
    import pint

    try:
        return registry().parse_units(name)
    except (pint.errors.UndefinedUnitError, AttributeError, TypeError, ValueError) as err:
        raise ValueError(f"unknown unit {name!r}") from err


@dataclass(frozen=True)
class NumericResult:
    status: str  # CORRECT | INCORRECT | UNREADABLE
    message: str
    value: float | None = None  # the student's value in the question's unit
    diagnosis: str = ""  # the hint of the known mistake the wrong value matches, if any
    misconceptions: tuple[str, ...] = ()  # catalogue ids of the slips the diagnosis names

    @property
    def correct(self) -> bool:
        return self.status == CORRECT


def format_value(value: float, unit: str = "", decimals: int | None = None) -> str:
    """A value as a student would write it: whole numbers in full (44140000, as an exact
    count must be typed), others to 4 significant digits (or the `decimals` the question
    asks for), unit attached."""
    if decimals is not None:
        return f"{value:.{decimals}f} {unit}".strip()
    if float(value).is_integer() and abs(value) < 1e15:
        return f"{int(value)} {unit}".strip()
    if value != 0 and (abs(value) >= 1e6 or abs(value) < 1e-3):
        text = f"{value:.4g}"
    else:
        text = f"{value:.6g}" if float(value).is_integer() else f"{value:.4g}"
    return f"{text} {unit}".strip()


def read_answer(text: str, unit: str = "") -> float:
    """The number the student means, in `unit`. Raises ValueError with a helpful message."""
    import pint

    cleaned = _SPACES.sub(" ", (text or "").strip())
    if not unit:
        cleaned = _strip_factor_mark(cleaned)
    cleaned = cleaned.replace("×", "*").replace("·", "*").replace("^", "**")
    if not cleaned:
        raise ValueError("type a number" + (f" (in {unit})" if unit else ""))
    if len(cleaned) > MAX_ANSWER_CHARS or not _ALLOWED.match(cleaned):
        raise ValueError("use digits, a decimal point and optionally a unit, e.g. 8.8 TB")
    cleaned = _drop_thousands_separators(cleaned)
    if not re.search(r"\d", cleaned):
        raise ValueError("the answer needs a number, e.g. 42 or 8.8 TB")
    if "**" in cleaned and re.search(r"\*\*\s*\(?\s*\d{4,}", cleaned):
        raise ValueError("that power is too large to be a sensible answer")
    cleaned = _LOWERCASE_BYTES.sub(lambda m: _BYTE_UNITS[m.group(0).lower()], cleaned)
    cleaned = _PERCENTAGE_POINTS.sub("percentage_point", cleaned)
    ureg = registry()
    try:
        quantity: pint.Quantity = ureg.Quantity(cleaned)
    except (pint.errors.PintError, ZeroDivisionError, OverflowError, SyntaxError) as err:
        raise ValueError(_why_unreadable(err)) from None
    except Exception:  # pint's expression parser raises assorted errors on odd input
        raise ValueError("use a number and optionally a unit, e.g. 8.8 TB") from None
    if not isinstance(quantity, ureg.Quantity):
        quantity = ureg.Quantity(quantity)
    value = _in_unit(quantity, unit)
    if not math.isfinite(value):
        raise ValueError("that number is not finite; type a finite value")
    return value


_PERCENTAGE_POINTS = re.compile(r"\bpercentage[ -]points?\b", re.IGNORECASE)
# Spaces people type inside numbers (no-break, thin, narrow no-break) read as plain spaces.
_SPACES = re.compile("[\u00a0\u2009\u202f]")
# A lone number written as a factor: 16x, 16 ×, x16, ×16, 16 times.
_FACTOR = re.compile(
    r"^(?:[x×]\s*(?P<after>[0-9][0-9., ]*)|(?P<before>[0-9.][0-9., ]*?)\s*(?:[x×]|times))$"
)
_GROUPED = re.compile(
    r"(?<![\d.,])\d{1,3}(?:(?P<sep>[, ])\d{3})(?:(?P=sep)\d{3})*(?:\.\d+)?(?![\d,])"
)


def _strip_factor_mark(text: str) -> str:
    """ "16x" or "x16" for a question without a unit is the factor 16."""
    match = _FACTOR.match(text)
    if not match:
        return text
    return (match.group("after") or match.group("before")).strip()


def _read_decimal_comma(match: re.Match) -> str:
    """One number with a single comma: a decimal comma when it follows a leading 0
    ("0,134") or is followed by other than exactly three digits ("3,5", "12,3456"), as
    these students write decimals. "3,500" could be 3500 or 3.5: refused, never guessed."""
    whole, fraction = match.group("whole"), match.group("fraction")
    if whole == "0" or len(fraction) != 3:
        return f"{whole}.{fraction}"
    if len(whole) > 3:
        return match.group(0)  # not a thousands group either: refused below
    grouped = whole + fraction
    decimal = f"{whole}.{fraction}".rstrip("0").rstrip(".")
    raise ValueError(
        f"{match.group(0)} could be {grouped} or {decimal}; type {grouped} (no separator) "
        f"or {decimal} (a decimal dot)"
    )


_SINGLE_COMMA = re.compile(r"(?<![\d.,])(?P<whole>\d+),(?P<fraction>\d+)(?![\d.,])")


def _drop_thousands_separators(text: str) -> str:
    """Read decimal commas and remove digit-group separators where they cannot be anything
    else; refuse the rest.

    "3,001,000" (two commas), "1,234.5" (a comma before the decimal dot) and "3 001 000"
    (groups of three split by spaces) are thousands. "0,134" and "3,5" are decimal commas
    (see `_read_decimal_comma`); "3,500" is refused with a message saying how to write it.
    """

    def one(match: re.Match) -> str:
        return match.group(0).replace(match.group("sep"), "")

    text = _SINGLE_COMMA.sub(_read_decimal_comma, text)
    text = _GROUPED.sub(one, text)
    if re.search(r"\d,\d", text):
        raise ValueError(
            "the separators are unclear; write decimals with a dot or a single comma (3.5, "
            "3,5) and group thousands in threes (3,001,000)"
        )
    if re.search(r"\d\s+[.\d]", text):
        raise ValueError(
            "there is a space inside the number; group thousands in threes (3 001 000) "
            "or leave the space out"
        )
    return text


def _in_unit(quantity: pint.Quantity, unit: str) -> float:
    ureg = registry()
    if not unit:
        if not quantity.unitless:
            raise ValueError(
                f"this question has no unit; type a plain number, not {quantity.units:~}"
            )
        return float(quantity.to("dimensionless").magnitude)
    target = ureg.Quantity(1, parse_unit(unit))
    if quantity.unitless:
        if str(quantity.units) == "dimensionless":  # a bare number: read in the unit asked
            return float(quantity.magnitude)
        if not target.unitless:
            raise ValueError(f"type a number in {unit}, e.g. 42 {unit}")
        # "41.2%" for a question in percentage points (or in %) is 41.2 of them
        return float(quantity.to(target.units).magnitude)
    if quantity.to_base_units().units != target.to_base_units().units:
        raise ValueError(f"{quantity.units:~} cannot be converted to {unit}; answer in {unit}")
    return float(quantity.to(target.units).magnitude)


def _why_unreadable(err: Exception) -> str:
    import pint

    if isinstance(err, ZeroDivisionError):
        return "that divides by zero; type the value itself"
    if isinstance(err, pint.errors.UndefinedUnitError):
        names = ", ".join(getattr(err, "unit_names", ()) or ())
        return f"unknown unit '{names}'; use e.g. GB, GiB, MB"

    return "use a number and optionally a unit, e.g. 8.8 TB"


def grade_numeric(
    text: str,
    expected: float,
    unit: str = "",
    rel_tol: float = 0.01,
    abs_tol: float = 0.0,
    mistakes: Sequence[tuple[float, str]] = (),
    decimals: int | None = None,
) -> NumericResult:
    """Judge `text` against `expected` (in `unit`), with relative and absolute tolerance.

    `mistakes` are (value in `unit`, hint) pairs: a wrong answer that matches one of them
    gets its hint (see `diagnose`). `decimals` is how the expected value is shown."""
    try:
        value = read_answer(text, unit)
    except ValueError as err:
        return NumericResult(UNREADABLE, f"Could not read that answer: {err}.")
    if within_tolerance(value, expected, rel_tol, abs_tol):
        return NumericResult(CORRECT, f"Correct: {format_value(expected, unit, decimals)}.", value)
    diagnosis, links = diagnose_slips(value, expected, mistakes, rel_tol, abs_tol)
    if diagnosis:
        expected_text = format_value(expected, unit, decimals)
        message = f"Not quite: expected {expected_text}. {diagnosis}"
        return NumericResult(INCORRECT, message, value, diagnosis, links)
    hint = _unit_slip_hint(value, expected, unit)
    if hint and _is_bare_number(text):
        return NumericResult(
            UNREADABLE,
            f"Which unit is that in? A bare number is read in {unit}.{hint} "
            f"Type it with its unit (B, MB, GB, TB, GiB, …) or convert it to {unit}.",
        )
    return NumericResult(
        INCORRECT, f"Not quite: expected {format_value(expected, unit, decimals)}.{hint}", value
    )


def diagnose(
    value: float,
    expected: float,
    mistakes: Sequence[tuple],
    rel_tol: float,
    abs_tol: float,
) -> str:
    """The hints of the known mistakes that `value` matches (see `diagnose_slips`)."""
    return diagnose_slips(value, expected, mistakes, rel_tol, abs_tol)[0]


def diagnose_slips(
    value: float,
    expected: float,
    mistakes: Sequence[tuple],
    rel_tol: float,
    abs_tol: float,
) -> tuple[str, tuple[str, ...]]:
    """(hints, misconception ids) of the mistakes `value` matches, within tolerance.

    `mistakes` are (value, hint) pairs or `quizapp.misconceptions.slips.Candidate`s, which
    add the catalogue ids and how many slips made the value. A mistake whose value cannot
    be told apart from the right answer for this variant (either lies within tolerance of
    the other) is never shown: for these numbers it is not a mistake. Several matching
    mistakes (equal for this variant) are all named; a single slip that explains the value
    is preferred to a combination of two."""
    matched: list[tuple[int, str, tuple[str, ...]]] = []
    for entry in mistakes:
        mistake, hint = entry[0], entry[1]
        links = tuple(entry[2]) if len(entry) > 2 else ()
        size = entry[3] if len(entry) > 3 else 1
        if not math.isfinite(mistake) or any(hint == h for _, h, _ in matched):
            continue
        if indistinguishable(mistake, expected, rel_tol, abs_tol):
            continue
        if within_tolerance(value, mistake, rel_tol, abs_tol):
            matched.append((size, hint, links))
    if not matched:
        return "", ()
    fewest = min(size for size, _, _ in matched)
    chosen = [(hint, links) for size, hint, links in matched if size == fewest]
    ids = tuple(dict.fromkeys(link for _, links in chosen for link in links))
    return " Or: ".join(hint for hint, _ in chosen), ids


def indistinguishable(a: float, b: float, rel_tol: float, abs_tol: float) -> bool:
    """Either value would be accepted as the other: a mistake like that is no mistake."""
    return within_tolerance(a, b, rel_tol, abs_tol) or within_tolerance(b, a, rel_tol, abs_tol)


def within_tolerance(value: float, expected: float, rel_tol: float, abs_tol: float) -> bool:
    """|value − expected| ≤ max(rel·|expected|, abs), relative to the *expected* value.

    A hair of slack (1e-9 relative) keeps typed edge values such as 0.455 for 0.45 ± 0.005
    on the right side of binary floating point.
    """
    allowed = max(rel_tol * abs(expected), abs_tol)
    return abs(value - expected) <= allowed * (1 + 1e-9) + 1e-12 * abs(expected)


def _is_bare_number(text: str) -> bool:
    return re.fullmatch(r"\s*[-+]?[0-9.]+(e[-+]?\d+)?\s*", text or "", re.IGNORECASE) is not None


def _unit_slip_hint(value: float, expected: float, unit: str) -> str:
    """Point out answers that are right up to a power of 1000 or 1024 (a unit slip)."""
    if not unit or value == 0 or expected == 0:
        return ""
    ratio = value / expected
    for base, name in ((1000, "a power of 1000"), (1024, "a power of 1024")):
        for k in range(1, 5):
            for factor in (base**k, base**-k):
                if math.isclose(ratio, factor, rel_tol=0.02):
                    return f" Your value is off by {name}: check the unit (asked in {unit})."
    if math.isclose(ratio, 1e9 / 2**30, rel_tol=0.02) or math.isclose(
        ratio, 2**30 / 1e9, rel_tol=0.02
    ):
        return f" Your value looks like GB vs GiB: {unit} is asked."
    return ""
