"""Two years of past activity for the demo's dashboard: requests, desks, rooms, passes.

The other demo steps seed the weeks around ``ctx.today`` through the real
services (with their e-mails and rules). The dashboard also needs the eight
quarters before: this step adds, for each operating site and each past
quarter, closed one-stop-shop requests, desk reservations with check-ins,
confirmed room bookings and day passes, bulk-inserted (history has no
e-mail to send). Every row obeys the database's constraints; the figures
come from the seeded random generator, so the demo is the same everywhere.
A site that already has history keeps it (idempotent).
"""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.backends.postgresql.psycopg_any import DateRange, DateTimeTZRange

from coworking.models import (
    ACTIVE_BOOKING,
    BookingStatus,
    CheckInStatus,
    Desk,
    DeskCheckIn,
    DeskReservation,
    Pass,
    PassKind,
    PassStatus,
    RoomBooking,
)
from sites.models import Site, SiteStatus, Space
from sites.selectors import add_working_days, closed_days, is_working_day
from technopark.clock import local_datetime
from technopark.demo import DemoContext
from tenants.models import Company, CompanyStatus, Membership, Service, ServiceRequest
from tenants.models.requests import RequestStatus
from tenants.selectors.kpi import Quarter

QUARTERS = 8
REQUESTS_PER_QUARTER = (8, 16)
DESK_DAYS_PER_QUARTER = (120, 260)
BOOKINGS_PER_QUARTER = (40, 90)


def seed(ctx: DemoContext) -> None:
    """Seed the past eight quarters of every operating site."""
    sites = Site.objects.filter(status=SiteStatus.OPERATING).order_by("name")
    for site in sites:
        _seed_site(ctx, site)


def _quarters(today: dt.date) -> list[Quarter]:
    quarter, quarters = Quarter.of(today).previous(), []
    while len(quarters) < QUARTERS:
        quarters.append(quarter)
        quarter = quarter.previous()
    return sorted(quarters)


@transaction.atomic
def _seed_site(ctx: DemoContext, site: Site) -> None:
    quarters = _quarters(ctx.today)
    first = quarters[0].first_day
    if ServiceRequest.objects.filter(
        service__site=site, created_at__lt=local_datetime(first + dt.timedelta(days=92), dt.time())
    ).exists():
        return
    closed = closed_days(site=site, start=first, end=quarters[-1].last_day)
    companies = list(
        Company.objects.filter(home_site=site, status=CompanyStatus.RESIDENT).order_by("pk")
    )
    services = list(Service.objects.filter(site=site, active=True).order_by("pk"))
    people = {
        membership.company_id: membership.user
        for membership in Membership.objects.filter(company__in=companies)
        .select_related("user")
        .order_by("-pk")
    }
    counts = [0, 0, 0]
    for quarter in quarters:
        days = [
            quarter.first_day + dt.timedelta(days=n)
            for n in range((quarter.last_day - quarter.first_day).days + 1)
        ]
        open_days = [day for day in days if is_working_day(day, closed)]
        counts[0] += _requests(ctx, site, companies, services, people, open_days)
        counts[1] += _desks(ctx, site, companies, people, open_days)
        counts[2] += _rooms(ctx, site, companies, people, open_days)
    ctx.say(
        f"History at {site.name}: {counts[0]} requests, {counts[1]} desk-days and "
        f"{counts[2]} room bookings over the last {QUARTERS} quarters."
    )


def _requests(ctx, site, companies, services, people, open_days) -> int:
    rng = ctx.rng
    if not (companies and services):
        return 0
    made = []
    for _ in range(rng.randint(*REQUESTS_PER_QUARTER)):
        service = rng.choice(services)
        company = rng.choice(companies)
        filed = rng.choice(open_days[:-10])
        deadline = add_working_days(site=site, start=filed, days=service.target_days)
        late = rng.random() < 0.2
        closing = deadline + dt.timedelta(days=rng.randint(1, 9)) if late else deadline
        closing -= dt.timedelta(days=0 if late else rng.randint(0, 2))
        closing = max(closing, filed + dt.timedelta(days=1))
        rejected = rng.random() < 0.08
        made.append(
            ServiceRequest(
                company=company,
                service=service,
                description="Demande traitée (historique).",
                status=RequestStatus.REJECTED if rejected else RequestStatus.RESOLVED,
                rejection_reason="Pièce justificative manquante." if rejected else "",
                created_by=people.get(company.pk),
                deadline=deadline,
                closed_at=local_datetime(closing, dt.time(rng.randint(9, 16))),
                created_at=local_datetime(filed, dt.time(rng.randint(8, 12), rng.randint(0, 59))),
            )
        )
    filed_at = [request.created_at for request in made]
    saved = ServiceRequest.objects.bulk_create(made)
    # auto_now_add overrides created_at on insert: put the filing moments back.
    for request, moment in zip(saved, filed_at, strict=True):
        request.created_at = moment
    ServiceRequest.objects.bulk_update(saved, ["created_at"])
    return len(saved)


