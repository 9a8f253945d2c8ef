"""The student's local calendar days, and the instant each one begins.

Scheduling (the daily new-card limit) and statistics (reviews per day, the streak, the
exam plan) must agree on when a day starts, also on the two days a year the clocks
change. So a day begins at its own local midnight, with the UTC offset in force at that
midnight, and a moment belongs to the local date the system clock shows for it. Both come
from the C library's local time (via `mktime` and `astimezone`), which is also what
SQLite's 'localtime' modifier uses, so SQL grouping by day agrees with Python.
"""

from __future__ import annotations

import time
from datetime import UTC, date, datetime

# For SQLite's date(): turns a stored UTC timestamp into its local date, DST included.
SQL_LOCALTIME = "localtime"


def local_day(moment: datetime) -> date:
    """The local calendar date of an aware `moment`."""
    return moment.astimezone().date()


def day_start(day: date, hour: int = 0) -> datetime:
    """The UTC instant local `day` reaches `hour` o'clock (midnight by default).

    Built from the local calendar date with mktime, so on DST days the offset is the one
    in force at that hour, not the one at some other moment of the day.
    """
    seconds = time.mktime((day.year, day.month, day.day, hour, 0, 0, 0, 0, -1))
    return datetime.fromtimestamp(seconds, UTC)


def start_of_day(moment: datetime) -> datetime:
    """Local midnight of `moment`'s local day, as an aware UTC datetime."""
    return day_start(local_day(moment))
