"""Writes PostgreSQL may refuse: which constraint it named, and deadlocks retried."""

from collections.abc import Callable
from typing import TypeVar

from django.db import IntegrityError, OperationalError, transaction

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
