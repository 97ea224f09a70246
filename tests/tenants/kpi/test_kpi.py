"""Quarterly KPI reports: who reports, which quarters, who is late."""

import datetime as dt

import pytest
from django.urls import reverse

from network.dashboard import find_table
from tenants.models import KPIReport, RentRate, RentTier
from tenants.selectors.kpi import Quarter, companies_late, last_due_quarter, reportable_quarters
from tests.clock import TODAY, pinned
from tests.conftest import client_for
from tests.factories import CompanyFactory
from tests.factories.offices import OfficeFactory, residency

# Which quarters are due depends on the day: the pages' is the pinned one.
pytestmark = [pytest.mark.django_db, pinned]


@pytest.fixture
def rent_rates(db):
    for tier in RentTier:
        RentRate.objects.create(tier=tier, monthly_rate_per_m2=50, effective_from="2000-01-01")


def _figures(quarter: Quarter, **overrides):
    return {
        "quarter_key": f"{quarter.year}-{quarter.number}",
        "headcount_full_time": 6,
        "headcount_part_time": 1,
        "interns": 2,
        "revenue": "420000.00",
        "funds_raised": "0",
        "export_share": "15",
    } | overrides


def test_quarters_and_their_due_dates():
    assert Quarter.of(dt.date(2026, 11, 27)) == Quarter(2026, 4)
    assert Quarter(2026, 3).last_day == dt.date(2026, 9, 30)
    assert Quarter(2026, 3).due == dt.date(2026, 10, 30)
    assert last_due_quarter(dt.date(2026, 11, 27)) == Quarter(2026, 3)
    assert last_due_quarter(dt.date(2026, 10, 15)) == Quarter(2026, 2)
    assert reportable_quarters(today=dt.date(2026, 1, 5))[:2] == [
        Quarter(2025, 4),
        Quarter(2025, 3),
    ]


def test_the_company_admin_reports_a_quarter(company, tenant_admin):
    quarter = reportable_quarters(today=TODAY)[0]
    response = client_for(tenant_admin).post(reverse("portal:kpi_report"), _figures(quarter))
    assert response.status_code == 302
    report = KPIReport.objects.get(company=company)
    assert (report.year, report.quarter, report.headcount) == (quarter.year, quarter.number, 7)
    assert report.submitted_by == tenant_admin


def test_reporting_a_quarter_again_corrects_it(company, tenant_admin):
    quarter = reportable_quarters(today=TODAY)[0]
    client = client_for(tenant_admin)
    client.post(reverse("portal:kpi_report"), _figures(quarter))
    client.post(reverse("portal:kpi_report"), _figures(quarter, revenue="500000"))
    assert KPIReport.objects.get(company=company).revenue == 500000


def test_a_quarter_not_ended_cannot_be_reported(company, tenant_admin):
    current = Quarter.of(TODAY)
    response = client_for(tenant_admin).post(reverse("portal:kpi_report"), _figures(current))
    assert response.status_code == 200
    assert "quarter_key" in response.context["form"].errors
    assert not KPIReport.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [("export_share", "120"), ("revenue", "-5"), ("headcount_full_time", "-1")],
)
def test_impossible_figures_are_refused(company, tenant_admin, field, value):
    quarter = reportable_quarters(today=TODAY)[0]
    response = client_for(tenant_admin).post(
        reverse("portal:kpi_report"), _figures(quarter, **{field: value})
    )
    assert field in response.context["form"].errors
    assert not KPIReport.objects.exists()


def test_members_read_reports_but_do_not_file_them(company, tenant_member):
    client = client_for(tenant_member)
    assert client.get(reverse("portal:kpi")).status_code == 200
    quarter = reportable_quarters(today=TODAY)[0]
    assert client.post(reverse("portal:kpi_report"), _figures(quarter)).status_code == 404
    assert not KPIReport.objects.exists()


def _hosted(company, *, start, end=None):
    office = OfficeFactory(site=company.home_site)
    return residency(company=company, offices=[office], start=start, end=end)


def _report(company, quarter):
    KPIReport.objects.create(
        company=company,
        year=quarter.year,
        quarter=quarter.number,
        headcount_full_time=1,
        headcount_part_time=0,
        interns=0,
        revenue=0,
        funds_raised=0,
        export_share=0,
    )


def test_staff_see_who_is_late_at_their_site_only(site, other_site, site_staff, rent_rates):
    today = TODAY
    due = last_due_quarter(today)
    long_ago = due.first_day - dt.timedelta(days=400)
    on_time = CompanyFactory(home_site=site)
    _hosted(on_time, start=long_ago)
    _report(on_time, due)
    late = CompanyFactory(home_site=site, legal_name="Late SARL")
    _hosted(late, start=long_ago)
    newcomer = CompanyFactory(home_site=site, legal_name="Newcomer SARL")
    _hosted(newcomer, start=due.last_day + dt.timedelta(days=1))
    elsewhere = CompanyFactory(home_site=other_site)
    _hosted(elsewhere, start=long_ago)
    assert list(companies_late(site_staff, today=today)) == [late]
    page = client_for(site_staff).get(reverse("admin:tenants_kpireport_late"))
    assert list(page.context["companies"]) == [late]


def test_a_company_that_left_after_the_quarter_still_owes_its_report(site, rent_rates):
    today = TODAY
    due = last_due_quarter(today)
    left = CompanyFactory(home_site=site)
    _hosted(left, start=due.first_day - dt.timedelta(days=300), end=due.last_day)
    from tests.factories import UserFactory

    root = UserFactory(is_superuser=True)
    assert list(companies_late(root, today=today)) == [left]


def test_the_network_dashboard_sums_the_last_due_quarter(
    site, other_site, network_manager, rent_rates
):
    due = last_due_quarter(TODAY)
    for home, revenue in [(site, 1_000_000), (other_site, 250_000)]:
        company = CompanyFactory(home_site=home)
        _hosted(company, start=due.first_day - dt.timedelta(days=100))
        KPIReport.objects.create(
            company=company,
            year=due.year,
            quarter=due.number,
            headcount_full_time=10,
            headcount_part_time=2,
            interns=1,
            revenue=revenue,
            funds_raised=0,
            export_share=0,
        )
    sections = client_for(network_manager).get(reverse("network:dashboard")).context["sections"]
    total = find_table(sections, "impact").footer.cells
    reports, full_time, part_time, _interns, revenue = (cell.value for cell in total[:5])
    assert (reports, full_time, part_time) == (2, 20, 4)
    assert revenue == 1_250_000


@pytest.mark.parametrize("language", ["fr", "en", "ar"])
def test_the_correct_link_opens_the_form_on_the_quarter_of_its_row(company, tenant_admin, language):
    import re

    client = client_for(tenant_admin)
    client.cookies["django_language"] = language
    second = reportable_quarters(today=TODAY)[1]
    client.post(reverse("portal:kpi_report"), _figures(second))
    html = client.get(reverse("portal:kpi")).content.decode()
    links = re.findall(r'href="([^"]*\?quarter=[^"]*)"', html)
    assert links == [f"{reverse('portal:kpi_report')}?quarter={second.year}-{second.number}"]
    form = client.get(links[0]).context["form"]
    assert form.initial["quarter_key"] == f"{second.year}-{second.number}"
