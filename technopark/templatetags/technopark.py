"""Formatting by locale: amounts in dirhams, surfaces in square metres.

And the one exception: identifiers (years, quarters, ids) are never formatted
as numbers, ``{{ report.year|plain }}`` reads 2026 in every language, where
``{{ report.year }}`` would read "2 026" in French and "2,026" in English
(``USE_THOUSAND_SEPARATOR``).
"""

from django import template
from django.utils import formats
from django.utils.translation import ngettext, pgettext

from technopark import numbers

register = template.Library()


@register.filter
def plain(value):
    """An identifier as plain digits (a year, a quarter's number, an id, in text or a URL).

    Never grouped by the locale: ``2026``, not ``2 026``; empty when unknown.
    """
    if value is None:
        return ""
    return str(value)


mad = register.filter("mad", numbers.mad)
m2 = register.filter("m2", numbers.m2)
number = register.filter("number", numbers.number)
percent = register.filter("percent", numbers.percent)


@register.filter
def minutes(value):
    """Whole minutes of a timedelta, rounded up (a 90-second wait reads as 2)."""
    if value is None:
        return ""
    return -(-int(value.total_seconds()) // 60)


@register.filter
def duration(value):
    """A number of minutes as hours and minutes by locale ("5 h 30 min"); empty when unknown."""
    if value in (None, ""):
        return ""
    hours, rest = divmod(int(value), 60)
    hours_text = ngettext("%(hours)s h", "%(hours)s h", hours) % {"hours": hours}
    minutes_text = ngettext("%(minutes)s min", "%(minutes)s min", rest) % {"minutes": rest}
    if hours and rest:
        return pgettext("a duration", "%(hours)s %(minutes)s") % {
            "hours": hours_text,
            "minutes": minutes_text,
        }
    return hours_text if hours else minutes_text


@register.filter(expects_localtime=True)
def day_time(value, day_format="l j F Y"):
    """A local date and its time, joined as the language does ("1 décembre 2026, 09:12",
    "1 ديسمبر 2026، 09:12"); empty when unknown."""
    if not value:
        return ""
    return pgettext("between a date and its time", "%(day)s, %(time)s") % {
        "day": formats.date_format(value, day_format),
        "time": formats.time_format(value, "H:i"),
    }