def _desks(ctx, site, companies, people, open_days) -> int:
    rng = ctx.rng
    desks = list(Desk.objects.filter(space__site=site, active=True).order_by("pk"))
    holders = [people[c.pk] for c in companies if c.pk in people]
    if not (desks and holders):
        return 0
    taken: set[tuple] = set()
    reservations = []
    for _ in range(rng.randint(*DESK_DAYS_PER_QUARTER)):
        day, desk, holder = rng.choice(open_days), rng.choice(desks), rng.choice(holders)
        if (day, desk.pk) in taken or (day, holder.pk) in taken:
            continue
        taken |= {(day, desk.pk), (day, holder.pk)}
        reservations.append(
            DeskReservation(
                desk=desk, holder=holder, period=DateRange(day, day + dt.timedelta(days=1))
            )
        )
    saved = DeskReservation.objects.bulk_create(reservations)
    DeskCheckIn.objects.bulk_create(
        DeskCheckIn(
            reservation=reservation,
            day=reservation.period.lower,
            status=CheckInStatus.PRESENT if rng.random() < 0.88 else CheckInStatus.NO_SHOW,
        )
        for reservation in saved
        if rng.random() < 0.9
    )
    passes = []
    for holder in holders[: rng.randint(3, 8)]:
        day = rng.choice(open_days)
        passes.append(
            Pass(
                holder=holder,
                site=site,
                kind=PassKind.DAY,
                period=DateRange(day, day + dt.timedelta(days=1)),
                price=Decimal(100),
                status=PassStatus.ACTIVE,
            )
        )
    saved_passes = Pass.objects.bulk_create(passes)
    for desk_pass in saved_passes:
        desk_pass.created_at = local_datetime(desk_pass.period.lower, dt.time(9))
    Pass.objects.bulk_update(saved_passes, ["created_at"])
    return len(saved)


def _rooms(ctx, site, companies, people, open_days) -> int:
    rng = ctx.rng
    rooms = list(Space.objects.filter(site=site, bookable=True).order_by("pk"))
    bookers = [(people[c.pk], c) for c in companies if c.pk in people]
    if not (rooms and bookers):
        return 0
    slots = [(9, 11), (11, 12), (14, 16), (16, 18)]
    taken: set[tuple] = set()
    # What other areas booked (the events' rooms, with their buffers) stays free of history.
    booked = (
        [
            (space, during)
            for space, during in RoomBooking.objects.filter(
                space__in=rooms,
                status__in=ACTIVE_BOOKING,
                during__overlap=DateTimeTZRange(
                    local_datetime(open_days[0], dt.time()),
                    local_datetime(open_days[-1] + dt.timedelta(days=1), dt.time()),
                ),
            ).values_list("space_id", "during")
        ]
        if open_days
        else []
    )
    bookings = []
    for _ in range(rng.randint(*BOOKINGS_PER_QUARTER)):
        room, day, slot = rng.choice(rooms), rng.choice(open_days), rng.choice(slots)
        if (room.pk, day, slot) in taken:
            continue
        taken.add((room.pk, day, slot))
        start, end = local_datetime(day, dt.time(slot[0])), local_datetime(day, dt.time(slot[1]))
        if any(space == room.pk and during.lower < end and start < during.upper
               for space, during in booked):  # fmt: skip
            continue
        person, company = rng.choice(bookers)
        bookings.append(
            RoomBooking(
                space=room,
                holder=person,
                company=company,
                booked_by=person,
                during=DateTimeTZRange(
                    local_datetime(day, dt.time(slot[0])), local_datetime(day, dt.time(slot[1]))
                ),
                status=BookingStatus.CONFIRMED,
                title="Réunion",
                attendees=rng.randint(2, 8),
                created_at=local_datetime(day - dt.timedelta(days=3), dt.time(10)),
            )
        )
    return len(RoomBooking.objects.bulk_create(bookings))
