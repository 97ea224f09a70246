"""The tenants app's access policy: companies and teams, offices, the one-stop shop, KPIs.

Registered with the gate (``technopark.access``) by ``TenantsConfig.ready()``.
"""

from django.db.models import Q

from sites.access import AGENT, FRONT_DESK, SITE_MANAGER
from technopark import access
from technopark.access import ALL, Scope, perms
from tenants.models import CompanyRole, CompanyStatus, Membership

COMPANY_ADMIN = CompanyRole.ADMIN
MEMBER = CompanyRole.MEMBER

#: Companies the public directory may list (when they chose to be listed).
LISTED_STATUSES = (CompanyStatus.RESIDENT, CompanyStatus.ALUMNI)


def _company_roles(user) -> dict[int, str]:
    return dict(Membership.objects.filter(user=user).order_by().values_list("company_id", "role"))


COMPANIES = {
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

OFFICES = {
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

_REQUESTS_THREAD = (
    perms("tenants.requestevent", "view")
    | perms("tenants.requestmessage", "view", "add")
    | perms("tenants.requestattachment", "view", "add")
)

ONE_STOP_SHOP = {
    SITE_MANAGER: perms("tenants.service", *ALL)
    | perms("tenants.servicerequest", "view", "change")
    | _REQUESTS_THREAD
    | perms("tenants.appointmentslot", *ALL)
    | perms("tenants.appointmentbooking", "view", "change"),
    FRONT_DESK: perms("tenants.service", "view")
    | perms("tenants.servicerequest", "view")
    | perms("tenants.appointmentslot", "view")
    | perms("tenants.appointmentbooking", "view"),
    AGENT: perms("tenants.service", "view", "add", "change")
    | perms("tenants.servicerequest", "view", "change")
    | _REQUESTS_THREAD
    | perms("tenants.appointmentslot", *ALL)
    | perms("tenants.appointmentbooking", "view", "change"),
    COMPANY_ADMIN: perms("tenants.servicerequest", "view", "add", "change")
    | _REQUESTS_THREAD
    | perms("tenants.appointmentbooking", "view", "add", "change"),
    MEMBER: perms("tenants.servicerequest", "view", "add", "change")
    | _REQUESTS_THREAD
    | perms("tenants.appointmentbooking", "view", "add", "change"),
}

KPI = {
    SITE_MANAGER: perms("tenants.kpireport", "view"),
    COMPANY_ADMIN: perms("tenants.kpireport", "view", "add", "change"),
    MEMBER: perms("tenants.kpireport", "view"),
}

ALUMNI = {
    SITE_MANAGER: perms("tenants.companyexit", "view", "add", "change")
    | perms("tenants.alumnicheckin", "view")
    | perms("tenants.historicalbaseline", "view"),
    # The baseline is written by network managers and superusers only (its admin says so).
}

SCOPES = {
    # companies and teams
    "tenants.company": Scope(
        site="home_site",
        also_sites=("residencies__site",),
        company="id",
        public=Q(public_profile=True, status__in=LISTED_STATUSES),
    ),
    "tenants.membership": Scope(
        site="company__home_site",
        also_sites=("company__residencies__site",),
        company="company",
    ),
    "tenants.invitation": Scope(site="company__home_site", company="company"),
    # offices
    "tenants.officeapplication": Scope(site="site", company="company"),
    "tenants.applicationdocument": Scope(site="application__site", company="application__company"),
    "tenants.rentrate": Scope(public=Q()),  # the tariff is public (press, brochures)
    "tenants.residency": Scope(site="site", company="company"),
    "tenants.residencyoffice": Scope(site="residency__site", company="residency__company"),
    "tenants.attestation": Scope(site="residency__site", company="company"),
    # one-stop shop
    "tenants.service": Scope(site="site", public=Q(active=True)),
    "tenants.servicerequest": Scope(site="service__site", company="company"),
    "tenants.requestevent": Scope(site="request__service__site", company="request__company"),
    "tenants.requestmessage": Scope(site="request__service__site", company="request__company"),
    "tenants.requestattachment": Scope(site="request__service__site", company="request__company"),
    "tenants.appointmentslot": Scope(site="site", public=Q()),
    "tenants.appointmentbooking": Scope(site="slot__site", company="company"),
    # KPI reports
    "tenants.kpireport": Scope(
        site="company__home_site",
        also_sites=("company__residencies__site",),
        company="company",
    ),
    # alumni and the historical baseline (a network-wide row, no site, is the network's)
    "tenants.companyexit": Scope(site="site"),
    "tenants.alumnicheckin": Scope(site="exit__site"),
    "tenants.historicalbaseline": Scope(site="site"),
}

access.declare_roles("company", _company_roles)
for area in (COMPANIES, OFFICES, ONE_STOP_SHOP, KPI, ALUMNI):
    access.declare("tenants", roles=area)
access.declare("tenants", scopes=SCOPES)
