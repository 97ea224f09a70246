"""Residency attestations: issue, the PDF, the public check, revocation, isolation."""

import datetime as dt
import io

import arabic_reshaper
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from technopark import pdf
from tenants.models import Attestation, Residency
from tenants.selectors import offices as selectors
from tenants.services import offices as services
from tests.clock import TODAY, pinned
from tests.conftest import client_for
from tests.factories import MembershipFactory
from tests.factories.offices import AttestationFactory, residency
from tests.queries import counting_queries

# Whether an attestation is valid depends on the day: the pages' is the pinned one.
pytestmark = [pytest.mark.django_db, pinned]


def pdf_text(pdf: bytes) -> str:
    """The text drawn in a PDF's pages, read back by pypdf (Arabic as drawn: joined letters,
    right to left)."""
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def attestation(contract, tenant_admin):
    return services.attestation_issue(residency=contract, user=tenant_admin)


# --- Issue --------------------------------------------------------------------------------


def test_a_company_admin_issues_an_attestation_for_the_running_contract(contract, tenant_admin):
    client = client_for(tenant_admin)
    page = client.get(reverse("portal:attestation_list"))
    assert list(page.context["form"].fields["residency"].queryset) == [contract]
    response = client.post(reverse("portal:attestation_issue"), {"residency": contract.pk})
    assert response.status_code == 302
    attestation = Attestation.objects.get()
    assert attestation.company == contract.company and attestation.issued_by == tenant_admin
    assert attestation.valid_until == services.add_months(TODAY, 3)
    assert len(attestation.code) >= 24


def test_codes_are_random(contract, tenant_admin):
    codes = {
        services.attestation_issue(residency=contract, user=tenant_admin).code for _ in range(20)
    }
    assert len(codes) == 20


#: The day these services are told it is.
MARCH_1 = dt.date(2026, 3, 1)


def test_an_ended_contract_cannot_be_attested(contract, tenant_admin):
    services.residency_end(residency=contract, user=None, end=dt.date(2026, 1, 1), today=MARCH_1)
    with pytest.raises(ValidationError, match="Only a running residency"):
        services.attestation_issue(residency=contract, user=tenant_admin, today=MARCH_1)
    assert not Attestation.objects.exists()


def test_a_contract_past_its_end_before_the_nightly_closing_cannot_be_attested(
    contract, tenant_admin
):
    services.residency_end(residency=contract, user=None, end=dt.date(2026, 4, 1), today=MARCH_1)
    contract.refresh_from_db()
    assert contract.status == "active"  # nobody closed it yet
    with pytest.raises(ValidationError, match="Only a running residency"):
        services.attestation_issue(residency=contract, user=tenant_admin, today=dt.date(2026, 4, 1))
    assert not Attestation.objects.exists()


def test_a_contract_not_started_yet_cannot_be_attested(company, office, tenant_admin):
    later = residency(company=company, offices=[office], start=dt.date(2026, 3, 10))
    with pytest.raises(ValidationError):
        services.attestation_issue(residency=later, user=tenant_admin, today=MARCH_1)
    assert not Attestation.objects.exists()


def test_an_attestation_is_never_valid_past_the_contracts_last_day(contract, tenant_admin):
    services.residency_end(residency=contract, user=None, end=dt.date(2026, 4, 15), today=MARCH_1)
    capped = services.attestation_issue(residency=contract, user=tenant_admin, today=MARCH_1)
    assert capped.valid_until == dt.date(2026, 4, 14)  # the last day of the contract


def test_an_attestation_of_an_open_ended_contract_is_valid_three_months(contract, tenant_admin):
    issued = services.attestation_issue(residency=contract, user=tenant_admin, today=MARCH_1)
    assert issued.valid_until == dt.date(2026, 6, 1)


def test_another_companys_contract_posted_by_hand_is_refused(
    contract, other_company_user, other_company
):
    response = client_for(other_company_user).post(
        reverse("portal:attestation_issue"), {"residency": contract.pk}
    )
    assert response.status_code == 302
    assert not Attestation.objects.exists()


def test_members_read_attestations_but_do_not_issue_them(contract, company, attestation):
    member = MembershipFactory(company=company, role="member").user
    client = client_for(member)
    page = client.get(reverse("portal:attestation_list"))
    assert page.context["form"] is None and list(page.context["page"].object_list) == [attestation]
    assert (
        client.post(reverse("portal:attestation_issue"), {"residency": contract.pk}).status_code
        == 404
    )
    assert list(Attestation.objects.all()) == [attestation]
    assert client.get(reverse("portal:attestation_pdf", args=[attestation.pk])).status_code == 200


def test_site_staff_issue_from_the_residency_list(contract, site_staff, other_site_staff):
    url = reverse("admin:tenants_residency_changelist")
    action = {"action": "issue_attestations", "_selected_action": [contract.pk]}
    client_for(other_site_staff).post(url, action)
    assert not Attestation.objects.exists()
    response = client_for(site_staff).post(url, action)
    assert response.status_code == 302
    assert Attestation.objects.get().issued_by == site_staff


