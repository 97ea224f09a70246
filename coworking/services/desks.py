"""Passes, desk reservations and the front desk's check-ins.

Allocation never oversells: the service picks a free desk and inserts; if
another transaction took that desk meanwhile, PostgreSQL's exclusion
constraint refuses the insert, the savepoint rolls back and the next free
desk is tried. "Full" is answered only when no desk is free any more.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.backends.postgresql.psycopg_any import DateRange
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coworking.models import (
    ACTIVE_PASS,
    CheckInStatus,
    Desk,
    DeskCheckIn,
    DeskReservation,
    NomadStatus,
    Pass,
    PassKind,
    PassPrice,
    PassStatus,
    ReservationStatus,
)
from coworking.services.common import insert, locked_in_scope
from coworking.timing import add_month, format_day
from sites.models import Site, SiteStatus
from sites.selectors import add_working_days, closed_days, is_working_day
from technopark import access, mail
from tenants.models import Company

#: How far ahead a pass may start, in days.
PASS_HORIZON_DAYS = 365
#: How far ahead staff may assign a desk (the last day of the assignment), in days.
ASSIGN_HORIZON_DAYS = 730


class DeskFullError(ValidationError):
    """No desk is free at the site on the days asked: the coworking is full."""

    def __init__(self, site: Site):
        super().__init__(
            _("No desk is free at %(site)s on these days: the coworking is full."),
            code="full",
            params={"site": site.name},
        )


def _require_open(site: Site, day: dt.date) -> None:
    if not is_working_day(day, closed_days(site=site, start=day, end=day)):
        raise ValidationError(
            _("The coworking of %(site)s is closed on %(day)s."),
            code="closed_day",
            params={"site": site.name, "day": format_day(day)},
        )


def pass_period(*, site: Site, kind: str, start: dt.date) -> tuple[dt.date, dt.date]:
    """A pass's days as ``[first, after the last)``: one day, 5 working days, or a month."""
    if kind == PassKind.DAY:
        return start, start + dt.timedelta(days=1)
    if kind == PassKind.WEEK:
        return start, add_working_days(site=site, start=start, days=4) + dt.timedelta(days=1)
    return start, add_month(start)


@transaction.atomic
def pass_request(
    *,
    actor,
    site: Site,
    kind: str,
    start: dt.date,
    holder=None,
    company: Company | None = None,
    now: dt.datetime | None = None,
) -> Pass:
    """Request a pass at ``site`` starting on ``start``, priced from the site's price list.

    A tenant user's pass, billed to their company, is active at once; so is a
    pass staff sell at their site. A nomad's pass waits for staff approval.
    Day and week passes start on a working day, at most ``PASS_HORIZON_DAYS``
    ahead; one person holds one pass per site on any day (PostgreSQL's
    exclusion constraint).
    """
    now = now or timezone.now()
    holder = holder or actor
    if (
        site.status != SiteStatus.OPERATING
        or not Desk.objects.filter(space__site=site, active=True).exists()
    ):
        raise ValidationError(_("This site has no coworking desks."), code="no_desks")
    today = timezone.localdate(now)
    if start < today:
        raise ValidationError(_("A pass cannot start in the past."), code="past")
    if start > today + dt.timedelta(days=PASS_HORIZON_DAYS):
        raise ValidationError(
            _("A pass can start at most %(days)s days ahead."),
            code="too_far",
            params={"days": PASS_HORIZON_DAYS},
        )
    if kind in (PassKind.DAY, PassKind.WEEK):
        _require_open(site, start)
    price = PassPrice.objects.filter(site=site, kind=kind).first()
    if price is None:
        raise ValidationError(_("No price is set for this pass at this site yet."), code="no_price")
    if access.at_site(actor, "coworking.add_pass", site):
        status = PassStatus.ACTIVE
    elif holder != actor:
        raise PermissionDenied
    elif company is not None:
        if company.pk not in access.company_ids(actor, "coworking.add_pass"):
            raise ValidationError(
                _("You cannot request a pass for this company."), code="not_your_company"
            )
        status = PassStatus.ACTIVE
    else:
        profile = getattr(actor, "nomad_profile", None)
        if profile is None:
            raise ValidationError(_("Sign up as a coworking member first."), code="not_a_member")
        if profile.status == NomadStatus.REJECTED:
            raise ValidationError(_("Your membership was not approved."), code="rejected_member")
        status = PassStatus.REQUESTED
    first, after_last = pass_period(site=site, kind=kind, start=start)
    desk_pass = Pass(
        holder=holder,
        site=site,
        company=company,
        kind=kind,
        period=DateRange(first, after_last, "[)"),
        price=price.price,
        status=status,
    )
    if status == PassStatus.ACTIVE:
        desk_pass.decided_by, desk_pass.decided_at = actor, now
    if insert(desk_pass, refused_by=("pass_one_at_a_time_per_site",)):
        raise ValidationError(
            _("There is already a pass at this site on these days."), code="overlap"
        )
    return desk_pass


