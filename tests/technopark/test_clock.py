"""Morocco's clock inside the configured project: tzdata's rules, not the system's."""

import datetime as dt
import zoneinfo

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from technopark import clock


def test_python_reads_zone_data_from_the_tzdata_package_only():
    assert zoneinfo.TZPATH == ()


def test_the_project_runs_on_casablanca_time():
    assert settings.TIME_ZONE == "Africa/Casablanca"
    assert settings.USE_TZ is True
    assert str(timezone.get_default_timezone()) == "Africa/Casablanca"


@pytest.mark.parametrize(
    ("day", "utc_hour"),
    [
        # Permanent UTC+0 since 2026-09-20 (tzdata 2026c).
        (dt.date(2026, 12, 1), 10),
        # UTC+1 outside Ramadan before the switch.
        (dt.date(2026, 6, 1), 9),
        # Ramadan 2026: back to UTC+0 from 2026-02-15 to 2026-03-22.
        (dt.date(2026, 3, 1), 10),
    ],
)
def test_ten_oclock_local_is_the_right_utc_instant(day, utc_hour):
    aware = clock.local_datetime(day, dt.time(10, 0))
    assert aware.astimezone(dt.UTC) == dt.datetime.combine(day, dt.time(utc_hour), tzinfo=dt.UTC)
    assert timezone.localtime(aware).hour == 10


def test_a_local_day_after_the_switch_is_exactly_the_utc_day():
    start, end = clock.day_bounds(dt.date(2026, 12, 1))
    assert start == dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    assert end == dt.datetime(2026, 12, 2, tzinfo=dt.UTC)


def test_the_day_of_the_switch_lasts_25_hours():
    start, end = clock.day_bounds(dt.date(2026, 9, 20))
    assert start == dt.datetime(2026, 9, 19, 23, 0, tzinfo=dt.UTC)
    assert end - start == dt.timedelta(hours=25)


@pytest.mark.django_db
def test_postgresql_stores_local_ten_oclock_on_december_first_as_ten_utc():
    instant = clock.local_datetime(dt.date(2026, 12, 1), dt.time(10, 0))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT to_char(%s::timestamptz AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI')",
            [instant],
        )
        assert cursor.fetchone()[0] == "2026-12-01 10:00"


def test_a_repeated_or_skipped_local_time_is_refused():
    # 2026-09-20: clocks go back from 02:00 (UTC+1) to 01:00 (UTC+0).
    with pytest.raises(clock.AmbiguousLocalTime) as repeated:
        clock.local_instant(dt.date(2026, 9, 20), dt.time(1, 30))
    assert repeated.value.kind == "repeated"
    # 2026-03-22: clocks go forward from 02:00 (UTC+0) to 03:00 (UTC+1).
    with pytest.raises(clock.AmbiguousLocalTime) as skipped:
        clock.local_instant(dt.date(2026, 3, 22), dt.time(2, 30))
    assert skipped.value.kind == "skipped"
    assert clock.local_instant(dt.date(2026, 12, 1), dt.time(10)).utcoffset() == dt.timedelta(0)


def test_steps_are_real_time_across_the_change():
    slots = list(
        clock.local_steps(
            dt.date(2026, 3, 22), dt.time(1, 0), dt.time(4, 0), dt.timedelta(minutes=60)
        )
    )
    assert all(end - start == dt.timedelta(hours=1) for start, end in slots)
    assert len(slots) == 2  # 01:00 to 04:00 local that night is two real hours
