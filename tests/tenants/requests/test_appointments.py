"""Appointment slots: published in Morocco's time, one live holder each, even under a rush."""

import datetime as dt
from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection
from django.urls import reverse

from technopark.clock import local_zone
from technopark.db import violated_constraint
from tenants.models import AppointmentBooking, AppointmentSlot, ServiceRequest
from tenants.services import appointments
from tenants.services import requests as services
from tests.clock import NOW, days_from_today, pinned
from tests.concurrency import run_concurrently
from tests.factories import CompanyFactory, MembershipFactory
from tests.factories.requests import AppointmentBookingFactory, AppointmentSlotFactory

from .conftest import client_in_english

# Slots are published and booked for times to come: the clock is pinned.
pytestmark = [pytest.mark.django_db, pinned]


# --- Publishing -------------------------------------------------------------------------


def test_a_series_fills_the_morning_with_back_to_back_slots_in_local_time(
    appointment_service, agent
):
    day = days_from_today(10)
    created = appointments.slot_publish_series(
        actor=agent,
        service=appointment_service,
        day=day,
        start=dt.time(9, 0),
        end=dt.time(11, 0),
        minutes=30,
    )
    local = [
        (s.starts_at.astimezone(local_zone()), s.ends_at.astimezone(local_zone())) for s in created
    ]
    assert [(start.date(), start.time(), end.time()) for start, end in local] == [
        (day, dt.time(9, 0), dt.time(9, 30)),
        (day, dt.time(9, 30), dt.time(10, 0)),
        (day, dt.time(10, 0), dt.time(10, 30)),
        (day, dt.time(10, 30), dt.time(11, 0)),
    ]
    assert {(s.site_id, s.published_by) for s in created} == {(appointment_service.site_id, agent)}


def test_after_the_2026_switch_local_time_is_utc(appointment_service, agent):
    # Morocco is on permanent UTC+0 from 2026-09-20 (tzdata 2026c).
    day = max(days_from_today(3), dt.date(2026, 12, 1))
    (first,) = appointments.slot_publish_series(
        actor=agent,
        service=appointment_service,
        day=day,
        start=dt.time(10, 0),
        end=dt.time(10, 30),
        minutes=30,
    )
    assert first.starts_at.astimezone(dt.UTC).time() == dt.time(10, 0)


def test_publishing_the_same_series_twice_adds_nothing(appointment_service, agent):
    kwargs = {
        "actor": agent,
        "service": appointment_service,
        "day": days_from_today(10),
        "start": dt.time(9, 0),
        "end": dt.time(10, 0),
        "minutes": 20,
    }
    assert len(appointments.slot_publish_series(**kwargs)) == 3
    assert appointments.slot_publish_series(**kwargs) == []
    assert AppointmentSlot.objects.count() == 3


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"day": "past"}, "Slots can only be published for times to come."),
        ({"end": dt.time(8, 0)}, "The end must come after the start."),
        ({"end": dt.time(9, 10)}, "No slot of this length fits between these times."),
    ],
)
def test_a_series_that_cannot_be_is_refused(appointment_service, agent, changes, message):
    kwargs = {
        "actor": agent,
        "service": appointment_service,
        "day": days_from_today(5),
        "start": dt.time(9, 0),
        "end": dt.time(11, 0),
        "minutes": 30,
    } | changes
    if kwargs["day"] == "past":
        kwargs["day"] = days_from_today(-1)
    with pytest.raises(ValidationError) as refused:
        appointments.slot_publish_series(**kwargs)
    assert refused.value.messages == [message]
    assert not AppointmentSlot.objects.exists()


def test_no_slot_for_a_service_without_appointments(service, agent):
    with pytest.raises(ValidationError, match="does not take appointments"):
        appointments.slot_publish_series(
            actor=agent,
            service=service,
            day=days_from_today(5),
            start=dt.time(9),
            end=dt.time(10),
            minutes=30,
        )
    assert not AppointmentSlot.objects.exists()


