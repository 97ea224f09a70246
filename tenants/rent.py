"""The rent rule of the offices: months, tiers, rates and the monthly rent.

Plain reads and date arithmetic with no writes, so that selectors, services,
views and the lead's portal home all price a contract the same way without
importing the services. The rates themselves are ``RentRate`` rows that staff
change by adding a row; ``tenants.services.offices.rent_rates_load`` seeds them.
"""

import calendar
import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.db.models import Min

from tenants.models import Company, RentRate, RentTier, Residency, Stage

#: Startups pay the STARTUP rate this many months, then the STARTUP_MATURE rate.
STARTUP_RATE_MONTHS = 18
#: Contracts of SMEs and large companies cannot end before this many months.
FIRM_MONTHS = 22
#: The rule's figures for pages and documents, which must not restate them.
RULE = {"startup_months": STARTUP_RATE_MONTHS, "firm_months": FIRM_MONTHS}
#: The tiers that have a firm period.
FIRM_TIERS = (RentTier.SME, RentTier.LARGE)

CENT = Decimal("0.01")


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (or earlier, for a negative count).

    Meant for the first day of something (an exclusive end, the first day of a
    new rate): when the month is too short for the day (31 Jan + 1 month), the
    answer is the first of the following month (1 March), so that contracts
    started on 30 and 31 January do not share an end.
    """
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    if day.day > last_day:
        return dt.date(year, month, last_day) + dt.timedelta(days=1)
    return day.replace(year=year, month=month)


def tier_for_company(company: Company) -> str:
    """The tier a new contract of ``company`` starts in, from its stage."""
    return {Stage.SME: RentTier.SME, Stage.LARGE: RentTier.LARGE}.get(
        company.stage, RentTier.STARTUP
    )


def first_start(residency: Residency) -> dt.date:
    """When the residency's company first came to the Technopark: its earliest contract's start.

    Selectors annotate it as ``company_first_start`` (one subquery for a whole
    list); without the annotation it costs one query.
    """
    annotated = getattr(residency, "company_first_start", None)
    if annotated is not None:
        return min(annotated, residency.start)
    earliest = Residency.objects.filter(company_id=residency.company_id).aggregate(
        first=Min("start")
    )["first"]
    return min(earliest or residency.start, residency.start)


def mature_from(residency: Residency) -> dt.date | None:
    """The first day a startup contract pays the STARTUP_MATURE rate (None for other tiers).

    The rule counts whole months: the startup's 18 months run from the start
    of its company's first contract, and the doubled rate applies from the
    first calendar month after the 18th month ends, never from a day inside a
    month. A start on 15 January 2025: the 18th month ends on 14 July 2026, so
    the doubled rate applies from 1 August 2026. A start on the 1st: the 18th
    month ends on the last day of a month, and the next month doubles (1 January
    2025 -> 1 July 2026). A start on the 31st whose 18th month lands in a
    shorter month ends that month on its last day (31 August 2024 -> the 18th
    month ends on 28 February 2026 -> doubled from 1 March 2026).
    """
    if residency.tier != RentTier.STARTUP:
        return None
    last_day = add_months(first_start(residency), STARTUP_RATE_MONTHS) - dt.timedelta(days=1)
    return first_of_next_month(last_day)


def first_of_next_month(day: dt.date) -> dt.date:
    """The first day of the calendar month after ``day``'s."""
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def rent_tier_on(residency: Residency, *, on: dt.date) -> str:
    """The tier a residency pays on a day.

    The one place of the rule: a startup pays the STARTUP rate during its first
    18 months at the Technopark, counted from the start of the company's first
    contract (moving to other offices does not restart the clock), and the
    STARTUP_MATURE rate from the first calendar month after (``mature_from``):
    the rate changes on a month's first day, so no month is split by it; other
    tiers stay.
    """
    mature = mature_from(residency)
    if mature is not None and on >= mature:
        return RentTier.STARTUP_MATURE
    return residency.tier


def monthly_rate(
    residency: Residency, *, on: dt.date, rates: Sequence[RentRate] | None = None
) -> Decimal | None:
    """The monthly rent per m² of ``residency`` on ``on``: its tier's rate in force that day.

    Rates are ``RentRate`` rows (staff change a rate by adding a row with a new
    ``effective_from``). ``rates`` may be passed already read
    (``tenants.selectors.offices.rent_rate_list``) to price many contracts with
    one query. None when no rate is in force.
    """
    tier = rent_tier_on(residency, on=on)
    if rates is None:
        rates = RentRate.objects.filter(tier=tier, effective_from__lte=on).order_by(
            "-effective_from"
        )[:1]
    in_force = [r for r in rates if r.tier == tier and r.effective_from <= on]
    if not in_force:
        return None
    return max(in_force, key=lambda r: r.effective_from).monthly_rate_per_m2


def leased_area(residency: Residency) -> Decimal:
    """The m² a residency leases, as signed (uses prefetched ``office_leases``).

    Each lease keeps the office's area of the day the contract was signed, so
    a later change of an office's area changes neither the rent nor the past.
    """
    return sum((lease.area_m2 for lease in residency.office_leases.all()), Decimal(0))


def monthly_rent(
    residency: Residency, *, on: dt.date, rates: Sequence[RentRate] | None = None
) -> Decimal | None:
    """The monthly rent of ``residency`` on ``on`` (excl. VAT): rate × leased m²."""
    rate = monthly_rate(residency, on=on, rates=rates)
    if rate is None:
        return None
    return (rate * leased_area(residency)).quantize(CENT)
