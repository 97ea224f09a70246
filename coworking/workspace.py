"""What the coworking area puts on the staff's today page (technopark/workspace.py):
approvals waiting, the coworkers expected today, today's room schedule, the front desk."""

from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from coworking import selectors
from coworking.models import (
    ACTIVE_BOOKING,
    BookingStatus,
    DeskReservation,
    NomadProfile,
    NomadStatus,
    Pass,
    PassStatus,
    ReservationStatus,
    RoomBooking,
)
from technopark import access, clock, workspace

#: Today's bookings listed on the page; the calendar has the rest.
SCHEDULE_ROWS = 12


def _list(name: str, **filters) -> str:
    url = reverse(f"admin:coworking_{name}_changelist")
    return f"{url}?{urlencode(filters)}" if filters else url


def _may_list(user, model: str) -> bool:
    """Whether the admin list of ``model`` opens for ``user`` (it asks view or change)."""
    return any(
        access.has_staff_perm(user, f"coworking.{action}_{model}") for action in ("view", "change")
    )


@workspace.panel(order=30)
def coworking_panel(request) -> workspace.Panel | None:
    """Bookings, nomads and passes to approve; coworkers expected today; the front desk."""
    user = request.user
    if not access.has_staff_perm(user, "coworking.view_roombooking"):
        return None
    today = timezone.localdate()
    start, end = clock.day_bounds(today)
    bookings = access.scope(RoomBooking.objects.all(), user, via=access.VIA_SITE).aggregate(
        pending=Count("pk", filter=Q(status=BookingStatus.PENDING)),
        today=Count("pk", filter=Q(status__in=ACTIVE_BOOKING, during__overlap=(start, end))),
    )
    nomads = access.scope(NomadProfile.objects.all(), user, via=access.VIA_SITE).filter(
        status=NomadStatus.PENDING
    )
    passes = access.scope(Pass.objects.all(), user, via=access.VIA_SITE).filter(
        status=PassStatus.REQUESTED
    )
    expected = access.scope(DeskReservation.objects.all(), user, via=access.VIA_SITE).filter(
        status=ReservationStatus.ACTIVE, period__contains=today
    )
    # Each line only for whoever may open what it links to (an agent of the
    # one-stop shop reads the room bookings, not the front desk or the passes).
    sites = list(selectors.staff_sites(user=user)[:2])
    frontdesk = approvals = None
    if len(sites) == 1:
        frontdesk = reverse("coworking:frontdesk", args=[sites[0].slug])
        approvals = reverse("coworking:approvals", args=[sites[0].slug])
    elif sites:
        frontdesk = approvals = reverse("coworking:frontdesk_home")
    items = []
    if frontdesk:
        items.append(
            workspace.Item(_("Front desk: check-ins of the day"), frontdesk, expected.count())
        )
    items.append(
        workspace.Item(
            _("Room bookings awaiting approval"),
            _list("roombooking", status__exact=BookingStatus.PENDING),
            bookings["pending"],
            tone="warning" if bookings["pending"] else "",
        )
    )
    if _may_list(user, "nomadprofile"):
        items.append(
            workspace.Item(
                _("Nomads awaiting approval"),
                _list("nomadprofile", status__exact=NomadStatus.PENDING),
                nomads.count(),
            )
        )
    if _may_list(user, "pass"):
        items.append(
            workspace.Item(
                _("Passes awaiting approval"),
                _list("pass", status__exact=PassStatus.REQUESTED),
                passes.count(),
            )
        )
    if approvals:
        items.append(workspace.Item(_("All approvals of the coworking"), approvals))
    return workspace.Panel(title=_("Coworking and rooms"), items=items)


@workspace.panel(order=40)
def schedule_panel(request) -> workspace.Panel | None:
    """Today's room bookings at the person's sites, in time order."""
    user = request.user
    if not access.has_staff_perm(user, "coworking.view_roombooking"):
        return None
    today = timezone.localdate()
    start, end = clock.day_bounds(today)
    bookings = (
        access.scope(RoomBooking.objects.all(), user, via=access.VIA_SITE)
        .filter(status__in=ACTIVE_BOOKING, during__overlap=(start, end))
        .select_related("space__site", "holder", "company")
        .order_by("during", "space__name")[:SCHEDULE_ROWS]
    )
    rows = []
    for booking in bookings:
        starts = timezone.localtime(booking.starts_at).strftime("%H:%M")
        ends = timezone.localtime(booking.ends_at).strftime("%H:%M")
        who = booking.company.display_name if booking.company else booking.holder.get_full_name()
        what = f"{booking.space.name} · {booking.space.site.name}"
        if booking.status == BookingStatus.PENDING:
            what = _("%(room)s (awaiting approval)") % {"room": what}
        rows.append(
            workspace.Row(
                when=f"{starts}–{ends}",
                what=what,
                who=who,
                url=reverse("admin:coworking_roombooking_change", args=[booking.pk]),
            )
        )
    return workspace.Panel(
        title=_("Today's rooms"),
        rows=rows,
        empty=_("No room is booked today."),
        items=[workspace.Item(_("All room bookings"), _list("roombooking"))],
    )
