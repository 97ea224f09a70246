"""Occupancy per site: leased over leasable m², companies hosted over capacity; constant queries."""

import datetime as dt
from decimal import Decimal

import pytest

from sites.models import Site
from tenants.selectors.offices import occupancy_by_site
from tenants.services import offices as services
from tests.factories import CompanyFactory, SiteFactory, SpaceFactory
from tests.factories.offices import OfficeFactory, residency
from tests.queries import counting_queries

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 6, 15)


def test_occupancy_counts_leased_m2_and_distinct_companies(site, other_site):
    offices = [OfficeFactory(site=site, area_m2=Decimal(area)) for area in (20, 30, 50, 100)]
    SpaceFactory(site=site, name="Agora")  # not an office: not leasable
    first, second = CompanyFactory(home_site=site), CompanyFactory(home_site=site)
    residency(company=first, offices=offices[:2], start=dt.date(2025, 1, 1))  # 50 m²
    residency(company=second, offices=[offices[2]], start=dt.date(2026, 1, 1))  # 50 m²
    occupancy = occupancy_by_site([site, other_site], on=DAY)

    here = occupancy[site.pk]
    assert here.leasable_m2 == Decimal("200") and here.leased_m2 == Decimal("100")
    assert here.offices == 4 and here.offices_leased == 3
    assert here.companies == 2 and here.capacity_companies == 50
    assert here.area_rate == 0.5 and here.company_rate == 0.04

    empty = occupancy[other_site.pk]
    assert (empty.leasable_m2, empty.leased_m2, empty.companies) == (0, 0, 0)
    assert empty.area_rate is None


def test_occupancy_follows_the_contracts_dates(site):
    office = OfficeFactory(site=site, area_m2=Decimal(40))
    company = CompanyFactory(home_site=site)
    contract = residency(company=company, offices=[office], start=dt.date(2026, 1, 1))
    services.residency_end(
        residency=contract, user=None, end=dt.date(2026, 6, 1), today=dt.date(2026, 7, 1)
    )

    def leased(day):
        return occupancy_by_site([site], on=day)[site.pk].leased_m2

    assert leased(dt.date(2025, 12, 31)) == 0
    assert leased(dt.date(2026, 3, 1)) == 40  # the past keeps its figures
    assert leased(dt.date(2026, 6, 1)) == 0  # the end day is free


def test_a_past_day_keeps_its_figures_when_an_office_is_resized_later(site):
    office = OfficeFactory(site=site, area_m2=Decimal(40))
    residency(
        company=CompanyFactory(home_site=site),
        offices=[office],
        start=dt.date(2025, 1, 1),
        end=dt.date(2026, 1, 1),
        today=dt.date(2026, 1, 1),
    )
    office.area_m2 = Decimal(60)
    office.save()
    then = occupancy_by_site([site], on=dt.date(2025, 6, 1))[site.pk]
    assert then.leased_m2 == Decimal(40)  # as signed
    assert then.leasable_m2 == Decimal(60)  # the office as it is today
    assert then.offices_leased == 1 and then.companies == 1


def test_a_site_without_capacity_has_no_company_rate(site):
    site.capacity_companies = None
    assert occupancy_by_site([site], on=DAY)[site.pk].company_rate is None


def _grow(sites, leases_per_site):
    for _ in range(sites):
        site = SiteFactory()
        for _ in range(leases_per_site):
            residency(
                company=CompanyFactory(home_site=site),
                offices=[OfficeFactory(site=site)],
                start=dt.date(2025, 1, 1),
            )


def test_the_query_count_does_not_depend_on_sites_or_leases(db):
    _grow(sites=1, leases_per_site=1)
    with counting_queries() as few:
        occupancy_by_site(Site.objects.all(), on=DAY)
    _grow(sites=12, leases_per_site=5)
    with counting_queries() as many:
        result = occupancy_by_site(Site.objects.all(), on=DAY)
    assert len(result) == 13
    assert len(few) == len(many) == 3  # the sites, the offices, the leases