# --- The PDF -------------------------------------------------------------------------------


def test_the_pdf_is_a_pdf_with_the_code_and_the_companys_identity(
    attestation, tenant_admin, company, settings
):
    company.rc_number, company.rc_court, company.legal_form = "12345", "Essaouira", "sarl"
    company.save()
    response = client_for(tenant_admin).get(
        reverse("portal:attestation_pdf", args=[attestation.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert attestation.code in text
    assert "ATTESTATION DE R" in text
    for expected in (company.legal_name, company.ice, "RC n", "12345", "Essaouira", "Bureau A-101"):
        assert expected in text
    assert f"{settings.SITE_URL}/verify/{attestation.code}/" in text
    assert "tribunal de commerce d'Essaouira" in text  # elided, not "de Essaouira"
    assert "TECHNOPARK" in text and "Signature et cachet" in text  # letterhead, stamp zone
    assert response["Content-Disposition"].endswith('-fr.pdf"')


def test_the_pdf_in_arabic_is_shaped_and_right_to_left(attestation, tenant_admin, company,
                                                       settings):  # fmt: skip
    company.rc_number, company.rc_court = "12345", "Essaouira"
    company.save()
    url = reverse("portal:attestation_pdf", args=[attestation.pk])
    response = client_for(tenant_admin).get(url, {"lang": "ar"})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('-ar.pdf"')
    text = pdf_text(response.content)
    # Letters in their joined forms; pypdf reads the glyphs drawn right to left back into
    # reading order, so a phrase laid out the wrong way round would not be found.
    for phrase in ("شهادة الإقامة", "التوقيع والختم", "السجل التجاري رقم", "صالحة إلى غاية"):
        assert arabic_reshaper.reshape(phrase) in text, phrase
        assert phrase not in text  # never the unjoined letters
    assert "ATTESTATION" not in text
    assert attestation.code in text and company.legal_name in text
    assert f"{settings.SITE_URL}/verify/{attestation.code}/" in text  # kept left to right


def test_an_arabic_reader_gets_the_arabic_attestation_by_default(attestation, tenant_admin):
    client = client_for(tenant_admin)
    client.post(reverse("set_language"), {"language": "ar", "next": "/"})
    url = reverse("portal:attestation_pdf", args=[attestation.pk])
    assert client.get(url)["Content-Disposition"].endswith('-ar.pdf"')
    assert client.get(url, {"lang": "fr"})["Content-Disposition"].endswith('-fr.pdf"')
    assert client.get(url, {"lang": "xx"})["Content-Disposition"].endswith('-ar.pdf"')


@pytest.mark.parametrize(
    ("city", "expected"),
    [("Essaouira", "d'Essaouira"), ("Agadir", "d'Agadir"), ("Oujda", "d'Oujda"),
     ("El Jadida", "d'El Jadida"), ("Rabat", "de Rabat"), ("Casablanca", "de Casablanca"),
     ("Fès", "de Fès"), ("Tiznit", "de Tiznit")],
)  # fmt: skip
def test_french_elides_de_before_a_vowel(city, expected):
    assert pdf.french_de(city) == expected


def test_another_companys_attestation_is_404(attestation, other_company_user):
    url = reverse("portal:attestation_pdf", args=[attestation.pk])
    assert client_for(other_company_user).get(url).status_code == 404


def test_staff_download_the_pdf_of_their_sites_attestations(
    attestation, site_staff, other_site_staff
):
    url = reverse("admin:tenants_attestation_pdf", args=[attestation.pk])
    assert client_for(site_staff).get(url).content.startswith(b"%PDF")
    assert client_for(other_site_staff).get(url).status_code == 404


# --- The public check --------------------------------------------------------------------------


def test_a_valid_attestation_is_confirmed_to_anyone(attestation, company):
    response = client_for(None).get(reverse("verify:attestation", args=[attestation.code]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "This attestation is valid." in html
    assert company.legal_name in html and "Technopark Essaouira" in html
    assert response["Cache-Control"].startswith("max-age=0")


def test_a_revoked_attestation_is_denied(attestation, site_staff):
    services.attestation_revoke(attestation=attestation, user=site_staff)
    html = client_for(None).get(reverse("verify:attestation", args=[attestation.code])).content
    assert b"This attestation was revoked." in html
    assert b"is valid" not in html


def test_an_expired_attestation_is_denied(contract):
    expired = AttestationFactory(residency=contract, valid_until=TODAY - dt.timedelta(days=1))
    html = client_for(None).get(reverse("verify:attestation", args=[expired.code])).content
    assert b"This attestation has expired." in html


def test_an_attestation_of_a_terminated_residency_is_denied_before_its_date(attestation, contract):
    today = TODAY
    services.residency_terminate(residency=contract, user=None, reason="Impayés", end=today)
    attestation.refresh_from_db()
    assert attestation.valid_until > today  # its own date has not come
    response = client_for(None).get(reverse("verify:attestation", args=[attestation.code]))
    html = response.content.decode()
    assert "The residency this attestation states has ended." in html
    assert "is valid" not in html and "Bureau A-101" not in html
    assert "Residency ended" in html


def test_a_residency_past_its_end_is_ended_even_before_the_nightly_closing(attestation, contract):
    today = TODAY
    Residency.objects.filter(pk=contract.pk).update(end=today)  # status still "active"
    html = client_for(None).get(reverse("verify:attestation", args=[attestation.code])).content
    assert b"The residency this attestation states has ended." in html
    attestation.refresh_from_db()
    assert selectors.attestation_state(attestation, today=today) == selectors.ENDED
    assert selectors.attestation_state(attestation, today=today - dt.timedelta(days=1)) == (
        selectors.VALID
    )


@pytest.mark.parametrize("how", ["revoked", "expired", "ended"])
def test_the_pdf_of_an_attestation_no_longer_valid_is_not_served(
    attestation, contract, tenant_admin, site_staff, how
):
    today = TODAY
    if how == "revoked":
        services.attestation_revoke(attestation=attestation, user=site_staff)
    elif how == "expired":
        Attestation.objects.filter(pk=attestation.pk).update(
            valid_until=today - dt.timedelta(days=1)
        )
    else:
        services.residency_terminate(residency=contract, user=None, reason="Départ", end=today)
    portal = client_for(tenant_admin).get(reverse("portal:attestation_pdf", args=[attestation.pk]))
    assert portal.status_code == 404
    admin = client_for(site_staff).get(
        reverse("admin:tenants_attestation_pdf", args=[attestation.pk]), follow=True
    )
    assert admin.redirect_chain[0][0] == reverse(
        "admin:tenants_attestation_change", args=[attestation.pk]
    )
    assert "its PDF is not served" in admin.content.decode()
    assert reverse("admin:tenants_attestation_pdf", args=[attestation.pk]) not in (
        admin.content.decode()
    )
    listed = client_for(tenant_admin).get(reverse("portal:attestation_list")).content.decode()
    assert reverse("portal:attestation_pdf", args=[attestation.pk]) not in listed


def test_an_unknown_code_is_a_404_page_saying_so(db):
    response = client_for(None).get(reverse("verify:attestation", args=["no-such-code"]))
    assert response.status_code == 404
    assert b"No such attestation" in response.content


# --- Revocation ------------------------------------------------------------------------------


def test_site_staff_revoke_from_the_attestation_page(attestation, site_staff):
    url = reverse("admin:tenants_attestation_revoke", args=[attestation.pk])
    assert client_for(site_staff).post(url).status_code == 302
    attestation.refresh_from_db()
    assert attestation.revoked_at is not None


def test_staff_of_another_site_cannot_revoke(attestation, other_site_staff):
    url = reverse("admin:tenants_attestation_revoke", args=[attestation.pk])
    assert client_for(other_site_staff).post(url).status_code == 404
    client_for(other_site_staff).post(
        reverse("admin:tenants_attestation_changelist"),
        {"action": "revoke", "_selected_action": [attestation.pk]},
    )
    attestation.refresh_from_db()
    assert attestation.revoked_at is None


def test_the_revoke_action_revokes_the_selected_ones(contract, site_staff, tenant_admin):
    first, second = (
        services.attestation_issue(residency=contract, user=tenant_admin) for _ in range(2)
    )
    client_for(site_staff).post(
        reverse("admin:tenants_attestation_changelist"),
        {"action": "revoke", "_selected_action": [first.pk, second.pk]},
    )
    assert Attestation.objects.filter(revoked_at__isnull=False).count() == 2


def test_a_revocation_cannot_happen_twice(attestation, site_staff):
    services.attestation_revoke(attestation=attestation, user=site_staff)
    revoked_at = Attestation.objects.get(pk=attestation.pk).revoked_at
    with pytest.raises(ValidationError, match="already revoked"):
        services.attestation_revoke(attestation=attestation, user=site_staff)
    assert Attestation.objects.get(pk=attestation.pk).revoked_at == revoked_at


def test_tenants_cannot_revoke(attestation, tenant_admin):
    url = reverse("admin:tenants_attestation_revoke", args=[attestation.pk])
    assert client_for(tenant_admin).post(url).status_code == 404
    attestation.refresh_from_db()
    assert attestation.revoked_at is None


def test_the_attestation_lists_have_the_same_queries_at_1_and_50_rows(
    contract, tenant_admin, site_staff
):
    pages = [
        (client_for(tenant_admin), reverse("portal:attestation_list")),
        (client_for(site_staff), reverse("admin:tenants_attestation_changelist")),
    ]
    services.attestation_issue(residency=contract, user=tenant_admin)
    one = []
    for client, url in pages:
        client.get(url)
        with counting_queries() as counted:
            client.get(url)
        one.append(len(counted))
    for n in range(49):
        attestation = AttestationFactory(residency=contract)
        if n % 3 == 0:
            services.attestation_revoke(attestation=attestation, user=site_staff)
    fifty = []
    for client, url in pages:
        with counting_queries() as counted:
            client.get(url)
        fifty.append(len(counted))
    assert one == fifty
