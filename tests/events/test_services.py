"""The event life cycle: rooms blocked on publishing, seats, waiting list, opt-in, check-in."""

import datetime as dt

import pytest
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange

from coworking.models import BookingStatus, RoomBooking
from events import services
from events.models import (
    Audience,
    Event,
    EventStatus,
    Promotion,
    Registration,
    RegistrationStatus,
)
from sites.models import SpaceKind
from technopark import refusals
from tenants.models import CompanyStatus, Program
from tests.events.conftest import DAY, NOW, local
from tests.factories import SpaceFactory, UserFactory

pytestmark = pytest.mark.django_db


def _codes(error: ValidationError) -> set:
    return {e.code for e in error.error_list}


# --- Rooms ------------------------------------------------------------------------------


def test_publishing_books_each_date_of_the_room_with_set_up_and_tear_down(make_event, agora):
    second = DAY + dt.timedelta(days=7)
    event = make_event(
        dates=[(local(DAY, 14), local(DAY, 18)), (local(second, 9), local(second, 12))],
        setup_minutes=60,
        teardown_minutes=30,
    )

    assert event.status == EventStatus.PUBLISHED
    bookings = RoomBooking.objects.filter(space=agora).order_by("during")
    assert [(b.starts_at, b.ends_at) for b in bookings] == [
        (local(DAY, 13), local(DAY, 18, 30)),
        (local(second, 8), local(second, 12, 30)),
    ]
    assert all(b.status == BookingStatus.CONFIRMED and b.title == "Demo day" for b in bookings)
    assert {d.booking_id for d in event.dates.all()} == {b.pk for b in bookings}


def test_an_event_is_not_published_over_a_booking_and_the_error_names_it(
    make_event, agora, tenant_admin
):
    RoomBooking.objects.create(
        space=agora,
        during=DateTimeTZRange(
            local(DAY + dt.timedelta(days=7), 10), local(DAY + dt.timedelta(days=7), 11)
        ),
        holder=tenant_admin,
        title="Board meeting",
    )
    event = make_event(
        publish=False,
        dates=[
            (local(DAY, 14), local(DAY, 18)),
            (local(DAY + dt.timedelta(days=7), 9), local(DAY + dt.timedelta(days=7), 12)),
        ],
    )

    with pytest.raises(ValidationError) as refused:
        services.event_publish(actor=event.created_by, event=event, now=NOW)

    assert _codes(refused.value) == {"room_taken"}
    assert "Board meeting" in refused.value.messages[0]
    assert "10:00" in refused.value.messages[0]
    event.refresh_from_db()
    assert event.status == EventStatus.DRAFT
    # All dates or none: the first date's booking was rolled back too.
    assert RoomBooking.objects.filter(space=agora).count() == 1


def test_cancelling_an_event_frees_its_room_and_cancels_its_registrations(
    make_event, agora, site_staff, tenant_admin
):
    event = make_event()
    registration = services.registration_create(event=event, user=tenant_admin, now=NOW)

    services.event_cancel(actor=site_staff, event=event, now=NOW)

    event.refresh_from_db()
    registration.refresh_from_db()
    assert event.status == EventStatus.CANCELLED and event.seats_taken == 0
    assert registration.status == RegistrationStatus.CANCELLED
    assert not RoomBooking.objects.filter(
        space=agora, status__in=[BookingStatus.CONFIRMED, BookingStatus.PENDING]
    ).exists()
    # The room can be booked again at that time.
    again = make_event(title="Another demo day")
    assert again.status == EventStatus.PUBLISHED


def test_another_sites_staff_can_neither_create_nor_publish_an_event(
    make_event, agora, other_site_staff
):
    with pytest.raises(PermissionDenied):
        make_event(actor=other_site_staff)
    event = make_event(publish=False)
    with pytest.raises(PermissionDenied):
        services.event_publish(actor=other_site_staff, event=event, now=NOW)
    assert not RoomBooking.objects.exists()


