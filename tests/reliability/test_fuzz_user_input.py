"""Whatever the student types (answers, settings, arguments, paths, deck text), they get a
message, never a traceback."""

from __future__ import annotations

import string
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from quizapp.cli import main
from quizapp.decks.content import Library, load_file
from quizapp.progress.store import Store
from quizapp.study.numeric_answers import CORRECT, INCORRECT, UNREADABLE, grade_numeric, read_answer
from quizapp.study.scheduler import Planner

from procs import GOOD_DECKS

ANSWER_ALPHABET = string.digits + string.ascii_letters + " .,+-*/^()%µ×·eE_"
answers = st.one_of(
    st.text(max_size=80),
    st.text(alphabet=ANSWER_ALPHABET, max_size=40),
    st.from_regex(
        r"[-+]?\d{0,30}(\.\d{0,20})?([eE][-+]?\d{1,5})? ?[kMGTP]?i?[bB]?", fullmatch=True
    ),
)
UNITS = ["", "GB", "B", "GiB", "MB", "TB", "s", "FLOP", "parameters"]


@settings(max_examples=400, deadline=None)
@given(text=answers, unit=st.sampled_from(UNITS), expected=st.floats(allow_nan=False))
def test_numeric_grading_never_raises(text, unit, expected):
    result = grade_numeric(text, expected, unit)
    assert result.status in {CORRECT, INCORRECT, UNREADABLE}
    assert result.message


@settings(max_examples=300, deadline=None)
@given(text=answers, unit=st.sampled_from(UNITS))
def test_read_answer_only_raises_value_error(text, unit):
    try:
        value = read_answer(text, unit)
    except ValueError as err:
        assert str(err)
    else:
        assert value == value and abs(value) != float("inf")


@settings(max_examples=200, deadline=None)
@given(
    key=st.sampled_from(["desired_retention", "new_per_day", "fsrs_parameters"]),
    value=st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(),
        st.text(max_size=20),
        st.lists(st.floats(), max_size=25),
        st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
    ),
)
def test_any_stored_setting_still_builds_a_planner(key, value):
    store = Store(":memory:")
    try:
        store.set_setting(key, value)
    except (ValueError, TypeError):
        return  # not JSON (nan/inf): refused before it reaches the file
    Planner.from_store(store)


COMMANDS = ["list", "check", "stats", "grade", "backup", "export-progress", "import-progress"]
cli_words = st.one_of(
    st.sampled_from(COMMANDS + ["--json", "--db", "--content", "--answer", "--seed", "--keep"]),
    st.sampled_from(["basics.memory", "basics.pick", "basics.flash", "-", "--to", "A,C", "0"]),
    st.text(alphabet=string.printable, max_size=12),
    st.text(max_size=8),
)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(words=st.lists(cli_words, max_size=6))
def test_cli_arguments_never_produce_a_traceback(tmp_path, monkeypatch, capsys, words):
    monkeypatch.chdir(tmp_path)  # relative paths the fuzzer makes up land here
    monkeypatch.setattr("sys.stdin", open("/dev/null"))  # noqa: SIM115
    argv = [w for w in words if w not in ("", "-h", "--help")]
    if argv and argv[0] in COMMANDS:
        argv += ["--db", str(tmp_path / "fuzz.db"), "--content", str(GOOD_DECKS)]
    if argv[:1] == [] or argv[0] not in COMMANDS:
        argv = ["stats", "--db", str(tmp_path / "fuzz.db"), *argv]
    try:
        code = main(argv)
    except SystemExit as exit_:  # argparse: usage errors exit 2, --help/--version exit 0
        code = exit_.code
    assert isinstance(code, int)
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "unexpected error" not in err, err


PATH_STRATEGY = st.one_of(
    st.sampled_from(
        ["", ".", "/", "/dev/null", "/proc/self/mem", "nonexistent/dir/x.db", "~", "a\nb", "/etc"]
    ),
    st.text(alphabet=string.ascii_letters + "/._-~ ", max_size=30),
)


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    path=PATH_STRATEGY, command=st.sampled_from(["stats", "export", "import", "grade", "content"])
)
def test_file_paths_never_produce_a_traceback(tmp_path, monkeypatch, capsys, path, command):
    monkeypatch.chdir(tmp_path)
    db = str(tmp_path / "p.db")
    argv = {
        "stats": ["stats", "--db", path],
        "export": ["export-progress", path, "--db", db],
        "import": ["import-progress", path, "--db", db],
        "grade": ["grade", "basics.memory", path, "--db", db, "--content", str(GOOD_DECKS)],
        "content": ["list", "--content", path, "--db", db],
    }[command]
    assume("\x00" not in path)
    try:
        code = main(argv)
    except SystemExit as exit_:
        code = exit_.code
    assert isinstance(code, int)
    err = capsys.readouterr().err
    assert "Traceback" not in err, err


yaml_scalars = st.one_of(st.integers(), st.floats(), st.booleans(), st.none(), st.text(max_size=20))
yaml_values = st.recursive(
    yaml_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)
KEYS = [
    "id",
    "kind",
    "title",
    "prompt",
    "explanation",
    "source",
    "solver",
    "params",
    "vary",
    "options",
    "tolerance",
    "unit",
    "rubric",
    "tags",
    "function",
    "stub",
    "known_mistakes",
]


def yaml_text(value) -> str:
    import yaml

    return yaml.safe_dump(value, allow_unicode=True)


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    text=st.one_of(
        st.text(max_size=300),
        st.builds(
            yaml_text,
            st.fixed_dictionaries(
                {"topic": st.sampled_from(["fz", "FZ", ""]) | yaml_scalars},
                optional={
                    "questions": st.lists(
                        st.dictionaries(st.sampled_from(KEYS), yaml_values, max_size=8)
                        | yaml_values,
                        max_size=3,
                    )
                },
            ),
        ),
        st.binary(max_size=200).map(lambda b: b.decode("latin-1")),
    )
)
def test_fuzzed_deck_text_gives_problems_not_exceptions(tmp_path, text):
    path = Path(tmp_path) / "fz.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    library = Library()
    load_file(path, library, {})
    for problem in library.problems:
        assert str(problem).startswith(str(path))
