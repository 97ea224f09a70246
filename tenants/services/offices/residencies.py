"""Residencies (contracts): letting offices, ending and terminating contracts.

PostgreSQL refuses two leases of one office over overlapping dates, past days
included: a closed contract's leases keep their period cut to ``[start, end)``.
"""

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.backends.postgresql.psycopg_any import DateRange
from django.utils import timezone
from django.utils.translation import gettext as _

from sites.models import Site, Space, SpaceKind
from technopark.db import ResourceBusyError, in_savepoint, lock_resources
from technopark.models import User
from tenants.models import (
    Company,
    CompanyStatus,
    ExitReason,
    OfficeApplication,
    Residency,
    ResidencyOffice,
    ResidencyStatus,
)
from tenants.rent import FIRM_MONTHS, FIRM_TIERS, add_months
from tenants.services.alumni import exit_record_checked
from tenants.services.offices.common import day, save


def _busy_offices(offices: Iterable[Space], start: dt.date, end: dt.date | None) -> list[Space]:
    busy = set(
        ResidencyOffice.objects.filter(
            office__in=offices, period__overlap=DateRange(start, end, "[)")
        ).values_list("office_id", flat=True)
    )
    return [office for office in offices if office.pk in busy]


def _names(offices: Iterable[Space]) -> str:
    return ", ".join(office.name for office in offices)


@transaction.atomic
def residency_create(
    *,
    company: Company,
    site: Site,
    offices: Iterable[Space],
    start: dt.date,
    tier: str,
    user: User | None,
    end: dt.date | None = None,
    application: OfficeApplication | None = None,
    today: dt.date | None = None,
) -> Residency:
    """A contract for one or more offices of ``site`` from ``start`` (to ``end``, if fixed).

    Offices must be offices of that site, with their area, and free over the
    contract's dates, past days included: PostgreSQL refuses two leases of an
    office on overlapping dates, even between two requests at the same
    instant. Each lease keeps the office's area of today. SMEs and large
    companies sign 22 months firm (``firm_end``); startups have no firm
    period. The company needs its ICE and becomes resident. A contract whose
    ``end`` has already come (a past contract recorded afterwards) is recorded
    as ended at once, and the company is resident only if another contract runs.
    """
    today = today or timezone.localdate()
    offices = sorted(set(offices), key=lambda office: office.pk)
    if not offices:
        raise ValidationError(_("Choose at least one office."), code="offices")
    foreign = [o for o in offices if o.site_id != site.pk or o.kind != SpaceKind.OFFICE]
    if foreign:
        raise ValidationError(
            _("Not an office of %(site)s: %(offices)s.")
            % {"site": site, "offices": _names(foreign)},
            code="offices",
        )
    without_area = [o for o in offices if not o.area_m2]
    if without_area:
        raise ValidationError(
            _("Give the area of these offices first: %(offices)s.")
            % {"offices": _names(without_area)},
            code="offices",
        )
    if end is not None and end <= start:
        raise ValidationError(_("The end must come after the start."), code="end")
    firm_end = add_months(start, FIRM_MONTHS) if tier in FIRM_TIERS else None
    if end is not None and firm_end is not None and end < firm_end:
        raise ValidationError(
            _("This contract is firm for %(months)d months: it cannot end before %(date)s.")
            % {"months": FIRM_MONTHS, "date": day(firm_end)},
            code="end",
        )
    if not company.ice:
        raise ValidationError(
            _(
                "%(company)s has no ICE yet, and a contract needs it. Ask the company to "
                "enter its ICE in its profile, then try again."
            )
            % {"company": company},
            code="ice",
        )
    residency = Residency(
        company=company,
        site=site,
        application=application,
        start=start,
        end=end,
        firm_end=firm_end,
        tier=tier,
        status=ResidencyStatus.ACTIVE,
    )
    save(residency, user)
    period = DateRange(start, end, "[)")
    leases = [
        # Offices let have an area (the form requires it).
        ResidencyOffice(residency=residency, office=office, period=period, area_m2=office.area_m2)  # type: ignore[misc]
        for office in offices
    ]
    try:
        # Competing leases of the same offices queue (keys sorted: no deadlock);
        # the exclusion constraint then refuses the overlap cleanly.
        lock_resources("tenants.office", [office.pk for office in offices])
        in_savepoint(lambda: ResidencyOffice.objects.bulk_create(leases))
    except ResourceBusyError:
        raise ValidationError(
            _("Many people are letting these offices right now: try again in a moment."),
            code="locked",
        ) from None
    except IntegrityError as error:
        raise ValidationError(
            _("Already let on these dates: %(offices)s.")
            % {"offices": _names(_busy_offices(offices, start, end)) or _names(offices)},
            code="busy",
        ) from error
    company.refresh_from_db(fields=["status"])  # the caller's copy may predate a change
    if company.status != CompanyStatus.RESIDENT:
        company.status = CompanyStatus.RESIDENT
        save(company, user, update_fields=["status"])
    if end is not None and end <= today:
        _close(residency, user, end, ResidencyStatus.ENDED, today)
    return residency


