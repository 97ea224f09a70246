"""What the coworking views share: who the person books as, dates from the query string."""

import datetime as dt
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.utils import timezone

from coworking import selectors
from coworking.timing import within_reach
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


def date_param(request, name: str = "date") -> dt.date:
    """An ISO date from the query string: today when absent or malformed.

    A date out of reach (before 2000, or more than two years ahead: see
    ``timing.reach``) is 404: no page shows it, and near year 9999 the day's
    bounds would overflow.
    """
    try:
        day = dt.date.fromisoformat(request.GET.get(name, ""))
    except ValueError:
        return timezone.localdate()
    if not within_reach(day):
        raise Http404
    return day
