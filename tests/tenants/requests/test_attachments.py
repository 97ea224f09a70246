"""Files on requests: PDF or images within 5 MB, never half-saved, served only through the gate."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from tenants.forms.requests import MessageForm
from tenants.models import RequestAttachment, RequestMessage, RequestStatus, ServiceRequest
from tenants.services import requests as services
from tests.factories.requests import PDF_BYTES, PNG_BYTES, RequestAttachmentFactory, pdf, png

from .conftest import client_in_english

pytestmark = pytest.mark.django_db

FIVE_MB = 5 * 1024 * 1024


def _stored(media):
    return sorted(path for path in media.rglob("*") if path.is_file())


def _download(client, url):
    response = client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


def _file_a_request(client, service, *files):
    return client.post(
        reverse("portal:request_create"),
        {"service": service.pk, "description": "Attestation", "files": list(files)},
    )


def test_a_request_is_filed_with_a_pdf_and_an_image(tenant_member, service, media):
    response = _file_a_request(client_in_english(tenant_member), service, pdf(), png())
    service_request = ServiceRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:request_detail", args=[service_request.pk])
    files = list(service_request.attachments.order_by("original_name"))
    assert [(f.original_name, f.size, f.uploaded_by) for f in files] == [
        ("photo.png", len(PNG_BYTES), tenant_member),
        ("statuts.pdf", len(PDF_BYTES), tenant_member),
    ]
    assert len(_stored(media)) == 2
    # Stored under a random name, never the client's.
    assert all("statuts" not in path.name for path in _stored(media))


def test_the_companys_people_download_the_file(tenant_admin, tenant_member, service):
    _file_a_request(client_in_english(tenant_member), service, pdf())
    attachment = RequestAttachment.objects.get()
    url = reverse("portal:request_attachment", args=[attachment.request_id, attachment.pk])
    response, body = _download(client_in_english(tenant_admin), url)
    assert response.status_code == 200
    assert body == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="statuts.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_file_of_another_type_is_refused_and_nothing_is_saved(tenant_member, service, media):
    disguised = SimpleUploadedFile("devis.pdf", b"<html><script>alert(1)</script></html>")
    response = _file_a_request(client_in_english(tenant_member), service, pdf(), disguised)
    assert response.status_code == 200
    errors = response.context["form"].errors["files"]
    assert errors == ["devis.pdf: This file type is not accepted. Accepted: .jpg, .pdf, .png."]
    assert not ServiceRequest.objects.exists()
    assert not RequestAttachment.objects.exists()
    assert _stored(media) == []


def test_a_file_over_5_mb_is_refused_and_nothing_is_saved(tenant_member, service, media):
    big = pdf("scan.pdf", padding=FIVE_MB)
    response = _file_a_request(client_in_english(tenant_member), service, big)
    assert response.status_code == 200
    assert response.context["form"].errors["files"] == [
        "scan.pdf: This file is 5.0 MB; the limit is 5 MB."
    ]
    assert not ServiceRequest.objects.exists()
    assert _stored(media) == []


def test_more_than_five_files_are_refused(tenant_member, service, media):
    files = [pdf(f"piece-{n}.pdf") for n in range(6)]
    response = _file_a_request(client_in_english(tenant_member), service, *files)
    assert response.context["form"].errors["files"] == ["Attach at most 5 files at a time."]
    assert not ServiceRequest.objects.exists()
    assert _stored(media) == []


def test_the_service_checks_every_file_before_writing_anything(
    tenant_member, company, service, media
):
    with pytest.raises(ValidationError, match="notes.txt: This file type is not accepted"):
        services.request_create(
            user=tenant_member,
            company=company,
            service=service,
            description="Attestation",
            files=[pdf(), SimpleUploadedFile("notes.txt", b"just text")],
        )
    assert not ServiceRequest.objects.exists()
    assert not RequestAttachment.objects.exists()
    assert _stored(media) == []


def test_a_reply_with_a_bad_file_leaves_no_message_and_no_change(waiting, tenant_member, media):
    response = client_in_english(tenant_member).post(
        reverse("portal:request_reply", args=[waiting.pk]),
        {"body": "Voici", "files": [SimpleUploadedFile("rc.pdf", b"not a pdf")]},
    )
    assert response.status_code == 200
    assert "rc.pdf: This file type is not accepted" in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == RequestStatus.WAITING_FOR_TENANT
    assert list(RequestMessage.objects.values_list("author", flat=True)) == [waiting.assigned_to_id]
    assert _stored(media) == []


def test_a_reply_carries_its_files_on_its_message(waiting, tenant_member):
    response = client_in_english(tenant_member).post(
        reverse("portal:request_reply", args=[waiting.pk]),
        {"body": "Voici le RC", "files": [pdf("rc.pdf")]},
    )
    assert response.status_code == 302
    message = RequestMessage.objects.get(author=tenant_member)
    assert [a.original_name for a in message.attachments.all()] == ["rc.pdf"]
    assert message.attachments.get().request == waiting


def test_the_agents_file_reaches_the_company(in_progress, agent, site_staff, tenant_member):
    client_in_english(site_staff).post(
        reverse("admin:tenants_servicerequest_reply", args=[in_progress.pk]),
        {"body": "Voici l'attestation signée.", "files": [pdf("attestation.pdf")]},
    )
    attachment = RequestAttachment.objects.get()
    assert attachment.uploaded_by == site_staff
    page = client_in_english(tenant_member).get(
        reverse("portal:request_detail", args=[in_progress.pk])
    )
    url = reverse("portal:request_attachment", args=[in_progress.pk, attachment.pk])
    assert url in page.content.decode()
    response, body = _download(client_in_english(tenant_member), url)
    assert (response.status_code, body) == (200, PDF_BYTES)


@pytest.fixture
def attachment(filed, tenant_member):
    return RequestAttachmentFactory(request=filed, uploaded_by=tenant_member)


@pytest.fixture
def other_attachment(other_company, other_service, other_company_user):
    from tests.factories.requests import ServiceRequestFactory

    theirs = ServiceRequestFactory(company=other_company, service=other_service)
    return RequestAttachmentFactory(request=theirs, uploaded_by=other_company_user)


def test_another_company_cannot_download_the_file(attachment, other_company_user):
    url = reverse("portal:request_attachment", args=[attachment.request_id, attachment.pk])
    response, _ = _download(client_in_english(other_company_user), url)
    assert response.status_code == 404


def test_a_file_cannot_be_reached_through_ones_own_request(
    attachment, other_attachment, tenant_member
):
    # Company A's request number with company B's file number: 404.
    url = reverse("portal:request_attachment", args=[attachment.request_id, other_attachment.pk])
    response, _ = _download(client_in_english(tenant_member), url)
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("site_staff", 200),
        ("agent", 200),
        # The front desk sees that requests exist, not the companies' files.
        ("front_desk", 404),
        ("network_manager", 200),
        ("other_site_staff", 404),
        ("other_agent", 404),
    ],
)
def test_the_sites_staff_download_the_file_in_the_admin(attachment, who, status, request):
    url = reverse(
        "admin:tenants_servicerequest_attachment", args=[attachment.request_id, attachment.pk]
    )
    response, body = _download(client_in_english(request.getfixturevalue(who)), url)
    assert response.status_code == status
    if status == 200:
        assert body == PDF_BYTES


def test_a_reply_the_database_refuses_leaves_no_file_behind(waiting, tenant_member, media):
    # The agent's account is gone: the request cannot go back in progress without one.
    waiting.assigned_to.delete()
    with pytest.raises(ValidationError) as refused:
        services.request_reply_as_company(
            author=tenant_member, service_request=waiting, body="Voici le RC", files=[pdf("rc.pdf")]
        )
    assert refused.value.messages == ["A request in progress needs an agent."]
    assert not RequestMessage.objects.filter(author=tenant_member).exists()
    assert not RequestAttachment.objects.exists()
    assert _stored(media) == []


def test_the_files_help_is_in_the_readers_language():
    form = MessageForm()
    with translation.override("en"):
        english = str(form["files"].help_text)
    with translation.override("fr"):
        french = str(form["files"].help_text)
    assert english == "PDF, PNG or JPEG, 5 MB at most each; up to 5 files."
    assert french == "PDF, PNG ou JPEG, 5 Mo au plus chacun ; 5 fichiers au maximum."
