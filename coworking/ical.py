"""iCalendar feeds (RFC 5545), built with the ``icalendar`` package.

Room bookings are written as UTC instants (``DTSTART:20261201T100000Z``):
a calendar client with old zone data for Africa/Casablanca would misplace a
``TZID``-based time, but never a UTC one. The local times, as the network's
clock reads them, are repeated in each event's description. Desk
reservations are whole days (``VALUE=DATE``), as they are stored.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.http import HttpResponse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from coworking.models import BookingStatus, DeskReservation, RoomBooking

if TYPE_CHECKING:
    import icalendar

PRODID = "-//MITC//Technopark network//FR"
DOMAIN = "technopark.ma"


def _calendar(name: str) -> icalendar.Calendar:
    import icalendar  # imported when a feed is built: start-up does not pay for it

    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    return calendar


def local_span(booking: RoomBooking) -> str:
    """E.g. ``mardi 1 décembre 2026, 10:00–12:00`` in the active language, local time."""
    start = timezone.localtime(booking.starts_at)
    end = timezone.localtime(booking.ends_at)
    return _("%(day)s, %(start)s–%(end)s") % {
        "day": formats.date_format(start.date(), "l j F Y"),
        "start": start.strftime("%H:%M"),
        "end": end.strftime("%H:%M"),
    }


def _booking_event(booking: RoomBooking, *, with_holder: bool) -> icalendar.Event:
    import icalendar  # imported when a feed is built: start-up does not pay for it

    event = icalendar.Event()
    event.add("uid", f"room-booking-{booking.pk}@{DOMAIN}")
    event.add("dtstamp", booking.created_at.astimezone(dt.UTC))
    event.add("dtstart", booking.starts_at.astimezone(dt.UTC))
    event.add("dtend", booking.ends_at.astimezone(dt.UTC))
    summary = booking.title or booking.space.name
    if booking.title:
        summary = f"{booking.title} · {booking.space.name}"
    event.add("summary", summary)
    event.add("location", f"{booking.space.name}, {booking.space.site.name}")
    lines = [_("Local time (Morocco): %(span)s") % {"span": local_span(booking)}]
    if with_holder:
        who = str(booking.holder)
        if booking.company_id:
            who = f"{who} ({booking.company})"
        lines.append(_("Booked for: %(who)s") % {"who": who})
    event.add("description", "\n".join(lines))
    pending = booking.status == BookingStatus.PENDING
    event.add("status", "TENTATIVE" if pending else "CONFIRMED")
    return event


def _reservation_event(reservation: DeskReservation) -> icalendar.Event:
    import icalendar  # imported when a feed is built: start-up does not pay for it

    site = reservation.desk.space.site
    event = icalendar.Event()
    event.add("uid", f"desk-reservation-{reservation.pk}@{DOMAIN}")
    event.add("dtstamp", reservation.created_at.astimezone(dt.UTC))
    event.add("dtstart", reservation.period.lower)
    event.add("dtend", reservation.period.upper)
    event.add(
        "summary",
        _("Desk %(desk)s · %(site)s") % {"desk": reservation.desk.label, "site": site.name},
    )
    event.add("location", site.name)
    event.add("transp", "TRANSPARENT")
    return event


def person_calendar(user, bookings, reservations) -> bytes:
    calendar = _calendar(_("Technopark · %(name)s") % {"name": user.get_full_name()})
    for booking in bookings:
        calendar.add_component(_booking_event(booking, with_holder=False))
    for reservation in reservations:
        calendar.add_component(_reservation_event(reservation))
    return calendar.to_ical()


def room_calendar(room, bookings) -> bytes:
    calendar = _calendar(f"{room.name} · {room.site.name}")
    for booking in bookings:
        calendar.add_component(_booking_event(booking, with_holder=True))
    return calendar.to_ical()


def ical_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response
