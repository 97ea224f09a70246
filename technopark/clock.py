"""Morocco's clock, computed in Python from the tzdata package.

The database stores instants in UTC and is never asked to convert to
Africa/Casablanca: a PostgreSQL built on old zone data (Debian's 2025b, for
one) still puts Morocco at UTC+1 after the permanent switch to UTC+0 on
2026-09-20. So local days become UTC ranges here, and queries compare
timestamps with those ranges (no ``__date`` lookups on datetimes, no
``AT TIME ZONE`` in SQL).
"""

import datetime as dt

from django.utils import timezone


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
