"""What the coworking views share: who the person books as, dates from the query string."""

import datetime as dt
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404

from coworking import selectors
from technopark import access
from tenants.views.base import portal_company


def member_view(view):
    """A page of the person's own bookings: signed in, and a tenant or a nomad member, else 404.

    Sets ``request.company`` (the company a tenant acts for, else None) and
    ``request.nomad`` (the person's nomad profile, if any).
    """

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        request.company = portal_company(request) if access.is_tenant(user) else None
        request.nomad = None if request.company else selectors.nomad_profile_of(user)
        if request.company is None and request.nomad is None:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def staff_object(queryset, user, perm: str, site_path: str, **lookup):
    """A row of a site where ``user`` is staff holding ``perm`` (or superuser), else 404."""
    if not access.sees_everything(user, perm):
        queryset = queryset.filter(**{f"{site_path}__in": access.site_ids(user, perm)})
    return get_object_or_404(queryset, **lookup)


def date_param(request, name: str = "date", default: dt.date | None = None) -> dt.date:
    """An ISO date from the query string; the default (today) when absent or malformed."""
    from django.utils import timezone

    try:
        return dt.date.fromisoformat(request.GET.get(name, ""))
    except ValueError:
        return default or timezone.localdate()
