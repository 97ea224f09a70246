"""Morocco's clock, computed in Python from the tzdata package.

The database stores instants in UTC and is never asked to convert to
Africa/Casablanca: a PostgreSQL built on old zone data (Debian's 2025b, for
one) still puts Morocco at UTC+1 after the permanent switch to UTC+0 on
2026-09-20. So local days become UTC ranges here, and queries compare
timestamps with those ranges (no ``__date`` lookups on datetimes, no
``AT TIME ZONE`` in SQL).
"""

import datetime as dt
import functools

from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _


def local_zone() -> dt.tzinfo:
    return timezone.get_default_timezone()


def local_datetime(day: dt.date, time: dt.time) -> dt.datetime:
    """The instant a local wall-clock time names, in the network's zone.

    During the hour repeated when clocks go back, the first occurrence is meant.
    """
    return dt.datetime.combine(day, time, tzinfo=local_zone())


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The instants where local ``day`` starts and the next one starts, in UTC."""
    start = local_datetime(day, dt.time.min).astimezone(dt.UTC)
    end = local_datetime(day + dt.timedelta(days=1), dt.time.min).astimezone(dt.UTC)
    return start, end


class AmbiguousLocalTime(ValueError):  # noqa: N818 (a fact about a time, named so)
    """A wall-clock time the clocks skip (``kind == "skipped"``) or repeat ("repeated")."""

    def __init__(self, kind: str, day: dt.date, time: dt.time):
        super().__init__(f"{day} {time} is {kind} in {local_zone()}")
        self.kind, self.day, self.time = kind, day, time


def local_instant(day: dt.date, time: dt.time) -> dt.datetime:
    """Like :func:`local_datetime`, but refuse times the clocks skip or repeat.

    A time is real when converting it to UTC and back gives the same wall
    clock, and the same instant whichever fold is meant.
    """
    first = local_datetime(day, time)
    back = first.astimezone(dt.UTC).astimezone(local_zone())
    if back.replace(tzinfo=None) != first.replace(tzinfo=None):
        raise AmbiguousLocalTime("skipped", day, time)
    if first.utcoffset() != first.replace(fold=1).utcoffset():
        raise AmbiguousLocalTime("repeated", day, time)
    return first


_SKIPPED = _(
    "%(time)s does not exist on %(day)s: the clocks go forward that night. Choose another time."
)
_REPEATED = _(
    "%(time)s happens twice on %(day)s: the clocks go back that night. Choose another time."
)


def refusal(error: AmbiguousLocalTime) -> ValidationError:
    """The one refusal of a time the clocks skip (code ``nonexistent_time``) or
    repeat (``ambiguous_time``), worded the same wherever it is chosen."""
    skipped = error.kind == "skipped"
    return ValidationError(
        _SKIPPED if skipped else _REPEATED,
        code="nonexistent_time" if skipped else "ambiguous_time",
        params={
            "day": formats.date_format(error.day, "DATE_FORMAT"),
            "time": error.time.strftime("%H:%M"),
        },
    )


def real_local_instant(day: dt.date, time: dt.time) -> dt.datetime:
    """:func:`local_instant`, refusing a skipped or repeated time with :func:`refusal`."""
    try:
        return local_instant(day, time)
    except AmbiguousLocalTime as error:
        raise refusal(error) from None


def local_steps(day: dt.date, start: dt.time, end: dt.time, step: dt.timedelta):
    """Instants from local ``start`` to ``end`` on ``day`` every ``step`` of real time.

    Stepping happens in UTC, so a day when the clocks change gives slots of the
    real length (never a slot of zero or two hours).
    """
    moment = local_instant(day, start).astimezone(dt.UTC)
    last = local_instant(day, end).astimezone(dt.UTC)
    while moment + step <= last:
        yield moment, moment + step
        moment += step


def _offset(moment: dt.datetime, zone: dt.tzinfo) -> float:
    offset = moment.astimezone(zone).utcoffset()
    return offset.total_seconds() if offset else 0.0


@functools.cache
def _offset_spans(first_year: int, last_year: int) -> tuple[tuple[int, tuple], ...]:
    """Morocco's UTC offsets (seconds) from ``first_year`` to ``last_year``, each with the
    UTC spans ``[start, end)`` it held, read hour by hour from tzdata (the zone changes
    on the hour)."""
    zone = local_zone()
    moment = dt.datetime(first_year, 1, 1, tzinfo=dt.UTC)
    stop = dt.datetime(last_year + 1, 1, 1, tzinfo=dt.UTC)
    spans: dict[int, list[tuple[dt.datetime, dt.datetime]]] = {}
    current = int(_offset(moment, zone))
    since = moment
    while moment < stop:
        moment += dt.timedelta(hours=1)
        offset = int(_offset(moment, zone))
        if offset != current or moment >= stop:
            spans.setdefault(current, []).append((since, moment))
            current, since = offset, moment
    return tuple((offset, tuple(ranges)) for offset, ranges in spans.items())


def local_date_sql(column: str) -> tuple[str, list]:
    """SQL for the local (Morocco) date of the UTC timestamp ``column``, with its parameters.

    PostgreSQL's own zone data may be stale (see above), so the offsets come from
    tzdata: one multirange of UTC spans per offset, a ``CASE`` picks the offset.
    Instants before 2000 or after next year are read at UTC+0.
    """
    cases, params = [], []
    for offset, ranges in _offset_spans(2000, timezone.now().year + 1):
        if not offset:
            continue
        literal = "{" + ",".join(f"[{a.isoformat()},{b.isoformat()})" for a, b in ranges) + "}"
        cases.append(f"WHEN {column} <@ %s::tstzmultirange THEN {offset}")
        params.append(literal)
    if not cases:
        return f"({column} AT TIME ZONE 'UTC')::date", []
    shift = f"(CASE {' '.join(cases)} ELSE 0 END) * interval '1 second'"
    return f"(({column} + {shift}) AT TIME ZONE 'UTC')::date", params
