"""Numeric answers: units, bare numbers, tolerance edges and nonsense input."""

import pytest

from quizapp.study.numeric_answers import CORRECT, INCORRECT, UNREADABLE, grade_numeric

PIXEL_MEMORY_GB = 65536**2 * 4 * 16 * 32 / 1e9  # 8796.09 GB


@pytest.mark.parametrize(
    "answer",
    [
        "8.8 TB",
        "8796 GB",
        "8192 GiB",
        "8.796e12 B",
        "8796.1",
        "8796 gb",
        "8.796e12 bytes",
        "8.796TB",
        "(8796)",
    ],
)
def test_unit_spellings_of_the_same_size_are_correct(answer):
    assert grade_numeric(answer, PIXEL_MEMORY_GB, "GB").status == CORRECT


def test_bare_number_means_the_unit_asked_in():
    assert grade_numeric("8796", PIXEL_MEMORY_GB, "GB").status == CORRECT
    assert grade_numeric("0.137", 0.137, "").status == CORRECT


def test_bare_number_in_another_unit_asks_for_the_unit_instead_of_failing():
    result = grade_numeric("8.796e12", PIXEL_MEMORY_GB, "GB")
    assert result.status == UNREADABLE
    assert "unit" in result.message


def test_wrong_value_with_a_unit_is_incorrect_and_names_the_expected_value():
    result = grade_numeric("4 TB", PIXEL_MEMORY_GB, "GB")
    assert result.status == INCORRECT
    assert "8796 GB" in result.message


def test_unit_slip_gets_a_hint():
    result = grade_numeric("8.796 GB", PIXEL_MEMORY_GB, "GB")
    assert result.status == INCORRECT
    assert "power of 1000" in result.message


@pytest.mark.parametrize(
    ("answer", "status"),
    [("101", CORRECT), ("99", CORRECT), ("101.01", INCORRECT), ("98.99", INCORRECT)],
)
def test_relative_tolerance_edges(answer, status):
    assert grade_numeric(answer, 100.0, "", rel_tol=0.01).status == status


def test_absolute_tolerance_edges():
    assert grade_numeric("0.455", 0.45, "", rel_tol=0, abs_tol=0.005).status == CORRECT
    assert grade_numeric("0.4551", 0.45, "", rel_tol=0, abs_tol=0.005).status == INCORRECT


def test_percent_for_a_unitless_value():
    assert grade_numeric("45%", 0.45, "").status == CORRECT


@pytest.mark.parametrize(
    "answer",
    [
        "abc",
        "1/0",
        "1e999",
        "",
        "   ",
        "GB",
        "5 m",
        "8,796 GB",
        "2**99999",
        "import os",
        "nan",
        "-inf",
    ],
)
def test_nonsense_input_is_unreadable_not_wrong(answer):
    result = grade_numeric(answer, PIXEL_MEMORY_GB, "GB")
    assert result.status == UNREADABLE
    assert result.message.startswith(("Could not read that answer", "Which unit"))


def test_unit_on_a_unitless_question_is_unreadable():
    assert grade_numeric("3 GB", 3.0, "").status == UNREADABLE


# -- known mistakes --------------------------------------------------------------------

FORGOT_HEADS = (PIXEL_MEMORY_GB / 16, "You left out the heads.")
IN_BITS = (PIXEL_MEMORY_GB * 8, "That is the size in bits.")


def test_a_wrong_answer_matching_a_mistake_gets_its_hint():
    result = grade_numeric("549.8 GB", PIXEL_MEMORY_GB, "GB", mistakes=[FORGOT_HEADS, IN_BITS])
    assert result.status == INCORRECT
    assert result.diagnosis == "You left out the heads."
    assert result.message.startswith("Not quite: expected 8796 GB.")
    assert result.message.endswith("You left out the heads.")


def test_a_mistake_is_matched_after_unit_conversion():
    # 549.76 GB typed as TB and as GiB; 70.4 TB is the bits slip
    for text in ("0.5498 TB", "512 GiB", "5.498e11 B"):
        assert grade_numeric(text, PIXEL_MEMORY_GB, "GB", mistakes=[FORGOT_HEADS]).diagnosis
    result = grade_numeric("70.37 TB", PIXEL_MEMORY_GB, "GB", mistakes=[FORGOT_HEADS, IN_BITS])
    assert result.diagnosis == "That is the size in bits."


