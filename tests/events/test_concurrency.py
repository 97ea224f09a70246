"""Seats and rooms under real concurrency: threads on a real PostgreSQL (tests/concurrency.py)."""

from collections import Counter

import pytest

from coworking.models import BookingStatus, RoomBooking
from events import services
from events.models import Event, EventKind, Promotion, Registration, RegistrationStatus
from tests.concurrency import run_concurrently
from tests.events.conftest import DAY, NOW, local
from tests.factories import StaffAssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_100_simultaneous_registrations_for_30_seats_confirm_30_and_queue_70_in_arrival_order(
    make_event,
):
    event = make_event(capacity=30)
    people = [UserFactory() for _ in range(100)]

    # 100 threads released at once share 30 connections, as gunicorn's threads share a
    # pool (the machine's PostgreSQL serves other databases too: max_connections 100).
    outcomes = run_concurrently(
        [lambda p=p: services.registration_create(event=event, user=p, now=NOW) for p in people],
        connections=30,
        timeout=120,
    )

    assert all(outcome.ok for outcome in outcomes)
    registrations = list(Registration.objects.filter(event=event).order_by("pk"))
    assert Counter(r.status for r in registrations) == {"confirmed": 30, "waiting": 70}
    # Arrival order: the first 30 to arrive have the seats, the 70 after them wait in order.
    assert [r.status for r in registrations] == ["confirmed"] * 30 + ["waiting"] * 70
    assert [services.waiting_position(r) for r in registrations[30:]] == list(range(1, 71))
    event.refresh_from_db()
    assert event.seats_taken == 30


def test_simultaneous_cancellations_never_promote_beyond_the_seats(make_event):
    event = make_event(capacity=20)
    registrations = [
        services.registration_create(event=event, user=UserFactory(), now=NOW) for _ in range(30)
    ]
    confirmed = registrations[:20]

    outcomes = run_concurrently(
        [
            lambda r=r: services.registration_cancel(actor=r.user, registration=r, now=NOW)
            for r in confirmed[:15]
        ]
    )

    assert all(outcome.ok for outcome in outcomes)
    event.refresh_from_db()
    statuses = Counter(Registration.objects.filter(event=event).values_list("status", flat=True))
    assert statuses[RegistrationStatus.CONFIRMED] == 15
    assert statuses[RegistrationStatus.WAITING] == 0
    assert event.seats_taken == 15 <= event.capacity
    # The 10 who waited were promoted, once each, in arrival order.
    promoted = Promotion.objects.values_list("registration", flat=True)
    assert sorted(promoted) == [r.pk for r in registrations[20:]]


def test_two_staff_publishing_two_events_in_one_room_at_once_one_wins(site, agora, site_staff):
    colleague = StaffAssignmentFactory(site=site, role=site_staff.staff_assignments.get().role).user
    drafts = [
        services.event_create(
            actor=actor,
            room=agora,
            title=title,
            kind=EventKind.TALK,
            dates=[(local(DAY, 14), local(DAY, 16))],
            capacity=50,
            now=NOW,
        )
        for actor, title in ((site_staff, "Talk A"), (colleague, "Talk B"))
    ]

    outcomes = run_concurrently(
        [
            lambda: services.event_publish(actor=site_staff, event=drafts[0], now=NOW),
            lambda: services.event_publish(actor=colleague, event=drafts[1], now=NOW),
        ]
    )

    assert sorted(outcome.code for outcome in outcomes) == ["ok", "room_taken"]
    loser = next(o for o in outcomes if not o.ok)
    assert "Talk A" in loser.message or "Talk B" in loser.message
    assert RoomBooking.objects.filter(space=agora, status=BookingStatus.CONFIRMED).count() == 1
    assert Event.objects.filter(status="published").count() == 1


def test_a_capacity_cut_racing_registrations_never_leaves_more_seats_taken_than_capacity(
    make_event, site_staff
):
    event = make_event(capacity=10)
    for _ in range(5):
        services.registration_create(event=event, user=UserFactory(), now=NOW)
    people = [UserFactory() for _ in range(10)]

    calls = [lambda p=p: services.registration_create(event=event, user=p, now=NOW) for p in people]
    calls.append(lambda: services.event_capacity_change(actor=site_staff, event=event, capacity=6))
    outcomes = run_concurrently(calls)

    event.refresh_from_db()
    confirmed = Registration.objects.filter(event=event, status="confirmed").count()
    assert event.seats_taken == confirmed <= event.capacity
    assert outcomes[-1].code in ("ok", "capacity_below_taken")
