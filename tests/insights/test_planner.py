"""The exam planner: what it ranks first, how it fills the minutes, the exam-mode session,
the forecast and what skipping a day costs. Real SQLite files, a fixed clock."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from fsrs import Rating

from quizapp.decks.content import Kind, load_library
from quizapp.progress.store import Store
from quizapp.study import exam_forecast, insights, planner
from quizapp.study.scheduler import Planner

from history_sim import START, answer

DECKS = Path(__file__).parent / "decks"
EXAM = (START + timedelta(days=10)).date()


@pytest.fixture
def library():
    return load_library([DECKS], bundled=False)


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "p.db")
    yield s
    s.close()


def _model(library, store, exam: date = EXAM) -> planner.Model:
    scheduler = Planner.from_store(store, fuzz=False).scheduler
    return planner.build_model(library, store, scheduler, insights.exam_moment(exam))


def _topics(library) -> dict[str, str]:
    return {qid: q.topic for qid, q in library.questions.items()}


def test_a_fading_card_outranks_a_fresh_one_and_new_cards_compete(library, store):
    fsrs_planner = Planner.from_store(store, fuzz=False)
    for qid in ("alpha.card1", "alpha.card2"):
        answer(store, fsrs_planner, qid, START, Rating.Good)
    # card2 was just reviewed again (Easy): its stability is far above card1's
    answer(store, fsrs_planner, "alpha.card2", START + timedelta(days=3), Rating.Easy)
    now = START + timedelta(days=4)
    model = _model(library, store)
    cards = planner.fsrs_cards(store.cards())
    ranked = planner.rank(model, cards, _topics(library), now)
    gains = {p.question_id: p.gain for p in ranked}
    assert gains["alpha.card1"] > gains.get("alpha.card2", 0.0)
    assert any(p.new for p in ranked) and all(p.gain > 0 for p in ranked)
    # the value is weight x gain / seconds: ranked best first
    values = [p.value for p in ranked]
    assert values == sorted(values, reverse=True)


def test_exam_weights_put_a_heavier_topics_new_cards_first(library, store):
    planner.set_exam_weight(store, "gamma", 3.0)
    assert planner.exam_weights(library, store)["gamma"] == 3.0
    ranked = planner.rank(_model(library, store), {}, _topics(library), START)
    flashcards = [p for p in ranked if library.questions[p.question_id].kind == Kind.FLASHCARD]
    assert {p.topic for p in flashcards[:4]} == {"gamma"}
    planner.set_exam_weight(store, "gamma", None)
    assert planner.exam_weights(library, store)["gamma"] == 1.0


def test_the_budget_is_filled_with_shorter_cards_and_never_exceeded(library, store):
    ranked = planner.rank(_model(library, store), {}, _topics(library), START)
    seconds = planner.DEFAULT_SECONDS
    budget = seconds[Kind.CHOICE] + 2 * seconds[Kind.FLASHCARD]
    chosen = planner.fill(ranked, budget)
    used = sum(p.seconds for p in chosen)
    assert used <= budget
    assert budget - used < min(p.seconds for p in ranked)  # nothing else would fit


def test_the_day_is_interleaved_across_topics(library, store):
    ranked = planner.rank(_model(library, store), {}, _topics(library), START)
    day = planner.interleave(planner.fill(ranked, 6 * planner.DEFAULT_SECONDS[Kind.FLASHCARD]))
    topics = [p.topic for p in day]
    assert len(set(topics[:3])) == 3  # three topics before any repeats


def test_seconds_per_kind_come_from_the_students_own_answers(library, store):
    assert planner.seconds_per_kind(library, store)[Kind.FLASHCARD] == 12.0  # the default
    fsrs_planner = Planner.from_store(store, fuzz=False)
    for i in range(planner.MIN_TIMED_ANSWERS):  # answer() records 5 s per answer
        answer(
            store, fsrs_planner, f"alpha.card{i % 4 + 1}", START + timedelta(days=i), Rating.Good
        )
    assert planner.seconds_per_kind(library, store)[Kind.FLASHCARD] == 5.0
    assert planner.seconds_per_kind(library, store)[Kind.CHOICE] == 25.0  # none timed yet


def test_the_exam_session_shows_each_card_once_a_day(library, store):
    insights.set_exam_date(store, EXAM)
    exam_forecast.set_exam_minutes(store, 5)
    now = [START]
    fsrs_planner = Planner.from_store(store, fuzz=False)
    session = exam_forecast.exam_session(library, store, fsrs_planner, EXAM, clock=lambda: now[0])
    planned = [*session.queue]
    assert planned and sum(_model(library, store).seconds[q] for q in planned) <= 5 * 60
    variant = session.next()
    assert variant is not None
    now[0] += timedelta(seconds=20)
    if variant.question.kind == Kind.FLASHCARD:
        session.rate(Rating.Again)  # a learning step would normally bring it back in minutes
    else:
        session.give_up()
    assert variant.question.id not in session.queue
    later = exam_forecast.exam_session(library, store, fsrs_planner, EXAM, clock=lambda: now[0])
    assert variant.question.id not in later.queue  # answered today: tomorrow
    tomorrow = START + timedelta(days=1)
    again = exam_forecast.exam_session(library, store, fsrs_planner, EXAM, clock=lambda: tomorrow)
    assert variant.question.id in again.queue  # forgotten, so the most to gain


def test_the_forecast_rises_with_minutes_and_places_mock_exams_and_the_final_pass(library, store):
    fsrs_planner = Planner.from_store(store, fuzz=False)
    data = exam_forecast.inputs(library, store, fsrs_planner, START, EXAM)
    short = exam_forecast.forecast(data, 1)  # a few cards a day: not all of them
    long = exam_forecast.forecast(data, 3)
    assert short.recall_now == 0.0
    assert 0 < short.recall < long.recall <= 1
    assert [d.day for d in long.days] == [START.date() + timedelta(days=i) for i in range(10)]
    assert [d.final_pass for d in long.days].count(True) == 1 and long.days[-1].final_pass
    mock_days = [(EXAM - d.day).days for d in long.days if d.mock]
    assert mock_days == [9, 2]
    recall = [d.recall for d in long.days]
    assert recall == sorted(recall)
    assert all(d.minutes <= 3 + 1e-9 for d in long.days)


def test_a_skipped_day_is_reported_with_its_cost(store):
    library = load_library()  # the course: more than a few minutes a day can keep fresh
    insights.set_exam_date(store, EXAM)
    exam_forecast.set_exam_minutes(store, 5)
    fsrs_planner = Planner.from_store(store, fuzz=False)
    for qid in library.questions:  # everything learned once, so forgetting costs something
        answer(store, fsrs_planner, qid, START, Rating.Good)
    day1 = START + timedelta(hours=6)
    plan1 = exam_forecast.forecast(exam_forecast.inputs(library, store, fsrs_planner, day1, EXAM))
    assert exam_forecast.adaptation_note(store, plan1, day1.date()) == ""  # the promise
    day3 = START + timedelta(days=6, hours=6)  # five days skipped
    plan3 = exam_forecast.forecast(exam_forecast.inputs(library, store, fsrs_planner, day3, EXAM))
    note = exam_forecast.adaptation_note(store, plan3, day3.date())
    assert plan3.recall < plan1.recall
    assert "fell behind" in note and f"{plan1.recall:.0%}" in note
    assert exam_forecast.adaptation_note(store, plan3, day3.date()) == note  # said all day


def test_cli_sets_the_minutes_and_prints_the_plan_as_json(tmp_path, capsys):
    from quizapp.cli import main

    db = ["--db", str(tmp_path / "cli.db")]
    exam_day = date.today() + timedelta(days=9)
    assert main([*db, "exam", exam_day.isoformat(), "--minutes", "25"]) == 0
    assert "expected recall on exam day" in capsys.readouterr().out
    assert main([*db, "exam", "--minutes", "3"]) == 2  # below the 5-minute floor
    assert "between 5 and 600" in capsys.readouterr().err
    assert main([*db, "plan", "--json"]) == 0
    plan = json.loads(capsys.readouterr().out)
    assert plan["exam_date"] == exam_day.isoformat() and plan["minutes_per_day"] == 25
    assert 8 <= len(plan["days"]) <= 10  # today's local date may differ from UTC's
    assert plan["days"][-1]["final_pass"] and 0 < plan["recall"] <= 1
    assert plan["alternative"]["minutes_per_day"] == 30
    assert plan["alternative"]["recall"] >= plan["recall"]
    assert plan["today"]  # a fresh student has new cards to start with
    assert main([*db, "plan"]) == 0
    assert "Expected on exam day" in capsys.readouterr().out


def test_first_ratings_come_from_the_students_first_answers(library, store):
    assert planner.first_ratings(store) == planner.FIRST_RATINGS  # too few yet
    fsrs_planner = Planner.from_store(store, fuzz=False)
    for i in range(planner.MIN_FIRST_RATINGS):
        qid = f"q.{i}"
        first = Rating.Again if i % 4 == 0 else Rating.Good
        answer(store, fsrs_planner, qid, START + timedelta(minutes=i), first)
        answer(store, fsrs_planner, qid, START + timedelta(days=1, minutes=i), Rating.Easy)
    shares = dict(planner.first_ratings(store))
    assert shares[Rating.Again] == 0.25 and shares[Rating.Good] == 0.75
    assert shares[Rating.Easy] == 0.0  # later answers do not count


def test_exam_weights_come_from_the_decks(tmp_path):
    """`exam_weight` in a deck header sets its topic's weight; the bundled sheet topics say 2."""

    bundled = load_library()
    store = Store(tmp_path / "p.db")
    weights = planner.exam_weights(bundled, store)
    assert {t for t, w in weights.items() if w == 2.0} == {"masking", "vit", "clr", "clip"}
    assert weights["transformer"] == 1.0
    deck = tmp_path / "decks" / "extra.yaml"
    deck.parent.mkdir()
    deck.write_text(
        "topic: extra\nexam_weight: 5\nquestions:\n  - id: extra.q\n    kind: flashcard\n"
        "    title: T\n    prompt: P\n    back: B\n    explanation: E\n    source: S\n"
    )
    own = load_library([deck.parent], bundled=False, cache=False)
    assert planner.exam_weights(own, store) == {"extra": 5.0}
    deck.write_text(deck.read_text().replace("exam_weight: 5", "exam_weight: lots"))
    broken = load_library([deck.parent], bundled=False, cache=False)
    assert "'exam_weight' must be a number from 0 to 100" in str(broken.problems[0])


