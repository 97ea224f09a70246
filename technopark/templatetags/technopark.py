"""Formatting by locale: amounts in dirhams, surfaces in square metres.

And the one exception: identifiers (years, quarters, ids) are never formatted
as numbers, ``{{ report.year|plain }}`` reads 2026 in every language, where
``{{ report.year }}`` would read "2 026" in French and "2,026" in English
(``USE_THOUSAND_SEPARATOR``).
"""

from django import template

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
