"""Demo alumni and historical baseline: exits, yearly check-ins and their answers.

The baseline rows stand for MITC's yearly activity reports before the
platform (each says it is a demo figure); exits follow the alumni's contracts
(or, for alumni hosted before the platform, a date 5 to 9 years back), and
check-ins were sent on each anniversary, about three in four answered.
"""

import datetime as dt

from django.db import transaction

from sites.models import Site, SiteStatus
from technopark.demo import DemoContext
from tenants.models import (
    AlumniCheckIn,
    Company,
    CompanyExit,
    CompanyStatus,
    ExitReason,
    HeadcountBand,
    HistoricalBaseline,
    Residency,
    RevenueBand,
)
from tenants.services.alumni import exit_record_checked

#: Reasons of the demo's exits, with their weights.
REASONS = [
    (ExitReason.GRADUATED, 5),
    (ExitReason.MOVED_OUT, 3),
    (ExitReason.CLOSED, 2),
    (ExitReason.ACQUIRED, 1),
    (ExitReason.MERGED, 1),
]
#: Companies supported a year before the platform, by site (a plausible order of size).
YEARLY_COMPANIES = {"casablanca": (70, 110), "rabat": (30, 50), "tanger": (20, 35)}
CITIES = ["Casablanca", "Rabat", "Marrakech", "Paris", "Montréal", "Dakar", "Tanger", "Agadir"]


def _anniversary(day: dt.date, year: int) -> dt.date:
    try:
        return day.replace(year=year)
    except ValueError:
        return day.replace(year=year, day=28)


def _baseline(ctx: DemoContext) -> int:
    created = 0
    for site in Site.objects.filter(status=SiteStatus.OPERATING).order_by("pk"):
        opened = site.opened_year
        first = Residency.objects.filter(site=site).order_by("start").first()
        if opened is None or first is None:
            continue
        low, high = YEARLY_COMPANIES.get(site.slug, (8, 20))
        for year in range(opened, first.start.year):
            companies = ctx.rng.randint(low, high)
            _row, was_created = HistoricalBaseline.objects.get_or_create(
                site=site,
                year=year,
                defaults={
                    "companies_supported": companies,
                    "jobs_created": companies * ctx.rng.randint(3, 6),
                    "source": (
                        f"Demo figure standing for MITC's activity report {year} "
                        f"(rapport d'activité {year}, {site.name})."
                    ),
                },
            )
            created += was_created
    return created


def _check_ins(ctx: DemoContext, exit_) -> list[AlumniCheckIn]:
    rows = []
    active = exit_.reason != ExitReason.CLOSED
    for year in range(exit_.date.year + 1, ctx.today.year + 1):
        sent = _anniversary(exit_.date, year)
        if sent > ctx.today or not active:
            break
        row = AlumniCheckIn(exit=exit_, year=year, sent_on=sent)
        if ctx.rng.random() < 0.75:
            active = ctx.rng.random() < 0.93  # about 7% of alumni close in a given year
            row.answered_on = min(ctx.today, sent + dt.timedelta(days=ctx.rng.randint(1, 30)))
            row.still_active = active
            if active:
                row.headcount_band = ctx.rng.choice(HeadcountBand.values[1:])
                row.revenue_band = ctx.rng.choice(RevenueBand.values[1:])
                row.location = ctx.rng.choice(CITIES)
        rows.append(row)
    return rows


NAMES = ["Sahara", "Atlas", "Oasis", "Medina", "Zellige", "Cèdre", "Argan", "Noria", "Riad"]
KINDS = ["Labs", "Soft", "Digital", "Systems", "Studio", "Data", "Mobile", "Cloud"]


def _earlier_alumni(ctx: DemoContext) -> list[Company]:
    """Companies hosted before the platform's records, that left 5 to 9 years ago."""
    companies = []
    for site in Site.objects.filter(status=SiteStatus.OPERATING).order_by("pk"):
        if (site.opened_year or ctx.today.year) > ctx.today.year - 9:
            continue
        for number in range(8):
            # Named by position, not by the random source: a second run finds them again.
            first, kind = NAMES[(site.pk + number) % len(NAMES)], KINDS[number % len(KINDS)]
            name = f"{first} {kind} {site.city[:3].upper()}{number}"
            company, _created = Company.objects.get_or_create(
                legal_name=f"{name} SARL",
                home_site=site,
                defaults={"status": CompanyStatus.ALUMNI},
            )
            companies.append(company)
    return companies


@transaction.atomic
def seed(ctx: DemoContext) -> None:
    """Exits for the alumni that have none, check-ins for every exit, and the baseline."""
    reasons = [reason for reason, weight in REASONS for _ in range(weight)]
    _earlier_alumni(ctx)
    recorded = []
    for company in Company.objects.filter(status=CompanyStatus.ALUMNI, exit__isnull=True).order_by(
        "pk"
    ):
        last = company.residencies.exclude(end__isnull=True).order_by("-end").first()
        if last is not None:
            date, site = last.end, last.site
        else:  # hosted before the platform's records
            date = ctx.today - dt.timedelta(days=ctx.rng.randint(5 * 365, 9 * 365))
            site = company.home_site
        if date is None or date > ctx.today:
            continue
        recorded.append(
            exit_record_checked(
                company=company, user=None, date=date, reason=ctx.rng.choice(reasons), site=site
            )
        )
    check_ins: list[AlumniCheckIn] = []
    for exit_ in CompanyExit.objects.filter(check_ins__isnull=True).order_by("pk"):
        # Staff corrected the reason a closing contract recorded, for about 3 exits in 10;
        # chosen by the exit's number, so a second run of the demo changes nothing.
        corrected = reasons[(exit_.pk * 7) % len(reasons)]
        if exit_.pk % 10 < 3 and exit_.reason != corrected:
            exit_.reason = corrected
            exit_.save(update_fields=["reason"])
        check_ins += _check_ins(ctx, exit_)
    AlumniCheckIn.objects.bulk_create(check_ins)
    baseline = _baseline(ctx)
    ctx.say(
        f"Alumni: {len(recorded)} exits recorded, {len(check_ins)} check-ins; "
        f"baseline: {baseline} yearly rows."
    )
