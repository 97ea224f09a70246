"""Bookings across Morocco's clock changes of 2026 land on the right day and hour.

2026-02-15 03:00: back to UTC+0 for Ramadan (02:00-03:00 happens twice);
2026-03-22 02:00: forward to UTC+1 (02:00-03:00 does not exist);
2026-09-20: permanent UTC+0 (tzdata 2026c; the zone data puts the repeated
hour at 01:00-02:00). The calendar page, the iCal feed and the confirmation
e-mail must all show the local time that was booked.
"""

import datetime as dt

import icalendar
import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import formats, timezone, translation

from coworking import ical, selectors, services
from coworking.models import RoomBooking
from tests.conftest import client_for
from tests.coworking.conftest import NOW

pytestmark = pytest.mark.django_db
T = dt.time.fromisoformat


@pytest.mark.parametrize(
    ("day", "utc_hour"),
    [
        (dt.date(2026, 2, 14), 9),  # UTC+1, the day before Ramadan's change
        (dt.date(2026, 2, 15), 10),  # UTC+0 from 03:00 that night
        (dt.date(2026, 2, 16), 10),
        (dt.date(2026, 3, 21), 10),  # still UTC+0
        (dt.date(2026, 3, 22), 9),  # UTC+1 again from 02:00 that night
        (dt.date(2026, 3, 23), 9),
        (dt.date(2026, 9, 19), 9),  # the last day of UTC+1
        (dt.date(2026, 9, 20), 10),  # permanent UTC+0
        (dt.date(2026, 9, 21), 10),
        (dt.date(2026, 12, 1), 10),
    ],
)
def test_ten_oclock_local_is_ten_in_the_calendar_the_feed_and_the_email(
    nomad, gaming_room, site, day, utc_hour, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        booking = services.room_booking_create(
            actor=nomad, space=gaming_room, day=day, start=T("10:00"), end=T("12:00"), now=NOW
        )
    assert booking.starts_at == dt.datetime.combine(day, dt.time(utc_hour), tzinfo=dt.UTC)

    # The day calendar puts it in the 10:00 column, two hours wide.
    client = client_for(nomad)
    page = client.get(reverse("coworking:calendar_day", args=[site.slug]), {"date": day})
    row = next(r for r in page.context["calendar"].rows if r.room == gaming_room)
    cell = next(c for c in row.cells if c.kind == "booking")
    assert (cell.start, cell.span * page.context["calendar"].step) == (10 * 60, 120)
    local_start = timezone.localtime(booking.starts_at).isoformat()
    assert f'datetime="{local_start}"'.encode() in page.content
    assert local_start.startswith(f"{day.isoformat()}T10:00:00")

    # The week calendar lists it on its day, at 10:00.
    week = client.get(reverse("coworking:calendar_week", args=[site.slug]), {"date": day})
    cells = next(c for r, c in week.context["calendar"].rows if r == gaming_room)
    listed = next(c for c in cells if c.bookings)
    assert listed.day == day

    # The private iCal feed holds the UTC instant, which is 10:00 in Morocco. (The
    # feed as of NOW: the feed page itself, on the real clock, keeps 90 days back.)
    content = ical.person_calendar(
        nomad,
        selectors.feed_room_bookings(user=nomad, now=NOW),
        selectors.feed_desk_reservations(user=nomad, today=NOW.date()),
    )
    event = next(iter(icalendar.Calendar.from_ical(content).walk("VEVENT")))
    start = event.decoded("dtstart")
    assert start == booking.starts_at
    assert f"DTSTART:{day:%Y%m%d}T{utc_hour:02d}0000Z".encode() in content
    assert timezone.localtime(start).date() == day and timezone.localtime(start).hour == 10

    # The confirmation e-mail, in the member's language, says 10:00 on that day.
    message = mail.outbox[-1]
    with translation.override(nomad.language):
        expected_day = formats.date_format(day, "l j F Y")
    assert f"{expected_day}, 10:00–12:00" in message.body


def test_a_booking_for_december_first_at_ten_local_is_stored_as_ten_utc(nomad, gaming_room):
    booking = services.room_booking_create(
        actor=nomad,
        space=gaming_room,
        day=dt.date(2026, 12, 1),
        start=T("10:00"),
        end=T("11:00"),
        now=NOW,
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT to_char(lower(during) AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') "
            "FROM coworking_roombooking WHERE id = %s",
            [booking.pk],
        )
        assert cursor.fetchone()[0] == "2026-12-01 10:00"


@pytest.fixture
def night_room(gaming_room):
    """The gaming room, open all night on Sundays for game jams."""
    hours = gaming_room.booking_rules.opening_hours.get(weekday=6)
    hours.opens, hours.closes = dt.time(0, 0), dt.time(23, 30)
    hours.save()
    return gaming_room


@pytest.mark.parametrize(
    ("day", "time", "code"),
    [
        (dt.date(2026, 2, 15), "02:30", "ambiguous_time"),
        (dt.date(2026, 3, 22), "02:30", "nonexistent_time"),
        (dt.date(2026, 9, 20), "01:30", "ambiguous_time"),
    ],
)
def test_a_time_the_clocks_repeat_or_skip_is_refused_with_a_clear_message(
    nomad, night_room, day, time, code
):
    start = T(time)
    end = (dt.datetime.combine(day, start) + dt.timedelta(hours=1)).time()
    with pytest.raises(ValidationError) as caught, translation.override("en"):
        services.room_booking_create(
            actor=nomad, space=night_room, day=day, start=start, end=end, now=NOW
        )
    assert caught.value.code == code
    with translation.override("en"):
        assert time in caught.value.messages[0]
        assert "clocks" in caught.value.messages[0]
    assert not RoomBooking.objects.exists()


def test_a_night_across_the_switch_lasts_and_costs_its_real_hours(nomad, night_room):
    """00:00 to 04:00 on 2026-09-20 is five real hours: the clock went back one."""
    booking = services.room_booking_create(
        actor=nomad,
        space=night_room,
        day=dt.date(2026, 9, 20),
        start=T("00:00"),
        end=T("04:00"),
        now=NOW,
    )
    assert booking.minutes == 300
    assert booking.price == 500  # 100 MAD an hour
    assert timezone.localtime(booking.starts_at).hour == 0
    assert timezone.localtime(booking.ends_at).hour == 4
