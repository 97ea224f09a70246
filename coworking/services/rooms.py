"""Room bookings: create (one or a weekly series), cancel, approve, reject.

PostgreSQL's exclusion constraint is what forbids two active bookings of one
room at overlapping times; the checks here give each refusal its own clear
message, and a violation found at insert time becomes the same kind of
``ValidationError``, never a 500.
"""

import copy
import datetime as dt
import uuid
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError, transaction
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.db.models import OuterRef
from django.db.models.functions import JSONObject
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coworking import selectors
from coworking.models import (
    ACTIVE_BOOKING,
    HORIZON_DAYS_MAX,
    BookingStatus,
    OpeningHours,
    RoomBooking,
    RoomRules,
    Weekday,
)
from coworking.services.common import insert, locked_in_scope
from coworking.timing import format_day, local_instant, month_bounds
from sites.models import SiteStatus, Space
from sites.selectors import closed_days, closures_between
from technopark import access, clock, dataversion, mail
from technopark.db import DEADLOCK_DETECTED, ResourceBusyError, lock_resources
from tenants.models import Company, Membership

MAX_SERIES = 52


class SeriesConflictError(ValidationError):
    """A weekly series that could not be booked whole: nothing was booked."""

    def __init__(self, conflicts: list[tuple[dt.date, list[str]]]):
        self.conflicts = conflicts
        super().__init__(
            _("%(count)s of the dates cannot be booked, so none was booked."),
            code="series_conflict",
            params={"count": len(conflicts)},
        )


@dataclass(frozen=True)
class Slot:
    """A requested booking, checked and turned into UTC instants."""

    space: Space
    rules: RoomRules
    day: dt.date
    starts_at: dt.datetime
    ends_at: dt.datetime

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


def _rules_of(space: Space, *, first: dt.date, last: dt.date) -> RoomRules:
    """The room's rules with its site, opening hours and closed days from ``first`` to ``last``.

    One query: the opening hours come as ``rules.week`` ({weekday: (opens,
    closes)}) and the site's and network's closures as ``rules.closed`` (a set
    of days), so a booking or a whole series reads them once.
    """
    hours = (
        OpeningHours.objects.filter(rules=OuterRef("pk"))
        .order_by("weekday")
        .values(json=JSONObject(weekday="weekday", opens="opens", closes="closes"))
    )
    closures = closures_between(site=OuterRef("space__site"), start=first, end=last)
    try:
        rules = (
            RoomRules.objects.select_related("space__site")
            .annotate(
                hours=ArraySubquery(hours),
                closed_on=ArraySubquery(closures.order_by("date").values("date")),
            )
            .get(space=space)
        )
    except RoomRules.DoesNotExist:
        rules = None
    if rules is None or not rules.space.bookable:
        raise ValidationError(_("This room cannot be booked."), code="not_bookable")
    if rules.space.site.status != SiteStatus.OPERATING:
        raise ValidationError(_("This site does not take bookings."), code="site_not_operating")
    rules.week = {
        row["weekday"]: (dt.time.fromisoformat(row["opens"]), dt.time.fromisoformat(row["closes"]))
        for row in rules.hours
    }
    rules.closed = set(rules.closed_on)
    return rules


#: Each room's rules, hours and closures over its booking horizon, kept in this process until
#: a table they were read from is written (``technopark.dataversion``): every booking
#: checks them, few change them.
_kept_rules = dataversion.Kept(500)


def _kept_rules_of(space: Space, *, today: dt.date, state: dataversion.State) -> RoomRules:
    """``_rules_of`` the room from ``today`` to the longest horizon a room may have, kept
    under the data's versions ``state``.

    Shared by the requests of this process: never changed after it is read.
    """
    return _kept_rules.get(
        (space.pk, today),
        state,
        lambda: _rules_of(space, first=today, last=today + dt.timedelta(days=HORIZON_DAYS_MAX)),
    )