def _lock_active(residency: Residency) -> Residency:
    locked = (
        Residency.objects.select_for_update(no_key=True, of=("self",))
        .select_related("company")
        .get(pk=residency.pk)
    )
    if locked.status != ResidencyStatus.ACTIVE:
        raise ValidationError(_("This contract has already ended."), code="ended")
    return locked


def _close(residency: Residency, user, end: dt.date, status: str, today: dt.date) -> None:
    """Set the end; the status changes once the end has come. Leases follow, then the company.

    The leases keep their rows, cut to ``[start, end)``: the office stays let
    on those past days, and PostgreSQL keeps refusing anyone else on them.
    """
    residency.end = end
    if end <= today:
        residency.status = status
    save(residency, user)
    try:
        with transaction.atomic():
            residency.office_leases.update(period=DateRange(residency.start, end, "[)"))
    except IntegrityError as error:
        raise ValidationError(
            _("An office of this contract is let to someone else before %(date)s.")
            % {"date": day(end)},
            code="busy",
        ) from error
    if residency.status != ResidencyStatus.ACTIVE:
        _company_may_leave(residency.company, user, residency)


def _company_may_leave(company: Company, user, residency: Residency) -> None:
    """A resident with no running contract left becomes alumni: its exit is recorded.

    A contract that ran to its end records a graduation, a terminated one a
    move out; staff correct the reason in the admin (Company exits).
    """
    running = company.residencies.filter(status=ResidencyStatus.ACTIVE).exists()
    if company.status == CompanyStatus.RESIDENT and not running:
        reason = (
            ExitReason.MOVED_OUT
            if residency.status == ResidencyStatus.TERMINATED
            else ExitReason.GRADUATED
        )
        exit_record_checked(
            company=company,
            user=user,
            date=residency.end,  # type: ignore[arg-type]  # a closed contract has its end
            reason=reason,
            site=residency.site,
        )


@transaction.atomic
def residency_end(
    *, residency: Residency, user: User | None, end: dt.date, today: dt.date | None = None
) -> Residency:
    """The contract ends normally on ``end`` (the first day the offices are free).

    Not before the firm period is over (terminate with a reason for that). An
    end that has come closes the contract now and frees its offices from that
    day; a future end keeps the contract running until then (``residency_close_due``).
    """
    today = today or timezone.localdate()
    residency = _lock_active(residency)
    if end <= residency.start:
        raise ValidationError(_("The end must come after the start."), code="end")
    if residency.firm_end and end < residency.firm_end:
        raise ValidationError(
            _(
                "The firm period runs until %(date)s. To end the contract earlier, "
                "terminate it with a reason."
            )
            % {"date": day(residency.firm_end)},
            code="firm",
        )
    _close(residency, user, end, ResidencyStatus.ENDED, today)
    return residency


@transaction.atomic
def residency_terminate(
    *,
    residency: Residency,
    user: User | None,
    reason: str,
    end: dt.date | None = None,
    today: dt.date | None = None,
) -> Residency:
    """The contract is terminated early, for a reason kept with it, on ``end`` (default today).

    Like ``residency_end`` but allowed inside the firm period.
    """
    today = today or timezone.localdate()
    end = end or today
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("A termination needs its reason."), code="reason")
    residency = _lock_active(residency)
    if end <= residency.start:
        raise ValidationError(
            _("The contract starts on %(date)s: it can end the day after at the earliest.")
            % {"date": day(residency.start)},
            code="end",
        )
    residency.termination_reason = reason
    _close(residency, user, end, ResidencyStatus.TERMINATED, today)
    return residency


@transaction.atomic
def residency_close_due(*, today: dt.date | None = None, user: User | None = None) -> int:
    """Close the running contracts whose end has come (run daily). Returns how many."""
    today = today or timezone.localdate()
    due = (
        Residency.objects.select_for_update(no_key=True, of=("self",))
        .select_related("company")
        .filter(status=ResidencyStatus.ACTIVE, end__lte=today)
    )
    count = 0
    for residency in due:
        terminated = bool(residency.termination_reason)
        status = ResidencyStatus.TERMINATED if terminated else ResidencyStatus.ENDED
        # An active contract due to close has an end (end__lte=today).
        _close(residency, user, residency.end, status, today)  # type: ignore[arg-type]
        count += 1
    return count
