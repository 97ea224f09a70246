"""Writes PostgreSQL may refuse: which constraint it named, and deadlocks retried."""

from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from django.db import DatabaseError, IntegrityError, OperationalError, connection, transaction
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


def lock_resources(
    kind: str,
    ids: Iterable[int],
    *,
    timeout_ms: int = 5000,
    then: Sequence[tuple[str, Sequence[object]]] = (),
) -> list[list[tuple]]:
    """Serialise the writers of the same resources until the transaction ends.

    A transaction-level advisory lock per resource (``kind`` names the kind of
    resource, e.g. "coworking.room"), taken in sorted order so two writers
    never wait for each other crosswise (pretix locks its quotas the same
    way). Competing bookings of one room then queue instead of deadlocking on
    the exclusion constraint; bookings of other rooms do not wait at all.
    Raises ``ResourceBusyError`` when a lock is not granted within ``timeout_ms``.

    ``then`` are statements ``(sql, params)`` to run once the locks are held, in
    the same round trip and under the same timeout (e.g. a row lock, then a
    read that must see what committed before it: each statement takes its own
    snapshot); their rows are returned, one list per statement.
    """
    keys = sorted(set(ids))
    if not keys and not then:
        return []
    if not connection.in_atomic_block:
        with transaction.atomic():  # a transaction, not a savepoint: one round trip below
            return lock_resources(kind, keys, timeout_ms=timeout_ms, then=then)
    # One round trip: the savepoint (so that a refusal leaves the caller's
    # transaction usable), the timeout, the locks in order, the statements
    # that follow, then the timeout and the savepoint undone. psycopg's
    # client-side binding (Django's default) sends it as one query, and each
    # statement's rows are read from its own result.
    locks = "".join("SELECT pg_advisory_xact_lock(hashtext(%s), %s); " for _ in keys)
    following = "".join(f"{statement}; " for statement, _ in then)
    params: list[Any] = [
        f"{timeout_ms}ms",
        *(value for key in keys for value in (kind, key)),
        *(value for _, values in then for value in values),
    ]
    with connection.cursor() as cursor:
        try:
            cursor.execute(
                f"SAVEPOINT {_LOCK_SAVEPOINT}; SELECT set_config('lock_timeout', %s, true); "
                f"{locks}{following}SELECT set_config('lock_timeout', '0', true); "
                f"RELEASE SAVEPOINT {_LOCK_SAVEPOINT}",
                params,
            )
            # The results: the savepoint's, the timeout's, one per lock, then ours.
            for _ in range(2 + len(keys)):
                cursor.nextset()
            rows = []
            for _ in then:
                rows.append(cursor.fetchall())
                cursor.nextset()
            return rows
        except DatabaseError as error:
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