def _hours_on(rules: RoomRules, weekday: int) -> tuple[dt.time, dt.time] | None:
    """(opens, closes) of the room on ``weekday``, or None when it is closed that day."""
    week = getattr(rules, "week", None)
    if week is None:
        week = {h.weekday: (h.opens, h.closes) for h in rules.opening_hours.all()}
    return week.get(weekday)


def check_slot(
    *,
    space: Space,
    day: dt.date,
    start: dt.time,
    end: dt.time,
    now: dt.datetime,
    rules: RoomRules | None = None,
    closed: set[dt.date] | None = None,
    state: dataversion.State | None = None,
) -> Slot:
    """Check a local day and times against the room's rules; the instants in UTC.

    Refused: an end not after the start, a time the clocks skip or repeat, a
    past start, a day beyond the booking horizon, a closed day (site or
    network closure, or no opening hours that weekday), times outside the
    opening hours or off the slot step, a duration outside the room's limits.
    A weekly series passes the room's ``rules`` and the ``closed`` days of its
    whole span, read once; otherwise the rules are kept between requests, under
    the data's versions ``state`` when the caller has read them.
    """
    today = timezone.localdate(now)
    rules = rules or _kept_rules_of(space, today=today, state=state or dataversion.current())
    if end <= start:
        raise ValidationError(_("The end must be after the start."), code="end_before_start")
    if day > today + dt.timedelta(days=rules.horizon_days):
        raise ValidationError(
            _("This room can be booked at most %(days)s days ahead."),
            code="too_far",
            params={"days": rules.horizon_days},
        )
    starts_at = local_instant(day, start)
    ends_at = local_instant(day, end)
    if starts_at <= now:
        raise ValidationError(_("This time is already past."), code="past")
    site = rules.space.site
    if closed is None:
        closed = getattr(rules, "closed", None)
    if closed is None:
        closed = closed_days(site=site, start=day, end=day)
    if day in closed:
        closure = selectors.closures_by_day(site=site, first=day, last=day).get(day)
        reason = closure.name if closure else ""
        raise ValidationError(
            _("%(site)s is closed on %(day)s (%(reason)s)."),
            code="closed_day",
            params={"site": site.name, "day": format_day(day), "reason": reason},
        )
    hours = _hours_on(rules, day.weekday())
    if hours is None:
        raise ValidationError(
            _("This room is closed on %(weekday)s."),
            code="closed_weekday",
            params={"weekday": Weekday(day.weekday()).label},
        )
    opens, closes = hours
    if start < opens or end > closes:
        raise ValidationError(
            _("On %(day)s this room is open from %(opens)s to %(closes)s."),
            code="outside_hours",
            params={
                "day": format_day(day),
                "opens": opens.strftime("%H:%M"),
                "closes": closes.strftime("%H:%M"),
            },
        )
    step = rules.step_minutes
    if (start.hour * 60 + start.minute) % step or (end.hour * 60 + end.minute) % step:
        raise ValidationError(
            _("Bookings of this room start and end on multiples of %(step)s minutes."),
            code="off_step",
            params={"step": step},
        )
    slot = Slot(space=rules.space, rules=rules, day=day, starts_at=starts_at, ends_at=ends_at)
    if slot.minutes < rules.min_minutes:
        raise ValidationError(
            _("A booking of this room lasts at least %(minutes)s minutes."),
            code="too_short",
            params={"minutes": rules.min_minutes},
        )
    if slot.minutes > rules.max_minutes:
        raise ValidationError(
            _("A booking of this room lasts at most %(minutes)s minutes."),
            code="too_long",
            params={"minutes": rules.max_minutes},
        )
    return slot


def _within_reach(day: dt.date, now: dt.datetime) -> bool:
    """Whether ``day`` is neither past nor beyond the longest horizon a room may have."""
    today = timezone.localdate(now)
    return today <= day <= today + dt.timedelta(days=HORIZON_DAYS_MAX)


