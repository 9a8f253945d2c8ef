"""A study session driven without a screen, with time under the test's control."""

from datetime import timedelta

from fsrs import Rating, State

from quizapp.decks.content import load_library
from quizapp.progress.store import Store
from quizapp.study.scheduler import Planner, due_queue
from quizapp.study.session import StudySession

from testkit import GOOD_DECKS


def _session(db_path, clock, **kwargs):
    library = load_library([GOOD_DECKS], bundled=False)
    store = Store(db_path)
    return StudySession(
        library, store, Planner.from_store(store, fuzz=False), clock=clock, **kwargs
    )


def test_new_cards_come_lighter_kinds_first_and_answers_are_recorded(db_path, clock):
    session = _session(db_path, clock)
    assert session.queue == ["basics.flash", "basics.pick", "basics.memory", "basics.essay"]
    session.queue = session.queue[2:]
    variant = session.next()
    assert "256x256" in variant.prompt
    clock.advance(seconds=30)
    outcome = session.answer_numeric("8192 GiB")
    assert (outcome.status, outcome.rating, outcome.recorded) == ("correct", Rating.Good, True)
    review = session.store.reviews("basics.memory")[0]
    assert (review.correct, review.rating, review.duration_ms, review.answer) == (
        True,
        3,
        30_000,
        "8192 GiB",
    )
    assert session.store.card("basics.memory").due == outcome.next_due


def test_fast_right_answer_is_good_until_the_student_says_easy(db_path, clock):
    session = _session(db_path, clock, question_ids=["basics.memory"])
    session.next()
    clock.advance(seconds=3)
    outcome = session.answer_numeric("8796 GB")
    assert outcome.rating == Rating.Good  # speed alone never makes it Easy
    previews = session.intervals()
    assert set(previews) == set(Rating)
    assert previews[Rating.Again] < previews[Rating.Hard] < previews[Rating.Good]
    assert previews[Rating.Good] < previews[Rating.Easy]
    assert outcome.next_due == previews[Rating.Good]
    clock.advance(seconds=2)
    changed = session.change_rating(Rating.Easy)
    assert changed is not None and changed.rating == Rating.Easy
    assert changed.next_due == previews[Rating.Easy]  # exactly what the key showed
    reviews = session.store.reviews("basics.memory")
    assert [(r.rating, r.mode) for r in reviews] == [(4, "review")]  # one review, re-rated
    assert session.store.card("basics.memory").due == previews[Rating.Easy]
    assert (session.done, session.correct_count) == (1, 1)
    again = session.change_rating(Rating.Again)  # and back down: it comes back this session
    assert again is not None and session.queue == ["basics.memory"]
    assert [r.rating for r in session.store.reviews("basics.memory")] == [1]
    session.change_rating(Rating.Good)
    assert session.queue == ["basics.memory"] and session.repeats == 1  # Good: a 10 min step


def test_right_answer_is_good_and_wrong_is_again(db_path, clock):
    session = _session(
        db_path, clock, question_ids=["basics.memory", "basics.flash", "basics.pick"]
    )
    session.next()
    clock.advance(seconds=3)
    assert session.answer_numeric("8796 GB").rating == Rating.Good
    session.next()
    session.reveal()
    session.rate(Rating.Good)
    session.next()
    outcome = session.answer_choice({1})
    assert (outcome.status, outcome.rating) == ("incorrect", Rating.Again)
    shown_at = session.current.shown_options().index(0) + 1  # options are shuffled
    assert f"option {shown_at}." in outcome.message


def test_unreadable_answer_is_not_recorded_and_can_be_retried(db_path, clock):
    session = _session(db_path, clock, question_ids=["basics.memory"])
    session.next()
    assert session.answer_numeric("lots").status == "unreadable"
    assert session.store.review_count() == 0
    assert session.answer_numeric("8.8 TB").status == "correct"


def test_again_card_comes_back_in_the_same_session(db_path, clock):
    session = _session(db_path, clock, question_ids=["basics.pick"])
    session.next()
    session.answer_choice({1})
    assert session.queue == ["basics.pick"]
    session.next()
    clock.advance(minutes=2)
    assert session.answer_choice({0}).status == "correct"
    assert session.queue == ["basics.pick"]  # a learning step of minutes: once more today
    session.next()
    clock.advance(minutes=11)
    outcome = session.answer_choice({0})
    assert outcome.next_due - clock() >= timedelta(days=1)  # graduated
    assert session.queue == []


def test_open_answer_rating_follows_the_rubric(db_path, clock):
    session = _session(db_path, clock, question_ids=["basics.essay", "basics.essay"])
    session.next()
    assert session.submit_open("variance grows").status == "revealed"
    assert session.rate_rubric({0}).rating == Rating.Hard
    assert session.store.reviews("basics.essay")[0].answer == "variance grows"


def test_practice_is_logged_but_never_moves_the_schedule(db_path, clock):
    session = _session(db_path, clock, question_ids=["basics.pick"], mode="practice")
    session.next()
    outcome = session.answer_choice({0})
    assert outcome.next_due is None
    assert session.store.card("basics.pick") is None
    assert [r.mode for r in session.store.reviews()] == ["practice"]


def test_due_queue_puts_overdue_first_and_limits_new_cards(db_path, clock):
    session = _session(db_path, clock, question_ids=["basics.flash"])
    session.next()
    session.reveal()
    session.rate(Rating.Good)
    library, store = session.library, session.store
    clock.advance(days=3)
    queue = due_queue(library, store, clock(), new_per_day=2)
    assert queue[0] == "basics.flash"
    assert len(queue) == 3
    assert store.card("basics.flash").state in (State.Learning, State.Review)


def test_parameterised_question_shows_the_course_numbers_first_then_draws(tmp_path, clock):
    deck = tmp_path / "decks"
    deck.mkdir()
    (deck / "v.yaml").write_text(
        (GOOD_DECKS / "basics.yaml")
        .read_text()
        .replace(
            "    solver_unit: B\n",
            "    solver_unit: B\n    vary:\n      image_size: [64, 128, 512]\n",
            1,
        )
    )
    library = load_library([deck], bundled=False)
    store = Store(tmp_path / "p.db")
    session = StudySession(
        library,
        store,
        Planner.from_store(store, fuzz=False),
        clock=clock,
        question_ids=["basics.memory"] * 3,
        mode="practice",
    )
    first = session.next()
    assert first.params["image_size"] == 256 and first.seed is None
    session.answer_numeric("8.8 TB")
    later = {session.next().params["image_size"] for _ in range(1)}
    assert later <= {64, 128, 512}
