"""Numeric answers: units, bare numbers, tolerance edges and nonsense input."""

import pytest

from quizapp.grading.numeric import CORRECT, INCORRECT, UNREADABLE, grade_numeric

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
