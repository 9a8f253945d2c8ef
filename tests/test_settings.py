"""One table of bounds: what the Settings form allows is what the domain accepts."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from textual.widgets import Input, Static

from quizapp.decks.content import load_library
from quizapp.progress.settings import BOUNDS, LEECH_THRESHOLD, NEW_PER_DAY, RETENTION, Settings
from quizapp.progress.store import Store
from quizapp.study import insights
from quizapp.study.scheduler import Planner
from quizapp.tui.app import QuizApp
from quizapp.tui.screens.settings import SettingsError, SettingsScreen, parse_settings

from testkit import GOOD_DECKS

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "value"), [("0.9", 0.9), ("90%", 0.9), ("85", 0.85), (" 0.7 ", 0.7), ("99%", 0.99)]
)
def test_retention_reads_fractions_and_percentages(text, value):
    assert RETENTION.parse(text) == value


@pytest.mark.parametrize("text", ["0.69", "0.995", "100%", "1", "0", "nan", "inf", "abc", ""])
def test_retention_outside_its_bounds_is_refused_with_the_range(text):
    with pytest.raises(ValueError, match="Desired retention must be"):
        RETENTION.parse(text)


def test_counts_are_whole_numbers_within_their_bounds():
    assert NEW_PER_DAY.parse("0") == 0 and NEW_PER_DAY.parse("500") == 500
    assert LEECH_THRESHOLD.parse("1") == 1 and LEECH_THRESHOLD.parse("100") == 100
    for bound, text in [(NEW_PER_DAY, "501"), (NEW_PER_DAY, "-1"), (LEECH_THRESHOLD, "0")]:
        low, high = bound.hint().split("–")
        with pytest.raises(ValueError, match=f"between {low} and {high}\\.$"):
            bound.parse(text)
    with pytest.raises(ValueError, match="between 0.70 and 0.99"):
        RETENTION.parse("0.5")
    with pytest.raises(ValueError, match="whole number"):
        NEW_PER_DAY.parse("2.5")


def test_stored_values_are_clamped_or_replaced_by_the_default(tmp_path):
    path = tmp_path / "progress.db"
    store = Store(path)
    store.set_setting("desired_retention", 0.5)  # older versions accepted this
    store.set_setting("new_per_day", 10_000)
    store.set_setting("leech_threshold", "eight")
    store.close()
    loaded = Settings.load(Store(path))
    assert loaded == Settings(desired_retention=0.7, new_per_day=500, leech_threshold=8)
    assert RETENTION.read(True) == RETENTION.default  # a bool is not a number here


def test_the_scheduler_and_leech_list_read_through_the_same_bounds(tmp_path):
    store = Store(tmp_path / "progress.db")
    store.set_setting("desired_retention", 0.999)
    store.set_setting("new_per_day", 3)
    store.set_setting("leech_threshold", 1000)
    planner = Planner.from_store(store, fuzz=False)
    assert planner.scheduler.desired_retention == RETENTION.high
    assert planner.new_per_day == 3
    assert insights.leech_threshold(store) == LEECH_THRESHOLD.high


def test_saved_settings_survive_reopening_the_file(tmp_path):
    path = tmp_path / "progress.db"
    Settings(desired_retention=0.85, new_per_day=7, leech_threshold=5).save(Store(path))
    assert Settings.load(Store(path)) == Settings(0.85, 7, 5)


def test_the_form_refuses_what_the_table_refuses():
    for key, bound in BOUNDS.items():
        texts = {"retention": "0.9", "new_per_day": "20", "leech": "8", "exam_minutes": "30"}
        field = {"desired_retention": "retention"}.get(key, key.replace("_threshold", ""))
        texts[field] = str(bound.high + (0.01 if not bound.whole else 1))
        with pytest.raises(SettingsError, match=bound.label):
            parse_settings(
                texts["retention"],
                "",
                texts["new_per_day"],
                texts["leech"],
                minutes=texts["exam_minutes"],
            )


def test_the_form_reads_exam_weights_and_names_a_bad_pair():
    topics = ["masking", "vit", "seq2seq"]
    values = parse_settings("0.9", "", "20", "8", weights="masking=3, vit=0.5", topics=topics)
    assert values["exam_weights"] == {"masking": 3.0, "vit": 0.5, "seq2seq": 1.0}
    for bad in ("masking", "nosuch=2", "vit=heavy", "vit=500"):
        with pytest.raises(SettingsError, match="Exam weights"):
            parse_settings("0.9", "", "20", "8", weights=bad, topics=topics)


@pytest.mark.slow  # the whole app
async def test_settings_screen_validates_as_typed_and_shows_the_ranges(tmp_path):
    store = Store(tmp_path / "progress.db")
    library = load_library([GOOD_DECKS], bundled=False)
    app = QuizApp(library, store, clock=lambda: NOW, grader=None, fuzz=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("o")
        screen = app.screen
        assert isinstance(screen, SettingsScreen)
        hints = " ".join(str(w.render()) for w in screen.query(Static))
        for bound in BOUNDS.values():
            assert bound.hint() in hints
        retention = screen.query_one("#retention", Input)
        assert retention.value == "0.9"
        retention.value = "0.6"
        await pilot.pause()
        assert not retention.is_valid
        retention.value = "0.75"
        await pilot.pause()
        assert retention.is_valid
        screen.query_one("#new-per-day", Input).value = "501"
        await pilot.press("ctrl+s")
        message = str(screen.query_one("#settings-message", Static).render())
        assert "between 0 and 500" in message
        assert store.get_setting("desired_retention") is None  # nothing saved
        screen.query_one("#new-per-day", Input).value = "500"
        await pilot.press("ctrl+s")
        assert Settings.load(store) == Settings(0.75, 500, 8)
