"""The portal's one-stop shop, and its walls: another company's things do not exist."""

import pytest
from django.urls import reverse

from tenants.models import AppointmentBooking, RequestMessage, ServiceRequest
from tests.factories.requests import (
    AppointmentBookingFactory,
    AppointmentSlotFactory,
    ServiceFactory,
    ServiceRequestFactory,
)

from .conftest import client_in_english

pytestmark = pytest.mark.django_db


@pytest.fixture
def theirs(other_company, other_service):
    """A request of company B, at site B."""
    return ServiceRequestFactory(company=other_company, service=other_service)


def test_the_catalogue_lists_the_home_sites_offered_services(
    tenant_member, service, appointment_service, other_service, site
):
    ServiceFactory(site=site, name="Ancien service", active=False)
    response = client_in_english(tenant_member).get(reverse("portal:service_list"))
    assert list(response.context["services"]) == [appointment_service, service]
    html = response.content.decode()
    assert "Handled within 3 working days" in html
    assert "By appointment" in html
    assert "Badge d&#x27;accès" not in html


def test_a_member_files_a_request_and_lands_on_it(tenant_member, service, agent):
    client = client_in_english(tenant_member)
    form = client.get(reverse("portal:request_create"), {"service": service.pk})
    assert form.context["form"]["service"].value() == str(service.pk)
    response = client.post(
        reverse("portal:request_create"),
        {"service": service.pk, "description": "Attestation pour la banque"},
        follow=True,
    )
    service_request = ServiceRequest.objects.get()
    assert response.redirect_chain == [
        (reverse("portal:request_detail", args=[service_request.pk]), 302)
    ]
    html = response.content.decode()
    assert f"Your request #{service_request.pk} is filed" in html
    assert "Attestation pour la banque" in html


def test_the_request_page_shows_the_thread_and_the_events(waiting, tenant_member):
    response = client_in_english(tenant_member).get(
        reverse("portal:request_detail", args=[waiting.pk])
    )
    html = response.content.decode()
    assert "Merci d&#x27;envoyer le RC." in html
    assert "Karim Alaoui, one-stop shop" in html
    assert "The one-stop shop is waiting for your answer" in html
    assert [e.to_status for e in response.context["events"]] == [
        "submitted",
        "in_progress",
        "waiting_for_tenant",
    ]


def test_replying_in_the_portal_puts_the_request_back_in_progress(waiting, tenant_member):
    response = client_in_english(tenant_member).post(
        reverse("portal:request_reply", args=[waiting.pk]), {"body": "Voici le RC."}
    )
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == "in_progress"


def test_a_closed_request_has_no_reply_form(in_progress, agent, tenant_member):
    from tenants.services import requests as services

    services.request_resolve(actor=agent, service_request=in_progress)
    response = client_in_english(tenant_member).get(
        reverse("portal:request_detail", args=[in_progress.pk])
    )
    assert not response.context["can_reply"]
    assert "This request is closed" in response.content.decode()


def test_the_list_shows_only_the_companys_requests(filed, theirs, tenant_admin):
    response = client_in_english(tenant_admin).get(reverse("portal:request_list"))
    assert list(response.context["page"].object_list) == [filed]


@pytest.mark.parametrize(
    ("name", "method"),
    [("portal:request_detail", "get"), ("portal:request_reply", "post")],
)
def test_another_companys_request_does_not_exist(theirs, tenant_admin, name, method):
    client = client_in_english(tenant_admin)
    response = getattr(client, method)(reverse(name, args=[theirs.pk]), {"body": "Coucou"})
    assert response.status_code == 404
    assert not RequestMessage.objects.exists()


def test_a_request_cannot_be_filed_with_another_sites_service(
    tenant_member, service, other_service
):
    response = client_in_english(tenant_member).post(
        reverse("portal:request_create"),
        {"service": other_service.pk, "description": "Badge"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["service"] == [
        "Choose one of the services offered at your site."
    ]
    assert not ServiceRequest.objects.exists()


def test_another_companys_booking_cannot_be_cancelled(
    other_company, other_company_user, tenant_admin
):
    slot = AppointmentSlotFactory(
        service=ServiceFactory(site=other_company.home_site, needs_appointment=True)
    )
    booking = AppointmentBookingFactory(
        slot=slot, company=other_company, booked_by=other_company_user
    )
    response = client_in_english(tenant_admin).post(
        reverse("portal:appointment_cancel", args=[booking.pk])
    )
    assert response.status_code == 404
    booking.refresh_from_db()
    assert booking.cancelled_at is None


def test_another_sites_slot_cannot_be_booked(other_service, tenant_admin):
    other_service.needs_appointment = True
    other_service.save()
    their_slot = AppointmentSlotFactory(service=other_service)
    response = client_in_english(tenant_admin).post(
        reverse("portal:appointment_book"), {"slot": their_slot.pk}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["slot"] == [
        "This slot is not offered to your company any more."
    ]
    assert not AppointmentBooking.objects.exists()


def test_a_booking_cannot_be_tied_to_another_companys_request(slot, theirs, tenant_admin):
    response = client_in_english(tenant_admin).post(
        reverse("portal:appointment_book"), {"slot": slot.pk, "for_request": theirs.pk}
    )
    assert response.status_code == 200
    assert "for_request" in response.context["form"].errors
    assert not AppointmentBooking.objects.exists()


def test_staff_have_no_portal(site_staff, filed):
    for name, args in [("portal:request_list", []), ("portal:request_detail", [filed.pk])]:
        assert client_in_english(site_staff).get(reverse(name, args=args)).status_code == 404
