"""Date and time ranges as a person reads them, in the reader's language.

PostgreSQL's ranges print as ``[2026-12-01, None)``: here a range of days
reads "from 1 December 2026, open-ended" or "from 1 to 31 December 2026" (the
stored upper bound is the first day *after* the range, the last day shown is
the one before it), and a range of times "1 December 2026, 09:00–11:00" in
Morocco's time. One formatter for change lists, read-only fields and the
change history.
"""

import datetime as dt

from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _

#: Date formats: the day alone, the day and month, the full date.
_DAY, _DAY_MONTH, _FULL = "j", "j F", "j F Y"


def _is_range(value) -> bool:
    return hasattr(value, "lower") and hasattr(value, "upper") and hasattr(value, "isempty")


def _local(moment: dt.datetime) -> dt.datetime:
    return timezone.localtime(moment) if timezone.is_aware(moment) else moment


def _last_day(value) -> dt.date | None:
    """The last day a range of days includes (its bounds as stored, often ``[)``)."""
    upper = value.upper
    if upper is None or value.upper_inf:
        return None
    return upper if value.upper_inc else upper - dt.timedelta(days=1)


def _first_day(value) -> dt.date | None:
    lower = value.lower
    if lower is None or value.lower_inf:
        return None
    return lower if value.lower_inc else lower + dt.timedelta(days=1)


def date_span(first: dt.date | None, last: dt.date | None) -> str:
    """Two days, both included (``last`` ``None``: open-ended), as a sentence."""
    if first is None:
        if last is None:
            return _("at any time")
        return _("until %(end)s") % {"end": date_format(last, _FULL)}
    if last is None:
        return _("from %(start)s, open-ended") % {"start": date_format(first, _FULL)}
    if first == last:
        return date_format(first, _FULL)
    if (first.year, first.month) == (last.year, last.month):
        start = date_format(first, _DAY)
    elif first.year == last.year:
        start = date_format(first, _DAY_MONTH)
    else:
        start = date_format(first, _FULL)
    return _("from %(start)s to %(end)s") % {"start": start, "end": date_format(last, _FULL)}


def time_span(start: dt.datetime | None, end: dt.datetime | None) -> str:
    """Two moments in Morocco's time, as a sentence (one day written once)."""
    if start is None and end is None:
        return _("at any time")
    if end is None:
        start = _local(start)  # type: ignore[arg-type]  # not both None
        return _("from %(start)s, open-ended") % {
            "start": _("%(day)s at %(time)s")
            % {"day": date_format(start, _FULL), "time": time_format(start, "H:i")}
        }
    end = _local(end)
    if start is None:
        return _("until %(end)s") % {
            "end": _("%(day)s at %(time)s")
            % {"day": date_format(end, _FULL), "time": time_format(end, "H:i")}
        }
    start = _local(start)
    if start.date() == end.date():
        return _("%(day)s, %(start)s–%(end)s") % {
            "day": date_format(start, _FULL),
            "start": time_format(start, "H:i"),
            "end": time_format(end, "H:i"),
        }
    return _("from %(start)s to %(end)s") % {
        "start": _("%(day)s at %(time)s")
        % {"day": date_format(start, _FULL), "time": time_format(start, "H:i")},
        "end": _("%(day)s at %(time)s")
        % {"day": date_format(end, _FULL), "time": time_format(end, "H:i")},
    }


def format_range(value) -> str:
    """A ``DateRange`` or ``DateTimeTZRange`` as a sentence; empty for ``None``."""
    if value is None or not _is_range(value):
        return "" if value is None else str(value)
    if value.isempty:
        return _("no days")
    bound = value.lower if value.lower is not None else value.upper
    if isinstance(bound, dt.datetime):
        return time_span(value.lower, value.upper)
    return date_span(_first_day(value), _last_day(value))
