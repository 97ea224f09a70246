"""``{% site_hours site %}``: when a site's rooms are open, for the site's public page
(a template tag, so the sites app, a lower layer, need not import the coworking app);
``{{ row|calendar_cells }}``: a room's row of the day calendar.
"""

from django import template
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from coworking import selectors
from coworking.models import BookingStatus, Weekday

register = template.Library()


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


def _at(moment, pattern: str) -> str:
    return formats.date_format(timezone.localtime(moment), pattern)


def _booking_cell(cell) -> SafeString:
    booking = cell.booking
    pending = booking.status == BookingStatus.PENDING
    if cell.shown:
        who = format_html("<br><bdi>{}</bdi>", booking.title or booking.holder)
        if booking.company:
            who = format_html("{} · {}", who, booking.company)
    else:
        who = format_html("<br>{}", _("Booked"))
    return format_html(
        '<td colspan="{}" class="cal-booked{}"><time datetime="{}">{}</time>–'
        '<time datetime="{}">{}</time>{}{}</td>',
        cell.span,
        " cal-pending" if pending else "",
        _at(booking.starts_at, "c"),
        _at(booking.starts_at, "H:i"),
        _at(booking.ends_at, "c"),
        _at(booking.ends_at, "H:i"),
        who,
        format_html("<br><em>{}</em>", _("waiting for approval")) if pending else "",
    )


@register.filter
def calendar_cells(row) -> SafeString:
    """The ``<td>`` of a room's row: a booking (who booked only where ``shown``), closed
    time, or a free quarter hour (a link to the booking form where it has one).

    Written here rather than as a template loop: the grid has a cell per room and
    quarter hour, and the template's tags per cell made the page's time grow with
    the rooms (the room calendar at ten times the rooms).
    """
    closed, free = _("Closed"), _("Free")
    cells = []
    for cell in row.cells:
        if cell.kind == "booking":
            cells.append(_booking_cell(cell))
        elif cell.kind == "closed":
            cells.append(
                format_html(
                    '<td colspan="{}" class="cal-closed"><span class="visually-hidden">{}'
                    "</span></td>",
                    cell.span,
                    closed,
                )
            )
        elif cell.href:
            cells.append(
                format_html(
                    '<td class="cal-free"><a href="{}"><span aria-hidden="true">+</span>'
                    '<span class="visually-hidden">{}</span></a></td>',
                    cell.href,
                    cell.label,
                )
            )
        else:
            cells.append(
                format_html(
                    '<td class="cal-free"><span class="visually-hidden">{}</span></td>', free
                )
            )
    return mark_safe("".join(cells))  # noqa: S308 (each cell escaped by format_html)
