"""The company area's pages run the same number of queries with 1 row or 50."""

import pytest
from django.urls import reverse

from tenants.models import CompanyRole, KPIReport
from tests.conftest import client_for
from tests.factories import CompanyFactory, MembershipFactory
from tests.queries import queries_to_get

pytestmark = pytest.mark.django_db


def _reports(company, count, start=2010):
    KPIReport.objects.bulk_create(
        KPIReport(
            company=company,
            year=start + n // 4,
            quarter=n % 4 + 1,
            headcount_full_time=3,
            headcount_part_time=0,
            interns=0,
            revenue=1000,
            funds_raised=0,
            export_share=0,
        )
        for n in range(count)
    )


def test_the_team_page(company, tenant_admin):
    client = client_for(tenant_admin)
    one = queries_to_get(client, reverse("portal:team"))
    MembershipFactory.create_batch(49, company=company, role=CompanyRole.MEMBER)
    assert queries_to_get(client, reverse("portal:team")) == one


def test_the_kpi_page(company, tenant_admin):
    client = client_for(tenant_admin)
    _reports(company, 1)
    one = queries_to_get(client, reverse("portal:kpi"))
    KPIReport.objects.all().delete()
    _reports(company, 50)
    assert queries_to_get(client, reverse("portal:kpi")) == one


@pytest.mark.parametrize("who", ["site_staff", "network_manager", "superuser"])
def test_the_admin_company_and_kpi_lists(site, who, request):
    client = client_for(request.getfixturevalue(who))
    first = CompanyFactory(home_site=site)
    _reports(first, 1)
    urls = [
        reverse("admin:tenants_company_changelist"),
        reverse("admin:tenants_kpireport_changelist"),
    ]
    few = [queries_to_get(client, url) for url in urls]
    for company in CompanyFactory.create_batch(49, home_site=site):
        _reports(company, 1)
    assert [queries_to_get(client, url) for url in urls] == few
