"""Formatting by locale: amounts in dirhams, surfaces in square metres.

And the one exception: identifiers (years, quarters, ids) are never formatted
as numbers, ``{{ report.year|plain }}`` reads 2026 in every language, where
``{{ report.year }}`` would read "2 026" in French and "2,026" in English
(``USE_THOUSAND_SEPARATOR``).
"""

from django import template
from django.utils import formats
from django.utils.safestring import mark_safe
from django.utils.translation import ngettext, pgettext

from technopark import french, numbers
from technopark.ranges import format_range

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


@register.filter
def date_range(value):
    """A date or time range as a sentence: "from 1 to 31 December 2026" (technopark.ranges)."""
    return format_range(value)


@register.filter
def with_article(value):
    """A space's name with its French article ("l’Agora"), to use inside ``{% elide %}``."""
    return french.with_article(value)


class _ElideNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        # The block is rendered (and escaped) already; eliding drops a vowel, adds "’".
        return mark_safe(french.elide(self.nodelist.render(context)))  # noqa: S308


@register.tag
def elide(parser, token):
    """``{% elide %}…{% endelide %}``: French elision in what the block renders ("d’Essaouira").

    Already escaped text stays escaped: the block only drops a vowel and an
    apostrophe-free article, it adds no markup.
    """
    nodelist = parser.parse(("endelide",))
    parser.delete_first_token()
    return _ElideNode(nodelist)
