"""Demo coworking: desks, room rules, prices, nomads, and a month of bookings per site.

Every operating site gets its coworking desks (Essaouira's 35 from the site's
record, else 20), rules for its rooms (the agora needs approval), pass
prices, free room hours for its resident companies, a few nomad members
(approved and pending), and, around ``ctx.today``, two weeks back and two
weeks ahead of room bookings, passes, desk reservations and check-ins. The
bookings go through the real services, so they obey every rule; the demo
sends no e-mail. A site that already has bookings keeps them (idempotent).
"""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from coworking import services
from coworking.models import (
    BookingStatus,
    CheckInStatus,
    Desk,
    NomadProfile,
    NomadStatus,
    OpeningHours,
    Pass,
    PassKind,
    PassPrice,
    PassStatus,
    RoomBooking,
    RoomRules,
)
from coworking.models.rooms import Allowance
from sites.models import Site, SiteStatus, Space, SpaceKind
from sites.selectors import closed_days, is_working_day
from technopark import clock, mail
from technopark.demo import DemoContext
from tenants.models import Company, CompanyStatus, Membership

DEFAULT_DESKS = 20
FIXED_DESKS = 3
WINDOW_BACK, WINDOW_AHEAD = 14, 16

RATES = {
    SpaceKind.AGORA: Decimal(600),
    SpaceKind.TRAINING_ROOM: Decimal(300),
    SpaceKind.GAMING_ROOM: Decimal(200),
    SpaceKind.MEETING_ROOM: Decimal(150),
}
CAPACITY = {
    SpaceKind.AGORA: 150,
    SpaceKind.TRAINING_ROOM: 24,
    SpaceKind.GAMING_ROOM: 16,
    SpaceKind.MEETING_ROOM: 10,
}
PRICES = {PassKind.DAY: Decimal(100), PassKind.WEEK: Decimal(400), PassKind.MONTH: Decimal(1200)}
TITLES = [
    "Réunion d'équipe",
    "Point client",
    "Formation React",
    "Entretiens de recrutement",
    "Atelier design thinking",
    "Revue de sprint",
    "Session de playtest",
    "Démo produit",
    "Comité de pilotage",
    "Atelier export",
]
AGORA_TITLES = [
    "Demo day",
    "Conférence : financer sa startup",
    "Meetup développeurs",
    "Pitch night",
]
NOMADS = [
    ("Lina", "Haddad", "Marocaine", "cin"),
    ("Julien", "Morel", "Française", "passport"),
    ("Amina", "Diallo", "Sénégalaise", "passport"),
    ("Karim", "Tazi", "Marocaine", "cin"),
]


def seed(ctx: DemoContext) -> None:
    """Seed every operating site; the demo sends no e-mail."""
    staff = ctx.accounts.get("admin@technopark.test", "Administrateur", is_superuser=True)
    with mail.muted():
        for number, site in enumerate(
            Site.objects.filter(status=SiteStatus.OPERATING).order_by("name")
        ):
            _seed_site(ctx, site, number, staff)


@transaction.atomic
def _seed_site(ctx: DemoContext, site: Site, number: int, staff) -> None:
    desks = _desks(site)
    rooms = _rooms(site)
    for kind, price in PRICES.items():
        PassPrice.objects.get_or_create(site=site, kind=kind, defaults={"price": price})
    companies = list(
        Company.objects.filter(home_site=site, status=CompanyStatus.RESIDENT).order_by("pk")
    )
    for company in companies:
        Allowance.objects.get_or_create(
            company=company, site=site, defaults={"hours_per_month": Decimal(8)}
        )
    nomads = _nomads(ctx, site, number)
    if (
        RoomBooking.objects.filter(space__site=site).exists()
        or Pass.objects.filter(site=site).exists()
    ):
        return
    first = ctx.today - dt.timedelta(days=WINDOW_BACK)
    last = ctx.today + dt.timedelta(days=WINDOW_AHEAD)
    # The services are told it is the eve of the window, so past days can be seeded.
    then = clock.day_bounds(first - dt.timedelta(days=1))[0]
    members = _members(companies)
    approved = [n for n in nomads if n.nomad_profile.status == NomadStatus.APPROVED]
    bookings = _room_bookings(ctx, site, rooms, members, approved, first, last, then, staff)
    reserved = _desk_days(ctx, site, desks, members, approved, first, last, then, staff)
    ctx.say(
        f"Coworking at {site.name}: {len(desks)} desks, {len(rooms)} rooms, "
        f"{bookings} room bookings, {reserved} desk reservations."
    )


