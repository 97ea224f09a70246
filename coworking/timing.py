"""Local wall-clock times of bookings, and the hours Morocco's clock skips or repeats.

When the clocks go forward (2026-03-22, 02:00 -> 03:00) a local time in the
gap names no instant; when they go back (2026-02-15 and 2026-09-20) the times
of the repeated hour name two instants. A booking at such a time is refused
with a message, rather than silently moved an hour: what the zone data says
decides which times those are (``technopark.clock`` reads it from tzdata).
"""

import datetime as dt

from django.utils import formats, timezone

from technopark import clock

#: The dates pages and forms accept: from the year before the network's first
#: site opened (2001) to two years ahead of today. Beyond them the app has
#: nothing to show, and near year 1 or 9999 a day's bounds overflow; every
#: booking horizon lies inside them.
FIRST_DAY = dt.date(2000, 1, 1)
AHEAD = dt.timedelta(days=2 * 366)


def format_day(day: dt.date) -> str:
    """A day as messages show it, in the active language (``2 février 2026``)."""
    return formats.date_format(day, "DATE_FORMAT")


def local_instant(day: dt.date, time: dt.time) -> dt.datetime:
    """The instant local ``time`` on ``day`` names, in UTC; refuses skipped or repeated times."""
    return clock.real_local_instant(day, time).astimezone(dt.UTC)


def reach(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The first and last dates pages and forms accept (``today``: the local date by default)."""
    return FIRST_DAY, (today or timezone.localdate()) + AHEAD


def within_reach(day: dt.date, today: dt.date | None = None) -> bool:
    first, last = reach(today)
    return first <= day <= last


def local_day_of(instant: dt.datetime) -> dt.date:
    return timezone.localtime(instant).date()


def local_minutes(instant: dt.datetime) -> int:
    """Minutes since local midnight on the wall clock (what the calendar grid shows)."""
    local = timezone.localtime(instant)
    return local.hour * 60 + local.minute


def month_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The instants where the local month of ``day`` starts and the next one starts."""
    first = day.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return clock.day_bounds(first)[0], clock.day_bounds(following)[0]


def add_month(day: dt.date) -> dt.date:
    """The same day next month, or the month's last day when it has no such day."""
    following = (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    last = (following + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    return following.replace(day=min(day.day, last.day))
