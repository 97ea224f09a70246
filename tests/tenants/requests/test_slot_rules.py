"""A service's slots: never overlapping (in PostgreSQL), of real length on the days the clocks
change, shown in local time, and kept while a company holds one."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import timezone

from technopark.clock import local_datetime
from technopark.db import violated_constraint
from tenants.models import AppointmentBooking, AppointmentSlot
from tenants.services import appointments
from tests.clock import NOW, days_from_today, pinned
from tests.concurrency import run_concurrently
from tests.factories.requests import AppointmentBookingFactory, AppointmentSlotFactory

from .conftest import client_in_english

# Slots are published for times to come: the clock is pinned.
pytestmark = [pytest.mark.django_db, pinned]

UTC = dt.UTC
#: Before both of 2026's clock changes, so slots on those days are still "to come".
NEW_YEAR_2026 = dt.datetime(2026, 1, 1, tzinfo=UTC)
#: Clocks go from 02:00 (UTC+0, Ramadan) to 03:00 (UTC+1): 02:00-03:00 never happens.
SPRING_FORWARD = dt.date(2026, 3, 22)
#: Clocks go back from 02:00 (UTC+1) to 01:00, for good (UTC+0): 01:00-02:00 happens twice.
LAST_CHANGE = dt.date(2026, 9, 20)


def _publish(service, actor, day, start, end, minutes, **extra):
    return appointments.slot_publish_series(
        actor=actor, service=service, day=day, start=start, end=end, minutes=minutes, **extra
    )


def _local_times(slots):
    return [timezone.localtime(slot.starts_at).strftime("%H:%M") for slot in slots]


# --- The days the clocks change --------------------------------------------------------


def test_on_the_day_the_clocks_skip_an_hour_each_slot_lasts_its_minutes(appointment_service, agent):
    created = _publish(
        appointment_service,
        agent,
        SPRING_FORWARD,
        dt.time(1),
        dt.time(4),
        60,
        now=NEW_YEAR_2026,
    )
    # 01:00 local is 01:00 UTC and 04:00 local is 03:00 UTC: two real hours, two slots.
    assert [(s.starts_at, s.ends_at) for s in created] == [
        (dt.datetime(2026, 3, 22, 1, tzinfo=UTC), dt.datetime(2026, 3, 22, 2, tzinfo=UTC)),
        (dt.datetime(2026, 3, 22, 2, tzinfo=UTC), dt.datetime(2026, 3, 22, 3, tzinfo=UTC)),
    ]
    assert _local_times(created) == ["01:00", "03:00"]


def test_on_the_day_the_clocks_go_back_each_slot_lasts_its_minutes(appointment_service, agent):
    created = _publish(
        appointment_service,
        agent,
        LAST_CHANGE,
        dt.time(0),
        dt.time(3),
        60,
        now=NEW_YEAR_2026,
    )
    # 00:00 local is 23:00 UTC the day before and 03:00 local is 03:00 UTC: four real hours.
    assert {s.ends_at - s.starts_at for s in created} == {dt.timedelta(hours=1)}
    assert [s.starts_at for s in created] == [
        dt.datetime(2026, 9, 19, 23, tzinfo=UTC) + dt.timedelta(hours=hours) for hours in range(4)
    ]
    assert _local_times(created) == ["00:00", "01:00", "01:00", "02:00"]


@pytest.mark.parametrize(
    ("day", "start", "end", "message"),
    [
        (SPRING_FORWARD, dt.time(2, 30), dt.time(4), "02:30 does not exist on March 22, 2026"),
        (SPRING_FORWARD, dt.time(0), dt.time(2), "02:00 does not exist on March 22, 2026"),
        (LAST_CHANGE, dt.time(1, 30), dt.time(4), "01:30 happens twice on Sept. 20, 2026"),
        (LAST_CHANGE, dt.time(0), dt.time(1), "01:00 happens twice on Sept. 20, 2026"),
    ],
)
def test_a_time_the_clocks_skip_or_repeat_is_refused(
    appointment_service, agent, day, start, end, message
):
    with pytest.raises(ValidationError) as refused:
        _publish(appointment_service, agent, day, start, end, 30, now=NEW_YEAR_2026)
    (said,) = refused.value.messages
    assert said.startswith(message)
    assert not AppointmentSlot.objects.exists()


@pytest.mark.parametrize(
    ("day", "start", "error"),
    [
        (SPRING_FORWARD, "02:30", "02:30 does not exist on March 22, 2026: the clocks go forward"),
        (LAST_CHANGE, "01:30", "01:30 happens twice on Sept. 20, 2026: the clocks go back"),
    ],
)
def test_the_series_form_says_which_time_the_clocks_skip_or_repeat(
    appointment_service, site_staff, day, start, error
):
    response = client_in_english(site_staff).post(
        reverse("admin:tenants_appointmentslot_series"),
        {
            "service": appointment_service.pk,
            "day": day.isoformat(),
            "start": start,
            "end": "05:00",
            "minutes": "30",
        },
    )
    assert response.status_code == 200
    (said,) = response.context["form"].errors["start"]
    assert said.startswith(error)
    assert not AppointmentSlot.objects.exists()


# --- No overlap, in the database --------------------------------------------------------


def test_the_database_refuses_two_overlapping_slots_of_one_service(appointment_service, service):
    nine = local_datetime(days_from_today(5), dt.time(9))
    AppointmentSlotFactory(
        service=appointment_service, starts_at=nine, ends_at=nine + dt.timedelta(minutes=30)
    )
    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        AppointmentSlotFactory(
            service=appointment_service,
            starts_at=nine + dt.timedelta(minutes=15),
            ends_at=nine + dt.timedelta(minutes=45),
        )
    assert violated_constraint(refused.value) == "slot_no_overlap_per_service"
    # Back to back is no overlap.
    AppointmentSlotFactory(
        service=appointment_service,
        starts_at=nine + dt.timedelta(minutes=30),
        ends_at=nine + dt.timedelta(minutes=60),
    )
    assert appointment_service.slots.count() == 2


def test_another_service_may_receive_at_the_same_time(appointment_service, site):
    from tests.factories.requests import ServiceFactory

    nine = local_datetime(days_from_today(5), dt.time(9))
    cnss = ServiceFactory(site=site, name="Affiliation CNSS", needs_appointment=True)
    for service in (appointment_service, cnss):
        AppointmentSlotFactory(
            service=service, starts_at=nine, ends_at=nine + dt.timedelta(minutes=30)
        )
    assert AppointmentSlot.objects.count() == 2


def test_a_series_leaves_out_the_slots_that_would_overlap_the_services_slots(
    appointment_service, agent
):
    day = days_from_today(10)
    _publish(appointment_service, agent, day, dt.time(9), dt.time(11), 30)
    added = _publish(appointment_service, agent, day, dt.time(10, 15), dt.time(12, 15), 30)
    assert _local_times(added) == ["11:15", "11:45"]
    assert appointment_service.slots.count() == 6


def test_an_overlapping_slot_added_in_the_admin_is_a_form_error(appointment_service, site_staff):
    day = days_from_today(5)
    nine = local_datetime(day, dt.time(9))
    AppointmentSlotFactory(
        service=appointment_service, starts_at=nine, ends_at=nine + dt.timedelta(minutes=30)
    )
    response = client_in_english(site_staff).post(
        reverse("admin:tenants_appointmentslot_add"),
        {
            "service": appointment_service.pk,
            "starts_at_0": day.isoformat(),
            "starts_at_1": "09:15",
            "ends_at_0": day.isoformat(),
            "ends_at_1": "09:45",
            "bookings-TOTAL_FORMS": "0",
            "bookings-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [
        "This service already has a slot at this time."
    ]
    assert appointment_service.slots.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_people_publishing_the_same_series_at_once_publish_it_once(
    appointment_service, agent, site_staff
):
    day = days_from_today(10)
    nine, noon = dt.time(9), dt.time(12)
    outcomes = run_concurrently(
        [
            lambda actor=actor: _publish(appointment_service, actor, day, nine, noon, 30)
            for actor in (agent, site_staff)
        ]
    )
    assert all(outcome.ok for outcome in outcomes), outcomes
    assert sorted(len(outcome.value) for outcome in outcomes) == [0, 6]
    assert appointment_service.slots.count() == 6


# --- A booked slot stays ------------------------------------------------------------------


@pytest.fixture
def booked(slot, company, tenant_admin):
    return AppointmentBookingFactory(slot=slot, company=company, booked_by=tenant_admin)


def test_a_slot_a_company_booked_cannot_be_deleted(booked):
    with pytest.raises(ProtectedError):
        booked.slot.delete()
    booked.cancelled_at = NOW
    booked.save()
    # A cancelled booking is history, kept too.
    with pytest.raises(ProtectedError):
        booked.slot.delete()


def test_the_admin_says_why_a_booked_slot_is_not_deleted(booked, site_staff):
    client = client_in_english(site_staff)
    url = reverse("admin:tenants_appointmentslot_delete", args=[booked.slot.pk])
    page = client.get(url)
    assert "would require deleting the following protected related objects" in (
        page.content.decode()
    )
    response = client.post(url, {"post": "yes"})
    assert response.status_code == 200
    assert AppointmentSlot.objects.filter(pk=booked.slot.pk).exists()
    assert AppointmentBooking.objects.filter(pk=booked.pk).exists()


def test_a_free_slot_can_still_be_deleted_in_the_admin(slot, site_staff):
    url = reverse("admin:tenants_appointmentslot_delete", args=[slot.pk])
    response = client_in_english(site_staff).post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not AppointmentSlot.objects.exists()


# --- Shown in local time --------------------------------------------------------------------


def test_a_slot_names_its_local_time(appointment_service):
    # June 2026: Morocco is at UTC+1, so 10:00 local is 09:00 UTC.
    ten = dt.datetime(2026, 6, 10, 9, tzinfo=UTC)
    slot = AppointmentSlotFactory(
        service=appointment_service, starts_at=ten, ends_at=ten + dt.timedelta(minutes=30)
    )
    assert str(slot) == f"{appointment_service.name} · 2026-06-10 10:00"
