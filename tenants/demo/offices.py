"""Demo offices: rent rates, office spaces, contracts, and the committees' applications.

At each operating site: 30 to 45 offices ("Bureau A-101", 12 to 60 m²) when
the site has fewer than 10; most resident companies hold a running contract
started within the last five years (tier from their stage), a few have moved
from an earlier office, alumni have ended contracts; applicant companies have
applications in every status. Contracts go through the services, so their
leases and firm periods are what the rules say. A site that already has
contracts or applications is left alone: a second run creates nothing.
"""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from sites.models import Site, SiteStatus, Space, SpaceKind, StaffAssignment, StaffRole
from technopark.demo import DemoContext
from tenants import rent
from tenants.models import (
    ApplicationStatus,
    Company,
    CompanyStatus,
    OfficeApplication,
    Program,
    RentTier,
    Residency,
    Stage,
)
from tenants.services import offices as services

AREAS = (12, 12, 15, 15, 18, 20, 20, 24, 25, 30, 30, 36, 40, 45, 50, 60)
WINGS = "ABC"

WAITING_NOTE = "Aucun bureau de cette surface n'est libre pour le moment."
REJECTION = (
    "Le projet est encore au stade de l'idée : nous vous invitons à rejoindre d'abord le "
    "programme de pré-incubation BOOST UP LAB, puis à déposer une nouvelle demande."
)


@transaction.atomic
def seed(ctx: DemoContext) -> None:
    """Rates, offices, contracts and applications at each operating site, once."""
    rates = services.rent_rates_load()
    offices = contracts = applications = 0
    for site in Site.objects.filter(status=SiteStatus.OPERATING).order_by("name"):
        offices += _offices(ctx, site)
        # Decided before either step: contracts bring their accepted applications.
        has_contracts = Residency.objects.filter(site=site).exists()
        has_applications = OfficeApplication.objects.filter(site=site).exists()
        if not has_contracts:
            contracts += _contracts(ctx, site)
        if not has_applications:
            applications += _applications(ctx, site)
    ctx.say(
        f"Offices: {rates} rent rates, {offices} offices, {contracts} contracts, "
        f"{applications} applications created."
    )


