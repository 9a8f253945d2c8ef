"""What a student reads after a check: one Markdown verdict per outcome.

Pure functions over the cases, the child's report and the comparison's findings, so every
message can be tested without running anything.
"""

from __future__ import annotations

from quizapp.grading.compare import brief

SHOWN_OUTPUT = 2000


def verdict(status: str, feedback: str, passed: int, total: int) -> dict:
    return {"status": status, "feedback": feedback, "cases_passed": passed, "cases_total": total}


def describe_case(kwargs: dict) -> str:
    return ", ".join(f"`{k}`: {brief(v)}" for k, v in kwargs.items())


def printed(report: dict | None) -> str:
    """What the submission printed, shortened, as a Markdown block ('' if nothing)."""
    output = (report or {}).get("output", "")
    if not output:
        return ""
    shown = output[:SHOWN_OUTPUT] + (
        "\n[... output shortened]" if len(output) > SHOWN_OUTPUT else ""
    )
    return f"\n\nYour code printed:\n\n```\n{shown}\n```"


def timeout(timeout_s: float, total: int) -> dict:
    return verdict(
        "timeout",
        f"**Time limit exceeded ({timeout_s:g} s).** Look for an endless loop or far too much work.",
        0,
        total,
    )


def memory(memory_mb: int, detail: str, total: int) -> dict:
    return verdict("memory", f"**Memory limit exceeded ({memory_mb} MB)**: {detail}.", 0, total)


def crashed(detail: str, total: int) -> dict:
    return verdict(
        "crashed",
        f"**Your code crashed**: {detail}. Do not exit the process or call native code.",
        0,
        total,
    )


def error(error: dict, cases: list[dict], function: str) -> tuple[str, str]:
    """(status, text) for an exception, syntax error or missing function in the report."""
    kind = error.get("kind")
    line, text = error.get("line") or 0, error.get("text") or ""
    where = f" at line {line}" + (f": `{text}`" if text else "") if line else ""
    if kind == "syntax":
        return "error", f"**{error.get('type', 'SyntaxError')}**{where}: {error.get('message', '')}"
    if kind == "missing":
        found = error.get("message") or ""
        extra = f" (found: {found})" if found else ""
        return (
            "error",
            f"**Your code does not define `{function}`**{extra}. Keep the function name from the template.",
        )
    case = error.get("case", -1)
    during = (
        f" on case {case + 1} ({describe_case(cases[case])})"
        if isinstance(case, int) and 0 <= case < len(cases)
        else " while loading your code"
    )
    message = f"`{error.get('type', 'Exception')}: {error.get('message', '')}`"
    if kind == "memory":
        return "memory", f"**Memory limit exceeded**{during}{where}.\n\n{message}"
    return "error", f"**Your code raised an exception**{during}{where}:\n\n{message}"


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