def _locked_pass(desk_pass: Pass, actor, perm: str, *, via: str = access.VIA_ANY) -> Pass:
    return locked_in_scope(
        Pass.objects.select_related("site", "holder"), actor, perm, desk_pass, via=via
    )


@transaction.atomic
def pass_approve(*, actor, desk_pass: Pass, now: dt.datetime | None = None) -> Pass:
    """Staff of the pass's site activate a requested pass, once its nomad is approved."""
    desk_pass = _locked_pass(desk_pass, actor, "coworking.change_pass", via=access.VIA_SITE)
    if desk_pass.status != PassStatus.REQUESTED:
        raise ValidationError(_("This pass is not waiting for approval."), code="not_requested")
    profile = getattr(desk_pass.holder, "nomad_profile", None)
    if desk_pass.company_id is None and (profile is None or not profile.is_approved):
        raise ValidationError(_("Approve the member's sign-up first."), code="member_not_approved")
    desk_pass.save(update_fields=desk_pass.decide(status=PassStatus.ACTIVE, actor=actor, now=now))
    mail.send_to([desk_pass.holder], "coworking_pass_decided", {"desk_pass": desk_pass})
    return desk_pass


@transaction.atomic
def pass_reject(*, actor, desk_pass: Pass, now: dt.datetime | None = None) -> Pass:
    """Staff of the pass's site refuse a requested pass."""
    desk_pass = _locked_pass(desk_pass, actor, "coworking.change_pass", via=access.VIA_SITE)
    if desk_pass.status != PassStatus.REQUESTED:
        raise ValidationError(_("This pass is not waiting for approval."), code="not_requested")
    desk_pass.save(update_fields=desk_pass.decide(status=PassStatus.REJECTED, actor=actor, now=now))
    mail.send_to([desk_pass.holder], "coworking_pass_decided", {"desk_pass": desk_pass})
    return desk_pass


def pass_cancel_refusal(
    desk_pass: Pass, *, today: dt.date, as_staff: bool = False
) -> ValidationError | None:
    """Why ``desk_pass`` cannot be cancelled today, or None: the one rule for passes.

    A requested or active pass is cancelled by its holder before its first day,
    by the site's staff at any time. The portal asks it for its buttons.
    """
    if desk_pass.status not in ACTIVE_PASS:
        return ValidationError(_("This pass is no longer valid."), code="not_active")
    if not as_staff and desk_pass.first_day <= today:
        return ValidationError(_("This pass has started: ask the front desk."), code="started")
    return None


def desk_reservation_cancel_refusal(
    reservation: DeskReservation, *, today: dt.date, as_staff: bool = False
) -> ValidationError | None:
    """Why ``reservation`` cannot be given back today, or None: the one rule for desks."""
    if reservation.status != ReservationStatus.ACTIVE:
        return ValidationError(_("This reservation is already cancelled."), code="not_active")
    if not as_staff and reservation.first_day <= today:
        return ValidationError(
            _("This reservation has started: ask the front desk."), code="started"
        )
    return None