def _desks(site: Site) -> list[Desk]:
    area = site.spaces.filter(kind=SpaceKind.COWORKING).order_by("pk").first()
    count = site.coworking_desks or DEFAULT_DESKS
    if area is None:
        area = Space.objects.create(
            site=site, kind=SpaceKind.COWORKING, name="Coworking", capacity=count
        )
    for n in range(1, count + 1):
        Desk.objects.get_or_create(
            space=area, label=f"P{n:02d}", defaults={"fixed": n <= FIXED_DESKS}
        )
    return list(area.desks.order_by("label"))


def _rooms(site: Site) -> list[Space]:
    bookable_kinds = list(RATES)
    rooms = list(site.spaces.filter(kind__in=bookable_kinds).order_by("kind", "name"))
    if not rooms:
        rooms = [
            Space.objects.create(site=site, kind=SpaceKind.AGORA, name="Agora"),
            Space.objects.create(site=site, kind=SpaceKind.MEETING_ROOM, name="Salle de réunion"),
        ]
    for room in rooms:
        changed = []
        if room.hourly_rate is None:
            room.hourly_rate = RATES[room.kind]
            changed.append("hourly_rate")
        if not room.bookable:
            room.bookable = True
            changed.append("bookable")
        if room.capacity is None:
            room.capacity = CAPACITY[room.kind]
            changed.append("capacity")
        if changed:
            room.save(update_fields=changed)
        _rules(room)
    return rooms


def _rules(room: Space) -> RoomRules:
    agora = room.kind == SpaceKind.AGORA
    gaming = room.kind == SpaceKind.GAMING_ROOM
    rules, created = RoomRules.objects.get_or_create(
        space=room,
        defaults={
            "needs_approval": agora,
            "min_minutes": 60 if agora else 30,
            "max_minutes": 10 * 60 if agora else 8 * 60,
            "step_minutes": 30,
            "cancellation_notice_hours": 72 if agora else 24,
        },
    )
    if created:
        if gaming:
            hours = [(day, dt.time(9), dt.time(22)) for day in range(7)]
        else:
            hours = [(day, dt.time(8), dt.time(20)) for day in range(5)]
            hours.append((5, dt.time(9), dt.time(13)))
        OpeningHours.objects.bulk_create(
            OpeningHours(rules=rules, weekday=day, opens=opens, closes=closes)
            for day, opens, closes in hours
        )
    return rules


def _nomads(ctx: DemoContext, site: Site, number: int) -> list:
    people = []
    for index, (first, last, nationality, document) in enumerate(NOMADS):
        email = f"{first.lower()}.{last.lower()}@nomad-{site.slug}.test"
        featured = site.slug == "essaouira" and index == 0
        if featured:
            email = "nomad@technopark.test"
        user = ctx.accounts.get(
            email,
            f"{first} {last}",
            describe="nomad member at Essaouira: /portal/bookings/" if featured else None,
        )
        serial = number * 100 + index + 1
        NomadProfile.objects.get_or_create(
            user=user,
            defaults={
                "site": site,
                "nationality": nationality,
                "document_kind": document,
                "document_number": f"JK{serial:06d}" if document == "cin" else f"P{serial:08d}",
                "company_name": "Freelance" if index % 2 else "",
                "status": NomadStatus.PENDING if index == len(NOMADS) - 1 else NomadStatus.APPROVED,
            },
        )
        people.append(user)
    return people


def _members(companies) -> list[tuple]:
    """(person, company) for each resident company's admin (its founder)."""
    memberships = Membership.objects.filter(company__in=companies, role="admin").select_related(
        "user", "company"
    )
    seen, members = set(), []
    for membership in memberships.order_by("company_id", "pk"):
        if membership.user_id not in seen:
            seen.add(membership.user_id)
            members.append((membership.user, membership.company))
    return members


def _open_days(site: Site, first: dt.date, last: dt.date) -> list[dt.date]:
    closed = closed_days(site=site, start=first, end=last)
    span = (last - first).days + 1
    days = (first + dt.timedelta(days=n) for n in range(span))
    return [day for day in days if is_working_day(day, closed)]


