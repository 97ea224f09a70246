"""Demo events at every operating site: past ones with check-ins, upcoming ones, a full one.

Everything goes through the services, told what moment it is (``now``), so
past events are created, published, registered for and checked in as they
would have been. A date whose room is taken moves a day later. A re-run keeps
the events already there.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from events import services
from events.models import Audience, Event, EventKind, RegistrationStatus
from sites.models import Site, SiteStatus, Space, SpaceKind
from technopark import clock, mail
from technopark.demo import DemoContext
from technopark.models import User
from tenants.models import CompanyStatus, Membership, Program


@dataclass(frozen=True)
class Plan:
    title: str
    kind: str
    room: str
    offset: int  # days from today for the first date
    start: dt.time
    hours: int
    capacity: int
    registrants: int
    weeks: int = 1
    language: str = "fr"
    price: Decimal = Decimal(0)
    audience: str = Audience.PUBLIC
    program: str = ""
    summary: str = ""


PLANS = [
    # Past events: attendance recorded at the door.
    Plan("Demo day du printemps", EventKind.DEMO_DAY, SpaceKind.AGORA, -40, dt.time(15), 3, 80, 60,
         summary="Les startups du site présentent leurs produits aux investisseurs."),
    Plan("Atelier : lever des fonds en seed", EventKind.WORKSHOP, SpaceKind.TRAINING_ROOM, -20,
         dt.time(10), 3, 20, 18, summary="Term sheet, valorisation et négociation."),
    # Upcoming.
    Plan("Demo day", EventKind.DEMO_DAY, SpaceKind.AGORA, 24, dt.time(15), 3, 120, 40,
         summary="Pitchs de dix minutes, puis rencontres avec le jury et le public."),
    Plan("Game jam : 48 heures pour un jeu", EventKind.HACKATHON, SpaceKind.GAMING_ROOM, 30,
         dt.time(9), 12, 16, 12, language="en",
         summary="Teams of up to four build a game around a theme revealed at the start."),
    Plan("Formation : Product management", EventKind.WORKSHOP, SpaceKind.TRAINING_ROOM, 20,
         dt.time(18, 30), 2, 20, 20, weeks=6, price=Decimal(600),
         audience=Audience.RESIDENTS,
         summary="Six séances du soir pour passer de l'idée à la feuille de route."),
    Plan("Permanence OMPIC : marques et noms commerciaux", EventKind.OFFICE_HOURS,
         SpaceKind.MEETING_ROOM, 19, dt.time(10), 2, 8, 5, weeks=4,
         summary="Un conseiller de l'OMPIC répond à vos questions de propriété industrielle."),
    Plan("Meetup : l'IA générative en arabe", EventKind.TALK, SpaceKind.AGORA, 35,
         dt.time(18), 2, 20, 26, language="ar",
         summary="Deux retours d'expérience, puis questions du public."),
    Plan("Session BOOST UP LAB : valider son marché", EventKind.PROGRAM_SESSION,
         SpaceKind.TRAINING_ROOM, 40, dt.time(9, 30), 3, 15, 6,
         audience=Audience.PROGRAM, program=Program.BOOST_UP_LAB),
]  # fmt: skip


def seed(ctx: DemoContext) -> None:
    """Seed every operating site's events; the demo sends no e-mail."""
    staff = ctx.accounts.get("admin@technopark.test", "Administrateur", is_superuser=True)
    with mail.muted():
        for site in Site.objects.filter(status=SiteStatus.OPERATING).order_by("name"):
            _seed_site(ctx, site, staff)


def _now(ctx: DemoContext) -> dt.datetime:
    """The moment the demo is built around: noon of its ``today``."""
    return clock.local_datetime(ctx.today, dt.time(12))


def _room(site: Site, kind: str) -> Space | None:
    rooms = site.spaces.filter(kind__in=[kind, SpaceKind.AGORA, SpaceKind.MEETING_ROOM])
    return (
        rooms.filter(kind=kind).order_by("pk").first()
        or rooms.filter(kind=SpaceKind.AGORA).order_by("pk").first()
        or rooms.order_by("pk").first()
    )


