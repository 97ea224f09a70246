"""Reads of the offices area: applications, contracts, free offices, occupancy, attestations."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.backends.postgresql.psycopg_any import DateRange
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.utils import timezone

from sites.models import Site, Space, SpaceKind
from technopark import access
from tenants import rent
from tenants.models import (
    ApplicationStatus,
    Attestation,
    Company,
    OfficeApplication,
    RentRate,
    RentTier,
    Residency,
    ResidencyOffice,
    ResidencyStatus,
)

LEASES = Prefetch(
    "office_leases",
    queryset=ResidencyOffice.objects.select_related("office").order_by("office__name"),
)


# --- Applications ----------------------------------------------------------------------------


def application_list_for_company(
    company: Company, user, *, status: str = ""
) -> QuerySet[OfficeApplication]:
    """A company's applications, newest first, with their site and number of documents."""
    applications = access.scope(OfficeApplication.objects.filter(company=company), user)
    if status:
        applications = applications.filter(status=status)
    return (
        applications.select_related("site")
        .annotate(document_count=Count("documents"))
        .order_by("-created_at")
    )


def application_get_for_company(
    company: Company, user, pk: int, perm: str = "tenants.view_officeapplication"
) -> OfficeApplication:
    """One application of ``company`` on which ``user`` holds ``perm``, or 404."""
    return access.get_object_or_404(
        OfficeApplication.objects.filter(company=company)
        .select_related("site", "company", "applicant", "decided_by")
        .prefetch_related("documents"),
        user,
        perm,
        pk=pk,
    )


def waiting_list(site: Site) -> QuerySet[OfficeApplication]:
    """A site's waiting list, in order."""
    return (
        OfficeApplication.objects.filter(site=site, status=ApplicationStatus.WAITING_LIST)
        .select_related("company")
        .order_by("waiting_position")
    )


# --- Offices and contracts -----------------------------------------------------------------


def office_list(site: Site) -> QuerySet[Space]:
    """The offices of a site, by name."""
    return Space.objects.filter(site=site, kind=SpaceKind.OFFICE).order_by("name")


def free_offices(
    offices: QuerySet[Space], *, start: dt.date, end: dt.date | None = None
) -> QuerySet[Space]:
    """Those of ``offices`` with no lease overlapping ``[start, end)`` (open: for ever).

    A closed contract's lease still covers its own dates: an office is not free
    on a past day it was let.
    """
    busy = ResidencyOffice.objects.filter(
        office=OuterRef("pk"), period__overlap=DateRange(start, end, "[)")
    )
    return offices.filter(kind=SpaceKind.OFFICE).exclude(Exists(busy))


def with_first_start(residencies: QuerySet[Residency]) -> QuerySet[Residency]:
    """``residencies`` annotated with ``company_first_start``, the start of the company's
    first contract (``tenants.rent`` counts a startup's 18 months from it), in the same query."""
    first = (
        Residency.objects.filter(company=OuterRef("company")).order_by("start").values("start")[:1]
    )
    return residencies.annotate(company_first_start=Subquery(first))


def residency_list_for_company(company: Company, user) -> QuerySet[Residency]:
    """A company's contracts, running ones first, with their site and leased offices."""
    return with_first_start(
        access.scope(Residency.objects.filter(company=company), user)
        .select_related("site", "company")
        .prefetch_related(LEASES)
        .order_by("status", "-start")
    )


def current_on(on: dt.date) -> Q:
    """The contracts that run on ``on``: active (not closed yet), started, not yet ended.

    Read from the dates, so a contract past its end counts as over even before
    the nightly ``close_due_residencies`` closes it.
    """
    return Q(status=ResidencyStatus.ACTIVE, start__lte=on) & (Q(end__isnull=True) | Q(end__gt=on))


def residencies_current(
    company: Company, user, *, today: dt.date, perm: str = "tenants.view_residency"
) -> QuerySet[Residency]:
    """``company``'s contracts that run ``today`` (on which ``user`` holds ``perm``), with
    their site, leased offices and the company's first start, oldest first."""
    return with_first_start(
        access.scope(Residency.objects.filter(company=company), user, perm)
        .filter(current_on(today))
        .select_related("site", "company")
        .prefetch_related(LEASES)
        .order_by("start", "pk")
    )


def residencies_for_portal(company: Company, user, *, today: dt.date) -> list[Residency]:
    """The company's contracts as the portal lists them: running ones priced, then the others.

    Each running contract carries its leased area, today's tier (and label),
    rate and monthly rent and the date its startup rate ends, all from the rent
    rule (``tenants.rent``); the others carry their area and whether they are
    still to come.
    """
    rates = rent_rate_list()
    current = list(residencies_current(company, user, today=today))
    for contract in current:
        contract.current = True
        contract.area = rent.leased_area(contract)
        contract.tier_now = rent.rent_tier_on(contract, on=today)
        contract.tier_now_label = RentTier(contract.tier_now).label
        contract.rate_now = rent.monthly_rate(contract, on=today, rates=rates)
        contract.rent_now = rent.monthly_rent(contract, on=today, rates=rates)
        contract.mature_from = rent.mature_from(contract)
    others = list(residency_list_for_company(company, user).exclude(pk__in=[c.pk for c in current]))
    for contract in others:
        contract.current = False
        contract.area = rent.leased_area(contract)
        contract.upcoming = contract.status == ResidencyStatus.ACTIVE and contract.start > today
    return current + others


