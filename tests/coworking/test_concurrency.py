"""Correctness under concurrency, with real threads on a real PostgreSQL.

Every thread waits at a barrier holding its own database connection, then
calls the real service at the same moment as the others.
"""

import datetime as dt
import threading
from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
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
from tests.coworking.conftest import NOW
from tests.factories import MembershipFactory, UserFactory
from tests.factories.coworking import AllowanceFactory, NomadProfileFactory, PassFactory

MONDAY = dt.date(2026, 2, 2)


@pytest.fixture
def pool_of(request):
    """A connection pool big enough for every thread to hold a connection at once."""

    def resize(size):
        options = connection.settings_dict["OPTIONS"]["pool"]
        saved = dict(options)
        connection.close()
        connection.close_pool()
        options.update(max_size=size + 5, timeout=60)

        def restore():
            connection.close()
            connection.close_pool()
            options.clear()
            options.update(saved)

        request.addfinalizer(restore)

    return resize


def run_together(calls):
    """Run each call in its own thread, all released at once; their outcomes, in order."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def worker(index, call):
        try:
            connection.ensure_connection()
            barrier.wait(timeout=60)
            outcomes[index] = ("ok", call())
        except ValidationError as exc:
            outcomes[index] = (exc.code, exc)
        except Exception as exc:  # reported by the assertion on outcomes
            outcomes[index] = ("error", exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_35_desks_and_50_simultaneous_requests_give_35_desks_and_15_full(site, make_desks, pool_of):
    make_desks(35)
    february = DateRange(dt.date(2026, 2, 1), dt.date(2026, 3, 1))
    passes = [PassFactory(site=site, period=february) for _ in range(50)]
    pool_of(50)

    outcomes = run_together(
        [
            lambda p=p: services.desk_reservation_create(
                actor=p.holder, desk_pass=p, first_day=MONDAY, now=NOW
            )
            for p in passes
        ]
    )

    counts = Counter(kind for kind, _ in outcomes)
    assert counts == {"ok": 35, "full": 15}, [repr(v) for k, v in outcomes if k == "error"]
    held = DeskReservation.objects.filter(period__contains=MONDAY)
    assert held.count() == 35
    assert held.values("desk").distinct().count() == 35


@pytest.mark.django_db(transaction=True)
def test_20_threads_booking_one_slot_give_one_booking_and_19_refusals(site, room, pool_of):
    nomads = [NomadProfileFactory(site=site, user=UserFactory()).user for _ in range(20)]
    pool_of(20)

    outcomes = run_together(
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

    counts = Counter(kind for kind, _ in outcomes)
    assert counts == {"ok": 1, "overlap": 19}, outcomes
    assert RoomBooking.objects.filter(status=BookingStatus.CONFIRMED).count() == 1


@pytest.mark.django_db(transaction=True)
def test_one_company_booking_from_many_threads_never_spends_its_free_hours_twice(
    site, room, company, pool_of
):
    AllowanceFactory(company=company, site=site, hours_per_month=3)
    members = [MembershipFactory(company=company).user for _ in range(6)]
    pool_of(6)

    outcomes = run_together(
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

    assert [kind for kind, _ in outcomes] == ["ok"] * 6
    free = sorted(b.free_minutes for _, b in outcomes)
    assert free == [0, 0, 0, 60, 60, 60]


@pytest.mark.django_db(transaction=True)
def test_two_clicks_on_new_feed_address_at_once_leave_one_live_feed(nomad, pool_of):
    pool_of(2)
    outcomes = run_together([lambda: services.calendar_feed_reset(actor=nomad)] * 2)
    assert [kind for kind, _ in outcomes] == ["ok", "ok"], outcomes
    live = CalendarFeed.objects.filter(user=nomad, revoked_at__isnull=True)
    assert live.count() == 1
    # The address shown by the click that committed last is the one that works.
    tokens = {hash_token(token): token for _, (_feed, token) in outcomes}
    assert live.get().token_hash in tokens


@pytest.mark.django_db(transaction=True)
def test_two_sign_ups_with_one_address_at_once_create_one_account(site, pool_of):
    pool_of(2)

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

    outcomes = run_together([lambda n=n: sign_up(n) for n in range(2)])
    assert [kind for kind, _ in outcomes] == ["ok", "ok"], outcomes
    assert sorted(value is None for _, value in outcomes) == [False, True]
    assert NomadProfile.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_pass_cancelled_while_its_desk_is_reserved_keeps_no_desk(site, make_desks, pool_of):
    """Whichever commits first, no active reservation is left on a cancelled pass."""
    make_desks(3)
    february = DateRange(dt.date(2026, 2, 1), dt.date(2026, 3, 1))
    nomad = NomadProfileFactory(site=site).user
    desk_pass = PassFactory(holder=nomad, site=site, period=february)
    pool_of(2)
    outcomes = run_together(
        [
            lambda: services.desk_reservation_create(
                actor=nomad, desk_pass=desk_pass, first_day=MONDAY, now=NOW
            ),
            lambda: services.pass_cancel(actor=nomad, desk_pass=desk_pass, now=NOW),
        ]
    )
    assert outcomes[1][0] == "ok", outcomes
    assert outcomes[0][0] in ("ok", "pass_not_active"), outcomes
    assert not DeskReservation.objects.filter(
        desk_pass=desk_pass, status=ReservationStatus.ACTIVE
    ).exists()
