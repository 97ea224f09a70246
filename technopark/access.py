"""The one access gate: who may see and change which rows.

Two questions, answered separately:

* *Which kinds of things* a person may do is a Django permission
  (``sites.change_space``). Roles grant permissions in code (``ROLE_PERMISSIONS``);
  ``technopark.auth_backends.RoleBackend`` exposes them to ``user.has_perm``.
* *Which rows* is the scope. Every model holding site or tenant data has an
  entry in ``SCOPES`` saying how its rows reach a site, a company or an owner.
  :func:`scope` filters a queryset to the rows where the person holds a role
  that grants the permission: site staff their sites, tenant users their
  company, network managers every site (read-only), superusers everything.

Views, forms, selectors and the admin all go through :func:`scope` (or
:func:`get_object_or_404`). A row out of scope does not exist for that person:
404, never 403. A model missing from ``SCOPES`` is a configuration error, not
an open door.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404 as _get_object_or_404

from sites.models import StaffRole
from tenants.models import CompanyRole

# --- Roles and what they may do ------------------------------------------------
# Each area of the product lists what each role may do with its models; a
# role's permissions are the union over areas. Edit only your area's block.

SITE_MANAGER = StaffRole.SITE_MANAGER
FRONT_DESK = StaffRole.FRONT_DESK
AGENT = StaffRole.ONE_STOP_SHOP_AGENT
COMPANY_ADMIN = CompanyRole.ADMIN
MEMBER = CompanyRole.MEMBER
ROLES = (SITE_MANAGER, FRONT_DESK, AGENT, COMPANY_ADMIN, MEMBER)


def perms(model: str, *actions: str) -> set[str]:
    """``perms("sites.space", "view", "add")`` -> {"sites.view_space", "sites.add_space"}."""
    app_label, model_name = model.split(".")
    return {f"{app_label}.{action}_{model_name}" for action in actions}


ALL = ("view", "add", "change", "delete")

SITES_AREA = {
    SITE_MANAGER: perms("sites.site", "view", "change")
    | perms("sites.space", *ALL)
    | perms("sites.staffassignment", "view")
    | perms("sites.closure", *ALL),
    FRONT_DESK: perms("sites.site", "view")
    | perms("sites.space", "view")
    | perms("sites.staffassignment", "view")
    | perms("sites.closure", "view"),
    AGENT: perms("sites.site", "view")
    | perms("sites.space", "view")
    | perms("sites.staffassignment", "view")
    | perms("sites.closure", "view"),
}

COMPANIES_AREA = {
    SITE_MANAGER: perms("tenants.company", "view", "add", "change")
    | perms("tenants.membership", "view")
    | perms("tenants.invitation", "view"),
    FRONT_DESK: perms("tenants.company", "view") | perms("tenants.membership", "view"),
    AGENT: perms("tenants.company", "view") | perms("tenants.membership", "view"),
    COMPANY_ADMIN: perms("tenants.company", "view", "change")
    | perms("tenants.membership", "view", "change", "delete")
    | perms("tenants.invitation", "view", "add", "delete")
    | {"tenants.manage_team"},
    MEMBER: perms("tenants.company", "view") | perms("tenants.membership", "view"),
}

OFFICES_AREA = {
    SITE_MANAGER: perms("tenants.officeapplication", "view", "change")
    | perms("tenants.applicationdocument", "view")
    | perms("tenants.residency", "view", "add", "change")
    | perms("tenants.residencyoffice", "view")
    | perms("tenants.attestation", "view", "add", "change"),
    FRONT_DESK: perms("tenants.residency", "view") | perms("tenants.residencyoffice", "view"),
    AGENT: perms("tenants.residency", "view")
    | perms("tenants.residencyoffice", "view")
    | perms("tenants.attestation", "view", "add"),
    COMPANY_ADMIN: perms("tenants.officeapplication", "view", "add", "change")
    | perms("tenants.applicationdocument", "view", "add")
    | perms("tenants.residency", "view")
    | perms("tenants.residencyoffice", "view")
    | perms("tenants.attestation", "view", "add"),
    MEMBER: perms("tenants.officeapplication", "view")
    | perms("tenants.applicationdocument", "view")
    | perms("tenants.residency", "view")
    | perms("tenants.residencyoffice", "view")
    | perms("tenants.attestation", "view"),
}

ONE_STOP_SHOP_AREA = {
    SITE_MANAGER: perms("tenants.service", *ALL)
    | perms("tenants.servicerequest", "view", "change")
    | perms("tenants.requestevent", "view")
    | perms("tenants.requestmessage", "view", "add")
    | perms("tenants.requestattachment", "view", "add")
    | perms("tenants.appointmentslot", *ALL)
    | perms("tenants.appointmentbooking", "view", "change"),
    FRONT_DESK: perms("tenants.service", "view")
    | perms("tenants.servicerequest", "view")
    | perms("tenants.appointmentslot", "view")
    | perms("tenants.appointmentbooking", "view"),
    AGENT: perms("tenants.service", "view", "add", "change")
    | perms("tenants.servicerequest", "view", "change")
    | perms("tenants.requestevent", "view")
    | perms("tenants.requestmessage", "view", "add")
    | perms("tenants.requestattachment", "view", "add")
    | perms("tenants.appointmentslot", *ALL)
    | perms("tenants.appointmentbooking", "view", "change"),
    COMPANY_ADMIN: perms("tenants.servicerequest", "view", "add", "change")
    | perms("tenants.requestevent", "view")
    | perms("tenants.requestmessage", "view", "add")
    | perms("tenants.requestattachment", "view", "add")
    | perms("tenants.appointmentbooking", "view", "add", "change"),
    MEMBER: perms("tenants.servicerequest", "view", "add", "change")
    | perms("tenants.requestevent", "view")
    | perms("tenants.requestmessage", "view", "add")
    | perms("tenants.requestattachment", "view", "add")
    | perms("tenants.appointmentbooking", "view", "add", "change"),
}

KPI_AREA = {
    SITE_MANAGER: perms("tenants.kpireport", "view"),
    FRONT_DESK: set(),
    AGENT: set(),
    COMPANY_ADMIN: perms("tenants.kpireport", "view", "add", "change"),
    MEMBER: perms("tenants.kpireport", "view"),
}

_COWORKING_RULES = ("coworking.desk", "coworking.roomrules", "coworking.openinghours")
_COWORKING_DAILY = (
    "coworking.nomadprofile",
    "coworking.pass",
    "coworking.deskreservation",
    "coworking.deskcheckin",
    "coworking.roombooking",
)

COWORKING_AREA: dict[str, set[str]] = {
    # Site staff run the site's desks and rooms: rules, prices, allowances, approvals.
    SITE_MANAGER: set().union(*(perms(m, *ALL) for m in _COWORKING_RULES))
    | perms("coworking.passprice", *ALL)
    | perms("coworking.allowance", *ALL)
    | set().union(*(perms(m, "view", "add", "change") for m in _COWORKING_DAILY)),
    FRONT_DESK: set().union(*(perms(m, "view") for m in _COWORKING_RULES))
    | perms("coworking.passprice", "view")
    | perms("coworking.allowance", "view")
    | set().union(*(perms(m, "view", "add", "change") for m in _COWORKING_DAILY)),
    AGENT: perms("coworking.roombooking", "view") | perms("coworking.desk", "view"),
    # A company admin books and cancels for the company; a member books, and
    # cancels their own bookings through OWNER_PERMISSIONS.
    COMPANY_ADMIN: perms("coworking.roombooking", "view", "add", "change")
    | perms("coworking.pass", "view", "add", "change")
    | perms("coworking.deskreservation", "view", "add", "change")
    | perms("coworking.allowance", "view"),
    MEMBER: perms("coworking.roombooking", "view", "add")
    | perms("coworking.pass", "view", "add")
    | perms("coworking.deskreservation", "view", "add")
    | perms("coworking.allowance", "view"),
}

EVENTS_AREA: dict[str, set[str]] = {}

AREAS = (
    SITES_AREA,
    COMPANIES_AREA,
    OFFICES_AREA,
    ONE_STOP_SHOP_AREA,
    KPI_AREA,
    COWORKING_AREA,
    EVENTS_AREA,
)

#: Permissions each role grants at the site or company where it is held.
ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    role: frozenset().union(*(area.get(role, set()) for area in AREAS)) for role in ROLES
}

#: Apps whose every model a network manager may read.
NETWORK_APPS = ("technopark", "sites", "tenants", "coworking", "events")


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


SCOPES: dict[str, Scope] = {
    # network and sites
    "technopark.user": Scope(owner="id"),
    "sites.site": Scope(site="id", public=Q()),
    "sites.space": Scope(site="site", public=Q()),
    "sites.staffassignment": Scope(site="site"),
    "sites.closure": Scope(site="site", public=Q()),
    # tenants: companies and teams
    "tenants.company": Scope(
        site="home_site",
        also_sites=("residencies__site",),
        company="id",
        public=Q(public_profile=True, status__in=["resident", "alumni"]),
    ),
    "tenants.membership": Scope(
        site="company__home_site",
        also_sites=("company__residencies__site",),
        company="company",
    ),
    "tenants.invitation": Scope(site="company__home_site", company="company"),
    # tenants: offices
    "tenants.officeapplication": Scope(site="site", company="company"),
    "tenants.applicationdocument": Scope(site="application__site", company="application__company"),
    "tenants.rentrate": Scope(public=Q()),  # the tariff is public (press, brochures)
    "tenants.residency": Scope(site="site", company="company"),
    "tenants.residencyoffice": Scope(site="residency__site", company="residency__company"),
    "tenants.attestation": Scope(site="residency__site", company="company"),
    # tenants: one-stop shop
    "tenants.service": Scope(site="site", public=Q(active=True)),
    "tenants.servicerequest": Scope(site="service__site", company="company"),
    "tenants.requestevent": Scope(site="request__service__site", company="request__company"),
    "tenants.requestmessage": Scope(site="request__service__site", company="request__company"),
    "tenants.requestattachment": Scope(site="request__service__site", company="request__company"),
    "tenants.appointmentslot": Scope(site="site", public=Q()),
    "tenants.appointmentbooking": Scope(site="slot__site", company="company"),
    # tenants: KPI reports
    "tenants.kpireport": Scope(
        site="company__home_site",
        also_sites=("company__residencies__site",),
        company="company",
    ),
    # coworking
    "coworking.desk": Scope(site="space__site", public=Q(active=True)),
    "coworking.passprice": Scope(site="site", public=Q()),
    "coworking.nomadprofile": Scope(site="site", owner="user"),
    "coworking.pass": Scope(site="site", company="company", owner="holder"),
    "coworking.deskreservation": Scope(site="desk__space__site", company="company", owner="holder"),
    "coworking.deskcheckin": Scope(
        site="reservation__desk__space__site",
        company="reservation__company",
        owner="reservation__holder",
    ),
    "coworking.roomrules": Scope(site="space__site", public=Q()),
    "coworking.openinghours": Scope(site="rules__space__site", public=Q()),
    "coworking.allowance": Scope(site="site", company="company"),
    # The public calendar shows active bookings, without who booked them.
    "coworking.roombooking": Scope(
        site="space__site",
        company="company",
        owner="holder",
        public=Q(status__in=["pending", "confirmed"]),
    ),
    "coworking.calendarfeed": Scope(owner="user"),
    # events
}


#: What a person may do with the rows they own (their own account, later their passes).
OWNER_PERMISSIONS: dict[str, frozenset[str]] = {
    "technopark.user": frozenset({"technopark.view_user"}),
    # Nomads have no company: their profile, passes and bookings are theirs.
    "coworking.nomadprofile": frozenset({"coworking.view_nomadprofile"}),
    "coworking.pass": frozenset({"coworking.view_pass", "coworking.change_pass"}),
    "coworking.deskreservation": frozenset(
        {"coworking.view_deskreservation", "coworking.change_deskreservation"}
    ),
    "coworking.deskcheckin": frozenset({"coworking.view_deskcheckin"}),
    "coworking.roombooking": frozenset(
        {"coworking.view_roombooking", "coworking.change_roombooking"}
    ),
    "coworking.calendarfeed": frozenset(
        {"coworking.view_calendarfeed", "coworking.change_calendarfeed"}
    ),
}


def scope_of(model: type[Model]) -> Scope:
    try:
        return SCOPES[model._meta.label_lower]
    except KeyError:
        raise ImproperlyConfigured(
            f"{model._meta.label} has no entry in technopark.access.SCOPES."
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
            self._site_roles = dict(
                apps.get_model("sites", "StaffAssignment")
                .objects.filter(user=self.user)
                .values_list("site_id", "role")
            )
        return self._site_roles

    @property
    def company_roles(self) -> dict[int, str]:
        if self._company_roles is None:
            self._company_roles = dict(
                apps.get_model("tenants", "Membership")
                .objects.filter(user=self.user)
                .values_list("company_id", "role")
            )
        return self._company_roles


def _grants(user) -> _Grants:
    grants = getattr(user, "_access_grants", None)
    if grants is None:
        grants = _Grants(user)
        user._access_grants = grants
    return grants


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
        perms |= ROLE_PERMISSIONS[role]
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
    return {
        site_id
        for site_id, role in _grants(user).site_roles.items()
        if perm in ROLE_PERMISSIONS[role]
    }


def company_ids(user, perm: str) -> set[int]:
    """The companies where ``user`` holds a role granting ``perm``."""
    if not _active(user):
        return set()
    return {
        company_id
        for company_id, role in _grants(user).company_roles.items()
        if perm in ROLE_PERMISSIONS[role]
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
    return scope(type(obj)._default_manager.filter(pk=obj.pk), user, perm, via=via).exists()


def has_staff_perm(user, perm: str) -> bool:
    """Whether a staff role somewhere (or superuser / network reading) grants ``perm``.

    The staff admin asks this rather than ``user.has_perm``: a company admin's
    right on its own company must not open the admin's forms.
    """
    if sees_everything(user, perm):
        return True
    if not _active(user):
        return False
    return any(perm in ROLE_PERMISSIONS[role] for role in _grants(user).site_roles.values())


def at_site(user, perm: str, site) -> bool:
    """Whether ``user`` holds ``perm`` at ``site`` (a Site or its id) through a staff role."""
    site_id = getattr(site, "pk", site)
    return sees_everything(user, perm) or site_id in site_ids(user, perm)


def staff_with(perm: str, site) -> QuerySet:
    """The active people whose staff role at ``site`` grants ``perm`` (e.g. its agents)."""
    roles = [role for role, granted in ROLE_PERMISSIONS.items() if perm in granted]
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
