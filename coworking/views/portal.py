"""The person's own bookings: rooms, desks, passes and the private calendar feed."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from coworking import calendars, selectors, services
from coworking.forms import DeskBookingForm, FreeRoomSearchForm, PassRequestForm, RoomBookingForm
from coworking.models import BookingStatus, DeskReservation, Pass, PassStatus, RoomBooking
from coworking.views.base import member_view
from technopark import access, refusals
from technopark.paging import paginate, query_without

PER_PAGE = 25
LISTS = ("rooms", "desks", "passes")  # the page parameter of each list of my_bookings


def _page(request, queryset, name):
    return paginate(request, queryset, PER_PAGE, param=name)


@member_view
def my_bookings(request):
    """Room bookings, desk reservations and passes of the person, newest first.

    Each list pages on its own parameter; a pager keeps the other lists' pages.
    """
    user = request.user
    now = timezone.now()
    today = timezone.localdate(now)
    bookings = _page(request, selectors.my_room_bookings(user=user), "rooms")
    reservations = _page(request, selectors.my_desk_reservations(user=user), "desks")
    passes = _page(request, selectors.my_passes(user=user), "passes")
    # The cancel buttons follow the services' own rules (asked, not restated).
    for booking in bookings:
        rules = getattr(booking.space, "booking_rules", None)
        booking.can_cancel = (
            services.room_booking_cancel_refusal(booking, rules=rules, now=now) is None
        )
    for reservation in reservations:
        reservation.can_cancel = (
            services.desk_reservation_cancel_refusal(reservation, today=today) is None
        )
    for desk_pass in passes:
        desk_pass.can_cancel = services.pass_cancel_refusal(desk_pass, today=today) is None
    return render(
        request,
        "coworking/my_bookings.html",
        {
            "bookings": bookings,
            "reservations": reservations,
            "passes": passes,
            "queries": {name: query_without(request, name) for name in LISTS},
            "now": now,
            "today": today,
        },
    )


def _initial(request) -> dict:
    keys = ("site", "space", "day", "start", "end", "people")
    initial = {key: request.GET[key] for key in keys if request.GET.get(key)}
    if "people" in initial:
        initial["attendees"] = initial.pop("people")
    return initial


@member_view
def room_book(request):
    """Book a room for the company the person acts for (a tenant) or for themselves (a nomad)."""
    company = request.company
    form = RoomBookingForm(
        request.POST or None,
        initial=_initial(request),
        default_site_id=company.home_site_id if company is not None else None,
    )
    conflicts = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        common = {
            "actor": request.user,
            "space": data["space"],
            "start": data["start"],
            "end": data["end"],
            "company": request.company,
            "title": data["title"],
            "attendees": data["attendees"],
        }
        try:
            if data["repeat_until"]:
                bookings = services.room_booking_series_create(
                    first_day=data["day"], until=data["repeat_until"], **common
                )
            else:
                bookings = [services.room_booking_create(day=data["day"], **common)]
        except services.SeriesConflictError as exc:
            conflicts = exc.conflicts
            form.add_error(None, exc)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if bookings[0].status == BookingStatus.PENDING:
                messages.success(
                    request,
                    _("Your booking is waiting for the staff's approval; the slot is held."),
                )
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(count)s booking confirmed. A confirmation e-mail is on its way.",
                        "%(count)s bookings confirmed. A confirmation e-mail is on its way.",
                        len(bookings),
                    )
                    % {"count": len(bookings)},
                )
            return redirect("coworking:my_bookings")
    free_time = selectors.free_time_left(
        company=company, user=request.user, day=timezone.localdate()
    )
    return render(
        request,
        "coworking/room_book.html",
        {"form": form, "conflicts": conflicts, "free_time": free_time},
    )


@member_view
def room_search(request):
    """Free rooms for N people at a site on a day between two times."""
    form = FreeRoomSearchForm(request.GET or None)
    rooms = None
    if request.GET and form.is_valid():
        data = form.cleaned_data
        try:
            rooms = calendars.free_rooms(
                site=data["site"],
                day=data["day"],
                start=data["start"],
                end=data["end"],
                people=data["people"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(
        request,
        "coworking/room_search.html",
        {"form": form, "rooms": rooms, "query": form.cleaned_data if rooms is not None else None},
    )


@require_POST
@member_view
def room_cancel(request, pk):
    booking = access.get_object_or_404(
        RoomBooking.objects.select_related("space"),
        request.user,
        "coworking.change_roombooking",
        pk=pk,
    )
    refusals.attempt(
        request,
        lambda: services.room_booking_cancel(actor=request.user, booking=booking),
        done=_("The booking is cancelled; the room is free again."),
    )
    return redirect("coworking:my_bookings")


@member_view
def desk_book(request):
    """Reserve a desk on days of one of the person's active passes."""
    today = timezone.localdate()
    form = DeskBookingForm(request.POST or None, user=request.user, today=today)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            reservation = services.desk_reservation_create(
                actor=request.user,
                desk_pass=data["desk_pass"],
                first_day=data["first_day"],
                last_day=data["last_day"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Desk %(desk)s is yours on these days.") % {"desk": reservation.desk.label},
            )
            return redirect("coworking:my_bookings")
    return render(
        request,
        "coworking/desk_book.html",
        {"form": form, "has_pass": form.fields["desk_pass"].queryset.exists()},
    )


@require_POST
@member_view
def desk_cancel(request, pk):
    reservation = access.get_object_or_404(
        DeskReservation.objects.all(), request.user, "coworking.change_deskreservation", pk=pk
    )
    refusals.attempt(
        request,
        lambda: services.desk_reservation_cancel(actor=request.user, reservation=reservation),
        done=_("The desk reservation is cancelled."),
    )
    return redirect("coworking:my_bookings")


@member_view
def pass_request(request):
    """Request a day, week or month pass at a site with coworking."""
    form = PassRequestForm(request.POST or None, initial={"site": request.GET.get("site")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            desk_pass = services.pass_request(
                actor=request.user,
                site=data["site"],
                kind=data["kind"],
                start=data["start"],
                company=request.company,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if desk_pass.status == PassStatus.ACTIVE:
                messages.success(request, _("Your pass is active: reserve your desk now."))
                return redirect("coworking:desk_book")
            messages.success(request, _("Your pass request is waiting for the front desk."))
            return redirect("coworking:my_bookings")
    return render(
        request, "coworking/pass_request.html", {"form": form, "prices": selectors.price_list()}
    )


@require_POST
@member_view
def pass_cancel(request, pk):
    desk_pass = access.get_object_or_404(
        Pass.objects.all(), request.user, "coworking.change_pass", pk=pk
    )
    refusals.attempt(
        request,
        lambda: services.pass_cancel(actor=request.user, desk_pass=desk_pass),
        done=_("The pass is cancelled."),
    )
    return redirect("coworking:my_bookings")


@member_view
def feed(request):
    """The person's private calendar feed: whether it is on, to renew or stop.

    Only a hash of the secret address is kept, so this page cannot show it
    again: it shows the address's first characters, to recognise it.
    """
    return render(request, "coworking/feed.html", {"feed": selectors.live_feed(user=request.user)})


@require_POST
@member_view
def feed_reset(request):
    """Issue a new secret address (the old one stops working), or stop the feed.

    The new address is shown in the answer to this POST, once, and never
    stored: the page is not cached, and reloading it issues another address.
    """
    if request.POST.get("action") == "revoke":
        services.calendar_feed_revoke(actor=request.user)
        messages.success(request, _("Your calendar feed is switched off."))
        return redirect("coworking:feed")
    feed, token = services.calendar_feed_reset(actor=request.user)
    url = request.build_absolute_uri(reverse("coworking:user_feed", args=[token]))
    response = render(request, "coworking/feed.html", {"feed": feed, "new_url": url})
    response["Cache-Control"] = "no-store"
    return response
