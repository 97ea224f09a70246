"""Every non-trivial read of the events app, with its relations loaded up front."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, DateField, Prefetch, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import ExtractQuarter, ExtractYear
from django.shortcuts import get_object_or_404

from events.models import (
    VISIBLE,
    Event,
    EventDate,
    EventStatus,
    Registration,
    RegistrationStatus,
)
from sites.models import Site
from technopark import access
from technopark.clock import day_bounds, local_date_sql
from technopark.i18n import translated


def _with_dates(events: QuerySet) -> QuerySet:
    return events.select_related("site", "room").prefetch_related(
        Prefetch("dates", queryset=EventDate.objects.order_by("starts_at"))
    )


@dataclass(frozen=True)
class EventFilters:
    site: str = ""
    kind: str = ""
    language: str = ""
    price: str = ""  # "free" or "paid"
    day: dt.date | None = None


def public_events(*, now: dt.datetime, filters: EventFilters | None = None) -> QuerySet:
    """Published events not yet over, soonest first, filtered as the public list asks."""
    filters = filters or EventFilters()
    events = access.public(Event.objects.all()).filter(
        status=EventStatus.PUBLISHED, ends_at__gt=now
    )
    if filters.site:
        events = events.filter(site__slug=filters.site)
    if filters.kind:
        events = events.filter(kind=filters.kind)
    if filters.language:
        events = events.filter(language=filters.language)
    if filters.price == "free":
        events = events.filter(price=0)
    elif filters.price == "paid":
        events = events.filter(price__gt=0)
    if filters.day:
        start, _end = day_bounds(filters.day)
        events = events.filter(ends_at__gt=start)
    return _with_dates(events).order_by("starts_at", "pk")


def event_public(*, slug: str) -> Event:
    """One event the public may read (published or done), or 404."""
    return get_object_or_404(_with_dates(access.public(Event.objects.all())), slug=slug)


def site_next_events(*, site: Site, now: dt.datetime, limit: int = 3) -> list[Event]:
    """The next published events at ``site`` (for its public page)."""
    return list(public_events(now=now, filters=EventFilters(site=site.slug))[:limit])


def site_feed_events(*, site_slug: str) -> tuple[Site, QuerySet]:
    site = get_object_or_404(access.public(Site.objects.all()), slug=site_slug)
    events = access.public(Event.objects.filter(site=site)).filter(status__in=VISIBLE)
    return site, _with_dates(events).order_by("starts_at")


def my_registrations(*, user) -> QuerySet:
    """The person's own registrations, the latest events first."""
    rows = access.scope(Registration.objects.all(), user).filter(user=user)
    return rows.select_related("event__site", "event__room").order_by("-event__starts_at", "pk")


def staff_event(*, user, slug: str, perm: str = "events.view_registration") -> Event:
    """An event whose registrations ``user`` may read as staff of its site, or 404."""
    events = access.scope(
        Event.objects.select_related("site", "room"), user, perm.replace("registration", "event")
    )
    event = get_object_or_404(events, slug=slug)
    access.require(access.at_site(user, perm, event.site_id))
    return event


def attendees(*, event: Event, search: str = "") -> QuerySet:
    """The event's active registrations (confirmed first, then waiting, by arrival)."""
    rows = event.registrations.filter(
        status__in=[
            RegistrationStatus.CONFIRMED,
            RegistrationStatus.WAITING,
            RegistrationStatus.PENDING,
        ]
    )
    if search:
        rows = rows.filter(
            Q(name__icontains=search)
            | Q(email__icontains=search)
            | Q(organisation__icontains=search)
        )
    return rows.select_related("company", "checked_in_by").order_by("status", "name", "pk")


def checkin_counts(*, event: Event) -> dict:
    """Registered (confirmed), checked in, no-shows so far, waiting: one query."""
    counts = event.registrations.aggregate(
        registered=Count("pk", filter=Q(status=RegistrationStatus.CONFIRMED)),
        checked_in=Count("pk", filter=Q(checked_in_at__isnull=False)),
        waiting=Count("pk", filter=Q(status=RegistrationStatus.WAITING)),
    )
    counts["no_shows"] = counts["registered"] - counts["checked_in"]
    return counts


def attendance_by_site_and_quarter(*, user, now: dt.datetime) -> list[dict]:
    """Events held, attendees and no-show rate per site per quarter (the network dashboard's).

    An event is held once its last date has ended (published or done, not
    cancelled); attendees are the confirmed registrations checked in; the
    no-show rate is the share of confirmed registrations never checked in.
    Quarters are read on Morocco's clock from each event's last date (when it was held),
    so quarters add up to their year. One SQL ``GROUP BY`` over the sites ``user``
    may read; rows sorted by site then quarter.
    """
    day_sql, day_params = local_date_sql('"events_event"."ends_at"')
    local_day = RawSQL(day_sql, day_params, output_field=DateField())  # noqa: S611 (the clock's)
    rows = (
        access.scope(Event.objects.all(), user)
        .filter(status__in=VISIBLE, ends_at__lte=now)
        .annotate(held_on=local_day)
        .values(
            "site_id",
            site_name=translated("site__name"),
            year=ExtractYear("held_on"),
            number=ExtractQuarter("held_on"),
        )
        .annotate(
            events=Count("pk", distinct=True),
            confirmed=Count("registrations", filter=Q(registrations__status="confirmed")),
            attendees=Count("registrations", filter=Q(registrations__checked_in_at__isnull=False)),
        )
        .order_by("site_name", "site_id", "year", "number")
    )
    return [
        {
            "site_id": row["site_id"],
            "site": row["site_name"],
            "quarter": f"{row['year']}-Q{row['number']}",
            "events": row["events"],
            "confirmed": row["confirmed"],
            "attendees": row["attendees"],
            "no_show_rate": (row["confirmed"] - row["attendees"]) / row["confirmed"]
            if row["confirmed"]
            else None,
        }
        for row in rows
    ]


def my_proposals(*, user) -> list[Event]:
    """The events proposed by the companies ``user`` runs (any status), latest first."""
    ids = access.company_ids(user, "events.add_event")
    if not ids:
        return []
    return list(
        Event.objects.filter(organiser_company__in=ids)
        .select_related("site", "room", "organiser_company")
        .order_by("-created_at")[:20]
    )


def paid_registrations(*, site: Site, start: dt.datetime, end: dt.datetime) -> QuerySet:
    """What billing bills: confirmed registrations with an account, to the paid events of
    ``site`` that start in ``[start, end)`` (published or done; a cancelled event bills nothing).

    A visitor registered by e-mail alone has no account to invoice: they pay at the door.
    """
    return (
        Registration.objects.filter(
            event__site=site,
            event__price__gt=0,
            event__status__in=VISIBLE,
            event__starts_at__gte=start,
            event__starts_at__lt=end,
            status=RegistrationStatus.CONFIRMED,
            user__isnull=False,
        )
        .select_related("event")
        .order_by("event__starts_at", "pk")
    )