def _room_bookings(ctx, site, rooms, members, nomads, first, last, then, staff) -> int:
    rng = ctx.rng
    bookers = [(person, company) for person, company in members[:15]] + [
        (person, None) for person in nomads
    ]
    if not bookers:
        return 0
    made = 0
    for day in _open_days(site, first, last):
        for room in rooms:
            agora = room.kind == SpaceKind.AGORA
            if agora and rng.random() > 0.25:
                continue
            for _ in range(1 if agora else rng.randint(1, 4)):
                hour = rng.randint(8, 17)
                length = rng.choice([4, 6] if agora else [1, 1, 2, 2, 3])
                person, company = rng.choice(bookers)
                try:
                    booking = services.room_booking_create(
                        actor=person,
                        space=room,
                        day=day,
                        start=dt.time(hour, rng.choice([0, 30])),
                        end=dt.time(min(hour + length, 19), 30),
                        company=company,
                        title=rng.choice(AGORA_TITLES if agora else TITLES),
                        attendees=rng.randint(20, 120) if agora else rng.randint(2, 8),
                        now=then,
                        notify=False,
                    )
                except ValidationError:
                    continue  # taken, too long, outside the hours: as a person would retry
                made += 1
                soon = day < ctx.today + dt.timedelta(days=3)
                if booking.status == BookingStatus.PENDING and soon:
                    services.room_booking_approve(actor=staff, booking=booking, now=then)
                elif rng.random() < 0.05:
                    services.room_booking_cancel(actor=staff, booking=booking, now=then)
    return made


def _desk_days(ctx, site, desks, members, nomads, first, last, then, staff) -> int:
    rng = ctx.rng
    hot = [desk for desk in desks if not desk.fixed]
    fixed = [desk for desk in desks if desk.fixed]
    made = 0
    # Fixed desks: assigned to three founders for the whole window.
    for desk, (person, _company) in zip(fixed, members, strict=False):
        try:
            services.desk_assign(
                actor=staff, desk=desk, holder=person, first_day=first, last_day=last, now=then
            )
        except ValidationError:
            continue
        made += 1
    # Month passes for tenants' founders, day and week passes for nomads.
    holders = [(person, company, PassKind.MONTH) for person, company in members[3 : 3 + len(hot)]]
    holders += [(person, None, rng.choice([PassKind.WEEK, PassKind.DAY])) for person in nomads]
    open_days = _open_days(site, first, last)
    weeks: dict[tuple, list[dt.date]] = {}
    for day in open_days:
        weeks.setdefault(day.isocalendar()[:2], []).append(day)
    for person, company, kind in holders:
        start = open_days[0] if kind == PassKind.MONTH else rng.choice(open_days)
        try:
            desk_pass = services.pass_request(
                actor=person, site=site, kind=kind, start=start, company=company, now=then
            )
            if desk_pass.status == PassStatus.REQUESTED:
                services.pass_approve(actor=staff, desk_pass=desk_pass, now=then)
        except ValidationError:
            continue
        # Tenants reserve a week at a time, nomads day by day.
        stays = list(weeks.values()) if kind == PassKind.MONTH else [[d] for d in open_days]
        for stay in stays:
            stay = [d for d in stay if desk_pass.first_day <= d <= desk_pass.last_day]
            if not stay or rng.random() > 0.75:
                continue
            try:
                reservation = services.desk_reservation_create(
                    actor=person,
                    desk_pass=desk_pass,
                    first_day=stay[0],
                    last_day=stay[-1],
                    now=then,
                )
            except ValidationError:
                continue
            made += 1
            _check_ins(ctx, reservation, stay, staff)
    return made


def _check_ins(ctx, reservation, days, staff) -> None:
    """Arrivals and no-shows for the days already past (and today's arrivals so far)."""
    rng = ctx.rng
    for day in days:
        if day > ctx.today or rng.random() > 0.9:
            continue
        status = CheckInStatus.PRESENT if rng.random() < 0.88 else CheckInStatus.NO_SHOW
        if day < ctx.today or status == CheckInStatus.PRESENT:
            services.desk_checkin_record(
                actor=staff,
                reservation=reservation,
                day=day,
                status=status,
                now=clock.local_datetime(ctx.today, dt.time(18)),
            )
