"""Reads of the coworking app, each already shaped for its page.

Every query on site or tenant data passes through ``technopark.access``
(``scope`` for a person's rows, ``public`` for what anybody may see). Local
days become UTC ranges in Python (``technopark.clock.day_bounds``).
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.backends.postgresql.psycopg_any import DateRange, DateTimeTZRange
from django.db.models import (
    Count,
    Exists,
    F,
    FloatField,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.utils import timezone

from coworking.models import (
    ACTIVE_BOOKING,
    Allowance,
    BookingStatus,
    CalendarFeed,
    CheckInStatus,
    Desk,
    DeskCheckIn,
    DeskReservation,
    NomadProfile,
    NomadStatus,
    OpeningHours,
    Pass,
    PassPrice,
    PassStatus,
    ReservationStatus,
    RoomBooking,
)
from coworking.models.feeds import hash_token
from coworking.timing import month_bounds
from sites.models import Closure, Site, SiteStatus, Space
from technopark import access, clock
from technopark.db import Epoch
from technopark.models import User
from tenants.models import CompanyStatus, Membership

#: How far back a private feed goes: calendars keep what they already fetched.
FEED_HISTORY = dt.timedelta(days=90)


# --- Rooms and sites --------------------------------------------------------------------


def bookable_rooms(*, site: Site | None = None) -> QuerySet[Space]:
    """Rooms anybody may book (bookable, with rules, at an operating site), with their hours."""
    rooms = access.public(
        Space.objects.filter(
            bookable=True, booking_rules__isnull=False, site__status=SiteStatus.OPERATING
        )
    )
    if site is not None:
        rooms = rooms.filter(site=site)
    return (
        rooms.select_related("site", "booking_rules")
        .prefetch_related(
            Prefetch(
                "booking_rules__opening_hours", queryset=OpeningHours.objects.order_by("weekday")
            )
        )
        .order_by("site__name", "name")
    )


@dataclass(frozen=True)
class HoursLine:
    """Weekdays ``first``..``last`` (the same day when one) open from ``opens`` to ``closes``."""

    first: int
    last: int
    opens: dt.time
    closes: dt.time


def site_opening_hours(*, site: Site) -> list[HoursLine]:
    """When ``site``'s bookable rooms are open, per weekday: the earliest opening and the
    latest closing of its rooms, consecutive days with the same hours on one line.

    One query. The site has no opening hours of its own: its rooms' are what staff keep.
    """
    rows = (
        access.public(
            OpeningHours.objects.filter(
                rules__space__site=site,
                rules__space__bookable=True,
                rules__space__site__status=SiteStatus.OPERATING,
            )
        )
        .values("weekday")
        .annotate(opens=Min("opens"), closes=Max("closes"))
        .order_by("weekday")
    )
    lines: list[HoursLine] = []
    for row in rows:
        last = lines[-1] if lines else None
        if (
            last is not None
            and last.last == row["weekday"] - 1
            and (last.opens, last.closes) == (row["opens"], row["closes"])
        ):
            lines[-1] = HoursLine(last.first, row["weekday"], last.opens, last.closes)
        else:
            lines.append(HoursLine(row["weekday"], row["weekday"], row["opens"], row["closes"]))
    return lines


def booking_sites() -> QuerySet[Site]:
    """Operating sites with at least one bookable room."""
    rooms = bookable_rooms().filter(site=OuterRef("pk"))
    return access.public(Site.objects.filter(Exists(rooms))).order_by("name")


def coworking_sites() -> QuerySet[Site]:
    """Operating sites whose coworking area has desks in service."""
    desks = access.public(Desk.objects.filter(space__site=OuterRef("pk")))
    return access.public(Site.objects.filter(Exists(desks), status=SiteStatus.OPERATING)).order_by(
        "name"
    )


def coworking_site_public(*, slug: str) -> Site:
    """One site with a coworking area, by slug, or 404."""
    try:
        return coworking_sites().get(slug=slug)
    except Site.DoesNotExist:
        raise Http404 from None


def site_public(*, slug: str) -> Site:
    try:
        return access.public(Site.objects.all()).get(slug=slug)
    except Site.DoesNotExist:
        raise Http404 from None


def pass_prices(*, site: Site) -> QuerySet[PassPrice]:
    return access.public(PassPrice.objects.filter(site=site)).order_by("price")


def price_list() -> QuerySet[PassPrice]:
    """Every published pass price at the sites with coworking, by site."""
    return (
        access.public(PassPrice.objects.filter(site__in=coworking_sites()))
        .select_related("site")
        .order_by("site__name", "price")
    )


def closures_by_day(*, site: Site, first: dt.date, last: dt.date) -> dict[dt.date, Closure]:
    """The closures of ``site`` or the whole network from ``first`` to ``last``, to show them.

    Which days are closed is ``sites.selectors.closed_days``; this is for the
    pages and messages that also say why (a site's closure wins over the
    network's on the same day).
    """
    rows = access.public(
        Closure.objects.filter(Q(site__isnull=True) | Q(site=site), date__range=(first, last))
    ).order_by("-site")
    return {closure.date: closure for closure in rows}


# --- A person's own -------------------------------------------------------------------


def free_minutes_used(*, company, site_ids, day: dt.date) -> dict[int, int]:
    """Free minutes ``company``'s active bookings spent at each of ``site_ids`` in the
    local month of ``day`` (one query); a site where none were spent is left out."""
    start, end = month_bounds(day)
    rows = (
        RoomBooking.objects.filter(
            company=company,
            space__site__in=site_ids,
            status__in=ACTIVE_BOOKING,
            during__startswith__gte=start,
            during__startswith__lt=end,
        )
        .values("space__site")
        .annotate(used=Sum("free_minutes"))
        .order_by()
    )
    return {row["space__site"]: row["used"] or 0 for row in rows}


@dataclass(frozen=True)
class FreeTime:
    """A company's free room time at one site in one month, in minutes."""

    site: Site
    total: int
    used: int

    @property
    def left(self) -> int:
        return max(0, self.total - self.used)


def free_time_left(*, company, user, day: dt.date) -> list[FreeTime]:
    """The free room time ``company`` has left this month at each site that gives it some
    (the allowances ``user`` may read), in two queries whatever the number of sites."""
    if company is None:
        return []
    allowances = list(
        access.scope(Allowance.objects.filter(company=company), user)
        .select_related("site")
        .order_by("site__name")
    )
    if not allowances:
        return []
    used = free_minutes_used(company=company, site_ids=[a.site_id for a in allowances], day=day)
    return [
        FreeTime(site=a.site, total=int(a.hours_per_month * 60), used=used.get(a.site_id, 0))
        for a in allowances
    ]


def my_room_bookings(*, user) -> QuerySet[RoomBooking]:
    """Room bookings held by ``user``, latest first."""
    return (
        access.scope(RoomBooking.objects.filter(holder=user), user)
        .select_related("space__site", "space__booking_rules", "company")
        .order_by("-during")
    )


def my_passes(*, user) -> QuerySet[Pass]:
    return (
        access.scope(Pass.objects.filter(holder=user), user)
        .select_related("site", "company")
        .order_by("-period")
    )


def my_usable_passes(*, user, today: dt.date) -> QuerySet[Pass]:
    """Active passes of ``user`` not yet over: those a desk can be reserved with."""
    return my_passes(user=user).filter(status=PassStatus.ACTIVE, period__endswith__gt=today)


def my_desk_reservations(*, user) -> QuerySet[DeskReservation]:
    return (
        access.scope(DeskReservation.objects.filter(holder=user), user)
        .select_related("desk__space__site", "desk_pass")
        .order_by("-period")
    )


def nomad_profile_of(user) -> NomadProfile | None:
    """The person's own nomad membership, if any."""
    profiles = access.scope(NomadProfile.objects.filter(user=user), user)
    return profiles.select_related("site").first()


def live_feed(*, user) -> CalendarFeed | None:
    feeds = CalendarFeed.objects.filter(user=user, revoked_at__isnull=True)
    return access.scope(feeds, user).first()


# --- Front desk and approvals ---------------------------------------------------------
# Staff pages count staff roles only (``via="site"``): a tenant's right on its
# own booking does not put it on a front desk.


def expected_on(*, site: Site, day: dt.date, user) -> QuerySet[DeskReservation]:
    """Desk reservations at ``site`` covering ``day``, with that day's check-in (if any)."""
    return (
        access.scope(DeskReservation.objects.all(), user, via=access.VIA_SITE)
        .filter(desk__space__site=site, status=ReservationStatus.ACTIVE, period__contains=day)
        .select_related("holder", "company", "desk", "desk_pass")
        .prefetch_related(
            Prefetch("checkins", queryset=DeskCheckIn.objects.filter(day=day), to_attr="today")
        )
        .order_by("desk__label")
    )


def room_bookings_on(*, site: Site, day: dt.date, user) -> QuerySet[RoomBooking]:
    start, end = clock.day_bounds(day)
    return (
        access.scope(RoomBooking.objects.all(), user, via=access.VIA_SITE)
        .filter(space__site=site, status__in=ACTIVE_BOOKING, during__overlap=(start, end))
        .select_related("space", "holder", "company")
        .order_by("during")
    )


def staff_rooms(*, site: Site, user) -> QuerySet[Space]:
    """The bookable rooms of ``site`` whose bookings ``user`` may read as staff."""
    return access.scope(
        Space.objects.filter(site=site, bookable=True),
        user,
        "coworking.view_roombooking",
        via=access.VIA_SITE,
    ).order_by("name")


def pending_bookings(*, site: Site, user) -> QuerySet[RoomBooking]:
    return (
        access.scope(RoomBooking.objects.all(), user, via=access.VIA_SITE)
        .filter(space__site=site, status=BookingStatus.PENDING)
        .select_related("space", "holder", "company")
        .order_by("during")
    )


def pending_nomads(*, site: Site, user) -> QuerySet[NomadProfile]:
    return (
        access.scope(NomadProfile.objects.all(), user, via=access.VIA_SITE)
        .filter(site=site, status=NomadStatus.PENDING)
        .select_related("user")
        .order_by("created_at")
    )


def requested_passes(*, site: Site, user) -> QuerySet[Pass]:
    return (
        access.scope(Pass.objects.all(), user, via=access.VIA_SITE)
        .filter(site=site, status=PassStatus.REQUESTED)
        .select_related("holder__nomad_profile", "company")
        .order_by("period")
    )


def staff_site(*, user, slug: str) -> Site:
    """A site where ``user`` may read desk reservations (its staff, the network), or 404."""
    return access.get_object_or_404(
        Site.objects.all(), user, "coworking.view_deskreservation", via=access.VIA_SITE, slug=slug
    )


def staff_sites(*, user) -> QuerySet[Site]:
    return access.scope(
        Site.objects.all(), user, "coworking.view_deskreservation", via=access.VIA_SITE
    ).order_by("name")


def site_people(*, site: Site, user) -> QuerySet[User]:
    """People ``user`` may book or assign a desk for at ``site``, as its staff.

    The members of the site's resident companies and its approved nomad
    members, each read through the gate: a person of another site is not a
    choice, so posting one is a form error.
    """
    members = access.scope(
        Membership.objects.filter(company__home_site=site, company__status=CompanyStatus.RESIDENT),
        user,
        "tenants.view_membership",
        via=access.VIA_SITE,
    )
    nomads = access.scope(
        NomadProfile.objects.filter(site=site, status=NomadStatus.APPROVED),
        user,
        "coworking.view_nomadprofile",
        via=access.VIA_SITE,
    )
    return User.objects.filter(
        Q(pk__in=members.values("user")) | Q(pk__in=nomads.values("user")), is_active=True
    ).order_by("full_name", "email")


# --- Feeds ----------------------------------------------------------------------------


def feed_by_token(*, token: str) -> CalendarFeed:
    """The live feed of this secret token, found by its hash; 404 if unknown or revoked."""
    feed = (
        CalendarFeed.objects.filter(token_hash=hash_token(token), revoked_at__isnull=True)
        .select_related("user")
        .first()
    )
    if feed is None or not feed.user.is_active:
        raise Http404
    return feed


def feed_room_bookings(*, user, now: dt.datetime | None = None) -> QuerySet[RoomBooking]:
    """Active room bookings of ``user`` ending in the last 90 days or later, for their feed."""
    since = (now or timezone.now()) - FEED_HISTORY
    return (
        my_room_bookings(user=user)
        .filter(status__in=ACTIVE_BOOKING, during__endswith__gt=since)
        .order_by("during")
    )


def feed_desk_reservations(*, user, today: dt.date | None = None) -> QuerySet[DeskReservation]:
    """Active desk reservations of ``user`` ending in the last 90 days or later."""
    since = (today or timezone.localdate()) - FEED_HISTORY
    return (
        my_desk_reservations(user=user)
        .filter(status=ReservationStatus.ACTIVE, period__endswith__gt=since)
        .order_by("period")
    )


def room_for_staff(*, user, pk: int) -> Space:
    """A bookable room whose bookings ``user`` may read as staff, or 404."""
    return access.get_object_or_404(
        Space.objects.filter(bookable=True).select_related("site"),
        user,
        "coworking.view_roombooking",
        via=access.VIA_SITE,
        pk=pk,
    )


def room_feed_bookings(*, room: Space, user) -> QuerySet[RoomBooking]:
    return (
        access.scope(
            RoomBooking.objects.filter(space=room, status__in=ACTIVE_BOOKING),
            user,
            via=access.VIA_SITE,
        )
        .select_related("holder", "company", "space__site")
        .order_by("during")
    )


# --- The network dashboard ---------------------------------------------------------------


@dataclass
class CoworkingFigures:
    """A site's coworking and rooms over a period (up to today for the running one)."""

    desks: int = 0
    desk_days_open: int = 0
    desk_days_used: int = 0
    checked_in: int = 0
    no_shows: int = 0
    room_hours_open: float = 0.0
    room_hours_booked: float = 0.0
    nomads: int = 0
    nomads_new: int = 0
    passes: int = 0
    pass_revenue: Decimal = Decimal(0)

    @property
    def desk_utilisation(self) -> float | None:
        """Desk-days used over desk-days available (None without a desk or an open day)."""
        return self.desk_days_used / self.desk_days_open if self.desk_days_open else None

    @property
    def room_utilisation(self) -> float | None:
        return self.room_hours_booked / self.room_hours_open if self.room_hours_open else None

    @property
    def no_show_rate(self) -> float | None:
        """No-shows over recorded check-ins (None when nobody recorded any)."""
        recorded = self.checked_in + self.no_shows
        return self.no_shows / recorded if recorded else None

    def add(self, other: "CoworkingFigures") -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


def coworking_by_site(
    user, *, sites: list[int], first: dt.date, last: dt.date, today: dt.date
) -> dict[int | None, CoworkingFigures]:
    """Each site's desks, rooms, no-shows, nomads and passes (key ``None``: all), 7 queries.

    Desk-days available: active desks times the site's working days (weekdays
    that are no closure); used: the days of active reservations in the period.
    Room hours open: each bookable room's opening hours on each day of the
    period that is no closure; booked: confirmed bookings' hours inside it.
    The running period counts up to today.
    """
    until = min(last, today)
    result: dict[int | None, CoworkingFigures] = {pk: CoworkingFigures() for pk in sites}
    if until < first:
        result[None] = CoworkingFigures()
        return result
    days = [first + dt.timedelta(days=n) for n in range((until - first).days + 1)]
    closed: dict[int | None, set[dt.date]] = {}
    for site_id, day in Closure.objects.filter(
        Q(site__isnull=True) | Q(site__in=sites), date__range=(first, until)
    ).values_list("site", "date"):
        closed.setdefault(site_id, set()).add(day)

    def closed_at(site_id: int) -> set[dt.date]:
        return closed.get(None, set()) | closed.get(site_id, set())

    for row in (
        access.scope(Desk.objects.filter(space__site__in=sites, active=True), user)
        .values("space__site")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        figures = result[row["space__site"]]
        shut = closed_at(row["space__site"])
        figures.desks = row["n"]
        figures.desk_days_open = row["n"] * sum(
            1 for day in days if day.weekday() < 5 and day not in shut
        )
    window = DateRange(first, until + dt.timedelta(days=1), "[)")
    overlap_days = RawSQL(
        "upper(coworking_deskreservation.period * %s)"
        " - lower(coworking_deskreservation.period * %s)",
        (window, window),
        output_field=IntegerField(),
    )
    for row in (
        access.scope(
            DeskReservation.objects.filter(
                desk__space__site__in=sites,
                status=ReservationStatus.ACTIVE,
                period__overlap=window,
            ),
            user,
        )
        .values("desk__space__site")
        .annotate(days=Sum(overlap_days))
        .order_by()
    ):
        result[row["desk__space__site"]].desk_days_used = row["days"] or 0
    for row in (
        access.scope(
            DeskCheckIn.objects.filter(
                reservation__desk__space__site__in=sites, day__range=(first, until)
            ),
            user,
        )
        .values("reservation__desk__space__site")
        .annotate(
            present=Count("pk", filter=Q(status=CheckInStatus.PRESENT)),
            absent=Count("pk", filter=Q(status=CheckInStatus.NO_SHOW)),
        )
        .order_by()
    ):
        figures = result[row["reservation__desk__space__site"]]
        figures.checked_in, figures.no_shows = row["present"], row["absent"]

    for row in (
        access.scope(
            OpeningHours.objects.filter(rules__space__site__in=sites, rules__space__bookable=True),
            user,
        )
        .values("rules__space__site", "weekday")
        .annotate(seconds=Sum(Epoch(F("closes") - F("opens"))))
        .order_by()
    ):
        site_id, shut = row["rules__space__site"], closed_at(row["rules__space__site"])
        open_days = sum(1 for day in days if day.weekday() == row["weekday"] and day not in shut)
        result[site_id].room_hours_open += open_days * (row["seconds"] or 0) / 3600
    start, end = clock.day_bounds(first)[0], clock.day_bounds(until)[1]
    span = DateTimeTZRange(start, end, "[)")
    booked_seconds = RawSQL(
        "EXTRACT(EPOCH FROM upper(coworking_roombooking.during * %s)"
        " - lower(coworking_roombooking.during * %s))",
        (span, span),
        output_field=FloatField(),
    )
    for row in (
        access.scope(
            RoomBooking.objects.filter(
                space__site__in=sites, status=BookingStatus.CONFIRMED, during__overlap=span
            ),
            user,
        )
        .values("space__site")
        .annotate(seconds=Sum(booked_seconds))
        .order_by()
    ):
        result[row["space__site"]].room_hours_booked = (row["seconds"] or 0) / 3600

    for row in (
        access.scope(
            NomadProfile.objects.filter(
                site__in=sites, status=NomadStatus.APPROVED, created_at__lt=end
            ),
            user,
        )
        .values("site")
        .annotate(n=Count("pk"), new=Count("pk", filter=Q(created_at__gte=start)))
        .order_by()
    ):
        result[row["site"]].nomads, result[row["site"]].nomads_new = row["n"], row["new"]
    for row in (
        access.scope(
            Pass.objects.filter(
                site__in=sites, status=PassStatus.ACTIVE, created_at__gte=start, created_at__lt=end
            ),
            user,
        )
        .values("site")
        .annotate(n=Count("pk"), revenue=Sum("price"))
        .order_by()
    ):
        result[row["site"]].passes = row["n"]
        result[row["site"]].pass_revenue = row["revenue"] or Decimal(0)
    total = CoworkingFigures()
    for site_id in sites:
        total.add(result[site_id])
    result[None] = total
    return result
