"""Correctness under concurrency, with real threads on a real PostgreSQL.

Every thread waits at a barrier holding its own database connection, then
calls the real service at the same moment as the others (tests/concurrency.py).
"""

import datetime as dt
from collections import Counter

import pytest
from django.db.backends.postgresql.psycopg_any import DateRange

from coworking import services
from coworking.models import (
    BookingStatus,
    CalendarFeed,
    DeskReservation,
    NomadProfile,
    ReservationStatus,
    RoomBooking,
)
from coworking.models.feeds import hash_token
from tests.concurrency import run_concurrently
from tests.coworking.conftest import NOW
from tests.factories import MembershipFactory, UserFactory
from tests.factories.coworking import AllowanceFactory, NomadProfileFactory, PassFactory

MONDAY = dt.date(2026, 2, 2)


@pytest.mark.django_db(transaction=True)
def test_35_desks_and_50_simultaneous_requests_give_35_desks_and_15_full(site, make_desks):
    make_desks(35)
    february = DateRange(dt.date(2026, 2, 1), dt.date(2026, 3, 1))
    passes = [PassFactory(site=site, period=february) for _ in range(50)]

    outcomes = run_concurrently(
        [
            lambda p=p: services.desk_reservation_create(
                actor=p.holder, desk_pass=p, first_day=MONDAY, now=NOW
            )
            for p in passes
        ]
    )

    assert Counter(outcome.code for outcome in outcomes) == {"ok": 35, "full": 15}
    held = DeskReservation.objects.filter(period__contains=MONDAY)
    assert held.count() == 35
    assert held.values("desk").distinct().count() == 35


@pytest.mark.django_db(transaction=True)
def test_20_threads_booking_one_slot_give_one_booking_and_19_refusals(site, room):
    nomads = [NomadProfileFactory(site=site, user=UserFactory()).user for _ in range(20)]

    outcomes = run_concurrently(
        [
            lambda n=n: services.room_booking_create(
                actor=n,
                space=room,
                day=MONDAY,
                start=dt.time(10, 0),
                end=dt.time(12, 0),
                now=NOW,
            )
            for n in nomads
        ]
    )

    assert Counter(outcome.code for outcome in outcomes) == {"ok": 1, "overlap": 19}
    assert RoomBooking.objects.filter(status=BookingStatus.CONFIRMED).count() == 1


@pytest.mark.django_db(transaction=True)
def test_one_company_booking_from_many_threads_never_spends_its_free_hours_twice(
    site, room, company
):
    AllowanceFactory(company=company, site=site, hours_per_month=3)
    members = [MembershipFactory(company=company).user for _ in range(6)]

    outcomes = run_concurrently(
        [
            lambda m=m, hour=9 + i: services.room_booking_create(
                actor=m,
                space=room,
                day=MONDAY,
                start=dt.time(hour, 0),
                end=dt.time(hour + 1, 0),
                company=company,
                now=NOW,
            )
            for i, m in enumerate(members)
        ]
    )

    assert [outcome.code for outcome in outcomes] == ["ok"] * 6
    free = sorted(outcome.value.free_minutes for outcome in outcomes)
    assert free == [0, 0, 0, 60, 60, 60]


@pytest.mark.django_db(transaction=True)
def test_two_clicks_on_new_feed_address_at_once_leave_one_live_feed(nomad):
    outcomes = run_concurrently([lambda: services.calendar_feed_reset(actor=nomad)] * 2)
    assert [outcome.code for outcome in outcomes] == ["ok", "ok"]
    live = CalendarFeed.objects.filter(user=nomad, revoked_at__isnull=True)
    assert live.count() == 1
    # The address shown by the click that committed last is the one that works.
    tokens = {hash_token(token): token for _feed, token in (o.value for o in outcomes)}
    assert live.get().token_hash in tokens


@pytest.mark.django_db(transaction=True)
def test_two_sign_ups_with_one_address_at_once_create_one_account(site):

    def sign_up(n):
        return services.nomad_signup(
            site=site,
            email="sara.martin@example.org",
            full_name="Sara Martin",
            password="un-mot-de-passe-long",
            nationality="Française",
            document_kind="passport",
            document_number=f"19FR1234{n}",
        )

    outcomes = run_concurrently([lambda n=n: sign_up(n) for n in range(2)])
    assert [outcome.code for outcome in outcomes] == ["ok", "ok"]
    assert sorted(outcome.value is None for outcome in outcomes) == [False, True]
    assert NomadProfile.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_pass_cancelled_while_its_desk_is_reserved_keeps_no_desk(site, make_desks):
    """Whichever commits first, no active reservation is left on a cancelled pass."""
    make_desks(3)
    february = DateRange(dt.date(2026, 2, 1), dt.date(2026, 3, 1))
    nomad = NomadProfileFactory(site=site).user
    desk_pass = PassFactory(holder=nomad, site=site, period=february)
    outcomes = run_concurrently(
        [
            lambda: services.desk_reservation_create(
                actor=nomad, desk_pass=desk_pass, first_day=MONDAY, now=NOW
            ),
            lambda: services.pass_cancel(actor=nomad, desk_pass=desk_pass, now=NOW),
        ]
    )
    assert outcomes[1].code == "ok", outcomes
    assert outcomes[0].code in ("ok", "pass_not_active"), outcomes
    assert not DeskReservation.objects.filter(
        desk_pass=desk_pass, status=ReservationStatus.ACTIVE
    ).exists()


@pytest.mark.django_db(transaction=True)
def test_a_booking_in_flight_holds_its_room_on_its_day_only(site, room):
    """Bookings of a room queue per local day: one in flight on Monday does not make a
    booking of the same room on Tuesday wait."""
    import threading

    from django.db import connection, transaction

    first, second = (NomadProfileFactory(site=site, user=UserFactory()).user for _ in range(2))
    booked, release = threading.Event(), threading.Event()
    errors = []

    def hold_monday():
        try:
            with transaction.atomic():
                services.room_booking_create(
                    actor=first, space=room, day=MONDAY, start=dt.time(10), end=dt.time(11),
                    now=NOW,
                )  # fmt: skip
                booked.set()
                assert release.wait(30)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
            booked.set()
        finally:
            connection.close()

    holder = threading.Thread(target=hold_monday)
    holder.start()
    try:
        assert booked.wait(30) and not errors
        tuesday = services.room_booking_create(
            actor=second, space=room, day=MONDAY + dt.timedelta(days=1), start=dt.time(10),
            end=dt.time(11), now=NOW,
        )  # fmt: skip
        assert tuesday.pk is not None
    finally:
        release.set()
        holder.join(30)
    assert not errors
    assert RoomBooking.objects.filter(space=room).count() == 2