@pytest.mark.parametrize(
    ("answer", "matched"), [("101", True), ("99", True), ("101.1", False), ("98.9", False)]
)
def test_a_mistake_is_matched_within_the_questions_relative_tolerance(answer, matched):
    result = grade_numeric(answer, 50.0, "", rel_tol=0.01, mistakes=[(100.0, "Doubled.")])
    assert result.status == INCORRECT
    assert (result.diagnosis == "Doubled.") is matched


def test_a_mistake_is_matched_within_the_questions_absolute_tolerance():
    mistakes = [(0.2, "Sum, not mean.")]
    near = grade_numeric("0.204", 0.05, "", rel_tol=0, abs_tol=0.005, mistakes=mistakes)
    far = grade_numeric("0.206", 0.05, "", rel_tol=0, abs_tol=0.005, mistakes=mistakes)
    assert (near.diagnosis, far.diagnosis) == ("Sum, not mean.", "")


def test_a_mistake_that_coincides_with_the_right_answer_is_never_shown():
    # The slip gives the right value (within tolerance) for these numbers: it is no slip here.
    same = [(100.4, "Forgot the temperature.")]
    assert grade_numeric("100", 100.0, "", mistakes=same).status == CORRECT
    # An answer just outside the tolerance of the right value is wrong, but the mistake
    # that coincides with the right value must not be blamed for it.
    result = grade_numeric("101.3", 100.0, "", mistakes=same)
    assert (result.status, result.diagnosis) == (INCORRECT, "")
    assert "temperature" not in result.message


def test_mistakes_with_equal_values_are_all_named_once():
    mistakes = [(2.0, "Forgot the heads."), (2.0, "Forgot the layers."), (2.0, "Forgot the heads.")]
    result = grade_numeric("2", 16.0, "", mistakes=mistakes)
    assert result.diagnosis == "Forgot the heads. Or: Forgot the layers."


def test_a_matching_mistake_wins_over_the_unit_question_for_a_bare_number():
    # 8796 * 1000 is a power-of-1000 slip, unless a known mistake explains the number.
    plain = grade_numeric("8796093", PIXEL_MEMORY_GB, "GB")
    explained = grade_numeric(
        "8796093", PIXEL_MEMORY_GB, "GB", mistakes=[(PIXEL_MEMORY_GB * 1000, "Bytes per kB.")]
    )
    assert plain.status == UNREADABLE
    assert (explained.status, explained.diagnosis) == (INCORRECT, "Bytes per kB.")


def test_unreadable_and_right_answers_get_no_diagnosis():
    mistakes = [FORGOT_HEADS]
    assert grade_numeric("abc", PIXEL_MEMORY_GB, "GB", mistakes=mistakes).diagnosis == ""
    assert grade_numeric("8.8 TB", PIXEL_MEMORY_GB, "GB", mistakes=mistakes).diagnosis == ""


@pytest.mark.parametrize(
    "answer",
    ["3,001,000", "3 001 000", "3\u202f001\u202f000", "3,001,000.0", "3001000", "3.001e6"],
)
def test_unambiguous_thousands_separators_are_read(answer):
    assert grade_numeric(answer, 3_001_000).status == CORRECT


def test_grouped_numbers_work_with_units_and_decimals():
    assert grade_numeric("8 796 GB", PIXEL_MEMORY_GB, "GB").status == CORRECT
    assert grade_numeric("8,796,093,022,208 B", PIXEL_MEMORY_GB, "GB").status == CORRECT
    assert grade_numeric("1,234.5", 1234.5).status == CORRECT


@pytest.mark.parametrize(
    ("answer", "says"),
    [
        ("3,500", "3,500 could be 3500 or 3.5"),
        ("12,000 GB", "12,000 could be 12000 or 12"),
        ("3,001,00", "the separators are unclear"),
        ("1.234,5", "the separators are unclear"),
        ("0,134,5", "the separators are unclear"),
        ("30 01 000", "space inside the number"),
        ("1 5", "space inside the number"),
    ],
)
def test_ambiguous_separators_are_refused_with_a_way_out(answer, says):
    result = grade_numeric(answer, 3500)
    assert result.status == UNREADABLE and says in result.message


@pytest.mark.parametrize("answer", ["16x", "16 x", "16×", "16 ×", "x16", "×16", "x 16", "16 times"])
def test_a_factor_may_be_written_with_x(answer):
    assert grade_numeric(answer, 16.0).status == CORRECT


