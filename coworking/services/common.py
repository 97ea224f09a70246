"""What the coworking services share: rows locked through the gate, inserts that may collide."""

from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.db.models import Model, QuerySet

from technopark import access
from technopark.db import in_savepoint, violated_constraint

M = TypeVar("M", bound=Model)


def locked_in_scope(
    queryset: QuerySet[M], actor, perm: str, obj: M, *, via: str = access.VIA_ANY
) -> M:
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
    except queryset.model.DoesNotExist:  # type: ignore[attr-defined]
        raise PermissionDenied from None


def insert(obj: Model, *, refused_by: tuple[str, ...], savepoint: bool = True) -> str | None:
    """Insert ``obj`` in a savepoint: None, or which of ``refused_by`` PostgreSQL refused it with.

    Another constraint's violation is raised as is; a deadlock on the
    exclusion constraints is retried (``technopark.db.in_savepoint``).
    Without a ``savepoint`` (two statements fewer), a refusal leaves the
    transaction unusable: for a caller whose atomic block raises at once, and
    rolls back, when the insert is refused.
    """
    try:
        if savepoint:
            in_savepoint(lambda: obj.save(force_insert=True))
        else:
            obj.save(force_insert=True)
        return None
    except IntegrityError as exc:
        obj.pk = None
        name = violated_constraint(exc)
        if name not in refused_by:
            raise
        return name