def _check_booker(*, actor, holder, company: Company | None, site_id: int) -> bool:
    """Who may book: staff for anyone, a tenant for their company, a nomad at their site.

    Returns whether the actor books as staff (no approval wait, no notice).
    """
    if access.at_site(actor, "coworking.add_roombooking", site_id):
        if (
            company is not None
            and not Membership.objects.filter(company=company, user=holder).exists()
        ):
            raise ValidationError(
                _("This person does not work for that company."), code="not_a_member"
            )
        return True
    if holder != actor:
        raise PermissionDenied
    if company is not None:
        if company.pk not in access.company_ids(actor, "coworking.add_roombooking"):
            raise ValidationError(_("You cannot book for this company."), code="not_your_company")
        return False
    profile = getattr(actor, "nomad_profile", None)
    if profile is None or not profile.is_approved:
        raise ValidationError(
            _("Rooms can be booked once the front desk has approved your membership."),
            code="not_approved",
        )
    # A nomad is a member of the site that approved them, and books there only;
    # residents book at any operating site (priced there: their free hours are
    # their home site's, see _FreeHours).
    if profile.site_id != site_id:
        raise ValidationError(
            _("Your coworking membership is at %(site)s: you can book its rooms only."),
            code="other_site",
            params={"site": profile.site.name},
        )
    return False


def _check_capacity(space: Space, attendees: int) -> None:
    if space.capacity and attendees > space.capacity:
        raise ValidationError(
            _("This room holds at most %(capacity)s people."),
            code="over_capacity",
            params={"capacity": space.capacity},
        )