def test_factor_marks_only_apply_to_a_lone_number_without_a_unit():
    assert grade_numeric("2×8", 16.0).status == CORRECT  # still a product
    assert grade_numeric("17x", 16.0).status == INCORRECT
    assert grade_numeric("16x", 16.0, "GB").status == UNREADABLE  # a size, not a factor
    assert grade_numeric("x", 16.0).status == UNREADABLE


@pytest.mark.parametrize(
    ("answer", "value"),
    [
        ("3,5", 3.5),
        ("12,34", 12.34),
        ("0,134", 0.134),
        ("0,500", 0.5),  # a leading 0: a decimal comma even before three digits
        ("12,3456", 12.3456),
        ("1234,5", 1234.5),
        ("-0,25", -0.25),
        ("3,001,000", 3_001_000),  # groups of three stay thousands
        ("1,234.5", 1234.5),
        ("2,5e3", 2500),
    ],
)
def test_a_decimal_comma_is_read_as_these_students_write_it(answer, value):
    assert grade_numeric(answer, value, rel_tol=1e-9).status == CORRECT


def test_a_decimal_comma_with_a_unit():
    assert grade_numeric("0,134 GB", 0.134, "GB", rel_tol=0.001).status == CORRECT
    assert grade_numeric("0,134 GB", 134, "MB", rel_tol=0.001).status == CORRECT
    assert grade_numeric("8,8 TB", PIXEL_MEMORY_GB, "GB").status == CORRECT


@pytest.mark.parametrize(
    "answer",
    [
        "41.2",
        "41.2%",
        "41.2 %",
        "41.2pp",
        "41.2 pp",
        "41.2 percentage points",
        "41.2 percentage point",
        "41.2 Percentage-Points",
        "41.2 percent",
        "41,2 pp",
        "41,2 %",
    ],
)
def test_percentage_points_are_understood_in_every_spelling(answer):
    result = grade_numeric(answer, 41.22, "pp", rel_tol=0, abs_tol=0.05)
    assert result.status == CORRECT, result.message


@pytest.mark.parametrize("answer", ["0.412", "0.412%", "4.12 pp", "412 %"])
def test_a_fraction_is_not_mistaken_for_percentage_points(answer):
    assert grade_numeric(answer, 41.22, "pp", rel_tol=0, abs_tol=0.05).status == INCORRECT


def test_a_percentage_question_takes_percent_and_no_other_unit():
    assert grade_numeric("49.5%", 49.475, "%", rel_tol=0, abs_tol=0.1).status == CORRECT
    assert grade_numeric("49.5 pp", 49.475, "%", rel_tol=0, abs_tol=0.1).status == CORRECT
    assert grade_numeric("49.5", 49.475, "%", rel_tol=0, abs_tol=0.1).status == CORRECT
    wrong_unit = grade_numeric("49.5 GB", 49.475, "%", rel_tol=0, abs_tol=0.1)
    assert wrong_unit.status == UNREADABLE and "cannot be converted" in wrong_unit.message
    # A question without a unit keeps reading % as a share: 45% is 0.45.
    assert grade_numeric("45%", 0.45, "").status == CORRECT


def test_percentage_point_questions_of_the_decks_declare_their_unit():
    from quizapp.decks.content import load_library
    from quizapp.decks.variants import make_variant

    library = load_library()
    for qid in ("clip.robustness-mean-gap", "clip.effective-robustness-value"):
        question = library.questions[qid]
        assert question.unit == "pp"
        variant = make_variant(question, fixed=True)
        typed = f"{variant.expected:.2f}%"
        assert grade_numeric(
            typed, variant.expected, "pp", question.rel_tol, question.abs_tol
        ).correct


def test_a_first_answer_waits_for_the_warm_up_instead_of_being_read_alongside(monkeypatch):
    """pint is not thread-safe: the app's warm-up thread reads one answer while the student
    may already be answering, so the student's answer waits until the warm-up is done."""
    import threading

    from quizapp.study import numeric_answers

    started, release = threading.Event(), threading.Event()
    real = numeric_answers.read_answer

    def slow_read(text, unit=""):
        started.set()
        release.wait(5)
        return real(text, unit)

    monkeypatch.setattr(numeric_answers, "read_answer", slow_read)
    warm_up = threading.Thread(target=numeric_answers.warm_up)
    warm_up.start()
    assert started.wait(5)
    answered = []
    student = threading.Thread(target=lambda: answered.append(real("8796 GB", "GB")))
    student.start()
    student.join(0.3)
    assert student.is_alive() and not answered  # held while the warm-up reads
    release.set()
    warm_up.join(5)
    student.join(5)
    assert answered == [pytest.approx(8796)]
