"""What a student reads after a check: one Markdown verdict per outcome.

Pure functions over the cases, the child's report and the comparison's findings, so every
message can be tested without running anything. Everything the child sent (printed
output, exception texts, names) is hostile Markdown: it goes into code that nothing inside
can close (`quizapp.textsafe`), so it can never pose as the app's own words.
"""

from __future__ import annotations

from quizapp.grading.compare import brief
from quizapp.grading.verdict import CodeVerdict, Status
from quizapp.textsafe import code_block, inline_code

SHOWN_OUTPUT = 2000
SHOWN_MESSAGE = 2000


def verdict(status: Status, feedback: str, passed: int, total: int) -> CodeVerdict:
    return CodeVerdict(status, feedback, passed, total)


def describe_case(kwargs: dict) -> str:
    return ", ".join(f"`{k}`: {brief(v)}" for k, v in kwargs.items())


def printed(report: dict | None) -> str:
    """What the submission printed, shortened, as a Markdown block ('' if nothing)."""
    output = (report or {}).get("output", "")
    if not output or not isinstance(output, str):
        return ""
    shown = output[:SHOWN_OUTPUT] + (
        "\n[... output shortened]" if len(output) > SHOWN_OUTPUT else ""
    )
    return f"\n\nYour code printed:\n\n{code_block(shown)}"


def timeout(timeout_s: float, total: int) -> CodeVerdict:
    return verdict(
        Status.TIMEOUT,
        f"**Time limit exceeded ({timeout_s:g} s).** Look for an endless loop or far too much work.",
        0,
        total,
    )


def memory(memory_mb: int, detail: str, total: int) -> CodeVerdict:
    return verdict(
        Status.MEMORY, f"**Memory limit exceeded ({memory_mb} MB)**: {detail}.", 0, total
    )


def crashed(detail: str, total: int) -> CodeVerdict:
    return verdict(
        Status.CRASHED,
        f"**Your code crashed**: {detail}. Do not exit the process or call native code.",
        0,
        total,
    )


def invalid(total: int) -> CodeVerdict:
    """The child sent bytes that are not a report it could have written by running the
    function: only a submission that writes to the grader's pipe itself gets here."""
    return verdict(
        Status.INVALID,
        "**Invalid result**: the checker received something that is not a report of your "
        "function's outputs. Do not write to the checker's files or pipes.",
        0,
        total,
    )


def _text(error: dict, key: str, limit: int = 200) -> str:
    value = error.get(key)
    return value[:limit] if isinstance(value, str) else ""


def error(error: dict, cases: list[dict], function: str) -> tuple[Status, str]:
    """(status, text) for an exception, syntax error or missing function in the report."""
    kind = error.get("kind")
    line, text = error.get("line"), _text(error, "text")
    line = line if isinstance(line, int) and not isinstance(line, bool) and line > 0 else 0
    where = f" at line {line}" + (f": {inline_code(text)}" if text else "") if line else ""
    kind_name = _text(error, "type", 80)
    message = _text(error, "message", SHOWN_MESSAGE)
    if kind == "syntax":
        shown = f"{kind_name or 'SyntaxError'}: {message}"
        return Status.ERROR, f"**Your code does not compile**{where}:\n\n{code_block(shown)}"
    if kind == "missing":
        found = message
        extra = f" (found: {inline_code(found)})" if found else ""
        return (
            Status.ERROR,
            f"**Your code does not define `{function}`**{extra}. Keep the function name from the template.",
        )
    case = error.get("case", -1)
    during = (
        f" on case {case + 1} ({describe_case(cases[case])})"
        if isinstance(case, int) and not isinstance(case, bool) and 0 <= case < len(cases)
        else " while loading your code"
    )
    shown = code_block(f"{kind_name or 'Exception'}: {message}")
    if kind == "memory":
        return Status.MEMORY, f"**Memory limit exceeded**{during}{where}.\n\n{shown}"
    return Status.ERROR, f"**Your code raised an exception**{during}{where}:\n\n{shown}"


def correct(total: int) -> str:
    return f"**Correct!** All {total} test cases match the reference."


def incorrect(passed: int, total: int, first: int, case: dict, problem: str, hint: str) -> str:
    text = (
        f"**Not quite: {passed} of {total} test cases pass.** First failing case: case {first + 1} "
        f"({describe_case(case)}): {problem}."
    )
    if hint:
        text += f"\n\n**Hint:** {hint}"
    return text
