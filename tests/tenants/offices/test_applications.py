"""Applying from the portal: the form, documents, following, withdrawing, and isolation."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sites.models import SiteStatus
from tenants.forms.offices import DocumentsForm
from tenants.models import ApplicationDocument, ApplicationStatus, CompanyStatus, OfficeApplication
from tenants.services import offices as services
from tests.conftest import client_for
from tests.factories import MembershipFactory, SiteFactory
from tests.factories.offices import (
    PDF_BYTES,
    PNG_BYTES,
    ApplicationDocumentFactory,
    OfficeApplicationFactory,
    pdf_upload,
)
from tests.queries import counting_queries

pytestmark = pytest.mark.django_db

APPLY = reverse("portal:office_apply")


def _form(site, **overrides):
    return {
        "site": site.pk,
        "area_wanted_m2": "24",
        "team_size": "5",
        "program_wanted": "start",
        "pitch": "Un studio de jeux mobiles inspirés de la culture gnaoua.",
    } | overrides


def test_an_applicant_applies_with_several_documents(site, applicant, applicant_admin):
    client = client_for(applicant_admin)
    assert client.get(APPLY).status_code == 200
    response = client.post(
        APPLY,
        _form(
            site,
            documents=[
                pdf_upload("plan.pdf"),
                SimpleUploadedFile("equipe.png", PNG_BYTES, content_type="image/png"),
            ],
        ),
    )
    application = OfficeApplication.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:application_detail", args=[application.pk])
    assert application.company == applicant and application.applicant == applicant_admin
    assert application.status == ApplicationStatus.SUBMITTED
    assert sorted(d.original_name for d in application.documents.all()) == [
        "equipe.png",
        "plan.pdf",
    ]
    stored = application.documents.get(original_name="plan.pdf")
    assert stored.size == len(PDF_BYTES)
    assert "plan" not in stored.file.name  # stored under a random name


def test_the_form_offers_operating_sites_and_starts_at_the_home_site(
    site, applicant_admin, other_site
):
    SiteFactory(name="Technopark Tiznit", status=SiteStatus.PLANNED, opening_year=None)
    form = client_for(applicant_admin).get(APPLY).context["form"]
    assert list(form.fields["site"].queryset) == [site, other_site]
    assert form.fields["site"].initial == site.pk


def test_a_second_open_application_at_a_site_is_a_clear_form_error(
    site, applicant, applicant_admin, media_root
):
    client = client_for(applicant_admin)
    client.post(APPLY, _form(site))
    response = client.post(APPLY, _form(site, documents=[pdf_upload()]))
    assert response.status_code == 200
    assert "already has an open application at" in str(response.context["form"].non_field_errors())
    assert OfficeApplication.objects.count() == 1
    assert not ApplicationDocument.objects.exists()
    assert not list(media_root.rglob("*.pdf"))  # no file written for the refused one


def test_after_a_withdrawal_the_company_may_apply_again(site, applicant, applicant_admin):
    client = client_for(applicant_admin)
    client.post(APPLY, _form(site))
    first = OfficeApplication.objects.get()
    client.post(reverse("portal:application_withdraw", args=[first.pk]))
    assert client.post(APPLY, _form(site)).status_code == 302
    assert OfficeApplication.objects.count() == 2


def test_a_file_that_is_not_a_pdf_or_an_image_is_refused_and_nothing_saved(site, applicant_admin):
    fake = SimpleUploadedFile("plan.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client_for(applicant_admin).post(
        APPLY, _form(site, documents=[pdf_upload("ok.pdf"), fake])
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["documents"]
    assert any("plan.pdf: This file type is not accepted" in error for error in errors)
    assert not OfficeApplication.objects.exists() and not ApplicationDocument.objects.exists()


def test_a_file_over_5_mb_is_refused(site, applicant_admin):
    big = pdf_upload("big.pdf", PDF_BYTES + b"0" * (5 * 1024 * 1024))
    response = client_for(applicant_admin).post(APPLY, _form(site, documents=[big]))
    assert response.status_code == 200
    assert "the limit is 5 MB" in str(response.context["form"].errors["documents"])
    assert not OfficeApplication.objects.exists()


def test_more_than_ten_files_are_refused(site, applicant_admin):
    files = [pdf_upload(f"doc{n}.pdf") for n in range(11)]
    # The request itself is refused (DATA_UPLOAD_MAX_NUMBER_FILES), before any form.
    response = client_for(applicant_admin).post(APPLY, _form(site, documents=files))
    assert response.status_code == 400
    assert not OfficeApplication.objects.exists()
    # And the form says so on its own, should that limit ever be raised.
    field = DocumentsForm().fields["documents"]
    with pytest.raises(ValidationError, match="At most 10 files"):
        field.clean([pdf_upload(f"doc{n}.pdf") for n in range(11)])


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("area_wanted_m2", "0", "greater than or equal to 1"),
        ("team_size", "0", "greater than or equal to 1"),
        ("pitch", "", "This field is required"),
        ("program_wanted", "platinum", "Select a valid choice"),
    ],
)
def test_the_form_says_what_is_wrong(site, applicant_admin, field, value, message):
    response = client_for(applicant_admin).post(APPLY, _form(site, **{field: value}))
    assert message in str(response.context["form"].errors[field])
    assert not OfficeApplication.objects.exists()


def test_a_planned_site_posted_by_hand_is_refused(site, applicant_admin):
    planned = SiteFactory(status=SiteStatus.PLANNED, opening_year=None)
    response = client_for(applicant_admin).post(APPLY, _form(planned))
    assert "site" in response.context["form"].errors


def test_members_follow_applications_but_only_admins_apply(site, applicant, application):
    member = MembershipFactory(company=applicant, role="member").user
    client = client_for(member)
    assert client.get(APPLY).status_code == 404
    assert client.get(reverse("portal:application_list")).status_code == 200
    detail = client.get(reverse("portal:application_detail", args=[application.pk]))
    assert detail.status_code == 200 and not detail.context["can_withdraw"]
    withdraw = client.post(reverse("portal:application_withdraw", args=[application.pk]))
    assert withdraw.status_code == 404
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_the_applicant_follows_the_position_and_the_reason(
    site, application, applicant_admin, site_staff
):
    OfficeApplicationFactory(site=site, status="waiting_list", waiting_position=1)
    services.application_wait(application=application, user=site_staff, reason="Aucun bureau libre")
    html = (
        client_for(applicant_admin)
        .get(reverse("portal:application_detail", args=[application.pk]))
        .content.decode()
    )
    assert "number 2 on the waiting list" in html
    assert "Aucun bureau libre" in html


def test_the_applicant_withdraws_an_open_application(application, applicant_admin):
    client = client_for(applicant_admin)
    response = client.post(reverse("portal:application_withdraw", args=[application.pk]))
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN
    again = client.post(reverse("portal:application_withdraw", args=[application.pk]))
    assert again.status_code == 302
    assert any("no longer open" in str(m) for m in again.wsgi_request._messages)


def test_documents_can_be_added_to_an_open_application(application, applicant_admin):
    client = client_for(applicant_admin)
    url = reverse("portal:application_documents_add", args=[application.pk])
    client.post(url, {"documents": [pdf_upload("bilan.pdf")]})
    assert [d.original_name for d in application.documents.all()] == ["bilan.pdf"]
    services.application_withdraw(application=application, user=applicant_admin)
    client.post(url, {"documents": [pdf_upload("late.pdf")]})
    assert application.documents.count() == 1


def test_a_document_is_downloaded_by_its_companys_people(application, applicant_admin):
    document = ApplicationDocumentFactory(application=application, original_name="statuts.pdf")
    response = client_for(applicant_admin).get(
        reverse("portal:application_document", args=[application.pk, document.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="statuts.pdf"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_another_companys_application_and_documents_are_404(
    application, other_company_user, tenant_admin
):
    document = ApplicationDocumentFactory(application=application)
    for user in (other_company_user, tenant_admin):
        client = client_for(user)
        for url in (
            reverse("portal:application_detail", args=[application.pk]),
            reverse("portal:application_document", args=[application.pk, document.pk]),
        ):
            assert client.get(url).status_code == 404
        assert (
            client.post(reverse("portal:application_withdraw", args=[application.pk])).status_code
            == 404
        )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_a_document_under_another_application_id_is_404(
    application, applicant, applicant_admin, site
):
    mine_elsewhere = OfficeApplicationFactory(site=site, company=applicant, status="withdrawn")
    document = ApplicationDocumentFactory(application=application)
    url = reverse("portal:application_document", args=[mine_elsewhere.pk, document.pk])
    assert client_for(applicant_admin).get(url).status_code == 404


def test_the_list_shows_own_applications_filtered_by_status(
    site, applicant, applicant_admin, other_application
):
    OfficeApplicationFactory(site=site, company=applicant, status="withdrawn")
    OfficeApplicationFactory(site=site, company=applicant)
    client = client_for(applicant_admin)
    page = client.get(reverse("portal:application_list")).context["page"]
    assert {a.company_id for a in page.object_list} == {applicant.pk}
    assert len(page.object_list) == 2
    filtered = client.get(reverse("portal:application_list") + "?status=withdrawn")
    assert [a.status for a in filtered.context["page"].object_list] == ["withdrawn"]


def test_the_list_has_the_same_queries_at_1_and_50_applications(site, applicant, applicant_admin):
    client = client_for(applicant_admin)
    url = reverse("portal:application_list")
    OfficeApplicationFactory(site=site, company=applicant)
    with counting_queries() as one:
        client.get(url)
    for n in range(49):
        older = OfficeApplicationFactory(site=site, company=applicant, status="withdrawn")
        if n % 10 == 0:
            ApplicationDocumentFactory(application=older)
    with counting_queries() as fifty:
        response = client.get(url + "?page=1")
    assert len(response.context["page"].object_list) == 25
    assert len(one) == len(fifty)


def test_a_rejected_company_applying_again_is_an_applicant_again(site, applicant_admin, applicant):
    applicant.status = CompanyStatus.REJECTED
    applicant.save()
    client_for(applicant_admin).post(APPLY, _form(site))
    applicant.refresh_from_db()
    assert applicant.status == CompanyStatus.APPLICANT


def test_a_resident_applies_for_more_space(site, company, tenant_admin):
    response = client_for(tenant_admin).post(APPLY, _form(site))
    assert response.status_code == 302
    company.refresh_from_db()
    assert company.status == CompanyStatus.RESIDENT