def residency_is_current(residency: Residency, *, on: dt.date) -> bool:
    """Whether the contract runs on ``on`` (the Python twin of ``current_on``)."""
    return (
        residency.status == ResidencyStatus.ACTIVE
        and residency.start <= on
        and (residency.end is None or on < residency.end)
    )


def rent_rate_list() -> list[RentRate]:
    """Every rent rate (a small table), read once to price many contracts."""
    return list(access.public(RentRate.objects.all()).order_by("tier", "effective_from"))


def rent_rates_in_force(*, on: dt.date) -> dict[str, RentRate]:
    """The rate of each tier in force on ``on``."""
    in_force = {}
    for rate in rent_rate_list():
        if rate.effective_from <= on:
            in_force[rate.tier] = rate
    return in_force


# --- Occupancy -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Occupancy:
    """How full a site is on a day: surfaces and companies hosted."""

    leasable_m2: Decimal
    leased_m2: Decimal
    offices: int
    offices_leased: int
    companies: int
    capacity_companies: int | None

    @property
    def area_rate(self) -> float | None:
        """Leased over leasable m², 0..1 (None without offices)."""
        return float(self.leased_m2 / self.leasable_m2) if self.leasable_m2 else None

    @property
    def company_rate(self) -> float | None:
        """Companies hosted over the site's capacity, 0..1 (None without a capacity)."""
        if not self.capacity_companies:
            return None
        return self.companies / self.capacity_companies


def occupancy_by_site(sites: Iterable[Site], *, on: dt.date | None = None) -> dict[int, Occupancy]:
    """Each site's occupancy on ``on`` (default today): two queries after reading ``sites``.

    Leasable m² is the area of the site's office spaces today; leased m² the
    area, as signed, of the leases whose period contains ``on`` (a closed
    contract's leases keep their real dates: past days count them too);
    companies hosted are the distinct companies with such a lease. ``sites``
    come already scoped by the caller (e.g. ``sites.selectors.site_list_for(user)``).
    """
    on = on or timezone.localdate()
    sites = list(sites)
    ids = [site.pk for site in sites]
    leases_on = ResidencyOffice.objects.filter(period__contains=on)
    offices = (
        Space.objects.filter(site__in=ids, kind=SpaceKind.OFFICE)
        .annotate(leased=Exists(leases_on.filter(office=OuterRef("pk"))))
        .values("site", "leased")
        .annotate(count=Count("pk"), area=Sum("area_m2"))
        .order_by()
    )
    figures = {pk: {"leasable": Decimal(0), "n": 0, "n_leased": 0} for pk in ids}
    for group in offices:
        entry = figures[group["site"]]
        entry["leasable"] += group["area"] or Decimal(0)
        entry["n"] += group["count"]
        if group["leased"]:
            entry["n_leased"] += group["count"]
    leased = {
        row["residency__site"]: row
        for row in leases_on.filter(residency__site__in=ids)
        .values("residency__site")
        .annotate(area=Sum("area_m2"), companies=Count("residency__company", distinct=True))
        .order_by()
    }
    return {
        site.pk: Occupancy(
            leasable_m2=figures[site.pk]["leasable"],
            leased_m2=leased.get(site.pk, {}).get("area") or Decimal(0),
            offices=figures[site.pk]["n"],
            offices_leased=figures[site.pk]["n_leased"],
            companies=leased.get(site.pk, {}).get("companies", 0),
            capacity_companies=site.capacity_companies,
        )
        for site in sites
    }


# --- Attestations ----------------------------------------------------------------------------


def attestation_list_for_company(company: Company, user) -> QuerySet[Attestation]:
    """A company's attestations, newest first, with their contract's site."""
    return (
        access.scope(Attestation.objects.filter(company=company), user)
        .select_related("residency__site", "issued_by")
        .order_by("-issued_at")
    )


def attestation_for_pdf(
    queryset: QuerySet[Attestation], user, pk: int, *, via: str = access.VIA_ANY
) -> Attestation:
    """One attestation in ``user``'s scope with all its PDF shows, or 404.

    The admin passes ``via="site"``: staff reach attestations through their sites only.
    """
    return access.get_object_or_404(
        queryset.select_related("company", "residency__site").prefetch_related(
            Prefetch("residency__office_leases", queryset=LEASES.queryset)
        ),
        user,
        via=via,
        pk=pk,
    )


def attestation_by_code(code: str) -> Attestation | None:
    """The attestation a verification code names, for the public check.

    Not through the gate on purpose: the random code is the proof of having
    been handed the attestation; the page shows only what the PDF shows.
    """
    return (
        Attestation.objects.select_related("company", "residency__site")
        .prefetch_related(Prefetch("residency__office_leases", queryset=LEASES.queryset))
        .filter(code=code)
        .first()
    )


VALID, REVOKED, EXPIRED, ENDED = "valid", "revoked", "expired", "ended"


def attestation_state(attestation: Attestation, *, today: dt.date | None = None) -> str:
    """``valid``, ``revoked``, ``expired`` (past its ``valid_until``) or ``ended``.

    ``ended``: the residency it attests does not run today any more (ended,
    terminated, or past its end before the nightly closing), so the attestation
    no longer attests anything even if its date has not come. Reads
    ``attestation.residency``: select it with the attestation.
    """
    today = today or timezone.localdate()
    if attestation.revoked_at is not None:
        return REVOKED
    if attestation.valid_until < today:
        return EXPIRED
    if not residency_is_current(attestation.residency, on=today):
        return ENDED
    return VALID
