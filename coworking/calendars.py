"""The room calendars: a site's day grid and week, and the rooms free at a time.

Built from the rooms' hours, closures and bookings in a few queries; who booked
shows only to those who may see it (staff of the site, the holder).
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet

from coworking.models import OpeningHours, RoomBooking
from coworking.selectors import bookable_rooms, closures_by_day
from coworking.timing import local_day_of, local_instant, local_minutes
from sites.models import Closure, Site, Space
from sites.selectors import closed_days
from technopark import access, clock, dataversion

#: The day grid's step, in minutes.
GRID_STEP = 30

#: A site's rooms (with rules and hours) and closures for some days, kept in this process
#: until a table they were read from is written (``technopark.dataversion``).
_kept = dataversion.Kept(200)


def _rooms_and_closures(site: Site, first: dt.date, last: dt.date):
    """``(rooms, closures by day)`` of ``site`` from ``first`` to ``last``: read once, then
    kept (the calendars are the most visited pages; rooms and closures change seldom)."""
    return _kept.get(
        (site.pk, first, last),
        dataversion.current(),
        lambda: (
            list(bookable_rooms(site=site)),
            closures_by_day(site=site, first=first, last=last),
        ),
    )


def _hours_on(room: Space, day: dt.date) -> OpeningHours | None:
    weekday = day.weekday()
    return next((h for h in room.booking_rules.opening_hours.all() if h.weekday == weekday), None)


def _active_bookings(rooms_filter: Q, start: dt.datetime, end: dt.datetime) -> QuerySet:
    return (
        access.public(RoomBooking.objects.filter(rooms_filter))
        .filter(during__overlap=(start, end))
        .order_by("during")
    )


def _visible(bookings: list[RoomBooking], user) -> set[int]:
    """Ids of the bookings whose details (who, what for) ``user`` may read: one query, which
    also brings those bookings' holder and company (the others never show them)."""
    if not bookings or user is None or not user.is_authenticated:
        return set()
    readable = access.scope(
        RoomBooking.objects.filter(pk__in=[b.pk for b in bookings]), user
    ).select_related("holder", "company")
    details = {booking.pk: booking for booking in readable}
    for booking in bookings:
        if booking.pk in details:
            booking.holder = details[booking.pk].holder
            booking.company = details[booking.pk].company
    return set(details)


# --- Calendars ----------------------------------------------------------------------------