def test_the_plan_names_topics_by_their_short_titles(tmp_path):
    """A deck's `short` names its topic where a day lists several; without one, the title."""
    deck = tmp_path / "decks" / "extra.yaml"
    deck.parent.mkdir()
    header = "topic: extra\ntitle: An extra topic with a long title\nshort: Extra\n"
    body = (
        "questions:\n  - id: extra.q\n    kind: flashcard\n"
        "    title: T\n    prompt: P\n    back: B\n    explanation: E\n    source: S\n"
    )
    deck.write_text(header + body)
    own = load_library([deck.parent], bundled=False, cache=False)
    assert own.topic_short_title("extra") == "Extra"
    assert own.topic_title("extra") == "An extra topic with a long title"
    store = Store(tmp_path / "p.db")
    data = exam_forecast.inputs(own, store, Planner.from_store(store, fuzz=False), START, EXAM)
    assert exam_forecast.forecast(data, 30).days[0].topics == ("Extra",)
    deck.write_text(header.replace("short: Extra", "short: A name far too long to fit") + body)
    broken = load_library([deck.parent], bundled=False, cache=False)
    assert "'short' must be text of at most 16 characters" in str(broken.problems[0])
    deck.write_text(header.replace("short: Extra\n", "") + body)
    untitled = load_library([deck.parent], bundled=False, cache=False)
    assert untitled.topic_short_title("extra") == "An extra topic with a long title"
