"""What the coworking services share: who acts where, and constraint violations."""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, models

from technopark import access


def staff_at(user, site_id: int, perm: str) -> bool:
    """Whether ``user`` is staff at the site: a role there granting ``perm``, or superuser."""
    return access.sees_everything(user, perm) or site_id in access.site_ids(user, perm)


def require_in_scope(user, perm: str, obj: models.Model) -> None:
    """Refuse unless the gate lets ``user`` hold ``perm`` on ``obj`` (roles or ownership)."""
    rows = access.scope(type(obj)._default_manager.filter(pk=obj.pk), user, perm)
    if not rows.exists():
        raise PermissionDenied


def violated_constraint(exc: IntegrityError) -> str | None:
    """The name of the constraint PostgreSQL reported, if any."""
    diag = getattr(exc.__cause__, "diag", None)
    return getattr(diag, "constraint_name", None)
