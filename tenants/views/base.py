"""What every portal view starts from: the company the person acts for.

A person may act for more than one company; the portal works for one at a
time, kept in the session (``portal_company``) and switched from the menu.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404

from technopark import access
from tenants.models import Company

SESSION_KEY = "portal_company"


def companies_of(user):
    """The companies ``user`` acts for, by name (the gate's view of ``Company``)."""
    return (
        access.scope(Company.objects.select_related("home_site"), user)
        .filter(memberships__user=user)
        .order_by("legal_name")
    )


def acting_company(request) -> Company | None:
    """The company chosen in this session, else the person's first; None for who has none.

    Also leaves the person's companies on ``request.portal_companies`` for the menu.
    """
    companies = list(companies_of(request.user)) if request.user.is_authenticated else []
    request.portal_companies = companies
    chosen = request.session.get(SESSION_KEY)
    return next((c for c in companies if c.pk == chosen), companies[0] if companies else None)


def portal_company(request) -> Company:
    """The company the person acts for (:func:`acting_company`); 404 for non-tenants."""
    company = acting_company(request)
    if company is None:
        raise Http404
    return company


def portal_view(view):
    """A portal page: signed in, acting for a company (``request.company``), else 404."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        request.company = portal_company(request)
        return view(request, *args, **kwargs)

    return wrapper


def require_perm(request, perm: str) -> None:
    """404 unless the person's role in ``request.company`` grants ``perm``."""
    access.require(access.allows(request.user, perm, request.company))
