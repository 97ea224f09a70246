"""The one access gate: who may see and change which rows.

This module is the gate's *mechanism*; each app declares its own *policy* next
to its models, in ``<app>/access.py``, imported by its ``AppConfig.ready()``:

* *Which kinds of things* a person may do is a Django permission
  (``sites.change_space``). Roles grant permissions in code
  (``declare(roles=...)``); ``technopark.auth_backends.RoleBackend`` exposes
  them to ``user.has_perm``.
* *Which rows* is the scope. Every model holding site or tenant data declares
  how its rows reach a site, a company or an owner (``declare(scopes=...)``).
  :func:`scope` filters a queryset to the rows where the person holds a role
  that grants the permission: site staff their sites, tenant users their
  company, network managers every site (read-only), superusers everything.
* *Who holds which role where* comes from the apps too: ``declare_roles``
  registers how to read a person's staff roles (by site) and company roles
  (by company).

Views, forms, selectors and the admin all go through :func:`scope` (or
:func:`get_object_or_404`). A row out of scope does not exist for that person:
404, never 403. A model of a declared app without a scope is a start-up error
(the ``technopark.E001`` system check), not an open door. This module imports
no app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404 as _get_object_or_404

# --- Roles and what they may do ------------------------------------------------


def perms(model: str, *actions: str) -> set[str]:
    """``perms("sites.space", "view", "add")`` -> {"sites.view_space", "sites.add_space"}."""
    app_label, model_name = model.split(".")
    return {f"{app_label}.{action}_{model_name}" for action in actions}


ALL = ("view", "add", "change", "delete")

#: Permissions each role grants at the site or company where it is held (the
#: union of what every app declared for it).
ROLE_PERMISSIONS: dict[str, frozenset[str]] = {}

#: Apps whose every model has a scope and may be read by network managers.
NETWORK_APPS: set[str] = set()


# --- How rows reach a site, a company or an owner --------------------------------


@dataclass(frozen=True)
class Scope:
    """Lookup paths from a model to what grants access to its rows.

    ``site``: path to the site's id (``"id"`` for Site itself, ``"space__site"``).
    ``also_sites``: more paths to sites through to-many relations (a company
    is also the business of the sites where it rents offices); matched with a
    subquery so rows are never repeated. ``company``: path to the company's id.
    ``owner``: path to a user who owns the row. ``public``: the rows anybody
    may read on the public pages.
    """

    site: str | None = None
    company: str | None = None
    owner: str | None = None
    public: Q | None = None
    also_sites: tuple[str, ...] = ()


#: How each model's rows reach a site, a company or an owner, by model label.
SCOPES: dict[str, Scope] = {}

#: What a person may do with the rows they own (their account, their passes).
OWNER_PERMISSIONS: dict[str, frozenset[str]] = {}

#: How a person's roles are read: "site" -> {site id: role}, "company" -> {company id: role}.
_ROLE_SOURCES: dict[str, Callable[[Any], Any]] = {}


def declare(
    app_label: str,
    *,
    scopes: dict[str, Scope] | None = None,
    roles: dict[str, set[str] | frozenset[str]] | None = None,
    owner: dict[str, set[str] | frozenset[str]] | None = None,
) -> None:
    """An app's policy: the scopes of its models, what its roles grant, what owners may do.

    Called once per app from its ``access`` module. ``roles`` maps a role (a
    staff or company role's value) to permissions, possibly on other apps'
    models (coworking says what a site manager may do with bookings). Every
    model of ``app_label`` must then have a scope.
    """
    NETWORK_APPS.add(app_label)
    for label, spec in (scopes or {}).items():
        if label in SCOPES:
            raise ImproperlyConfigured(f"{label} has two scopes.")
        SCOPES[label] = spec
    for role, granted in (roles or {}).items():
        ROLE_PERMISSIONS[str(role)] = ROLE_PERMISSIONS.get(str(role), frozenset()) | frozenset(
            granted
        )
    for label, granted in (owner or {}).items():
        OWNER_PERMISSIONS[label] = OWNER_PERMISSIONS.get(label, frozenset()) | frozenset(granted)


def declare_roles(kind: str, read) -> None:
    """How to read a person's roles: ``read(user) -> {site or company id: role}``.

    ``kind`` is ``"site"`` (staff roles, from the sites app) or ``"company"``
    (memberships, from the tenants app).
    """
    if kind not in ("site", "company"):
        raise ImproperlyConfigured(f"Unknown kind of role {kind!r}.")
    _ROLE_SOURCES[kind] = read


def roles_with(perm: str) -> list[str]:
    """The roles that grant ``perm`` (for "who at this site may decide" queries)."""
    return [role for role, granted in ROLE_PERMISSIONS.items() if perm in granted]


def _granted(role: str) -> frozenset[str]:
    return ROLE_PERMISSIONS.get(role, frozenset())


def scope_of(model: type[Model]) -> Scope:
    try:
        return SCOPES[model._meta.label_lower]
    except KeyError:
        raise ImproperlyConfigured(
            f"{model._meta.label} has no scope: declare it in {model._meta.app_label}/access.py."
        ) from None


# --- What a person holds -------------------------------------------------------------


class _Grants:
    """A person's roles, read once per request (two small queries, on demand)."""

    def __init__(self, user):
        self.user = user
        self._site_roles: dict[int, str] | None = None
        self._company_roles: dict[int, str] | None = None

    @property
    def site_roles(self) -> dict[int, str]:
        if self._site_roles is None:
            read = _ROLE_SOURCES.get("site")
            self._site_roles = dict(read(self.user)) if read else {}
        return self._site_roles

    @property
    def company_roles(self) -> dict[int, str]:
        if self._company_roles is None:
            read = _ROLE_SOURCES.get("company")
            self._company_roles = dict(read(self.user)) if read else {}
        return self._company_roles


def _grants(user) -> _Grants:
    grants = getattr(user, "_access_grants", None)
    if grants is None:
        grants = _Grants(user)
        user._access_grants = grants
    return grants


def fingerprint(user) -> tuple:
    """Everything the gate decides from for ``user`` (flags and roles, as read for this
    request): a value computed for ``user`` and kept for later requests carries it in its
    key, so a role or flag that changed since makes a new key."""
    if not _active(user):
        return (getattr(user, "pk", None), False)
    grants = _grants(user)
    return (
        user.pk,
        True,
        user.is_superuser,
        user.is_network_manager,
        tuple(sorted(grants.site_roles.items())),
        tuple(sorted(grants.company_roles.items())),
    )


def forget(user) -> None:
    """Drop the cached roles, after a role of ``user`` changed."""
    for cached in ("_access_grants", "_role_perm_cache", "_perm_cache", "is_staff"):
        user.__dict__.pop(cached, None)


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def _network_permission(perm: str) -> bool:
    app_label, _, codename = perm.partition(".")
    return app_label in NETWORK_APPS and codename.startswith("view_")


def role_permissions(user) -> set[str]:
    """Every permission ``user`` holds through a role, at any site or company."""
    if not _active(user):
        return set()
    grants = _grants(user)
    perms: set[str] = set()
    for role in {*grants.site_roles.values(), *grants.company_roles.values()}:
        perms |= _granted(role)
    if user.is_network_manager:
        perms |= {
            f"{model._meta.app_label}.view_{model._meta.model_name}"
            for model in apps.get_models()
            if model._meta.app_label in NETWORK_APPS
        }
    return perms


def site_ids(user, perm: str) -> set[int]:
    """The sites where ``user`` holds a staff role granting ``perm``."""
    if not _active(user):
        return set()
    return {site_id for site_id, role in _grants(user).site_roles.items() if perm in _granted(role)}


def company_ids(user, perm: str) -> set[int]:
    """The companies where ``user`` holds a role granting ``perm``."""
    if not _active(user):
        return set()
    return {
        company_id
        for company_id, role in _grants(user).company_roles.items()
        if perm in _granted(role)
    }


def sees_everything(user, perm: str) -> bool:
    """Superusers may do anything; network managers may read anything."""
    if not _active(user):
        return False
    return user.is_superuser or (user.is_network_manager and _network_permission(perm))


# --- The gate -------------------------------------------------------------------------


def default_permission(model: type[Model], action: str = "view") -> str:
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


VIA_ANY, VIA_SITE = "any", "site"


def scope(queryset: QuerySet, user, perm: str | None = None, *, via: str = VIA_ANY) -> QuerySet:
    """The rows of ``queryset`` on which ``user`` holds ``perm`` (default: view).

    ``perm`` may belong to another model: a form choosing the site of a new
    space scopes ``Site`` rows with ``sites.add_space``. ``via="site"`` counts
    only staff roles (for staff pages: a tenant's right on its own booking does
    not open the front desk's check-in).
    """
    model = queryset.model
    spec = scope_of(model)
    perm = perm or default_permission(model)
    if sees_everything(user, perm):
        return queryset
    if not _active(user):
        return queryset.none()
    condition = Q(pk__in=[])
    if spec.site:
        sites = site_ids(user, perm)
        condition |= Q(**{f"{spec.site}__in": sites})
        for path in spec.also_sites:
            reached = model._default_manager.filter(**{f"{path}__in": sites}).values("pk")
            condition |= Q(pk__in=reached)
    if via == VIA_SITE:
        return queryset.filter(condition)
    if spec.company:
        condition |= Q(**{f"{spec.company}__in": company_ids(user, perm)})
    if spec.owner and perm in OWNER_PERMISSIONS.get(model._meta.label_lower, ()):
        condition |= Q(**{spec.owner: user.pk})
    return queryset.filter(condition)


def public(queryset: QuerySet) -> QuerySet:
    """The rows of ``queryset`` that the public pages may show."""
    spec = scope_of(queryset.model)
    if spec.public is None:
        return queryset.none()
    return queryset.filter(spec.public)


def get_object_or_404(
    queryset: QuerySet, user, perm: str | None = None, *, via: str = VIA_ANY, **lookup
):
    """One row in ``user``'s scope, or 404 whether it is missing or out of scope."""
    return _get_object_or_404(scope(queryset, user, perm, via=via), **lookup)


def allows(user, perm: str, obj: Model, *, via: str = VIA_ANY) -> bool:
    """Whether ``user`` holds ``perm`` on this row (one query, the scope's own rule)."""
    if sees_everything(user, perm):
        return True
    if via == VIA_SITE:
        may = has_staff_perm(user, perm)
    else:
        owned = perm in OWNER_PERMISSIONS.get(type(obj)._meta.label_lower, ())
        may = owned or user.has_perm(perm)
    if not may:
        return False
    if _granted_on_itself(user, perm, obj, via=via):
        return True
    return scope(type(obj)._default_manager.filter(pk=obj.pk), user, perm, via=via).exists()


def _granted_on_itself(user, perm: str, obj: Model, *, via: str) -> bool:
    """Whether a role on the row itself grants ``perm``: a company's own role for a company,
    a site's staff role for a site. The scope's rule, decided without a query: the row's id
    is what the role names (no field of the object that a form could have changed)."""
    spec = scope_of(type(obj))
    if obj.pk is None:
        return False
    if spec.site in ("id", "pk") and obj.pk in site_ids(user, perm):
        return True
    return via != VIA_SITE and spec.company in ("id", "pk") and obj.pk in company_ids(user, perm)


def has_staff_perm(user, perm: str) -> bool:
    """Whether a staff role somewhere (or superuser / network reading) grants ``perm``.

    The staff admin asks this rather than ``user.has_perm``: a company admin's
    right on its own company must not open the admin's forms.
    """
    if sees_everything(user, perm):
        return True
    if not _active(user):
        return False
    return any(perm in _granted(role) for role in _grants(user).site_roles.values())


def at_site(user, perm: str, site) -> bool:
    """Whether ``user`` holds ``perm`` at ``site`` (a Site or its id) through a staff role."""
    site_id = getattr(site, "pk", site)
    return sees_everything(user, perm) or site_id in site_ids(user, perm)


def staff_with(perm: str, site) -> QuerySet:
    """The active people whose staff role at ``site`` grants ``perm`` (e.g. its agents)."""
    roles = roles_with(perm)
    return (
        apps.get_model("technopark", "User")
        .objects.filter(
            is_active=True,
            staff_assignments__site=getattr(site, "pk", site),
            staff_assignments__role__in=roles,
        )
        .distinct()
    )


# --- Areas: the network dashboard, the portal, the admin ------------------------------


def is_staff(user) -> bool:
    """Who may enter the staff admin: superusers, network managers, site staff."""
    if not _active(user):
        return False
    return user.is_superuser or user.is_network_manager or bool(_grants(user).site_roles)


def is_network_manager(user) -> bool:
    return _active(user) and (user.is_superuser or user.is_network_manager)


def is_tenant(user) -> bool:
    return _active(user) and bool(_grants(user).company_roles)


def require(allowed: bool) -> None:
    """Refuse an area as if it did not exist."""
    if not allowed:
        raise Http404


# --- The floor's own rows ---------------------------------------------------------------

declare(
    "technopark",
    scopes={"technopark.user": Scope(owner="id")},
    owner={"technopark.user": {"technopark.view_user"}},
)