@transaction.atomic
def pass_cancel(*, actor, desk_pass: Pass, now: dt.datetime | None = None) -> Pass:
    """Cancel a pass before its first day (staff: any time), with its desk reservations."""
    now = now or timezone.now()
    desk_pass = _locked_pass(desk_pass, actor, "coworking.change_pass")
    as_staff = access.at_site(actor, "coworking.change_pass", desk_pass.site_id)
    refusal = pass_cancel_refusal(desk_pass, today=timezone.localdate(now), as_staff=as_staff)
    if refusal is not None:
        raise refusal
    desk_pass.status = PassStatus.CANCELLED
    desk_pass.save(update_fields=["status"])
    desk_pass.reservations.filter(status=ReservationStatus.ACTIVE).update(
        status=ReservationStatus.CANCELLED, cancelled_at=now
    )
    return desk_pass


def _free_desks(*, site: Site, first: dt.date, after_last: dt.date) -> list[int]:
    """Ids of the site's hot desks with no active reservation on any of the days."""
    taken = DeskReservation.objects.filter(
        status=ReservationStatus.ACTIVE, period__overlap=(first, after_last)
    ).values("desk")
    return list(
        Desk.objects.filter(space__site=site, active=True, fixed=False)
        .exclude(pk__in=taken)
        .order_by("label", "pk")
        .values_list("pk", flat=True)
    )


def _insert(reservation: DeskReservation) -> str | None:
    """Insert in a savepoint; the name of the violated constraint, or None on success."""
    return insert(
        reservation,
        refused_by=("desk_reservation_one_holder_per_day", "desk_reservation_one_desk_per_person"),
    )


_HOLDER_TAKEN = _("You already have a desk on these days.")


@transaction.atomic
def desk_reservation_create(
    *,
    actor,
    desk_pass: Pass,
    first_day: dt.date,
    last_day: dt.date | None = None,
    now: dt.datetime | None = None,
) -> DeskReservation:
    """Hold a free hot desk for the pass's holder from ``first_day`` to ``last_day``.

    The days must lie inside the active pass and start on an open day. The
    pass's row is locked first, so a cancellation at the same moment either
    comes before (the pass is no longer active) or after (it cancels this
    reservation too). A free desk is picked and inserted; when a concurrent
    reservation took it first (exclusion violation), the next free desk is
    tried in a new savepoint. ``DeskFullError`` is raised only when no desk
    is free.
    """
    now = now or timezone.now()
    last_day = last_day or first_day
    desk_pass = _locked_pass(desk_pass, actor, "coworking.view_pass")
    site = desk_pass.site
    if desk_pass.holder_id != actor.pk and not access.at_site(
        actor, "coworking.add_deskreservation", site
    ):
        raise PermissionDenied
    if desk_pass.status != PassStatus.ACTIVE:
        raise ValidationError(_("This pass is not active."), code="pass_not_active")
    if last_day < first_day:
        raise ValidationError(
            _("The last day cannot be before the first day."), code="end_before_start"
        )
    if first_day < timezone.localdate(now):
        raise ValidationError(_("This day is already past."), code="past")
    if first_day < desk_pass.first_day or last_day > desk_pass.last_day:
        raise ValidationError(
            _("These days are outside the pass (%(first)s to %(last)s)."),
            code="outside_pass",
            params={
                "first": format_day(desk_pass.first_day),
                "last": format_day(desk_pass.last_day),
            },
        )
    _require_open(site, first_day)
    after_last = last_day + dt.timedelta(days=1)
    reservation = DeskReservation(
        holder_id=desk_pass.holder_id,
        company_id=desk_pass.company_id,
        desk_pass=desk_pass,
        period=DateRange(first_day, after_last, "[)"),
        created_by=actor,
    )
    # Start at a different desk for each person so that simultaneous requests
    # spread over the room instead of all racing for the first desk.
    while True:
        free = _free_desks(site=site, first=first_day, after_last=after_last)
        if not free:
            raise DeskFullError(site)
        reservation.desk_id = free[desk_pass.holder_id % len(free)]
        violated = _insert(reservation)
        if violated is None:
            break
        if violated == "desk_reservation_one_desk_per_person":
            raise ValidationError(_HOLDER_TAKEN, code="holder_taken")
    mail.send_to(
        [desk_pass.holder],
        "coworking_desk_reserved",
        {"reservation": reservation, "site": site, "desk": reservation.desk},
    )
    return reservation


