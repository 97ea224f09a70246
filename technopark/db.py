"""Writes PostgreSQL may refuse: which constraint it named, and deadlocks retried."""

from collections.abc import Callable, Iterable
from typing import TypeVar

from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import Aggregate, FloatField, Func

T = TypeVar("T")


def violated_constraint(error: IntegrityError) -> str | None:
    """The name of the constraint PostgreSQL reported, if any (psycopg's diagnostics)."""
    diag = getattr(error.__cause__, "diag", None)
    return getattr(diag, "constraint_name", None)


#: PostgreSQL's SQLSTATE for a deadlock it broke by failing one transaction.
DEADLOCK_DETECTED = "40P01"


def in_savepoint(write: Callable[[], T], *, attempts: int = 5) -> T:
    """Run ``write`` in a savepoint, again when PostgreSQL broke a deadlock by failing it.

    Two transactions inserting conflicting rows at the same moment can each
    wait for the other while PostgreSQL checks an exclusion constraint; it then
    fails one of them. Rolling back that one's savepoint lets the other go on,
    and the retry meets its row once it commits (a clean violation) or finds the
    way free. Constraint violations (IntegrityError) are raised at once.
    """
    for attempt in range(1, attempts + 1):
        try:
            with transaction.atomic():
                return write()
        except OperationalError as error:
            deadlock = getattr(error.__cause__, "sqlstate", None) == DEADLOCK_DETECTED
            if not deadlock or attempt == attempts:
                raise
    raise AssertionError("unreachable")  # the loop returns or raises


#: PostgreSQL's SQLSTATE when a lock was not granted within ``lock_timeout``.
LOCK_NOT_AVAILABLE = "55P03"


class ResourceBusyError(Exception):
    """A lock on a resource was not granted in time: many people want it at once."""


def lock_resources(kind: str, ids: Iterable[int], *, timeout_ms: int = 5000) -> None:
    """Serialise the writers of the same resources until the transaction ends.

    A transaction-level advisory lock per resource (``kind`` names the kind of
    resource, e.g. "coworking.room"), taken in sorted order so two writers
    never wait for each other crosswise (pretix locks its quotas the same
    way). Competing bookings of one room then queue instead of deadlocking on
    the exclusion constraint; bookings of other rooms do not wait at all.
    Raises ``ResourceBusyError`` when the lock is not granted within ``timeout_ms``.
    """
    keys = sorted(set(ids))
    if not keys:
        return
    if not connection.in_atomic_block:
        with transaction.atomic():  # a transaction, not a savepoint: one round trip below
            lock_resources(kind, keys, timeout_ms=timeout_ms)
        return
    # One round trip: the savepoint (so that a refusal leaves the caller's
    # transaction usable), the timeout, the locks in order, then both undone.
    # psycopg's client-side binding (Django's default) sends it as one query.
    locks = "".join("SELECT pg_advisory_xact_lock(hashtext(%s), %s); " for _ in keys)
    with connection.cursor() as cursor:
        try:
            cursor.execute(
                f"SAVEPOINT {_LOCK_SAVEPOINT}; SELECT set_config('lock_timeout', %s, true); "
                f"{locks}SELECT set_config('lock_timeout', '0', true); "
                f"RELEASE SAVEPOINT {_LOCK_SAVEPOINT}",
                [f"{timeout_ms}ms", *(value for key in keys for value in (kind, key))],
            )
        except OperationalError as error:
            cursor.execute(
                f"ROLLBACK TO SAVEPOINT {_LOCK_SAVEPOINT}; RELEASE SAVEPOINT {_LOCK_SAVEPOINT}"
            )
            if getattr(error.__cause__, "sqlstate", None) == LOCK_NOT_AVAILABLE:
                raise ResourceBusyError(kind) from error
            raise


_LOCK_SAVEPOINT = "technopark_lock_resources"


class Median(Aggregate):
    """PostgreSQL's ``percentile_cont(0.5)``: the median of a numeric expression, or NULL.

    Medians are computed by the database, never by loading rows into Python;
    ``filter=`` works as for Django's own aggregates (``FILTER (WHERE ...)``).
    """

    function = "percentile_cont"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()
    allow_distinct = False


class Epoch(Func):
    """The seconds in an interval (``EXTRACT(EPOCH FROM ...)``), as a float."""

    template = "EXTRACT(EPOCH FROM %(expressions)s)"
    output_field = FloatField()
