"""The offices admin: staff roles only, malformed ids, and pages whose queries do not grow."""

import datetime as dt

import pytest
from django.urls import reverse

from sites.models import StaffRole
from tenants.models import Attestation, ResidencyStatus
from tenants.services import offices as services
from tests.conftest import client_for
from tests.factories import CompanyFactory, MembershipFactory, SiteFactory, StaffAssignmentFactory
from tests.factories.offices import (
    ApplicationDocumentFactory,
    AttestationFactory,
    OfficeApplicationFactory,
    OfficeFactory,
    residency,
)
from tests.queries import counting_queries, queries_to_get

pytestmark = pytest.mark.django_db


# --- Staff roles only ----------------------------------------------------------------------


@pytest.fixture
def manager_elsewhere_and_tenant_admin(company):
    """Site manager at another site, and admin of company A (whose contract is at site A)."""
    person = StaffAssignmentFactory(
        site=SiteFactory(name="Technopark Tanger"), role=StaffRole.SITE_MANAGER
    ).user
    MembershipFactory(company=company, user=person, role="admin")
    return person


def test_staff_elsewhere_cannot_close_or_attest_their_own_companys_contract(
    contract, manager_elsewhere_and_tenant_admin
):
    client = client_for(manager_elsewhere_and_tenant_admin)
    for name in ("change", "end", "terminate"):
        url = reverse(f"admin:tenants_residency_{name}", args=[contract.pk])
        assert client.get(url).status_code == 404, name
    url = reverse("admin:tenants_residency_terminate", args=[contract.pk])
    assert client.post(url, {"end": "2026-01-01", "reason": "Non"}).status_code == 404
    client.post(
        reverse("admin:tenants_residency_changelist"),
        {"action": "issue_attestations", "_selected_action": [contract.pk]},
    )
    contract.refresh_from_db()
    assert contract.status == ResidencyStatus.ACTIVE
    assert not Attestation.objects.exists()


def test_staff_elsewhere_cannot_revoke_or_download_their_own_companys_attestation(
    contract, tenant_admin, manager_elsewhere_and_tenant_admin
):
    attestation = services.attestation_issue(residency=contract, user=tenant_admin)
    client = client_for(manager_elsewhere_and_tenant_admin)
    for name in ("change", "pdf"):
        url = reverse(f"admin:tenants_attestation_{name}", args=[attestation.pk])
        assert client.get(url).status_code == 404, name
    assert (
        client.post(reverse("admin:tenants_attestation_revoke", args=[attestation.pk])).status_code
        == 404
    )
    client.post(
        reverse("admin:tenants_attestation_changelist"),
        {"action": "revoke", "_selected_action": [attestation.pk]},
    )
    attestation.refresh_from_db()
    assert attestation.revoked_at is None
    # As the company's admin, the portal still serves the PDF.
    url = reverse("portal:attestation_pdf", args=[attestation.pk])
    assert client.get(url).status_code == 200


# --- Malformed ids --------------------------------------------------------------------------


@pytest.mark.parametrize("model", ["officeapplication", "residency", "attestation"])
@pytest.mark.parametrize("object_id", ["abc", "1.5", "%20"])
def test_a_malformed_id_is_a_404_not_a_crash(site_staff, model, object_id):
    url = f"/admin/tenants/{model}/{object_id}/change/"
    assert client_for(site_staff).get(url).status_code == 404


# --- Queries that do not grow with the rows --------------------------------------------------


def test_the_application_page_reads_1_or_50_documents_in_the_same_queries(application, site_staff):
    client = client_for(site_staff)
    url = reverse("admin:tenants_officeapplication_change", args=[application.pk])
    ApplicationDocumentFactory(application=application)
    client.get(url)
    one = queries_to_get(client, url)
    ApplicationDocumentFactory.create_batch(49, application=application)
    assert queries_to_get(client, url) == one


def test_the_decision_page_lists_a_waiting_list_of_1_or_50_in_the_same_queries(
    site, application, site_staff
):
    client = client_for(site_staff)
    url = reverse("admin:tenants_officeapplication_wait", args=[application.pk])
    waiting = OfficeApplicationFactory(site=site)
    services.application_wait(application=waiting, user=site_staff)
    client.get(url)
    one = queries_to_get(client, url)
    for _ in range(49):
        services.application_wait(application=OfficeApplicationFactory(site=site), user=site_staff)
    assert queries_to_get(client, url) == one


def test_the_contract_page_reads_1_or_50_offices_in_the_same_queries(site, site_staff, rates):
    client = client_for(site_staff)
    small = residency(
        company=CompanyFactory(home_site=site), offices=[OfficeFactory(site=site)],
        start=dt.date(2025, 1, 1),
    )  # fmt: skip
    large = residency(
        company=CompanyFactory(home_site=site),
        offices=[OfficeFactory(site=site) for _ in range(50)],
        start=dt.date(2025, 1, 1),
    )
    pages = [reverse("admin:tenants_residency_change", args=[c.pk]) for c in (small, large)]
    client.get(pages[0])
    assert queries_to_get(client, pages[0]) == queries_to_get(client, pages[1])


def test_the_attestation_page_reads_its_contract_company_and_site_with_it(contract, site_staff):
    client = client_for(site_staff)
    attestation = AttestationFactory(residency=contract)
    url = reverse("admin:tenants_attestation_change", args=[attestation.pk])
    client.get(url)
    with counting_queries() as counted:
        page = client.get(url)
    assert "Atlas Games SARL · Technopark Essaouira" in page.content.decode()
    lazy = [
        query["sql"]
        for query in counted.captured_queries
        if query["sql"].startswith(
            ('SELECT "tenants_residency"', 'SELECT "tenants_company"', 'SELECT "sites_site"')
        )
    ]
    assert lazy == []


def test_the_residency_list_reads_1_or_50_contracts_of_many_offices_in_the_same_queries(
    site, site_staff
):
    client = client_for(site_staff)
    url = reverse("admin:tenants_residency_changelist")

    def add():
        residency(
            company=CompanyFactory(home_site=site),
            offices=[OfficeFactory(site=site), OfficeFactory(site=site)],
            start=dt.date(2025, 1, 1),
        )

    add()
    client.get(url)
    one = queries_to_get(client, url)
    for _ in range(49):
        add()
    assert queries_to_get(client, url) == one