@pytest.mark.parametrize("who", ["other_site_staff", "front_desk", "tenant_admin"])
def test_only_the_sites_agents_and_managers_publish_slots(appointment_service, who, request):
    with pytest.raises(ValidationError, match="You may not do this"):
        appointments.slot_publish_series(
            actor=request.getfixturevalue(who),
            service=appointment_service,
            day=days_from_today(5),
            start=dt.time(9),
            end=dt.time(10),
            minutes=30,
        )
    assert not AppointmentSlot.objects.exists()


def test_staff_publish_a_series_from_the_admin(appointment_service, site_staff):
    response = client_in_english(site_staff).post(
        reverse("admin:tenants_appointmentslot_series"),
        {
            "service": appointment_service.pk,
            "day": days_from_today(7).isoformat(),
            "start": "14:00",
            "end": "16:00",
            "minutes": "30",
        },
    )
    assert response.status_code == 302
    assert AppointmentSlot.objects.filter(service=appointment_service).count() == 4


def test_another_sites_staff_cannot_publish_for_this_sites_service(
    appointment_service, other_site_staff
):
    response = client_in_english(other_site_staff).post(
        reverse("admin:tenants_appointmentslot_series"),
        {
            "service": appointment_service.pk,
            "day": days_from_today(7).isoformat(),
            "start": "14:00",
            "end": "16:00",
            "minutes": "30",
        },
    )
    assert response.status_code == 200
    assert "service" in response.context["form"].errors
    assert not AppointmentSlot.objects.exists()


