"""``{% site_hours site %}``: when a site's rooms are open, for the site's public page
(a template tag, so the sites app, a lower layer, need not import the coworking app);
``{{ row|calendar_cells }}``: a room's row of the day calendar.
"""

from html import escape as _escape

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from coworking import selectors
from coworking.models import BookingStatus, Weekday

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


@register.filter
def calendar_cells(row) -> SafeString:
    """The ``<td>`` of a room's row: a booking (who booked only where ``shown``), closed
    time, or a free quarter hour (a link to the booking form where it has one).

    Written here rather than as a template loop: the grid has a cell per room and
    quarter hour, and the template's tags per cell made the page's time grow with
    the rooms (the room calendar at ten times the rooms).
    """
    closed = f'<span class="visually-hidden">{escape(_("Closed"))}</span>'
    free = f'<td class="cal-free"><span class="visually-hidden">{escape(_("Free"))}</span></td>'
    cells = []
    for cell in row.cells:
        if cell.kind == "booking":
            cells.append(_booking_cell(cell))
        elif cell.kind == "closed":
            cells.append(f'<td colspan="{cell.span}" class="cal-closed">{closed}</td>')
        elif cell.href:
            cells.append(
                f'<td class="cal-free"><a href="{escape(cell.href)}"><span aria-hidden="true">+'
                f'</span><span class="visually-hidden">{escape(cell.label)}</span></a></td>'
            )
        else:
            cells.append(free)
    # Every value above went through ``escape`` (the standard library's, as Django's own
    # escape does, without its lazy-string wrapper: a grid has hundreds of cells).
    return mark_safe("".join(cells))  # noqa: S308