def _people(site: Site) -> list[User]:
    memberships = (
        Membership.objects.filter(company__home_site=site, company__status=CompanyStatus.RESIDENT)
        .select_related("user")
        .order_by("pk")
    )
    return [m.user for m in memberships]


@transaction.atomic
def _seed_site(ctx: DemoContext, site: Site, staff) -> None:
    if Event.objects.filter(site=site).exists():
        return
    people = _people(site)
    if not site.spaces.filter(kind=SpaceKind.AGORA).exists():
        # The coworking demo gives every site its rooms; a site seeded alone gets an agora.
        Space.objects.create(
            site=site, kind=SpaceKind.AGORA, name="Agora", capacity=150, hourly_rate=600
        )
    made = 0
    for plan in PLANS:
        room = _room(site, plan.room)
        if room is None:
            continue
        event = _publish(ctx, site, room, plan, staff)
        if event is None:
            continue
        _register(ctx, event, plan, people, staff)
        made += 1
    services.event_finish(now=_now(ctx))
    services.registrations_expire(now=_now(ctx))
    ctx.say(f"Events at {site.name}: {made} events.")


def _publish(ctx, site, room, plan: Plan, staff) -> Event | None:
    """Create and publish the plan, a day later each time its room is taken (5 tries)."""
    for shift in range(5):
        first = ctx.today + dt.timedelta(days=plan.offset + shift)
        dates = []
        for week in range(plan.weeks):
            day = first + dt.timedelta(weeks=week)
            starts = clock.local_datetime(day, plan.start)
            dates.append((starts, starts + dt.timedelta(hours=plan.hours)))
        then = min(dates)[0] - dt.timedelta(days=30)
        try:
            with transaction.atomic():
                event = services.event_create(
                    actor=staff,
                    room=room,
                    title=plan.title,
                    kind=plan.kind,
                    dates=dates,
                    capacity=min(plan.capacity, room.capacity or plan.capacity),
                    summary=plan.summary,
                    language=plan.language,
                    price=plan.price,
                    audience=plan.audience,
                    program=plan.program,
                    now=then,
                )
                return services.event_publish(actor=staff, event=event, now=then)
        except ValidationError:
            continue
    return None


def _register(ctx, event: Event, plan: Plan, people: list[User], staff) -> None:
    # Registered before the demo's moment (after publication), so the opt-in purge applies.
    then = min(event.starts_at - dt.timedelta(days=10), _now(ctx) - dt.timedelta(days=3))
    for n in range(plan.registrants):
        moment = then + dt.timedelta(minutes=7 * n)
        try:
            if n % 3 == 2 or n >= len(people):
                services.registration_create(
                    event=event,
                    name=f"Visiteur {n + 1}",
                    email=f"visiteur{n + 1}.{event.pk}@example.ma",
                    organisation=ctx.rng.choice(["ENSA Agadir", "UIR", "Freelance", "ENCG"]),
                    now=moment,
                )
            else:
                services.registration_create(event=event, user=people[n], now=moment)
        except ValidationError:
            continue  # audience: not every founder's company is in the program
    for pending in event.registrations.filter(status=RegistrationStatus.PENDING):
        # Most visitors confirm their address; the purge expires the others.
        if ctx.rng.random() < 0.85:
            services.registration_confirm_email(
                token=services.opt_in_token(pending), now=pending.created_at + dt.timedelta(hours=1)
            )
    if event.ends_at and event.ends_at < _now(ctx):
        for registration in event.registrations.filter(status=RegistrationStatus.CONFIRMED):
            if ctx.rng.random() < 0.8:
                services.registration_check_in(
                    actor=staff,
                    event=event,
                    registration=registration,
                    now=event.starts_at + dt.timedelta(minutes=ctx.rng.randint(-20, 40)),
                )
        services.registrations_expire(now=event.starts_at)
