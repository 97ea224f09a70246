"""Correctness under concurrency, with real threads on a real PostgreSQL.

Every thread waits at a barrier holding its own database connection, then
calls the real service at the same moment as the others (tests/concurrency.py).
"""

import datetime as dt
from collections import Counter

import pytest
from django.core.exceptions import ValidationError
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


@pytest.mark.django_db(transaction=True)
def test_a_deadlock_with_a_writer_that_took_no_day_lock_is_a_busy_refusal_not_an_error(site, room):
    """A booking inserts without a savepoint (no retry). A writer of the room that skipped
    the day's lock (a process of the previous release, during a deploy) can deadlock with
    it on the exclusion constraint: the booking PostgreSQL fails says "busy", never 500."""
    import threading
    import time

    from django.db import OperationalError, connection, transaction
    from django.db.backends.postgresql.psycopg_any import DateTimeTZRange

    from coworking.timing import local_instant

    staff, nomad = UserFactory(), NomadProfileFactory(site=site, user=UserFactory()).user
    first_inserted, errors = threading.Event(), []

    def rows(start, end):
        return RoomBooking(
            space=room, during=DateTimeTZRange(local_instant(MONDAY, dt.time(start)),
            local_instant(MONDAY, dt.time(end)), "[)"), holder=staff, booked_by=staff,
            created_at=NOW,
        )  # fmt: skip

    def writer_without_lock():
        try:
            with transaction.atomic():
                rows(10, 11).save(force_insert=True)
                first_inserted.set()
                for _ in range(300):  # until the booking below waits for this transaction
                    with connection.cursor() as cursor:
                        cursor.execute(
                            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = "
                            "'Lock' AND datname = current_database()"
                        )
                        if cursor.fetchone()[0]:
                            break
                    time.sleep(0.02)
                rows(11, 12).save(force_insert=True)  # waits for the booking: a cycle
        except OperationalError as exc:  # PostgreSQL may fail this side instead
            errors.append(exc)
        finally:
            connection.close()

    writer = threading.Thread(target=writer_without_lock)
    writer.start()
    try:
        assert first_inserted.wait(30)
        try:
            services.room_booking_create(
                actor=nomad, space=room, day=MONDAY, start=dt.time(10), end=dt.time(12),
                now=NOW,
            )  # fmt: skip
            outcome = "ok"
        except ValidationError as refusal:
            outcome = refusal.code
    finally:
        writer.join(60)
    # One side was failed by PostgreSQL's deadlock detector: if it was the booking, its
    # refusal is "busy"; if it was the other writer, the booking went through.
    assert (outcome, len(errors)) in {("busy", 0), ("ok", 1)}
