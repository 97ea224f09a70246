"""The demo seed of the offices area, on a small world of factory companies."""

import datetime as dt
import random

import pytest
from django.db.backends.postgresql.psycopg_any import DateRange

from sites.models import SiteStatus, Space, SpaceKind
from technopark.demo import DemoContext
from tenants.demo import offices as demo
from tenants.models import (
    ApplicationStatus,
    CompanyStatus,
    OfficeApplication,
    RentRate,
    Residency,
    ResidencyOffice,
    ResidencyStatus,
)
from tests.factories import CompanyFactory, MembershipFactory, SiteFactory
from tests.factories.offices import OfficeFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 1)


@pytest.fixture
def world():
    sites = [
        SiteFactory(name="Technopark Agadir", opening_year=2021),
        SiteFactory(name="Technopark Essaouira", opened_on=dt.date(2023, 10, 1), opening_year=None),
    ]
    planned = SiteFactory(name="Technopark Tiznit", status=SiteStatus.PLANNED, opening_year=None)
    stages = ["startup", "startup", "startup", "sme", "large", "project"]
    for site in sites:
        for n in range(12):
            company = CompanyFactory(home_site=site, stage=stages[n % len(stages)])
            MembershipFactory(company=company)
        for _ in range(2):
            CompanyFactory(home_site=site, status=CompanyStatus.ALUMNI)
        for n in range(5):  # applicants: half registered (with an ICE), half not yet
            CompanyFactory(
                home_site=site, status=CompanyStatus.APPLICANT, **({"ice": None} if n % 2 else {})
            )
    return sites, planned


def _context(seed=7):
    return DemoContext(rng=random.Random(seed), today=TODAY, say=lambda line: None)


def _counts():
    return {
        model.__name__: model.objects.count()
        for model in (RentRate, Space, Residency, ResidencyOffice, OfficeApplication)
    }


def test_the_seed_builds_offices_contracts_and_applications(world):
    sites, planned = world
    demo.seed(_context())

    assert RentRate.objects.count() == 4
    for site in sites:
        offices = Space.objects.filter(site=site, kind=SpaceKind.OFFICE)
        assert 30 <= offices.count() <= 45
        assert all(12 <= office.area_m2 <= 60 for office in offices)
        assert offices.filter(name="Bureau A-101").exists()

        residents = site.companies.filter(status=CompanyStatus.RESIDENT)
        hosted = residents.filter(residencies__status=ResidencyStatus.ACTIVE).distinct()
        assert hosted.count() >= residents.count() * 0.7

        contracts = Residency.objects.filter(site=site).prefetch_related("office_leases__office")
        for contract in contracts:
            assert contract.start >= max(
                dt.date(2021, 11, 1), site.opened_on or dt.date(2021, 1, 1)
            )
            if contract.company.stage == "sme" and contract.status == ResidencyStatus.ACTIVE:
                assert contract.tier == "sme" and contract.firm_end is not None
            for lease in contract.office_leases.all():
                assert lease.period == DateRange(contract.start, contract.end, "[)")
                assert lease.area_m2 == lease.office.area_m2

        closed = Residency.objects.filter(site=site).exclude(status=ResidencyStatus.ACTIVE)
        assert closed.exists() and all(c.end <= TODAY for c in closed)
        assert not site.companies.filter(
            status=CompanyStatus.ALUMNI, residencies__status=ResidencyStatus.ACTIVE
        ).exists()

        statuses = set(OfficeApplication.objects.filter(site=site).values_list("status", flat=True))
        assert statuses == set(ApplicationStatus.values)
        waiting = OfficeApplication.objects.filter(site=site, status="waiting_list")
        assert sorted(waiting.values_list("waiting_position", flat=True)) == list(
            range(1, waiting.count() + 1)
        )
        rejected = OfficeApplication.objects.filter(site=site, status="rejected")
        assert all(application.decision_reason for application in rejected)

    moved = Residency.objects.filter(status=ResidencyStatus.TERMINATED)
    assert moved.exists() and all(contract.termination_reason for contract in moved)
    for contract in moved:  # the company moved to its present offices the day it left these
        assert contract.company.residencies.filter(
            start=contract.end, status=ResidencyStatus.ACTIVE
        ).exists()
    assert not Space.objects.filter(site=planned).exists()
    assert not Residency.objects.filter(site=planned).exists()


def test_the_demo_reaches_five_years_back_even_on_29_february():
    site = SiteFactory(opening_year=2001)
    ctx = DemoContext(rng=random.Random(1), today=dt.date(2028, 2, 29), say=lambda line: None)
    assert demo._opening(ctx, site) == dt.date(2023, 3, 1)


def test_a_second_run_creates_nothing(world):
    demo.seed(_context())
    before = _counts()
    demo.seed(_context(seed=99))
    assert _counts() == before


def test_a_site_with_its_own_offices_keeps_them(world):
    sites, _ = world
    own = [OfficeFactory(site=sites[0], name=f"Suite {n}") for n in range(10)]
    demo.seed(_context())
    assert set(Space.objects.filter(site=sites[0], kind=SpaceKind.OFFICE)) == set(own)
