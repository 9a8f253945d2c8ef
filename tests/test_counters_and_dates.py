"""What the student is told: progress counts, the new-card budget, exam dates, weak flags."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from fsrs import Rating

from quizapp.cli import main
from quizapp.decks.content import load_library
from quizapp.progress.store import Store
from quizapp.study import insights
from quizapp.study.scheduler import Planner
from quizapp.study.session import StudySession
from quizapp.study.stats import TopicSummary, local_day, new_available
from quizapp.tui.screens.settings import SettingsError, parse_settings

INSIGHT_DECKS = Path(__file__).parent / "insights" / "decks"  # 3 topics of flashcards


def _review(tmp_path, clock, **kwargs) -> StudySession:
    store = Store(tmp_path / "progress.db")
    library = load_library([INSIGHT_DECKS], bundled=False, cache=False)
    return StudySession(
        library, store, Planner.from_store(store, fuzz=False), clock=clock, **kwargs
    )


def test_a_card_in_a_learning_step_is_counted_apart_from_what_is_left(tmp_path, clock):
    session = _review(tmp_path, clock, question_ids=["alpha.card1", "alpha.card2"])
    session.next()
    assert (session.remaining, session.repeats_left) == (2, 0)
    session.reveal()
    session.rate(Rating.Good)  # a 10-minute learning step: shown once more this session
    assert (session.done, session.remaining, session.repeats_left) == (1, 2, 1)
    session.next()
    assert (session.remaining, session.repeats_left) == (2, 1)  # 1 left, +1 repeat
    session.reveal()
    session.rate(Rating.Easy)  # graduates at once: no repeat
    assert (session.remaining, session.repeats_left) == (1, 1)
    assert session.next().question.id == "alpha.card1"
    assert (session.remaining, session.repeats_left) == (1, 1)  # the repeat is on screen
    session.skip()
    assert (session.remaining, session.repeats_left) == (0, 0)


def test_skipped_new_cards_do_not_use_up_the_days_new_cards(tmp_path, clock):
    store = Store(tmp_path / "progress.db")
    store.set_setting("new_per_day", 3)
    session = _review(tmp_path, clock)
    library, planner = session.library, session.planner
    first_three = list(session.queue)
    assert len(first_three) == 3
    session.next()
    session.skip()  # not answered: its place goes to the next new card
    assert session.queue == [*first_three[1:], library.study_order()[3]]
    answered = 0
    while session.next() is not None:
        if session.question.id not in session.queue:
            session.reveal()
            session.rate(Rating.Easy)
            answered += 1
        else:
            session.skip()
    assert answered == 3
    assert store.introduced_since(clock() - timedelta(hours=1)) == 3
    assert new_available(library, store, planner, clock()) == 0
    assert store.card(first_three[0]) is None  # the skipped card is still new


def test_practice_and_chosen_lists_are_not_refilled(tmp_path, clock):
    session = _review(tmp_path, clock, question_ids=["alpha.card1"])
    session.next()
    session.skip()
    assert session.queue == []


def test_exam_date_in_the_past_is_refused_by_the_command(tmp_path, capsys):
    db = str(tmp_path / "p.db")
    assert main(["--db", db, "exam", "2020-01-01"]) == 2
    err = capsys.readouterr().err
    assert "2020 is in the past" in err and "today is" in err
    assert Store(db).get_setting("exam_date") is None
    today = local_day(clock_now())
    assert main(["--db", db, "exam", today.isoformat()]) == 0  # today is still to come
    assert Store(db).get_setting("exam_date") == today.isoformat()


def clock_now():
    from quizapp.study.session import utc_now

    return utc_now()


def test_settings_refuse_a_past_exam_date_but_keep_a_saved_one_that_has_passed():
    today = date(2026, 11, 2)
    with pytest.raises(SettingsError, match="in the past"):
        parse_settings("0.9", "2026-11-01", "20", "8", today=today)
    kept = parse_settings(
        "0.85", "2026-11-01", "20", "8", today=today, saved_exam=date(2026, 11, 1)
    )
    assert kept["exam_date"] == date(2026, 11, 1) and kept["desired_retention"] == 0.85
    assert parse_settings("0.9", "2026-11-02", "20", "8", today=today)["exam_date"] == today


def _summary(topic: str, mastery: float, accuracy: float | None, lapses: int = 0):
    return TopicSummary(topic, topic.title(), 10, 10, 0, mastery, accuracy, lapses, 20)


def test_weak_means_mastery_or_accuracy_below_the_target():
    summaries = [
        _summary("solid", 1.0, 1.0),  # 100 % on both: never weak, however it ranks
        _summary("forgotten", 0.7, 0.95),
        _summary("fresh-but-wrong", 1.0, 0.5),  # just reviewed, answers mostly wrong
        _summary("fine", 0.93, 0.92),
    ]
    flagged = [t.topic for t in insights.weak_topics(summaries, 0.9)]
    assert flagged == ["forgotten", "fresh-but-wrong"]  # weakest (by the blended score) first
    assert [t.topic for t in insights.weak_topics(summaries, 0.95)] == [
        "forgotten",
        "fresh-but-wrong",
        "fine",
    ]
    assert insights.weak_topics([_summary("solid", 1.0, 1.0)], 0.9) == []
