"""The front desk of a site: today's expected members, check-ins, approvals, bookings for others.

Pages are open to the site's staff and read-only to network managers; every
change is a POST by staff of the object's site. Objects are fetched through
the gate counting staff roles only (``access.get_object_or_404(...,
via="site")``): another site's objects are 404, never 403.
"""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coworking import selectors, services
from coworking.forms import DeskAssignForm, StaffBookingForm
from coworking.models import CheckInStatus, DeskReservation, NomadProfile, Pass, RoomBooking
from coworking.timing import within_reach
from coworking.views.base import date_param
from technopark import access, refusals
from technopark.paging import paginate, query_without

PER_PAGE = 50


@login_required
def frontdesk_home(request):
    """The sites whose front desk the person may open; straight to it when only one."""
    sites = list(selectors.staff_sites(user=request.user))
    access.require(bool(sites))
    if len(sites) == 1:
        return redirect("coworking:frontdesk", site_slug=sites[0].slug)
    return render(request, "coworking/frontdesk_home.html", {"sites": sites})


@login_required
def frontdesk(request, site_slug):
    """Who is expected at the coworking on a day (today by default), and the day's rooms."""
    site = selectors.staff_site(user=request.user, slug=site_slug)
    day = date_param(request)
    expected = paginate(
        request, selectors.expected_on(site=site, day=day, user=request.user), PER_PAGE
    )
    return render(
        request,
        "coworking/frontdesk.html",
        {
            "site": site,
            "day": day,
            "today": timezone.localdate(),
            "expected": expected,
            "bookings": selectors.room_bookings_on(site=site, day=day, user=request.user),
            "pager_query": query_without(request, "page"),
            "rooms": selectors.staff_rooms(site=site, user=request.user),
            "can_change": access.at_site(request.user, "coworking.change_deskcheckin", site),
        },
    )


def _posted_day(request) -> dt.date:
    """The day a check-in is for: today unless a day within reach was posted."""
    try:
        day = dt.date.fromisoformat(request.POST.get("day", ""))
    except ValueError:
        return timezone.localdate()
    return day if within_reach(day) else timezone.localdate()


