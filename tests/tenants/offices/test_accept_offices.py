"""Accepting an application offers the offices free at the start date, with floor and area."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.conftest import client_for
from tests.factories.offices import OfficeFactory, residency

pytestmark = pytest.mark.django_db


def _accept_page(client, application, start=None):
    url = reverse("admin:tenants_officeapplication_accept", args=[application.pk])
    return client.get(url, {"start": start} if start else {}).content.decode()


def test_only_offices_free_at_the_start_date_are_offered_with_floor_and_area(
    site, company, application, site_staff, rates, other_site
):
    OfficeFactory(site=site, name="Bureau A-101", floor=1, area_m2=20)
    let_for_ever = OfficeFactory(site=site, name="Bureau A-102", floor=1, area_m2=30)
    let_until_june = OfficeFactory(site=site, name="Bureau B-201", floor=2, area_m2=24)
    OfficeFactory(site=other_site, name="Bureau R-301", floor=3)
    residency(company=company, offices=[let_for_ever], start=dt.date(2025, 1, 1))
    residency(
        company=company,
        offices=[let_until_june],
        start=dt.date(2025, 1, 1),
        end=dt.date(2027, 7, 1),
    )
    client = client_for(site_staff)

    html = _accept_page(client, application, "2026-12-01")
    assert "Bureau A-101 · floor 1 · 20 m²" in html
    assert "Bureau A-102" not in html
    assert "Bureau B-201" not in html  # let on 1 December 2026
    assert "Bureau R-301" not in html  # another site
    assert 'value="2026-12-01"' in html

    later = _accept_page(client, application, "2027-07-01")
    assert "Bureau B-201 · floor 2 · 24 m²" in later and "Bureau A-101" in later
    assert "Bureau A-102" not in later


def test_a_malformed_start_in_the_address_lists_the_offices_free_today(
    site, application, site_staff, rates
):
    OfficeFactory(site=site, name="Bureau C-001", floor=0, area_m2=15)
    html = _accept_page(client_for(site_staff), application, "2026-13-45")
    assert "Bureau C-001 · ground floor · 15 m²" in html


def test_accepting_an_office_let_at_the_posted_start_is_refused(
    site, company, application, site_staff, rates
):
    busy = OfficeFactory(site=site, name="Bureau A-105", floor=1, area_m2=20)
    residency(company=company, offices=[busy], start=dt.date(2025, 1, 1), end=dt.date(2026, 12, 1))
    url = reverse("admin:tenants_officeapplication_accept", args=[application.pk])
    # Listed free from 1 December 2026, posted with an earlier start, when it is still let.
    response = client_for(site_staff).post(
        f"{url}?start=2026-12-01",
        {"offices": [busy.pk], "start": "2026-06-01", "tier": "startup", "reason": ""},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Already let on these dates: Bureau A-105." in html
    application.refresh_from_db()
    assert application.status == "submitted"
