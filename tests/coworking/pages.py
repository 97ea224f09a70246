"""What the coworking page tests share: a Monday to book on, a booking, the booking form's data."""

import datetime as dt

from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.utils import timezone

from coworking.models import RoomBooking
from tests.clock import TODAY


def next_monday():
    """The Monday of the third week after the pinned today."""
    return TODAY + dt.timedelta(days=21 - TODAY.weekday())


def booking_at(room, holder, day, hour=10, hours=1, **fields):
    start = dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_default_timezone())
    return RoomBooking.objects.create(
        space=room,
        during=DateTimeTZRange(start, start + dt.timedelta(hours=hours)),
        holder=holder,
        booked_by=holder,
        **fields,
    )


def form_data(room, day, **overrides):
    data = {
        "site": room.site_id,
        "space": room.pk,
        "day": day.isoformat(),
        "start": "10:00",
        "end": "11:30",
        "title": "Sprint review",
        "attendees": 4,
    }
    return data | overrides