@transaction.atomic
def desk_assign(
    *,
    actor,
    desk: Desk,
    holder,
    first_day: dt.date,
    last_day: dt.date,
    now: dt.datetime | None = None,
) -> DeskReservation:
    """Staff assign one desk (usually a fixed one) to one person for a period.

    The period starts today or later and ends at most ``ASSIGN_HORIZON_DAYS``
    ahead; PostgreSQL refuses a desk or a person taken on any of its days.
    """
    now = now or timezone.now()
    site_id = desk.space.site_id
    if not access.at_site(actor, "coworking.add_deskreservation", site_id):
        raise PermissionDenied
    if last_day < first_day:
        raise ValidationError(
            _("The last day cannot be before the first day."), code="end_before_start"
        )
    today = timezone.localdate(now)
    if first_day < today:
        raise ValidationError(_("This day is already past."), code="past")
    if last_day > today + dt.timedelta(days=ASSIGN_HORIZON_DAYS):
        raise ValidationError(
            _("A desk can be assigned at most %(days)s days ahead."),
            code="too_far",
            params={"days": ASSIGN_HORIZON_DAYS},
        )
    reservation = DeskReservation(
        desk=desk,
        holder=holder,
        # The person's company at the site, if any, sees the desk in its portal.
        company=Company.objects.filter(memberships__user=holder, home_site=site_id).first(),
        period=DateRange(first_day, last_day + dt.timedelta(days=1), "[)"),
        created_by=actor,
    )
    violated = _insert(reservation)
    if violated == "desk_reservation_one_holder_per_day":
        raise ValidationError(_("This desk is already reserved on these days."), code="taken")
    if violated == "desk_reservation_one_desk_per_person":
        raise ValidationError(
            _("This person already has a desk on these days."), code="holder_taken"
        )
    return reservation


@transaction.atomic
def desk_reservation_cancel(
    *, actor, reservation: DeskReservation, now: dt.datetime | None = None
) -> DeskReservation:
    """Give a desk back: the holder before the first day, staff of the site at any time."""
    now = now or timezone.now()
    reservation = locked_in_scope(
        DeskReservation.objects.select_related("desk__space"),
        actor,
        "coworking.change_deskreservation",
        reservation,
    )
    as_staff = access.at_site(
        actor, "coworking.change_deskreservation", reservation.desk.space.site_id
    )
    refusal = desk_reservation_cancel_refusal(
        reservation, today=timezone.localdate(now), as_staff=as_staff
    )
    if refusal is not None:
        raise refusal
    reservation.status = ReservationStatus.CANCELLED
    reservation.cancelled_at = now
    reservation.save(update_fields=["status", "cancelled_at"])
    return reservation


@transaction.atomic
def desk_checkin_record(
    *,
    actor,
    reservation: DeskReservation,
    day: dt.date,
    status: str,
    now: dt.datetime | None = None,
) -> DeskCheckIn:
    """The front desk records that the holder came (or did not) on ``day``, once per day.

    The reservation's row is locked first, so a cancellation at the same
    moment cannot slip between the check of its status and the record.
    """
    now = now or timezone.now()
    reservation = locked_in_scope(
        DeskReservation.objects.all(),
        actor,
        "coworking.change_deskcheckin",
        reservation,
        via=access.VIA_SITE,
    )
    if status not in CheckInStatus.values:
        raise ValidationError(_("Unknown check-in status."), code="bad_status")
    if reservation.status != ReservationStatus.ACTIVE:
        raise ValidationError(_("This reservation is cancelled."), code="not_active")
    if not reservation.first_day <= day <= reservation.last_day:
        raise ValidationError(
            _("This reservation does not cover that day."), code="outside_reservation"
        )
    if day > timezone.localdate(now):
        raise ValidationError(
            _("Arrivals and no-shows are recorded on the day, not before."), code="future"
        )
    checkin, _created = DeskCheckIn.objects.update_or_create(
        reservation=reservation, day=day, defaults={"status": status, "recorded_by": actor}
    )
    return checkin