def test_a_company_admin_proposes_an_event_and_staff_approve_it_by_publishing(
    agora, company, tenant_admin, site_staff, tenant_member
):
    event = services.event_create(
        actor=tenant_admin,
        company=company,
        room=agora,
        title="Game jam",
        kind="hackathon",
        dates=[(local(DAY, 9), local(DAY, 21))],
        capacity=40,
        now=NOW,
    )
    assert event.status == EventStatus.PENDING
    assert not RoomBooking.objects.exists()
    with pytest.raises(PermissionDenied):
        services.event_create(
            actor=tenant_member,
            company=company,
            room=agora,
            title="Mine",
            kind="meetup",
            dates=[(local(DAY, 9), local(DAY, 10))],
            capacity=5,
            now=NOW,
        )

    services.event_publish(actor=site_staff, event=event, now=NOW)

    event.refresh_from_db()
    assert event.status == EventStatus.PUBLISHED
    assert RoomBooking.objects.get().holder == site_staff


@pytest.mark.parametrize("status", [CompanyStatus.APPLICANT, CompanyStatus.ALUMNI])
def test_only_a_hosted_company_proposes_and_only_in_its_own_technopark(
    agora, company, tenant_admin, other_site, status
):
    def propose(room):
        return services.event_create(
            actor=tenant_admin,
            company=company,
            room=room,
            title="Game jam",
            kind="hackathon",
            dates=[(local(DAY, 9), local(DAY, 21))],
            capacity=40,
            now=NOW,
        )

    elsewhere = SpaceFactory(site=other_site, name="Agora Rabat", kind=SpaceKind.AGORA)
    with pytest.raises(ValidationError) as refused:
        propose(elsewhere)
    assert refusals.codes(refused.value) == {"room_elsewhere"}
    company.status = status
    company.save(update_fields=["status"])
    with pytest.raises(ValidationError) as refused:
        propose(agora)
    assert refusals.codes(refused.value) == {"not_hosted"}
    assert not Event.objects.exists()


def test_dates_in_the_past_overlapping_or_above_the_rooms_capacity_are_refused(make_event):
    with pytest.raises(ValidationError) as past:
        make_event(dates=[(NOW - dt.timedelta(days=1), NOW)])
    with pytest.raises(ValidationError) as overlap:
        make_event(dates=[(local(DAY, 9), local(DAY, 12)), (local(DAY, 11), local(DAY, 13))])
    with pytest.raises(ValidationError) as too_many:
        make_event(capacity=500)
    assert _codes(past.value) == {"past"}
    assert _codes(overlap.value) == {"dates_overlap"}
    assert _codes(too_many.value) == {"over_room_capacity"}
    assert not Event.objects.exists()


# --- Seats and the waiting list ------------------------------------------------------------


def test_registrations_beyond_capacity_wait_in_arrival_order(make_event):
    event = make_event(capacity=2)
    people = [UserFactory() for _ in range(4)]

    registrations = [
        services.registration_create(event=event, user=person, now=NOW) for person in people
    ]

    assert [r.status for r in registrations] == ["confirmed", "confirmed", "waiting", "waiting"]
    assert [services.waiting_position(r) for r in registrations] == [None, None, 1, 2]
    event.refresh_from_db()
    assert event.seats_taken == 2 and event.seats_left == 0


def test_one_person_registers_once_per_event_by_account_and_by_address(make_event, tenant_admin):
    event = make_event()
    services.registration_create(event=event, user=tenant_admin, now=NOW)
    services.registration_create(event=event, name="Salma", email="salma@example.ma", now=NOW)

    with pytest.raises(ValidationError) as twice:
        services.registration_create(event=event, user=tenant_admin, now=NOW)
    with pytest.raises(ValidationError) as by_address:
        services.registration_create(event=event, name="S", email=" SALMA@example.MA", now=NOW)

    assert _codes(twice.value) == _codes(by_address.value) == {"already_registered"}
    assert event.registrations.count() == 2
    event.refresh_from_db()
    assert event.seats_taken == 2


def test_after_cancelling_a_person_registers_again(make_event, tenant_admin):
    event = make_event()
    first = services.registration_create(event=event, user=tenant_admin, now=NOW)
    services.registration_cancel(actor=tenant_admin, registration=first, now=NOW)
    again = services.registration_create(event=event, user=tenant_admin, now=NOW)
    assert again.pk != first.pk and again.status == "confirmed"
    event.refresh_from_db()
    assert event.seats_taken == 1


