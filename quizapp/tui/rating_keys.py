"""The rating keys 1-4 labelled as Anki labels its buttons: each with the interval fsrs
gives the card under that rating ("Again 1m · Hard 6m · Good 10m · Easy 8d")."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from fsrs import Rating
from textual.binding import BindingsMap

from quizapp.study.scheduler import short_interval

RATING_KEYS = {str(int(r)): r for r in Rating}  # "1" Again … "4" Easy


def rating_label(rating: Rating, previews: dict[Rating, datetime], now: datetime) -> str:
    """ "Good 10m", or just "Good" when there is no interval (practice)."""
    due = previews.get(rating)
    return rating.name if due is None else f"{rating.name} {short_interval(due - now)}"


def ratings_text(previews: dict[Rating, datetime], now: datetime) -> str:
    """ "1 Again 1m · 2 Hard 8m · 3 Good 1d · 4 Easy 4d" (only the ratings allowed)."""
    return " · ".join(
        f"{int(r)} {rating_label(r, previews, now)}"
        for r in Rating
        if not previews or r in previews
    )


def label_rating_keys(
    bindings: BindingsMap, previews: dict[Rating, datetime], now: datetime
) -> None:
    """Put each rating's interval on its key's footer label (the caller refreshes)."""
    for key, rating in RATING_KEYS.items():
        bindings.key_to_bindings[key] = [
            replace(b, description=rating_label(rating, previews, now))
            for b in bindings.key_to_bindings.get(key, [])
        ]