def test_a_slot_added_in_the_admin_takes_its_services_site(appointment_service, site_staff):
    start = NOW + dt.timedelta(days=3)
    response = client_in_english(site_staff).post(
        reverse("admin:tenants_appointmentslot_add"),
        {
            "service": appointment_service.pk,
            "starts_at_0": start.astimezone(local_zone()).date().isoformat(),
            "starts_at_1": "10:00",
            "ends_at_0": start.astimezone(local_zone()).date().isoformat(),
            "ends_at_1": "10:30",
            "bookings-TOTAL_FORMS": "0",
            "bookings-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    slot = AppointmentSlot.objects.get()
    assert (slot.site, slot.published_by) == (appointment_service.site, site_staff)


# --- Booking ---------------------------------------------------------------------------


def test_a_company_books_a_free_slot_for_its_request(slot, filed, tenant_member, company):
    filed.service = slot.service
    filed.save()
    response = client_in_english(tenant_member).post(
        reverse("portal:appointment_book"), {"slot": slot.pk, "for_request": filed.pk}
    )
    assert response.status_code == 302
    booking = AppointmentBooking.objects.get()
    assert (booking.slot, booking.company, booking.request, booking.booked_by) == (
        slot,
        company,
        filed,
        tenant_member,
    )


def test_a_booked_slot_is_no_longer_offered(slot, tenant_member, company):
    client = client_in_english(tenant_member)
    assert list(client.get(reverse("portal:appointment_book")).context["page"]) == [slot]
    appointments.appointment_book(user=tenant_member, company=company, slot=slot)
    assert list(client.get(reverse("portal:appointment_book")).context["page"]) == []


def test_booking_a_taken_slot_is_a_clear_form_error(slot, tenant_member, site):
    neighbour = CompanyFactory(home_site=site)
    AppointmentBookingFactory(slot=slot, company=neighbour)
    response = client_in_english(tenant_member).post(
        reverse("portal:appointment_book"), {"slot": slot.pk}
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "This slot has just been taken. Please choose another one."
    ]
    assert "This slot has just been taken" in response.content.decode()
    assert [booking.company for booking in AppointmentBooking.objects.all()] == [neighbour]


def test_the_service_turns_the_constraint_into_the_same_message(slot, tenant_member, company, site):
    neighbour = CompanyFactory(home_site=site)
    AppointmentBookingFactory(slot=slot, company=neighbour)
    with pytest.raises(ValidationError) as refused:
        appointments.appointment_book(user=tenant_member, company=company, slot=slot)
    assert refused.value.messages == ["This slot has just been taken. Please choose another one."]
    assert AppointmentBooking.objects.count() == 1


def test_a_cancelled_slot_can_be_booked_again(slot, tenant_member, company, site):
    booking = appointments.appointment_book(user=tenant_member, company=company, slot=slot)
    response = client_in_english(tenant_member).post(
        reverse("portal:appointment_cancel", args=[booking.pk])
    )
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.cancelled_at is not None
    neighbour = CompanyFactory(home_site=site)
    person = MembershipFactory(company=neighbour).user
    appointments.appointment_book(user=person, company=neighbour, slot=slot)
    assert (
        AppointmentBooking.objects.filter(slot=slot, cancelled_at__isnull=True).get().company
        == neighbour
    )


def test_a_slot_that_has_started_cannot_be_booked_or_cancelled(
    appointment_service, tenant_member, company
):
    past = AppointmentSlotFactory(
        service=appointment_service,
        starts_at=NOW - dt.timedelta(hours=1),
        ends_at=NOW - dt.timedelta(minutes=30),
    )
    with pytest.raises(ValidationError, match="already started"):
        appointments.appointment_book(user=tenant_member, company=company, slot=past)
    assert not AppointmentBooking.objects.exists()
    booking = AppointmentBookingFactory(slot=past, company=company)
    with pytest.raises(ValidationError, match="already started"):
        appointments.appointment_cancel(user=tenant_member, booking=booking)
    booking.refresh_from_db()
    assert booking.cancelled_at is None


def test_the_appointment_list_offers_to_cancel_only_live_bookings_to_come(
    slot, tenant_admin, company
):
    booking = appointments.appointment_book(user=tenant_admin, company=company, slot=slot)
    client = client_in_english(tenant_admin)
    cancel = reverse("portal:appointment_cancel", args=[booking.pk])
    assert cancel in client.get(reverse("portal:appointment_list")).content.decode()
    client.post(cancel)
    assert cancel not in client.get(reverse("portal:appointment_list")).content.decode()
    response = client.post(cancel, follow=True)
    assert "This appointment is already cancelled." in response.content.decode()


def test_staff_cancel_a_booking_from_the_admin(slot, tenant_admin, company, site_staff):
    booking = appointments.appointment_book(user=tenant_admin, company=company, slot=slot)
    client_in_english(site_staff).post(
        reverse("admin:tenants_appointmentbooking_changelist"),
        {"action": "cancel_selected", "_selected_action": [booking.pk]},
    )
    booking.refresh_from_db()
    assert booking.cancelled_at is not None


def test_other_site_staff_cannot_cancel_the_booking(slot, tenant_admin, company, other_site_staff):
    booking = appointments.appointment_book(user=tenant_admin, company=company, slot=slot)
    with pytest.raises(ValidationError, match="You may not do this"):
        appointments.appointment_cancel(user=other_site_staff, booking=booking)
    booking.refresh_from_db()
    assert booking.cancelled_at is None


# --- The rush -------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_ten_companies_booking_one_slot_at_once_get_one_booking_and_nine_clean_refusals(
    appointment_service, site
):
    slot = AppointmentSlotFactory(service=appointment_service)
    bookers = []
    for _ in range(10):
        company = CompanyFactory(home_site=site)
        bookers.append((MembershipFactory(company=company).user, company))

    outcomes = run_concurrently(
        [
            lambda user=user, company=company: appointments.appointment_book(
                user=user, company=company, slot=slot
            )
            for user, company in bookers
        ]
    )

    taken = "This slot has just been taken. Please choose another one."
    assert Counter(outcome.message for outcome in outcomes) == {"ok": 1, taken: 9}
    assert AppointmentBooking.objects.filter(slot=slot).count() == 1


def test_a_refusal_other_than_a_taken_slot_is_not_passed_off_as_one(
    slot, tenant_member, company, appointment_service
):
    service_request = services.request_create(
        user=tenant_member, company=company, service=appointment_service, description="Statuts"
    )
    ServiceRequest.objects.filter(pk=service_request.pk).delete()
    with connection.cursor() as cursor:
        # Foreign keys are checked at commit; check them now, to see the service's answer.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with pytest.raises(IntegrityError) as refused:
        appointments.appointment_book(
            user=tenant_member, company=company, slot=slot, service_request=service_request
        )
    assert violated_constraint(refused.value) != "slot_one_live_holder"