@dataclass
class Cell:
    kind: str  # "closed", "free" or "booking"
    start: int  # minutes after local midnight
    span: int = 1
    booking: RoomBooking | None = None
    shown: bool = False

    @property
    def time(self) -> dt.time:
        return dt.time(self.start // 60, self.start % 60)

    @property
    def hhmm(self) -> str:
        return f"{self.start // 60:02d}:{self.start % 60:02d}"


#: Where a room row's booking label takes each free cell's time.
TIME_SLOT = "\x00"


@dataclass
class RoomRow:
    room: Space
    cells: list[Cell] = field(default_factory=list)
    #: For those who may book: the booking form's link without its start time (each free
    #: cell adds its own), and the link's words for screen readers with ``TIME_SLOT``.
    book_href: str = ""
    book_label: str = ""


@dataclass
class DayCalendar:
    site: Site
    day: dt.date
    closure: Closure | None
    columns: list[dt.time]
    rows: list[RoomRow]
    step: int


def _day_minutes(instant: dt.datetime, day: dt.date, default: int) -> int:
    """Wall-clock minutes of ``instant`` on local ``day``; ``default`` if on another day."""
    return local_minutes(instant) if local_day_of(instant) == day else default


def _grid_row(day, hours, bookings, lo, hi, step) -> list[Cell]:
    """A room's cells from ``lo`` to ``hi`` (minutes): its bookings (in start order, never
    overlapping: PostgreSQL's constraint), then closed and free steps around them."""
    spans = []
    for booking in bookings:
        start = max(lo, _day_minutes(booking.starts_at, day, 0))
        end = min(hi, _day_minutes(booking.ends_at, day, 24 * 60))
        if end > start:
            spans.append((start, end, booking))
    opens, closes = (minutes_of(hours.opens), minutes_of(hours.closes)) if hours else (hi, hi)
    cells, t, i = [], lo, 0
    while t < hi:
        while i < len(spans) and spans[i][1] <= t:
            i += 1
        if i < len(spans) and spans[i][0] <= t:
            end, booking = spans[i][1], spans[i][2]
            columns = -(-(end - t) // step)
            cells.append(Cell("booking", t, columns, booking))
            t += columns * step
            continue
        if t < opens or t >= closes:
            if cells and cells[-1].kind == "closed":
                cells[-1].span += 1
            else:
                cells.append(Cell("closed", t))
        else:
            cells.append(Cell("free", t))
        t += step
    return cells


def minutes_of(time: dt.time) -> int:
    return time.hour * 60 + time.minute


def calendar_day(*, site: Site, day: dt.date, user) -> DayCalendar:
    """A site's rooms on one local day: a grid of free, closed and booked slots.

    A fixed number of queries whatever the number of bookings.
    """
    rooms, closures = _rooms_and_closures(site, day, day)
    closure = closures.get(day)
    hours = {room.pk: _hours_on(room, day) for room in rooms}
    open_hours = [h for h in hours.values() if h is not None]
    if open_hours:
        lo = min(minutes_of(h.opens) for h in open_hours)
        hi = max(minutes_of(h.closes) for h in open_hours)
    else:
        lo, hi = 8 * 60, 20 * 60
    lo -= lo % GRID_STEP
    hi += -hi % GRID_STEP
    start, end = clock.day_bounds(day)
    bookings = list(_active_bookings(Q(space__in=[r.pk for r in rooms]), start, end))
    shown = _visible(bookings, user)
    by_room: dict[int, list[RoomBooking]] = {}
    for booking in bookings:
        by_room.setdefault(booking.space_id, []).append(booking)
    rows = []
    for room in rooms:
        room_hours = None if closure else hours[room.pk]
        cells = _grid_row(day, room_hours, by_room.get(room.pk, []), lo, hi, GRID_STEP)
        for cell in cells:
            cell.shown = cell.booking is not None and cell.booking.pk in shown
        rows.append(RoomRow(room, cells))
    columns = [dt.time(m // 60, m % 60) for m in range(lo, hi, GRID_STEP)]
    return DayCalendar(site, day, closure, columns, rows, GRID_STEP)


@dataclass
class WeekDay:
    day: dt.date
    closure: Closure | None


@dataclass
class WeekCell:
    day: dt.date
    closed: bool
    bookings: list[tuple[RoomBooking, bool]]


@dataclass
class WeekCalendar:
    site: Site
    monday: dt.date
    days: list[WeekDay]
    rows: list[tuple[Space, list[WeekCell]]]


def calendar_week(*, site: Site, day: dt.date, user) -> WeekCalendar:
    """A site's rooms over the week (Monday to Sunday) holding ``day``, booking by booking."""
    monday = day - dt.timedelta(days=day.weekday())
    days = [monday + dt.timedelta(days=n) for n in range(7)]
    rooms, closures = _rooms_and_closures(site, days[0], days[-1])
    start, end = clock.day_bounds(days[0])[0], clock.day_bounds(days[-1])[1]
    bookings = list(_active_bookings(Q(space__in=[r.pk for r in rooms]), start, end))
    shown = _visible(bookings, user)
    grouped: dict[tuple[int, dt.date], list] = {}
    for booking in bookings:
        key = (booking.space_id, local_day_of(booking.starts_at))
        grouped.setdefault(key, []).append((booking, booking.pk in shown))
    rows = []
    for room in rooms:
        cells = [
            WeekCell(
                d,
                d in closures or _hours_on(room, d) is None,
                grouped.get((room.pk, d), []),
            )
            for d in days
        ]
        rows.append((room, cells))
    return WeekCalendar(site, monday, [WeekDay(d, closures.get(d)) for d in days], rows)


def free_rooms(
    *, site: Site, day: dt.date, start: dt.time, end: dt.time, people: int
) -> list[Space]:
    """Rooms of ``site`` for ``people`` open from ``start`` to ``end`` on ``day`` and not booked.

    Bookable rules other than opening hours (step, duration) are left to the
    booking form, which explains them; closed days give no room. A room is
    taken when a booking the public calendar shows (pending or confirmed)
    overlaps the times.
    """
    if end <= start or closed_days(site=site, start=day, end=day):
        return []
    starts_at, ends_at = local_instant(day, start), local_instant(day, end)
    taken = access.public(
        RoomBooking.objects.filter(space=OuterRef("pk"), during__overlap=(starts_at, ends_at))
    )
    rooms = (
        bookable_rooms(site=site)
        .filter(Q(capacity__isnull=True) | Q(capacity__gte=people))
        .exclude(Exists(taken))
    )
    return [
        room
        for room in rooms
        if (hours := _hours_on(room, day)) is not None
        and hours.opens <= start
        and end <= hours.closes
    ]
