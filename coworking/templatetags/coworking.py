"""``{% site_hours site %}``: when a site's rooms are open, for the site's public page
(a template tag, so the sites app, a lower layer, need not import the coworking app);
``{{ row|calendar_cells }}``: a room's row of the day calendar.
"""

import functools
from html import escape as _escape

from django import template
from django.utils import formats, timezone, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coworking import selectors
from coworking.calendars import TIME_SLOT
from coworking.models import BookingStatus, Weekday
from technopark.numbers import mad

register = template.Library()


def escape(value) -> str:
    return _escape(str(value), quote=True)


@register.inclusion_tag("coworking/_site_hours.html")
def site_hours(site):
    lines = [
        {
            "days": Weekday(line.first).label
            if line.first == line.last
            else f"{Weekday(line.first).label} – {Weekday(line.last).label}",
            "opens": line.opens,
            "closes": line.closes,
        }
        for line in selectors.site_opening_hours(site=site)
    ]
    return {"lines": lines}


def _booking_cell(cell) -> str:
    booking = cell.booking
    pending = booking.status == BookingStatus.PENDING
    if cell.shown:
        who = f"<br><bdi>{escape(booking.title or booking.holder)}</bdi>"
        if booking.company:
            who += f" · {escape(booking.company)}"
    else:
        who = f"<br>{escape(_('Booked'))}"
    starts, ends = timezone.localtime(booking.starts_at), timezone.localtime(booking.ends_at)
    waiting = f"<br><em>{escape(_('waiting for approval'))}</em>" if pending else ""
    return (
        f'<td colspan="{cell.span}" class="cal-booked{" cal-pending" if pending else ""}">'
        f'<time datetime="{starts.isoformat()}">{starts:%H:%M}</time>–'
        f'<time datetime="{ends.isoformat()}">{ends:%H:%M}</time>{who}{waiting}</td>'
    )


@functools.lru_cache(maxsize=8)
def _grid_words(language: str | None) -> tuple[str, str]:
    """A closed and a free cell's hidden words, translated once per language."""
    return (
        f'<span class="visually-hidden">{escape(_("Closed"))}</span>',
        f'<td class="cal-free"><span class="visually-hidden">{escape(_("Free"))}</span></td>',
    )


@register.filter
def calendar_cells(row) -> SafeString:
    """The ``<td>`` of a room's row: a booking (who booked only where ``shown``), closed
    time, or a free quarter hour (a link to the booking form where it has one).

    Written here rather than as a template loop: the grid has a cell per room and
    quarter hour, and the template's tags per cell made the page's time grow with
    the rooms (the room calendar at ten times the rooms).
    """
    closed, free = _grid_words(translation.get_language())
    href = escape(row.book_href)  # each free cell adds its time (digits and a colon)
    before, _slot, after = escape(row.book_label).partition(TIME_SLOT)
    cells = []
    for cell in row.cells:
        if cell.kind == "booking":
            cells.append(_booking_cell(cell))
        elif cell.kind == "closed":
            cells.append(f'<td colspan="{cell.span}" class="cal-closed">{closed}</td>')
        elif href:
            time = cell.hhmm
            cells.append(
                f'<td class="cal-free"><a href="{href}{time}"><span aria-hidden="true">+</span>'
                f'<span class="visually-hidden">{before}{time}{after}</span></a></td>'
            )
        else:
            cells.append(free)
    # Every value above went through ``escape`` (the standard library's, as Django's own
    # escape does, without its lazy-string wrapper: a grid has hundreds of cells).
    return mark_safe("".join(cells))  # noqa: S308


@register.filter
def calendar_room(room) -> SafeString:
    """The ``<th>`` of a room's row: its name, capacity and hourly rate (in Python for the
    same reason as ``calendar_cells``: a translation tag per room was a cost per room)."""
    details = []
    if room.capacity:
        people = ngettext("%(people)s person", "%(people)s people", room.capacity)
        details.append(people % {"people": formats.localize(room.capacity)})
    details.append(_("%(rate)s per hour") % {"rate": mad(room.hourly_rate)})
    return mark_safe(  # noqa: S308 (each value escaped)
        f'<th scope="row">{escape(room.name)}<br><span class="small text-body-secondary">'
        f"{' · '.join(escape(detail) for detail in details)}</span></th>"
    )
