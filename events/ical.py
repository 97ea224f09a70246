"""An event's dates as iCalendar (RFC 5545): one event's "add to calendar", a site's feed.

Times are written as UTC instants, as coworking's feeds do: a client with old
zone data for Africa/Casablanca would misplace a ``TZID`` time, never a UTC one.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import TYPE_CHECKING

from django.conf import settings
from django.urls import reverse

from coworking.ical import DOMAIN, PRODID, ical_response
from events.models import Event

if TYPE_CHECKING:
    import icalendar

__all__ = ["event_calendar", "ical_response", "site_calendar"]


def _calendar(name: str) -> icalendar.Calendar:
    import icalendar  # imported when a calendar is built: start-up does not pay for it

    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    return calendar


def _entries(event: Event):
    import icalendar

    url = settings.SITE_URL + reverse("events:detail", args=[event.slug])
    location = ", ".join(
        part for part in (event.room.name, event.site.name, event.site.address) if part
    )
    for date in event.dates.all():
        entry = icalendar.Event()
        entry.add("uid", f"event-date-{date.pk}@{DOMAIN}")
        entry.add("dtstamp", (event.published_at or event.created_at).astimezone(dt.UTC))
        entry.add("dtstart", date.starts_at.astimezone(dt.UTC))
        entry.add("dtend", date.ends_at.astimezone(dt.UTC))
        entry.add("summary", event.title)
        entry.add("description", f"{event.summary}\n{url}".strip())
        entry.add("location", location)
        entry.add("url", url)
        entry.add("status", "CANCELLED" if event.status == "cancelled" else "CONFIRMED")
        yield entry


def event_calendar(event: Event) -> bytes:
    calendar = _calendar(event.title)
    for entry in _entries(event):
        calendar.add_component(entry)
    return calendar.to_ical()


def site_calendar(site, events) -> bytes:
    calendar = _calendar(site.name)
    for event in events:
        for entry in _entries(event):
            calendar.add_component(entry)
    return calendar.to_ical()


def ticket_attachments(context: dict) -> list[tuple[str, bytes, str]]:
    """What a confirmation, promotion or reminder carries: the event's .ics, the ticket's QR."""
    import segno

    event, token = context["event"], context.get("token", "")
    files = [(f"{event.slug}.ics", event_calendar(event), "text/calendar")]
    registration = context.get("registration")
    if token and registration is not None and registration.status == "confirmed":
        png = io.BytesIO()
        segno.make(token, error="m").save(png, kind="png", scale=6)
        files.append(("ticket.png", png.getvalue(), "image/png"))
    return files