def _record(request, pk, status):
    reservation = access.get_object_or_404(
        DeskReservation.objects.select_related("desk__space__site", "holder"),
        request.user,
        "coworking.change_deskcheckin",
        via=access.VIA_SITE,
        pk=pk,
    )
    day = _posted_day(request)
    try:
        services.desk_checkin_record(
            actor=request.user, reservation=reservation, day=day, status=status
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        label = CheckInStatus(status).label
        messages.success(
            request,
            _("%(person)s: %(status)s.") % {"person": reservation.holder, "status": label},
        )
    site = reservation.desk.space.site
    return redirect(f"{site_url(site)}?date={day.isoformat()}")


def site_url(site):
    return reverse("coworking:frontdesk", args=[site.slug])


@require_POST
@login_required
def checkin(request, pk):
    return _record(request, pk, CheckInStatus.PRESENT)


@require_POST
@login_required
def no_show(request, pk):
    return _record(request, pk, CheckInStatus.NO_SHOW)


@login_required
def approvals(request, site_slug):
    """What waits for the staff of a site: room bookings, nomad sign-ups, pass requests."""
    site = selectors.staff_site(user=request.user, slug=site_slug)
    user = request.user
    return render(
        request,
        "coworking/approvals.html",
        {
            "site": site,
            "bookings": selectors.pending_bookings(site=site, user=user)[:PER_PAGE],
            "nomads": selectors.pending_nomads(site=site, user=user)[:PER_PAGE],
            "passes": selectors.requested_passes(site=site, user=user)[:PER_PAGE],
            "can_change": access.at_site(user, "coworking.change_roombooking", site),
        },
    )


def _approvals_of(site):
    return redirect(reverse("coworking:approvals", args=[site.slug]))


def _decide(request, obj, decide, done: str):
    refusals.attempt(request, decide, done=done)
    return _approvals_of(obj.site if hasattr(obj, "site") else obj.space.site)


def _booking(request, pk):
    return access.get_object_or_404(
        RoomBooking.objects.select_related("space__site"),
        request.user,
        "coworking.change_roombooking",
        via=access.VIA_SITE,
        pk=pk,
    )


@require_POST
@login_required
def booking_approve(request, pk):
    booking = _booking(request, pk)
    return _decide(
        request,
        booking,
        lambda: services.room_booking_approve(actor=request.user, booking=booking),
        _("The booking is confirmed."),
    )


@require_POST
@login_required
def booking_reject(request, pk):
    booking = _booking(request, pk)
    return _decide(
        request,
        booking,
        lambda: services.room_booking_reject(actor=request.user, booking=booking),
        _("The booking is refused; its slot is free again."),
    )


def _nomad(request, pk):
    return access.get_object_or_404(
        NomadProfile.objects.select_related("site", "user"),
        request.user,
        "coworking.change_nomadprofile",
        via=access.VIA_SITE,
        pk=pk,
    )


@require_POST
@login_required
def nomad_approve(request, pk):
    profile = _nomad(request, pk)
    return _decide(
        request,
        profile,
        lambda: services.nomad_approve(actor=request.user, profile=profile),
        _("The member is approved."),
    )


@require_POST
@login_required
def nomad_reject(request, pk):
    profile = _nomad(request, pk)
    return _decide(
        request,
        profile,
        lambda: services.nomad_reject(actor=request.user, profile=profile),
        _("The sign-up is refused."),
    )


def _pass(request, pk):
    return access.get_object_or_404(
        Pass.objects.select_related("site", "holder"),
        request.user,
        "coworking.change_pass",
        via=access.VIA_SITE,
        pk=pk,
    )


@require_POST
@login_required
def pass_approve(request, pk):
    desk_pass = _pass(request, pk)
    return _decide(
        request,
        desk_pass,
        lambda: services.pass_approve(actor=request.user, desk_pass=desk_pass),
        _("The pass is active."),
    )


@require_POST
@login_required
def pass_reject(request, pk):
    desk_pass = _pass(request, pk)
    return _decide(
        request,
        desk_pass,
        lambda: services.pass_reject(actor=request.user, desk_pass=desk_pass),
        _("The pass request is refused."),
    )


def _staff_site_for_change(request, site_slug, perm):
    site = selectors.staff_site(user=request.user, slug=site_slug)
    access.require(access.at_site(request.user, perm, site))
    return site


@login_required
def staff_book(request, site_slug):
    """Staff book a room of their site for one of its tenants or nomads (confirmed at once)."""
    site = _staff_site_for_change(request, site_slug, "coworking.add_roombooking")
    form = StaffBookingForm(request.POST or None, site=site, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.room_booking_create(
                actor=request.user,
                holder=data["person"],
                company=data["company"],
                space=data["space"],
                day=data["day"],
                start=data["start"],
                end=data["end"],
                title=data["title"],
                attendees=data["attendees"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The room is booked."))
            return redirect(f"{site_url(site)}?date={data['day'].isoformat()}")
    return render(
        request,
        "coworking/staff_form.html",
        {"site": site, "form": form, "title": _("Book a room for someone")},
    )


@login_required
def desk_assign(request, site_slug):
    """Staff assign a desk (usually a fixed one) to a person for a period."""
    site = _staff_site_for_change(request, site_slug, "coworking.add_deskreservation")
    form = DeskAssignForm(request.POST or None, site=site, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.desk_assign(
                actor=request.user,
                desk=data["desk"],
                holder=data["person"],
                first_day=data["first_day"],
                last_day=data["last_day"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The desk is assigned."))
            return redirect(site_url(site))
    return render(
        request,
        "coworking/staff_form.html",
        {"site": site, "form": form, "title": _("Assign a desk")},
    )