def test_a_visitor_registered_twice_gets_the_same_answer_as_a_new_one(make_event, client):
    import time_machine
    from django.urls import reverse

    event = make_event()
    url = reverse("events:detail", args=[event.slug])
    form = {"name": "Salma", "email": "salma@example.ma", "organisation": "", "consent": "on"}
    with time_machine.travel(NOW):
        first = client.post(url, form, follow=True, HTTP_ACCEPT_LANGUAGE="en")
        second = client.post(url, form, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "open the link we sent" in first.content.decode()
    assert "open the link we sent" in second.content.decode()
    assert "already registered" not in second.content.decode()
    assert event.registrations.count() == 1


def test_postgresql_refuses_more_seats_taken_than_capacity(make_event):
    event = make_event(capacity=1)
    services.registration_create(event=event, user=UserFactory(), now=NOW)
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(capacity=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(seats_taken=2)


def test_lowering_capacity_below_the_seats_taken_is_refused_and_raising_it_promotes(
    make_event, site_staff
):
    event = make_event(capacity=2)
    people = [
        services.registration_create(event=event, user=UserFactory(), now=NOW) for _ in range(3)
    ]

    with pytest.raises(ValidationError) as refused:
        services.event_capacity_change(actor=site_staff, event=event, capacity=1)
    assert _codes(refused.value) == {"capacity_below_taken"}
    event.refresh_from_db()
    assert event.capacity == 2

    services.event_capacity_change(actor=site_staff, event=event, capacity=3)
    people[2].refresh_from_db()
    assert people[2].status == RegistrationStatus.CONFIRMED
    assert Promotion.objects.get().registration == people[2]


def test_a_cancellation_promotes_the_first_waiting_person_and_records_it(
    make_event, mailoutbox, django_capture_on_commit_callbacks
):
    event = make_event(capacity=1)
    first, second, third = (
        services.registration_create(event=event, user=UserFactory(), now=NOW) for _ in range(3)
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(actor=first.user, registration=first, now=NOW)

    second.refresh_from_db()
    third.refresh_from_db()
    assert second.status == RegistrationStatus.CONFIRMED
    assert third.status == RegistrationStatus.WAITING
    assert services.waiting_position(third) == 1
    promotion = Promotion.objects.get()
    assert (promotion.registration, promotion.freed_by) == (second, first)
    assert [m.to for m in mailoutbox] == [[second.email]]
    event.refresh_from_db()
    assert event.seats_taken == 1


def test_someone_else_cannot_cancel_a_registration(make_event, other_site_staff):
    event = make_event()
    registration = services.registration_create(event=event, user=UserFactory(), now=NOW)
    with pytest.raises(PermissionDenied):
        services.registration_cancel(actor=UserFactory(), registration=registration, now=NOW)
    with pytest.raises(PermissionDenied):
        services.registration_cancel(actor=other_site_staff, registration=registration, now=NOW)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED


# --- Who may register, and when ---------------------------------------------------------


def test_registration_is_refused_before_it_opens_after_it_closes_and_when_cancelled(
    make_event, site_staff
):
    event = make_event(registration_opens=NOW + dt.timedelta(days=2))
    with pytest.raises(ValidationError) as early:
        services.registration_create(event=event, user=UserFactory(), now=NOW)
    with pytest.raises(ValidationError) as late:
        services.registration_create(event=event, user=UserFactory(), now=local(DAY, 15))
    services.event_cancel(actor=site_staff, event=event, now=NOW)
    event.refresh_from_db()
    with pytest.raises(ValidationError) as cancelled:
        services.registration_create(
            event=event, user=UserFactory(), now=NOW + dt.timedelta(days=3)
        )
    assert _codes(early.value) == {"not_yet_open"}
    assert _codes(late.value) == {"closed"}
    assert _codes(cancelled.value) == {"not_open"}
    assert not Registration.objects.exists()


def test_a_residents_only_event_refuses_visitors_and_companies_not_resident(
    make_event, company, tenant_admin, other_company, other_company_user
):
    company.status = CompanyStatus.RESIDENT
    company.save()
    other_company.status = CompanyStatus.APPLICANT
    other_company.save()
    event = make_event(audience=Audience.RESIDENTS)

    for person in (None, other_company_user):
        with pytest.raises(ValidationError) as refused:
            services.registration_create(
                event=event, user=person, name="V", email="v@example.ma", now=NOW
            )
        assert _codes(refused.value) == {"audience"}
    registration = services.registration_create(event=event, user=tenant_admin, now=NOW)
    assert registration.company == company


def test_a_program_event_takes_that_programs_companies_only(make_event, company, tenant_admin):
    company.status = CompanyStatus.RESIDENT
    company.program = Program.START
    company.save()
    event = make_event(audience=Audience.PROGRAM, program=Program.ACCELERATE)
    with pytest.raises(ValidationError):
        services.registration_create(event=event, user=tenant_admin, now=NOW)
    event = make_event(
        audience=Audience.PROGRAM, program=Program.START, dates=[(local(DAY, 9), local(DAY, 12))]
    )
    assert services.registration_create(event=event, user=tenant_admin, now=NOW).status == (
        RegistrationStatus.CONFIRMED
    )


# --- Visitors' double opt-in --------------------------------------------------------------


def test_a_visitor_holds_a_seat_until_they_confirm_their_address(
    make_event, mailoutbox, django_capture_on_commit_callbacks
):
    event = make_event(capacity=1)
    with django_capture_on_commit_callbacks(execute=True):
        visitor = services.registration_create(
            event=event, name="Salma", email="salma@example.ma", organisation="ENSA", now=NOW
        )
    assert (visitor.status, visitor.holds_seat) == (RegistrationStatus.PENDING, True)
    token = services.opt_in_token(visitor)
    assert token in mailoutbox[0].body

    confirmed = services.registration_confirm_email(token=token, now=NOW + dt.timedelta(hours=2))
    again = services.registration_confirm_email(token=token, now=NOW + dt.timedelta(hours=3))

    assert confirmed.status == again.status == RegistrationStatus.CONFIRMED
    with pytest.raises(ValidationError) as forged:
        services.registration_confirm_email(token=token + "x", now=NOW)
    assert _codes(forged.value) == {"bad_token"}


def test_an_unconfirmed_visitor_holds_nothing_after_24_hours_and_the_next_person_gets_the_seat(
    make_event,
):
    event = make_event(capacity=1)
    visitor = services.registration_create(
        event=event, name="Salma", email="salma@example.ma", now=NOW
    )
    waiting = services.registration_create(event=event, user=UserFactory(), now=NOW)
    assert waiting.status == RegistrationStatus.WAITING

    assert services.registrations_expire(now=NOW + dt.timedelta(hours=23)) == 0
    assert services.registrations_expire(now=NOW + dt.timedelta(hours=25)) == 1

    visitor.refresh_from_db()
    waiting.refresh_from_db()
    assert (visitor.status, visitor.holds_seat) == (RegistrationStatus.EXPIRED, False)
    assert waiting.status == RegistrationStatus.CONFIRMED
    with pytest.raises(ValidationError) as late:
        services.registration_confirm_email(
            token=services.opt_in_token(visitor), now=NOW + dt.timedelta(hours=26)
        )
    assert _codes(late.value) == {"expired"}
    event.refresh_from_db()
    assert event.seats_taken == 1


def test_a_visitor_confirming_late_but_before_the_purge_is_refused(make_event):
    event = make_event()
    visitor = services.registration_create(event=event, name="A", email="a@example.ma", now=NOW)
    with pytest.raises(ValidationError) as late:
        services.registration_confirm_email(
            token=services.opt_in_token(visitor), now=NOW + dt.timedelta(hours=25)
        )
    assert _codes(late.value) == {"expired"}


# --- Tickets and check-in -----------------------------------------------------------------


def test_a_ticket_checks_in_once_and_a_second_scan_says_so(make_event, site_staff):
    event = make_event()
    registration = services.registration_create(event=event, user=UserFactory(), now=NOW)
    token = services.ticket_token(registration)

    first, already = services.registration_check_in(
        actor=site_staff, event=event, token=token, now=local(DAY, 14)
    )
    again, twice = services.registration_check_in(
        actor=site_staff, event=event, token=token, now=local(DAY, 15)
    )

    assert (already, twice) == (False, True)
    assert again.checked_in_at == local(DAY, 14)
    assert again.checked_in_by == site_staff


def test_a_ticket_of_one_event_does_not_check_in_at_another(make_event, site_staff):
    event = make_event()
    other = make_event(title="Another", dates=[(local(DAY, 9), local(DAY, 12))])
    registration = services.registration_create(event=event, user=UserFactory(), now=NOW)

    with pytest.raises(ValidationError) as refused:
        services.registration_check_in(
            actor=site_staff, event=other, token=services.ticket_token(registration), now=NOW
        )
    assert _codes(refused.value) == {"other_event"}
    registration.refresh_from_db()
    assert registration.checked_in_at is None


def test_forged_guessed_and_expired_tickets_are_refused(make_event, site_staff):
    event = make_event()
    registration = services.registration_create(event=event, user=UserFactory(), now=NOW)
    token = services.ticket_token(registration)
    guessed = f"{event.pk}.{registration.pk}"
    forged = signing.Signer(salt="another").sign(guessed)

    for bad in (guessed, forged, token[:-2] + "xx", ""):
        with pytest.raises(ValidationError) as refused:
            services.registration_check_in(actor=site_staff, event=event, token=bad, now=NOW)
        assert _codes(refused.value) == {"bad_ticket"}
    with pytest.raises(ValidationError) as expired:
        services.registration_check_in(
            actor=site_staff, event=event, token=token, now=local(DAY + dt.timedelta(days=2), 9)
        )
    assert _codes(expired.value) == {"expired"}
    registration.refresh_from_db()
    assert registration.checked_in_at is None


def test_waiting_registrations_and_other_sites_staff_cannot_check_in(
    make_event, site_staff, other_site_staff
):
    event = make_event(capacity=1)
    services.registration_create(event=event, user=UserFactory(), now=NOW)
    waiting = services.registration_create(event=event, user=UserFactory(), now=NOW)
    with pytest.raises(ValidationError) as refused:
        services.registration_check_in(
            actor=site_staff, event=event, token=services.ticket_token(waiting), now=NOW
        )
    assert _codes(refused.value) == {"not_confirmed"}
    with pytest.raises(PermissionDenied):
        services.registration_check_in(
            actor=other_site_staff, event=event, token=services.ticket_token(waiting), now=NOW
        )


# --- Periodic jobs -----------------------------------------------------------------------


def test_the_reminder_goes_the_day_before_once_to_confirmed_people(
    make_event, mailoutbox, django_capture_on_commit_callbacks
):
    event = make_event(capacity=1)
    confirmed = services.registration_create(event=event, user=UserFactory(), now=NOW)
    services.registration_create(event=event, user=UserFactory(), now=NOW)
    mailoutbox.clear()
    day_before = local(DAY - dt.timedelta(days=1), 10)

    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send(now=local(DAY - dt.timedelta(days=2), 10)) == 0
        assert services.reminders_send(now=day_before) == 1
        assert services.reminders_send(now=day_before) == 0

    assert [m.to for m in mailoutbox] == [[confirmed.email]]


def test_events_whose_last_date_ended_are_done(make_event):
    event = make_event()
    assert services.event_finish(now=local(DAY, 17)) == 0
    assert services.event_finish(now=local(DAY, 19)) == 1
    event.refresh_from_db()
    assert event.status == EventStatus.DONE


def test_an_account_cannot_register_for_a_company_it_does_not_act_for(
    make_event, tenant_admin, other_company
):
    event = make_event()
    with pytest.raises(ValidationError) as refused:
        services.registration_create(event=event, user=tenant_admin, company=other_company, now=NOW)
    assert refused.value.code == "not_a_member"
    assert not Registration.objects.filter(event=event).exists()
