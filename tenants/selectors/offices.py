"""Reads of the offices area: applications, contracts, free offices, occupancy, attestations."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.backends.postgresql.psycopg_any import DateRange
from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet, Sum
from django.utils import timezone

from sites.models import Site, Space, SpaceKind
from technopark import access
from tenants.models import (
    ApplicationStatus,
    Attestation,
    Company,
    OfficeApplication,
    RentRate,
    Residency,
    ResidencyOffice,
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
    """Those of ``offices`` with no active lease overlapping ``[start, end)`` (open: for ever)."""
    busy = ResidencyOffice.objects.filter(
        office=OuterRef("pk"), active=True, period__overlap=DateRange(start, end, "[)")
    )
    return offices.filter(kind=SpaceKind.OFFICE).exclude(Exists(busy))


def offices_free_first(offices: QuerySet[Space], *, on: dt.date) -> QuerySet[Space]:
    """``offices`` with ``let_from_on`` (an active lease from ``on`` on), free ones first."""
    busy = ResidencyOffice.objects.filter(
        office=OuterRef("pk"), active=True, period__overlap=DateRange(on, None, "[)")
    )
    return offices.annotate(let_from_on=Exists(busy)).order_by("let_from_on", "name")


def residency_list_for_company(company: Company, user) -> QuerySet[Residency]:
    """A company's contracts, running ones first, with their site and leased offices."""
    return (
        access.scope(Residency.objects.filter(company=company), user)
        .select_related("site", "company")
        .prefetch_related(LEASES)
        .order_by("status", "-start")
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
    """Each site's occupancy on ``on`` (default today), in three queries whatever the size.

    Leasable m² is the area of the site's office spaces; leased m² the area of
    those under a lease covering ``on``; companies hosted are the distinct
    companies with such a lease. ``sites`` come already scoped by the caller
    (e.g. ``sites.selectors.site_list_for(user)``).
    """
    on = on or timezone.localdate()
    sites = list(sites)
    ids = [site.pk for site in sites]
    # A closed contract's leases keep its real dates: past days count them too.
    leases_on = ResidencyOffice.objects.filter(period__contains=on)
    offices = (
        Space.objects.filter(site__in=ids, kind=SpaceKind.OFFICE)
        .annotate(leased=Exists(leases_on.filter(office=OuterRef("pk"))))
        .values("site", "leased")
        .annotate(count=Count("pk"), area=Sum("area_m2"))
        .order_by()
    )
    figures = {pk: {"leasable": Decimal(0), "leased": Decimal(0), "n": 0, "n_leased": 0}
               for pk in ids}  # fmt: skip
    for group in offices:
        entry = figures[group["site"]]
        area = group["area"] or Decimal(0)
        entry["leasable"] += area
        entry["n"] += group["count"]
        if group["leased"]:
            entry["leased"] += area
            entry["n_leased"] += group["count"]
    companies = dict(
        leases_on.filter(residency__site__in=ids)
        .values("residency__site")
        .annotate(companies=Count("residency__company", distinct=True))
        .values_list("residency__site", "companies")
        .order_by()
    )
    return {
        site.pk: Occupancy(
            leasable_m2=figures[site.pk]["leasable"],
            leased_m2=figures[site.pk]["leased"],
            offices=figures[site.pk]["n"],
            offices_leased=figures[site.pk]["n_leased"],
            companies=companies.get(site.pk, 0),
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


def attestation_for_pdf(queryset: QuerySet[Attestation], user, pk: int) -> Attestation:
    """One attestation in ``user``'s scope with all its PDF shows, or 404."""
    return access.get_object_or_404(
        queryset.select_related("company", "residency__site").prefetch_related(
            Prefetch("residency__office_leases", queryset=LEASES.queryset)
        ),
        user,
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


VALID, REVOKED, EXPIRED = "valid", "revoked", "expired"


def attestation_state(attestation: Attestation, *, today: dt.date | None = None) -> str:
    """``valid``, ``revoked`` or ``expired`` (past its ``valid_until``)."""
    today = today or timezone.localdate()
    if attestation.revoked_at is not None:
        return REVOKED
    if attestation.valid_until < today:
        return EXPIRED
    return VALID