def _offices(ctx: DemoContext, site: Site) -> int:
    existing = Space.objects.filter(site=site, kind=SpaceKind.OFFICE)
    if existing.count() >= 10:
        return 0
    names = set(Space.objects.filter(site=site).values_list("name", flat=True))
    created = 0
    for index in range(ctx.rng.randint(30, 45)):
        floor = 1 + index % 15 // 5
        name = f"Bureau {WINGS[index // 15 % 3]}-{floor}{1 + index % 5:02d}"
        if name in names:
            continue
        area = ctx.rng.choice(AREAS)
        Space.objects.create(
            site=site,
            kind=SpaceKind.OFFICE,
            name=name,
            area_m2=Decimal(area),
            floor=floor,
            capacity=max(2, area // 6),
            description="Bureau équipé, climatisé, accès fibre.",
        )
        created += 1
    return created


def _opening(ctx: DemoContext, site: Site) -> dt.date:
    """The first day a contract may start: the site's opening, at most five years back."""
    five_years = rent.add_months(ctx.today, -60)
    opened = site.opened_on or (dt.date(site.opening_year, 1, 1) if site.opening_year else None)
    return max(five_years, opened or five_years)


def _between(ctx: DemoContext, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=ctx.rng.randint(0, max(0, (last - first).days)))


def _tier(company: Company) -> str:
    return rent.tier_for_company(company)


def _office_count(ctx: DemoContext, company: Company) -> int:
    if company.stage == Stage.LARGE:
        return ctx.rng.randint(2, 3)
    if company.stage == Stage.SME:
        return ctx.rng.randint(1, 2)
    return 1


class _Offices:
    """The site's offices and the day each is free from, as contracts are handed out."""

    def __init__(self, site: Site, opening: dt.date):
        self.free_from = {
            office: opening
            for office in Space.objects.filter(site=site, kind=SpaceKind.OFFICE).order_by("name")
        }

    def take(self, ctx: DemoContext, count: int, start: dt.date, until: dt.date | None):
        free = [office for office, day in self.free_from.items() if day <= start]
        if len(free) < count:
            return []
        chosen = ctx.rng.sample(free, count)
        for office in chosen:
            self.free_from[office] = until or dt.date.max
        return chosen


def _manager(site: Site):
    assignment = (
        StaffAssignment.objects.filter(site=site, role=StaffRole.SITE_MANAGER)
        .select_related("user")
        .first()
    )
    return assignment.user if assignment else None


def _contracts(ctx: DemoContext, site: Site) -> int:
    opening = _opening(ctx, site)
    latest_start = ctx.today - dt.timedelta(days=30)
    if latest_start <= opening:
        return 0
    offices = _Offices(site, opening)
    manager = _manager(site)
    created = 0
    # Alumni first: their ended contracts free offices for the residents after them.
    for company in Company.objects.filter(home_site=site, status=CompanyStatus.ALUMNI):
        if not company.ice:
            continue
        tier = _tier(company)
        months = ctx.rng.randint(24, 40) if tier in rent.FIRM_TIERS else ctx.rng.randint(8, 40)
        start = _between(ctx, opening, latest_start - dt.timedelta(days=31 * months))
        end = rent.add_months(start, months)
        if start < opening or end >= ctx.today:
            continue
        chosen = offices.take(ctx, _office_count(ctx, company), start, end)
        if chosen:
            residency = services.residency_create(
                company=company,
                site=site,
                offices=chosen,
                start=start,
                tier=tier,
                user=manager,
                today=ctx.today,
            )
            services.residency_end(residency=residency, user=manager, end=end, today=ctx.today)
            created += 1
    residents = list(Company.objects.filter(home_site=site, status=CompanyStatus.RESIDENT))
    for number, company in enumerate(residents):
        if not company.ice or ctx.rng.random() < 0.1:
            continue  # some residents are hosted in the coworking space only
        start = _between(ctx, opening, latest_start)
        earlier = rent.add_months(start, -ctx.rng.randint(8, 20))
        moved = number % 8 == 3 and earlier >= opening
        first = offices.take(ctx, 1, earlier, start) if moved else []
        chosen = offices.take(ctx, _office_count(ctx, company), start, None)
        if not chosen:
            continue
        if first:
            # The earlier contract first: it is let open-ended, then terminated on the move.
            created += _moved_from(ctx, company, site, first, earlier, start, manager)
        application = None
        if number % 5 == 0:
            application = _application(
                ctx, company, site, ApplicationStatus.ACCEPTED, manager, before=start
            )
        services.residency_create(
            company=company,
            site=site,
            offices=chosen,
            start=start,
            tier=_tier(company),
            user=manager,
            application=application,
            today=ctx.today,
        )
        created += 1
    return created


def _moved_from(ctx, company, site, offices, start, end, manager) -> int:
    """An earlier, smaller contract (as a startup) left for the present offices on ``end``."""
    residency = services.residency_create(
        company=company,
        site=site,
        offices=offices,
        start=start,
        tier=RentTier.STARTUP,
        user=manager,
        today=ctx.today,
    )
    services.residency_terminate(
        residency=residency,
        user=manager,
        reason="Déménagement dans des bureaux plus grands du même Technopark.",
        end=end,
        today=ctx.today,
    )
    return 1


def _pitch(company: Company, area: int, team: int) -> str:
    return (
        f"{company.display_name} : {company.description} Nous cherchons un bureau d'environ "
        f"{area} m² pour une équipe de {team} personnes, au cœur de l'écosystème Technopark."
    )


def _application(
    ctx: DemoContext,
    company: Company,
    site: Site,
    status: str,
    manager,
    *,
    before: dt.date | None = None,
    position: int | None = None,
    reason: str = "",
) -> OfficeApplication:
    team = ctx.rng.randint(2, 12)
    area = ctx.rng.choice([15, 20, 25, 30, 40])
    submitted_day = (before or ctx.today) - dt.timedelta(days=ctx.rng.randint(20, 120))
    submitted = timezone.make_aware(dt.datetime.combine(submitted_day, dt.time(10)))
    decided = status not in (ApplicationStatus.SUBMITTED, ApplicationStatus.WITHDRAWN)
    founder = company.memberships.select_related("user").order_by("joined_at").first()
    application = OfficeApplication.objects.create(
        site=site,
        company=company,
        applicant=founder.user if founder else None,
        area_wanted_m2=Decimal(area),
        team_size=team,
        program_wanted=company.program if company.program else Program.HOSTING,
        pitch=_pitch(company, area, team),
        status=status,
        waiting_position=position,
        decision_reason=reason,
        decided_by=manager if decided else None,
        decided_at=submitted + dt.timedelta(days=ctx.rng.randint(7, 15)) if decided else None,
    )
    # created_at is set on insert; the demo dates it back to when it was sent.
    OfficeApplication.objects.filter(pk=application.pk).update(created_at=submitted)
    return application


def _applications(ctx: DemoContext, site: Site) -> int:
    """Applicants in every status, and two residents asking for more space."""
    manager = _manager(site)
    cycle = [
        (ApplicationStatus.SUBMITTED, ""),
        (ApplicationStatus.WAITING_LIST, WAITING_NOTE),
        (ApplicationStatus.WAITING_LIST, WAITING_NOTE),
        (ApplicationStatus.REJECTED, REJECTION),
        (ApplicationStatus.WITHDRAWN, ""),
    ]
    created, position = 0, 0
    applicants = Company.objects.filter(home_site=site, status=CompanyStatus.APPLICANT)
    for number, company in enumerate(applicants.order_by("legal_name")):
        status, reason = cycle[number % len(cycle)]
        if status == ApplicationStatus.WAITING_LIST:
            position += 1
        _application(
            ctx,
            company,
            site,
            status,
            manager,
            position=position if status == ApplicationStatus.WAITING_LIST else None,
            reason=reason,
        )
        if status == ApplicationStatus.REJECTED:
            company.status = CompanyStatus.REJECTED
            company.save(update_fields=["status"])
        created += 1
    growing = Company.objects.filter(
        home_site=site, status=CompanyStatus.RESIDENT, residencies__site=site
    ).distinct()
    for company, status in zip(
        growing.order_by("legal_name")[:2],
        [ApplicationStatus.SUBMITTED, ApplicationStatus.WITHDRAWN],
        strict=False,
    ):
        _application(ctx, company, site, status, manager)
        created += 1
    return created
