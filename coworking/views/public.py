"""Public pages: nomad sign-up at a site, and each site's day and week room calendars."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from coworking import calendars, selectors, services
from coworking.forms import NomadSignupForm
from coworking.views.base import date_param
from technopark import access


def join(request, site_slug):
    """Sign up as a nomad member at this site, with a first pass if wanted."""
    site = selectors.coworking_site_public(slug=site_slug)
    user = request.user if request.user.is_authenticated else None
    context = {"site": site, "prices": selectors.pass_prices(site=site)}
    if user is not None:
        profile = selectors.nomad_profile_of(user)
        if profile is not None or access.is_tenant(user):
            return render(
                request, "coworking/join.html", context | {"profile": profile, "form": None}
            )
    form = NomadSignupForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.nomad_signup(
                site=site,
                user=user,
                email=data.get("email", ""),
                full_name=data.get("full_name", ""),
                password=data.get("password1", ""),
                language=get_language() or "",
                nationality=data["nationality"],
                document_kind=data["document_kind"],
                document_number=data["document_number"],
                company_name=data["company_name"],
                phone=data["phone"],
                pass_kind=data["pass_kind"],
                pass_start=data["pass_start"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Thank you: the staff of %(site)s will review your sign-up and write to you.")
                % {"site": site.name},
            )
            if user is not None:
                return redirect("coworking:my_bookings")
            return redirect(f"{reverse('login')}?next={reverse('coworking:my_bookings')}")
    return render(request, "coworking/join.html", context | {"form": form, "profile": None})


def _books_rooms(user) -> bool:
    """Whether free slots link to the booking form: tenants and nomad members book."""
    if not user.is_authenticated:
        return False
    return access.is_tenant(user) or selectors.nomad_profile_of(user) is not None


def calendar_day(request, site_slug):
    """A site's rooms on one day. Who booked shows only to those who may read the booking."""
    site = selectors.site_public(slug=site_slug)
    day = date_param(request)
    calendar = calendars.calendar_day(site=site, day=day, user=request.user)
    today = timezone.localdate()
    can_book = _books_rooms(request.user)
    if can_book and day >= today:
        _book_links(calendar, site, day)
    return render(
        request,
        "coworking/calendar_day.html",
        {
            "site": site,
            "calendar": calendar,
            "day": day,
            "previous": day - dt.timedelta(days=1),
            "next": day + dt.timedelta(days=1),
            "today": today,
            "can_book": can_book,
        },
    )


def _book_links(calendar: calendars.DayCalendar, site, day: dt.date) -> None:
    """Give each room row the link to the booking form and its label, which each free cell
    completes with its time (``calendar_cells``).

    Built once per row: the grid has a cell per room and half hour, and a URL
    tag, a translation block and time filters per cell in the template made the
    page's time grow with the number of rooms.
    """
    base = reverse("coworking:room_book")
    label = _("Book %(room)s at %(time)s")  # translated once for the grid
    for row in calendar.rows:
        row.book_href = f"{base}?site={site.pk}&space={row.room.pk}&day={day.isoformat()}&start="
        row.book_label = label % {"room": row.room.name, "time": calendars.TIME_SLOT}


def calendar_week(request, site_slug):
    """A site's rooms over one week, Monday to Sunday."""
    site = selectors.site_public(slug=site_slug)
    day = date_param(request)
    calendar = calendars.calendar_week(site=site, day=day, user=request.user)
    return render(
        request,
        "coworking/calendar_week.html",
        {
            "site": site,
            "calendar": calendar,
            "previous": calendar.monday - dt.timedelta(days=7),
            "next": calendar.monday + dt.timedelta(days=7),
            "today": timezone.localdate(),
        },
    )
