"""The dashboard's since-the-beginning and alumni sections: figures, access, query counts."""

import datetime as dt

import pytest
from django.urls import reverse

from network.dashboard import find_table
from tenants.models import AlumniCheckIn, CompanyExit, CompanyStatus, ExitReason, HistoricalBaseline
from tests.clock import pinned
from tests.conftest import client_for
from tests.factories import CompanyFactory
from tests.queries import queries_to_get

pytestmark = [pytest.mark.django_db, pinned]


def _alumnus(site, date, reason=ExitReason.GRADUATED, answers=()):
    company = CompanyFactory(home_site=site, status=CompanyStatus.ALUMNI)
    exit_ = CompanyExit.objects.create(company=company, site=site, date=date, reason=reason)
    for on, active in answers:
        AlumniCheckIn.objects.create(
            exit=exit_, year=on.year, sent_on=on, answered_on=on, still_active=active
        )
    return exit_


def _grow(site, n):
    for number in range(n):
        _alumnus(site, dt.date(2019, 1, 1 + number), answers=[(dt.date(2022, 3, 1), True)])
        HistoricalBaseline.objects.get_or_create(
            site=site, year=2000 + number, defaults={"companies_supported": 3, "source": "R"}
        )


def _site_url(site):
    return f"{reverse('network:site', args=[site.slug])}?period=2026-Q1"


def _cells(table, row=0):
    return [cell.value for cell in table.rows[row].cells]


def test_the_sections_show_survival_with_its_base_and_the_baseline_with_its_source(
    site, other_site, network_manager
):
    _alumnus(site, dt.date(2020, 1, 1), answers=[(dt.date(2022, 2, 1), True)])
    _alumnus(site, dt.date(2020, 2, 1), ExitReason.CLOSED)
    _alumnus(site, dt.date(2020, 3, 1))  # unanswered
    _alumnus(site, dt.date(2025, 5, 1))  # too recent
    HistoricalBaseline.objects.create(
        site=site, year=2015, companies_supported=40, jobs_created=120, source="Rapport 2015"
    )
    response = client_for(network_manager).get(
        f"{reverse('network:dashboard')}?period=2026-Q1&site={site.slug}&site={other_site.slug}"
    )
    sections = response.context["sections"]
    survival = find_table(sections, "survival")
    # site: 2 years: due 3, known 2, active 1, 50 %; 5 years: due 3 (exits of 2020, 6 years)
    assert _cells(survival)[:4] == [3, 2, 1, 0.5]
    assert _cells(survival)[4:] == [3, 1, 0, 0.0]  # only the closure is known at 5 years
    assert [c.value for c in survival.rows[1].cells] == [0, 0, 0, None, 0, 0, 0, None]
    assert survival.footer.cells[3].value == 0.5
    exits = find_table(sections, "exits")
    assert [row.header.value for row in exits.rows] == ["2020", "2025"]
    assert exits.rows[0].cells[-1].value == 3
    since = find_table(sections, "since-beginning")
    assert _cells(since)[2] == 40 and _cells(since)[6] == 120  # the baseline's part
    assert _cells(since, 1)[2] is None  # no baseline for the other site: missing, not 0
    sources = find_table(sections, "baseline-sources")
    assert [row.cells[-1].value for row in sources.rows] == ["Rapport 2015"]
    page = response.content.decode()
    assert "Rapport 2015" in page and 'id="alumni"' in page


def test_a_site_manager_sees_their_sites_alumni_only_and_companies_never(
    site, other_site, site_staff, tenant_admin
):
    _alumnus(site, dt.date(2020, 1, 1), answers=[(dt.date(2022, 2, 1), True)])
    _alumnus(other_site, dt.date(2020, 1, 1), answers=[(dt.date(2022, 2, 1), True)])
    HistoricalBaseline.objects.create(site=other_site, year=2015, companies_supported=9, source="B")
    HistoricalBaseline.objects.create(site=None, year=2015, companies_supported=99, source="N")
    response = client_for(site_staff).get(_site_url(site))
    sections = response.context["sections"]
    assert _cells(find_table(sections, "survival"))[:3] == [1, 1, 1]
    assert find_table(sections, "baseline-sources").rows == []
    page = response.content.decode()
    assert ">B<" not in page and ">N<" not in page
    assert client_for(site_staff).get(_site_url(other_site)).status_code == 404
    assert client_for(tenant_admin).get(_site_url(site)).status_code == 404
    exits = reverse("admin:tenants_companyexit_changelist")
    assert client_for(tenant_admin).get(exits).status_code == 404


def test_the_query_count_does_not_grow_with_alumni_and_baseline(
    site, other_site, network_manager, site_staff
):
    _grow(site, 1)
    network, own = client_for(network_manager), client_for(site_staff)
    urls = [(network, f"{reverse('network:dashboard')}?period=2026-Q1"), (own, _site_url(site))]
    small = [queries_to_get(client, url) for client, url in urls]
    _grow(site, 12)
    _grow(other_site, 5)
    assert [queries_to_get(client, url) for client, url in urls] == small


def test_the_sections_export_as_csv(site, network_manager):
    _alumnus(site, dt.date(2020, 1, 1), answers=[(dt.date(2022, 2, 1), True)])
    url = f"{reverse('network:dashboard')}?period=2026-Q1&site={site.slug}"
    response = client_for(network_manager).get(f"{url}&export=csv&table=survival")
    assert response.status_code == 200
    header, site_row = response.content.decode("utf-8-sig").splitlines()[:2]
    assert len(header.split(",")) == 9
    assert site_row.split(",")[1:5] == ["1", "1", "1", "1.0"]