def _money(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


#: The company's allowance row at a site, locked: only that row (the model's ordering
#: would join, and lock, the site and the company, making every booking at the site wait
#: for every other).
_ALLOWANCE_LOCKED = (
    "SELECT hours_per_month FROM coworking_allowance WHERE company_id = %s AND site_id = %s "
    "ORDER BY id LIMIT 1 FOR UPDATE"
)
#: The free minutes the company's active bookings spent at a site from one instant to
#: another (``selectors.free_minutes_used`` for one site, as plain SQL: it runs on every
#: booking, in the round trip that takes the locks).
_FREE_MINUTES_USED = (
    "SELECT COALESCE(SUM(b.free_minutes), 0) FROM coworking_roombooking b "
    "JOIN sites_space s ON s.id = b.space_id "
    "WHERE b.company_id = %s AND s.site_id = %s AND b.status = ANY(%s) "
    "AND lower(b.during) >= %s AND lower(b.during) < %s"
)


@dataclass
class _FreeHours:
    """A company's monthly free minutes at one site, for the bookings of one request.

    The allowance row is locked (two bookings at once cannot both spend the
    same free hours), once per request; each month's use is summed once, then
    kept up to date as the request books.
    """

    company: Company | None
    site_id: int
    total: int | None = None
    used: dict[dt.date, int] = field(default_factory=dict)

    @classmethod
    def locked(
        cls,
        company: Company | None,
        site_id: int,
        *,
        room: int,
        days: list[dt.date],
        month_of: dt.date | None,
        versions: bool = True,
    ) -> tuple["_FreeHours", dataversion.State | None]:
        """Lock the ``room`` on ``days`` (``_lock_room_days``), read the data's versions, lock
        the company's allowance row, then read its use in the month of ``month_of``: one
        round trip. The use is read after the row lock is granted, so it counts the bookings
        of whoever held the lock before. The versions (unless not ``versions``) are read before
        any row is locked: a transaction that locked one has an id, and nothing is kept."""
        then: list[tuple[str, list]] = [(dataversion.STATEMENT, [])] if versions else []
        if company is not None:
            then.append((_ALLOWANCE_LOCKED, [company.pk, site_id]))
        if company is not None and month_of is not None:
            start, end = month_bounds(month_of)
            then.append(
                (_FREE_MINUTES_USED, [company.pk, site_id, list(ACTIVE_BOOKING), start, end])
            )
        rows = _lock_room_days(room, days, then=then)
        state = dataversion.read(rows.pop(0)[0]) if versions else None
        hours = cls(company, site_id)
        if company is not None:
            allowance = rows[0]
            if allowance:
                hours.total = int(allowance[0][0] * 60)
            if allowance and month_of is not None:
                hours.used[month_of.replace(day=1)] = int(rows[1][0][0])
        return hours, state

    def _used(self, day: dt.date) -> int:
        month = day.replace(day=1)
        if month not in self.used:
            used = selectors.free_minutes_used(
                company=self.company, site_ids=[self.site_id], day=day
            )
            self.used[month] = used.get(self.site_id, 0)
        return self.used[month]

    def free_for(self, slot: Slot) -> int:
        """The minutes of ``slot`` the allowance still covers this month."""
        if self.total is None:
            return 0
        return max(0, min(slot.minutes, self.total - self._used(slot.day)))

    def spend(self, slot: Slot, minutes: int) -> None:
        if minutes:
            self.used[slot.day.replace(day=1)] += minutes


def _room_days(room_id: int, days) -> list[int]:
    """The lock keys of a room's local days: one per (room, day), folded into 31 bits (two
    pairs sharing a key only wait for each other without need)."""
    return [(room_id * 1_000_003 + day.toordinal()) % 2**31 for day in days]


def _local_days(starts_at: dt.datetime, ends_at: dt.datetime) -> list[dt.date]:
    """The local days a period from ``starts_at`` to ``ends_at`` (excluded) touches."""
    first = starts_at.astimezone(clock.local_zone()).date()
    last = (ends_at - dt.timedelta(microseconds=1)).astimezone(clock.local_zone()).date()
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


def _lock_room_days(room_id: int, days, *, then=()) -> list[list[tuple]]:
    """Competing bookings of a room on a local day queue here, rather than deadlock on the
    constraint; bookings of the room on other days do not wait (a booking lies within one
    local day, a blocked period locks every day it touches). ``then``: statements run once
    the locks are held (``lock_resources``)."""
    try:
        return lock_resources("coworking.room_day", _room_days(room_id, days), then=then)
    except ResourceBusyError:
        raise _busy() from None


def _busy() -> ValidationError:
    return ValidationError(
        _("Many people are booking this room right now: try again in a moment."), code="busy"
    )


def _book(
    *,
    slot: Slot,
    actor,
    holder,
    company,
    as_staff: bool,
    free_hours: _FreeHours,
    savepoint: bool = True,
    **fields,
) -> RoomBooking:
    """Price ``slot`` and insert its booking (in a savepoint, for a series that goes on after
    a refused date); an overlap is a ``ValidationError``."""
    free = free_hours.free_for(slot)
    billable = Decimal(slot.minutes - free) / 60
    pending = slot.rules.needs_approval and not as_staff
    booking = RoomBooking(
        # A copy: the kept rules' room is shared by this process's requests, and must not
        # take what a caller loads or changes on its booking's room.
        space=copy.copy(slot.space),
        during=DateTimeTZRange(slot.starts_at, slot.ends_at, "[)"),
        status=BookingStatus.PENDING if pending else BookingStatus.CONFIRMED,
        holder=holder,
        company=company,
        booked_by=actor,
        # Bookable rooms have an hourly rate.
        price=_money(slot.space.hourly_rate * billable),  # type: ignore[operator]
        free_minutes=free,
        **fields,
    )
    try:
        refused = insert(booking, refused_by=("room_booking_no_overlap",), savepoint=savepoint)
    except OperationalError as error:
        # Without a savepoint there is no retry: a writer of the room that did not take
        # its day's lock (a process of the previous release, during a deploy) deadlocked
        # with this one, and PostgreSQL failed this one.
        if getattr(error.__cause__, "sqlstate", None) != DEADLOCK_DETECTED:
            raise
        raise _busy() from None
    if refused:
        raise ValidationError(_("This room is already booked at that time."), code="overlap")
    free_hours.spend(slot, free)
    return booking


@transaction.atomic
def room_booking_create(
    *,
    actor,
    space: Space,
    day: dt.date,
    start: dt.time,
    end: dt.time,
    holder=None,
    company: Company | None = None,
    title: str = "",
    attendees: int = 1,
    now: dt.datetime | None = None,
    notify: bool = True,
) -> RoomBooking:
    """Book ``space`` on local ``day`` from ``start`` to ``end`` for ``holder`` (default: actor).

    Enforces the room's rules (``check_slot``), who may book (``_check_booker``),
    the room's capacity, the company's monthly allowance, and, through
    PostgreSQL, that no active booking of the room overlaps. Rooms that need
    approval are held as pending until staff decide; staff bookings are
    confirmed at once. ``now`` is the moment of the request (tests fix it).
    """
    now = now or timezone.now()
    holder = holder or actor
    if not _within_reach(day, now):
        # Refused by the room's rules, with their message, before any lock is taken or a
        # month's bounds are worked out for the year 9999.
        check_slot(space=space, day=day, start=start, end=end, now=now)
    as_staff = _check_booker(actor=actor, holder=holder, company=company, site_id=space.site_id)
    # The locks first, in the round trip that reads the versions the rules are kept under.
    free_hours, state = _FreeHours.locked(
        company, space.site_id, room=space.pk, days=[day], month_of=day
    )
    slot = check_slot(space=space, day=day, start=start, end=end, now=now, state=state)
    _check_capacity(slot.space, attendees)
    booking = _book(
        slot=slot,
        actor=actor,
        holder=holder,
        company=company,
        as_staff=as_staff,
        free_hours=free_hours,
        # The room is locked, so no other booking of it can deadlock with this one; a
        # refusal ends this atomic function, which rolls back.
        savepoint=False,
        title=title,
        attendees=attendees,
        created_at=now,
    )
    if notify:
        mail.send_to([holder], "coworking_booking", {"bookings": [booking], "booking": booking})
        _announce_pending([booking])
    return booking


def _announce_pending(bookings: list[RoomBooking]) -> None:
    """The staff who decide on a room's bookings hear of those waiting for them."""
    first = bookings[0]
    if first.status != BookingStatus.PENDING:
        return
    site = first.space.site
    mail.notify(
        access.staff_with("coworking.change_roombooking", site),
        "coworking_booking_pending",
        {
            "booking": first,
            "bookings": bookings,
            "site": site,
            "path": reverse("coworking:approvals", args=[site.slug]),
        },
    )


def series_days(first_day: dt.date, until: dt.date) -> list[dt.date]:
    """The weekly dates from ``first_day`` to ``until`` inclusive, at most ``MAX_SERIES``.

    The count is checked before any date is built: an ``until`` in year 9999
    is refused at once.
    """
    if until < first_day:
        raise ValidationError(
            _("The series cannot end before its first date."), code="series_backwards"
        )
    count = (until - first_day).days // 7 + 1
    if count > MAX_SERIES:
        raise ValidationError(
            _("A series has at most %(count)s dates."),
            code="series_too_long",
            params={"count": MAX_SERIES},
        )
    return [first_day + dt.timedelta(weeks=n) for n in range(count)]


@transaction.atomic
def room_booking_series_create(
    *,
    actor,
    space: Space,
    first_day: dt.date,
    until: dt.date,
    start: dt.time,
    end: dt.time,
    holder=None,
    company: Company | None = None,
    title: str = "",
    attendees: int = 1,
    now: dt.datetime | None = None,
) -> list[RoomBooking]:
    """Book the same times every week from ``first_day`` until ``until``: all dates or none.

    The room's rules, who books, the capacity and the closed days of the whole
    span are read once; each date is then checked and inserted in its own
    savepoint. If any date fails, the whole series is rolled back and
    ``SeriesConflictError`` lists every refused date with its reason.
    """
    now = now or timezone.now()
    holder = holder or actor
    days = series_days(first_day, until)
    rules = _rules_of(space, first=days[0], last=days[-1])
    room = rules.space
    as_staff = _check_booker(actor=actor, holder=holder, company=company, site_id=room.site_id)
    _check_capacity(room, attendees)
    closed = rules.closed
    free_hours, _state = _FreeHours.locked(
        company,
        room.site_id,
        room=room.pk,
        days=days,
        # A first date out of reach is refused below, as a conflict: no month is read for it.
        month_of=days[0] if _within_reach(days[0], now) else None,
        versions=False,
    )
    series = uuid.uuid4()
    bookings, conflicts = [], []
    for day in days:
        try:
            slot = check_slot(
                space=room, day=day, start=start, end=end, now=now, rules=rules, closed=closed
            )
            bookings.append(
                _book(
                    slot=slot,
                    actor=actor,
                    holder=holder,
                    company=company,
                    as_staff=as_staff,
                    free_hours=free_hours,
                    title=title,
                    attendees=attendees,
                    series=series,
                    created_at=now,
                )
            )
        except ValidationError as exc:
            conflicts.append((day, exc.messages))
    if conflicts:
        raise SeriesConflictError(conflicts)
    mail.send_to(
        [bookings[0].holder], "coworking_booking", {"bookings": bookings, "booking": bookings[0]}
    )
    _announce_pending(bookings)
    return bookings


def _locked(booking: RoomBooking, actor, *, via: str = access.VIA_ANY) -> RoomBooking:
    return locked_in_scope(
        RoomBooking.objects.select_related("space__site", "holder"),
        actor,
        "coworking.change_roombooking",
        booking,
        via=via,
    )


def room_booking_cancel_refusal(
    booking: RoomBooking, *, rules: RoomRules | None, now: dt.datetime, as_staff: bool = False
) -> ValidationError | None:
    """Why ``booking`` cannot be cancelled now, or None: the one cancellation rule.

    The booker (or their company admin) may cancel an active booking up to the
    room's cancellation notice before it starts; staff of the site at any time.
    The portal asks it to decide whether to show the "cancel" button.
    """
    if booking.status not in ACTIVE_BOOKING:
        return ValidationError(_("This booking is no longer active."), code="not_active")
    if as_staff:
        return None
    if booking.starts_at <= now:
        return ValidationError(_("This booking has started: ask the front desk."), code="started")
    hours = rules.cancellation_notice_hours if rules else 0
    if booking.status == BookingStatus.CONFIRMED and booking.starts_at - now < dt.timedelta(
        hours=hours
    ):
        return ValidationError(
            _("This room's bookings can be cancelled up to %(hours)s hours before they start."),
            code="too_late",
            params={"hours": hours},
        )
    return None


@transaction.atomic
def room_booking_cancel(
    *, actor, booking: RoomBooking, now: dt.datetime | None = None
) -> RoomBooking:
    """Cancel an active booking, which frees its slot at once.

    The booker (or their company admin) may cancel up to the room's
    cancellation notice before the start; staff of the site at any time.
    """
    now = now or timezone.now()
    booking = _locked(booking, actor)
    as_staff = access.at_site(actor, "coworking.change_roombooking", booking.space.site_id)
    rules = RoomRules.objects.filter(space=booking.space_id).first()
    refusal = room_booking_cancel_refusal(booking, rules=rules, now=now, as_staff=as_staff)
    if refusal is not None:
        raise refusal
    booking.status = BookingStatus.CANCELLED
    booking.cancelled_at = now
    booking.save(update_fields=["status", "cancelled_at"])
    if booking.holder != actor:
        mail.send_to([booking.holder], "coworking_booking_cancelled", {"booking": booking})
    return booking


def _decide(*, actor, booking: RoomBooking, status: str, now) -> RoomBooking:
    booking = _locked(booking, actor, via=access.VIA_SITE)
    if booking.status != BookingStatus.PENDING:
        raise ValidationError(_("This booking is not waiting for approval."), code="not_pending")
    booking.save(update_fields=booking.decide(status=status, actor=actor, now=now))
    mail.send_to([booking.holder], "coworking_booking_decided", {"booking": booking})
    return booking


@transaction.atomic
def room_booking_approve(*, actor, booking: RoomBooking, now: dt.datetime | None = None):
    """Staff of the booking's site confirm a pending booking (it already holds its slot)."""
    return _decide(actor=actor, booking=booking, status=BookingStatus.CONFIRMED, now=now)


@transaction.atomic
def room_booking_reject(*, actor, booking: RoomBooking, now: dt.datetime | None = None):
    """Staff of the booking's site refuse a pending booking, which frees its slot."""
    return _decide(actor=actor, booking=booking, status=BookingStatus.REJECTED, now=now)


def _taken_refusal(conflict: RoomBooking) -> ValidationError:
    start = timezone.localtime(conflict.starts_at)
    end = timezone.localtime(conflict.ends_at)
    return ValidationError(
        _(
            "%(room)s is already booked on %(day)s from %(start)s to %(end)s "
            "(“%(title)s”, booked for %(holder)s)."
        ),
        code="room_taken",
        params={
            "room": conflict.space.name,
            "day": format_day(start.date()),
            "start": start.strftime("%H:%M"),
            "end": end.strftime("%H:%M"),
            "title": conflict.title or "—",
            "holder": conflict.holder.full_name or conflict.holder.email,
        },
    )


@transaction.atomic
def room_booking_block(
    *,
    actor,
    space: Space,
    periods: list[tuple[dt.datetime, dt.datetime]],
    title: str,
    now: dt.datetime | None = None,
) -> list[RoomBooking]:
    """Hold ``space`` over every period (UTC instants) for its site's own use: all or none.

    What an event's dates take (with their set-up and tear-down). Only staff
    of the room's site may block it; opening hours and the slot step do not
    apply (staff choose), but the exclusion constraint does: a period that
    overlaps an active booking is refused with a message naming that booking,
    and nothing is booked. The room's advisory locks (one per day) make two staff
    blocking one room at once queue, so the second finds the first's bookings.
    """
    now = now or timezone.now()
    if not access.at_site(actor, "coworking.add_roombooking", space.site_id):
        raise PermissionDenied
    _lock_room_days(
        space.pk, sorted({d for start, end in periods for d in _local_days(start, end)})
    )
    bookings = []
    for starts_at, ends_at in periods:
        during = DateTimeTZRange(starts_at, ends_at, "[)")
        conflict = (
            RoomBooking.objects.select_related("space", "holder")
            .filter(space=space, status__in=ACTIVE_BOOKING, during__overlap=during)
            .order_by("during")
            .first()
        )
        if conflict is not None:
            raise _taken_refusal(conflict)
        booking = RoomBooking(
            space=space,
            during=during,
            status=BookingStatus.CONFIRMED,
            holder=actor,
            booked_by=actor,
            title=title[:120],
            price=Decimal(0),
            created_at=now,
        )
        if insert(booking, refused_by=("room_booking_no_overlap",)):
            raise ValidationError(_("This room is already booked at that time."), code="overlap")
        bookings.append(booking)
    return bookings


def room_bookings_release(*, bookings: list[RoomBooking], now: dt.datetime | None = None) -> int:
    """Free the rooms ``room_booking_block`` held (the caller checked who may): how many."""
    now = now or timezone.now()
    active = RoomBooking.objects.select_for_update(of=("self",)).filter(
        pk__in=[booking.pk for booking in bookings], status__in=ACTIVE_BOOKING
    )
    count = 0
    for booking in active:
        booking.status = BookingStatus.CANCELLED
        booking.cancelled_at = now
        booking.save(update_fields=["status", "cancelled_at"])  # a history row per booking
        count += 1
    return count
