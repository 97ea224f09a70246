"""What the coworking services share: rows locked through the gate, inserts that may collide."""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import Model, QuerySet

from technopark import access
from technopark.db import violated_constraint


def locked_in_scope(
    queryset: QuerySet, actor, perm: str, obj: Model, *, via: str = access.VIA_ANY
) -> Model:
    """``obj`` re-read from ``queryset`` and locked until commit, if ``actor`` holds ``perm`` on it.

    One query: the gate's own rule (``access.scope``: staff of the row's site,
    the row's company, or its owner) and the row lock together, so the checks
    that follow read the row as it stays until the change commits. A row out
    of scope is ``PermissionDenied`` (views fetch through the gate first, so
    people see 404). Only this row is locked, not the rows joined to it.

    (``access.allows`` would answer the same question for staff and tenants,
    but refuses a row's owner who holds no role: a nomad member and their own
    pass. Hence the gate's ``scope`` here.)
    """
    rows = access.scope(queryset.select_for_update(of=("self",)), actor, perm, via=via)
    try:
        return rows.get(pk=obj.pk)
    except queryset.model.DoesNotExist:
        raise PermissionDenied from None


#: PostgreSQL's SQLSTATE for a deadlock it broke by failing one transaction.
DEADLOCK_DETECTED = "40P01"
_ATTEMPTS = 5


def insert(obj: Model, *, refused_by: tuple[str, ...]) -> str | None:
    """Insert ``obj`` in a savepoint: None, or which of ``refused_by`` PostgreSQL refused it with.

    Another constraint's violation is raised as is. Two transactions inserting
    conflicting rows at the same moment can each wait for the other while
    PostgreSQL checks an exclusion constraint; it then fails one of them with
    a deadlock. That one's savepoint is rolled back and the insert tried again:
    the other no longer waits for it, so the retry meets the other's row once
    it commits (a clean violation) or finds the way free.
    """
    attempts = 0
    while True:
        try:
            with transaction.atomic():
                obj.save(force_insert=True)
            return None
        except IntegrityError as exc:
            obj.pk = None
            name = violated_constraint(exc)
            if name not in refused_by:
                raise
            return name
        except OperationalError as exc:
            obj.pk = None
            attempts += 1
            deadlock = getattr(exc.__cause__, "sqlstate", None) == DEADLOCK_DETECTED
            if not deadlock or attempts == _ATTEMPTS:
                raise
