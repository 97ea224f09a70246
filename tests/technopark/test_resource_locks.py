"""``technopark.db.lock_resources``: one round trip, a refusal in time, the transaction usable."""

import threading

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from technopark.db import ResourceBusyError, lock_resources


def _held_locks(cursor) -> set[int]:
    cursor.execute(
        "SELECT objid FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()"
    )
    return {row[0] for row in cursor.fetchall()}


@pytest.mark.django_db
def test_locks_every_resource_in_one_statement_until_the_transaction_ends():
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        lock_resources("test.thing", [3, 1, 2, 3])
        with connection.cursor() as cursor:
            assert _held_locks(cursor) == {1, 2, 3}
            cursor.execute("SHOW lock_timeout")
            assert cursor.fetchone()[0] == "0"
    assert len([q for q in queries.captured_queries if "pg_advisory_xact_lock" in q["sql"]]) == 1


@pytest.mark.django_db(transaction=True)
def test_a_lock_not_granted_in_time_is_busy_and_leaves_the_transaction_usable():
    held, release = threading.Event(), threading.Event()

    def holder():
        try:
            with transaction.atomic():
                lock_resources("test.thing", [7])
                held.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=holder)
    thread.start()
    try:
        assert held.wait(10)
        with transaction.atomic():
            with pytest.raises(ResourceBusyError):
                lock_resources("test.thing", [5, 7], timeout_ms=100)
            with connection.cursor() as cursor:
                assert _held_locks(cursor) == set()  # the savepoint undid the first lock too
                cursor.execute("SHOW lock_timeout")
                assert cursor.fetchone()[0] == "0"
    finally:
        release.set()
        thread.join(10)


@pytest.mark.django_db
def test_statements_after_the_locks_run_in_the_same_round_trip_and_return_their_rows():
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        rows = lock_resources(
            "test.thing",
            [4],
            then=[("SELECT %s::int, %s::text", [1, "un"]), ("SELECT 2 WHERE false", [])],
        )
        with connection.cursor() as cursor:
            assert _held_locks(cursor) == {4}
    assert rows == [[(1, "un")], []]
    assert len(queries.captured_queries) == 2  # the round trip and the lock check


@pytest.mark.django_db
def test_a_failing_statement_after_the_locks_leaves_the_transaction_usable():
    with transaction.atomic():
        with pytest.raises(Exception, match="division by zero"):
            lock_resources("test.thing", [6], then=[("SELECT 1 / 0", [])])
        with connection.cursor() as cursor:
            assert _held_locks(cursor) == set()
            cursor.execute("SELECT 1")
            assert cursor.fetchone() == (1,)
