"""Rows of the events area: the public pages, tickets, the portal, the staff check-in.

Decisions: published events, their calendars and each site's feed are public;
a ticket and an opt-in link answer whoever holds their signed code (the code
is the credential, as a ticket is); "my events" opens to anyone signed in; a
proposal to a company's admin; the check-in page and the attendee list to the
staff of the event's site (network managers read them); other sites' staff
get 404.
"""

import datetime as dt

from django.utils import timezone

from events import services
from events.models import EventKind
from technopark.clock import local_datetime
from tests.factories import UserFactory
from tests.matrix import (
    ANONYMOUS,
    EDIT,
    HIDDEN,
    HIDDEN_BUT_ADDS,
    LOGIN,
    NONE,
    READ,
    SHOWS,
    VIEW,
    Url,
    admin_rows,
    everyone,
    named,
    row,
)

STAFF_READ = row(LOGIN, 404, 404, 200, 404, 200, 200)


def _dates(days: int):
    day = timezone.localdate() + dt.timedelta(days=days)
    return [(local_datetime(day, dt.time(14)), local_datetime(day, dt.time(17)))]


def _event(w):
    """A published event in site A's room, a month ahead, with company A's admin registered."""

    def build(w):
        staff = w.people["site_staff"]
        event = services.event_create(
            actor=staff, room=w.space, title="Demo day", kind=EventKind.DEMO_DAY,
            dates=_dates(30), capacity=1,
        )  # fmt: skip
        event = services.event_publish(actor=staff, event=event)
        services.registration_create(event=event, user=w.people["tenant_user"])
        return event

    return w.memo("ev_event", build)


def _registration(w):
    return w.memo("ev_registration", lambda w: _event(w).registrations.get())


def _draft(w):
    return w.memo(
        "ev_draft",
        lambda w: services.event_create(
            actor=w.people["site_staff"], room=w.space, title="Atelier", kind=EventKind.WORKSHOP,
            dates=_dates(40), capacity=5,
        ),
    )  # fmt: skip


def _visitor(w):
    return w.memo(
        "ev_visitor",
        lambda w: services.registration_create(
            event=_event(w), name="Visiteuse", email="visiteuse@example.ma"
        ),
    )


def _promotion(w):
    def build(w):
        event = services.event_create(
            actor=w.people["site_staff"], room=w.space, title="Game jam",
            kind=EventKind.HACKATHON, dates=_dates(50), capacity=1,
        )  # fmt: skip
        event = services.event_publish(actor=w.people["site_staff"], event=event)
        first = services.registration_create(event=event, user=UserFactory())
        services.registration_create(event=event, user=UserFactory())
        services.registration_cancel(actor=first.user, registration=first)
        return event.registrations.get(status="confirmed").promotions.get()

    return w.memo("ev_promotion", build)


ROWS = {
    "events:list": Url(named("events:list", query="price=free"), everyone(200)),
    "events:detail": Url(named("events:detail", lambda w: _event(w).slug), everyone(200)),
    "events:ics": Url(named("events:ics", lambda w: _event(w).slug), everyone(200)),
    "events:site_feed": Url(
        named("events:site_feed", lambda w: (_event(w), w.site.slug)[1]), everyone(200)
    ),
    "events:confirm": Url(
        named("events:confirm", lambda w: services.opt_in_token(_visitor(w))), everyone(200)
    ),
    "events:ticket": Url(
        named("events:ticket", lambda w: services.ticket_token(_registration(w))), everyone(200)
    ),
    "events:my_events": Url(named("events:my_events"), row(LOGIN, 200, 200, 200, 200, 200, 200)),
    # Company admins propose for their own company (company B's admin for company B).
    "events:propose": Url(named("events:propose"), row(LOGIN, 200, 200, 404, 404, 404, 404)),
    "events:cancel": Url(
        named("events:cancel", lambda w: _registration(w).pk),
        row(LOGIN, 302, 404, 404, 404, 404, 404),
        method="post",
    ),
    "events:checkin": Url(named("events:checkin", lambda w: _event(w).slug), STAFF_READ),
    "events:export": Url(named("events:export", lambda w: _event(w).slug), STAFF_READ),
}

# --- Model admins -----------------------------------------------------------------------

# Registrations and promotions are made by the services; the admin lists and reads them.
RECORDS = {
    "anonymous": ANONYMOUS,
    "tenant_user": NONE,
    "other_company_user": NONE,
    "site_staff": (SHOWS, 404, READ, 404, 200),
    "other_site_staff": HIDDEN,
    "network_manager": VIEW,
    "superuser": (SHOWS, 404, READ, 404, 200),
}

ROWS |= admin_rows(
    "events.event",
    _draft,
    {
        "anonymous": ANONYMOUS,
        "tenant_user": NONE,
        "other_company_user": NONE,
        "site_staff": EDIT,
        "other_site_staff": HIDDEN_BUT_ADDS,
        "network_manager": VIEW,
        "superuser": EDIT,
    },
)
ROWS |= admin_rows("events.registration", _registration, RECORDS, simple_history=False)
ROWS |= admin_rows("events.promotion", _promotion, RECORDS, simple_history=False)
