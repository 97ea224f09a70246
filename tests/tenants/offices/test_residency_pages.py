"""The residency in the portal and in the staff admin: offices, dates, tier and rent."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from tenants.models import RentRate, Residency, ResidencyStatus
from tenants.services import offices as services
from tests.clock import TODAY, pinned
from tests.conftest import client_for
from tests.factories import CompanyFactory, MembershipFactory
from tests.factories.offices import OfficeFactory, residency
from tests.queries import counting_queries

# Today's rent, tier and what is running depend on the day: the pages' is the pinned one.
pytestmark = [pytest.mark.django_db, pinned]


def test_the_portal_shows_offices_dates_tier_and_todays_rent(
    company, office, second_office, tenant_admin, rates
):
    start = services.add_months(TODAY, -20)
    residency(company=company, offices=[office, second_office], start=start, tier="sme")
    response = client_for(tenant_admin).get(reverse("portal:residency"))
    contract = response.context["residencies"][0]
    assert contract.current and contract.area == Decimal("50.00")
    assert contract.rate_now == Decimal("100.00") and contract.rent_now == Decimal("5000.00")
    html = response.content.decode()
    assert "Bureau A-101" in html and "Bureau A-102" in html
    assert "5,000.00 MAD" in html
    assert "until" in html  # the firm period's end


def test_a_startup_past_18_months_sees_the_doubled_rate(company, office, tenant_admin, rates):
    start = services.add_months(TODAY, -19)
    residency(company=company, offices=[office], start=start)
    contract = client_for(tenant_admin).get(reverse("portal:residency")).context["residencies"][0]
    assert contract.tier_now == "startup_mature" and contract.rent_now == Decimal("2000.00")


def test_members_see_the_residency_too(company, contract):
    member = MembershipFactory(company=company, role="member").user
    assert client_for(member).get(reverse("portal:residency")).status_code == 200


def test_another_companys_residency_is_not_shown(contract, other_company_user):
    response = client_for(other_company_user).get(reverse("portal:residency"))
    assert response.context["residencies"] == []


def test_the_portal_page_has_the_same_queries_for_1_and_50_contracts(
    company, tenant_admin, site, rates
):
    client = client_for(tenant_admin)
    url = reverse("portal:residency")
    today = TODAY

    def add(count):  # each office is new: the contracts never meet
        for _ in range(count):
            residency(  # a past contract, two offices
                company=company,
                offices=[OfficeFactory(site=site), OfficeFactory(site=site)],
                start=dt.date(2010, 1, 1),
                end=dt.date(2010, 3, 1),
                today=today,
            )
            residency(
                company=company, offices=[OfficeFactory(site=site)], start=dt.date(2024, 1, 1)
            )

    add(1)  # one running contract, one over: each part of the page has a row
    client.get(url)
    with counting_queries() as one:
        client.get(url)
    add(24)
    with counting_queries() as fifty:
        assert len(client.get(url).context["residencies"]) == 50
    assert len(one) == len(fifty)


def test_a_contract_past_its_end_is_not_shown_running_before_the_nightly_closing(
    company, office, second_office, tenant_admin, rates
):
    today = TODAY
    running = residency(company=company, offices=[office], start=dt.date(2024, 1, 1))
    over = residency(company=company, offices=[second_office], start=dt.date(2024, 1, 1))
    services.residency_end(residency=over, user=None, end=today + dt.timedelta(days=5), today=today)
    Residency.objects.filter(pk=over.pk).update(end=today)  # the nightly job has not run yet
    coming = residency(
        company=company,
        offices=[OfficeFactory(site=company.home_site)],
        start=today + dt.timedelta(days=20),
    )
    response = client_for(tenant_admin).get(reverse("portal:residency"))
    contracts = response.context["residencies"]
    assert [(c.pk, c.current) for c in contracts] == [
        (running.pk, True),
        (coming.pk, False),
        (over.pk, False),
    ]
    assert contracts[1].upcoming and not contracts[2].upcoming
    html = response.content.decode()
    assert html.count(">Active<") == 1 and "Starts soon" in html and ">Ended<" in html


# --- Staff admin -----------------------------------------------------------------------------


def test_staff_record_a_contract_through_the_service(site, office, site_staff, rates):
    newcomer = CompanyFactory(home_site=site, status="applicant")
    response = client_for(site_staff).post(
        reverse("admin:tenants_residency_add"),
        {
            "company": newcomer.pk,
            "site": site.pk,
            "offices": [office.pk],
            "start": "2026-01-05",
            "end": "",
            "tier": "large",
        },
    )
    assert response.status_code == 302
    contract = Residency.objects.get()
    assert contract.firm_end == dt.date(2027, 11, 5)
    assert contract.office_leases.get().area_m2 == office.area_m2
    newcomer.refresh_from_db()
    assert newcomer.status == "resident"


def test_staff_recording_a_past_contract_are_told_it_is_recorded_as_ended(
    site, office, site_staff, settings
):
    newcomer = CompanyFactory(home_site=site, status="applicant")
    end = TODAY - dt.timedelta(days=1)
    response = client_for(site_staff).post(
        reverse("admin:tenants_residency_add"),
        {
            "company": newcomer.pk,
            "site": site.pk,
            "offices": [office.pk],
            "start": "2020-01-06",
            "end": end.isoformat(),
            "tier": "startup",
        },
        follow=True,
    )
    contract = Residency.objects.get()
    assert contract.status == ResidencyStatus.ENDED
    shown = [str(message) for message in response.context["messages"]]
    assert shown == [
        f"The contract is recorded. Its end ({end:%m/%d/%Y}) has passed: it is recorded as ended."
    ]


def test_staff_cannot_record_a_contract_on_another_sites_office(
    site, other_site, other_office, company, site_staff
):
    response = client_for(site_staff).post(
        reverse("admin:tenants_residency_add"),
        {
            "company": company.pk,
            "site": site.pk,
            "offices": [other_office.pk],
            "start": "2026-01-05",
            "tier": "startup",
        },
    )
    assert response.status_code == 200
    assert "offices" in response.context["form"].errors
    assert not Residency.objects.exists()


def test_the_add_form_shows_validation_messages(site, office, company, site_staff):
    response = client_for(site_staff).post(
        reverse("admin:tenants_residency_add"),
        {
            "company": company.pk,
            "site": site.pk,
            "offices": [office.pk],
            "start": "2026-01-05",
            "end": "2025-01-05",
            "tier": "startup",
        },
    )
    assert "The end must come after the start." in str(response.context["form"].errors["end"])
    assert not Residency.objects.exists()


def test_staff_end_and_terminate_from_the_contract_page(contract, site_staff):
    client = client_for(site_staff)
    page = client.get(reverse("admin:tenants_residency_change", args=[contract.pk]))
    assert page.status_code == 200 and page.context["can_close"]
    assert page.context["rent_today"] is not None
    url = reverse("admin:tenants_residency_terminate", args=[contract.pk])
    yesterday = (TODAY - dt.timedelta(days=1)).isoformat()
    refused = client.post(url, {"end": yesterday, "reason": ""})
    assert "reason" in refused.context["form"].errors
    assert client.post(url, {"end": yesterday, "reason": "Impayés"}).status_code == 302
    contract.refresh_from_db()
    assert contract.status == ResidencyStatus.TERMINATED
    assert contract.termination_reason == "Impayés"


def test_staff_end_a_contract_and_its_offices_are_free_from_its_end(
    contract, site_staff, office, other_company
):
    end = TODAY - dt.timedelta(days=1)
    url = reverse("admin:tenants_residency_end", args=[contract.pk])
    assert client_for(site_staff).post(url, {"end": end.isoformat()}).status_code == 302
    contract.refresh_from_db()
    assert contract.status == ResidencyStatus.ENDED
    assert office.leases.get().period.upper == end
    residency(company=other_company, offices=[office], start=end)


def test_staff_of_another_site_cannot_end_the_contract(contract, other_site_staff):
    for name in ("end", "terminate", "change"):
        url = reverse(f"admin:tenants_residency_{name}", args=[contract.pk])
        assert client_for(other_site_staff).get(url).status_code == 404
    contract.refresh_from_db()
    assert contract.status == ResidencyStatus.ACTIVE


def test_the_residency_list_has_the_same_queries_at_1_and_50_rows(site, site_staff):
    client = client_for(site_staff)
    url = reverse("admin:tenants_residency_changelist")

    def add():
        residency(
            company=CompanyFactory(home_site=site),
            offices=[OfficeFactory(site=site)],
            start=dt.date(2025, 1, 1),
        )

    add()
    with counting_queries() as one:
        client.get(url)
    for _ in range(49):
        add()
    with counting_queries() as fifty:
        assert len(client.get(url).context["cl"].result_list) == 50
    assert len(one) == len(fifty)


def test_superusers_edit_rent_rates_and_network_managers_read_them(
    superuser, network_manager, site_staff, rates
):
    url = reverse("admin:tenants_rentrate_add")
    data = {"tier": "startup", "monthly_rate_per_m2": "55", "effective_from": "2027-01-01"}
    assert client_for(network_manager).post(url, data).status_code == 404
    assert client_for(site_staff).post(url, data).status_code == 404
    assert client_for(superuser).post(url, data).status_code == 302
    assert RentRate.objects.get(effective_from=dt.date(2027, 1, 1)).monthly_rate_per_m2 == 55
    listed = client_for(network_manager).get(reverse("admin:tenants_rentrate_changelist"))
    assert len(listed.context["cl"].result_list) == 5


def test_the_front_desk_reads_contracts_but_neither_ends_them_nor_sees_the_queue(
    contract, front_desk
):
    client = client_for(front_desk)
    listed = client.get(reverse("admin:tenants_residency_changelist"))
    assert list(listed.context["cl"].result_list) == [contract]
    assert client.get(reverse("admin:tenants_residency_end", args=[contract.pk])).status_code == 404
    queue = client.get(reverse("admin:tenants_officeapplication_changelist"))
    assert queue.status_code == 404
