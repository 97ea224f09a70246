"""Formatting by locale: amounts in dirhams, surfaces in square metres.

And the one exception: identifiers (years, quarters, ids) are never formatted
as numbers, ``{{ report.year|plain }}`` reads 2026 in every language, where
``{{ report.year }}`` would read "2 026" in French and "2,026" in English
(``USE_THOUSAND_SEPARATOR``).
"""

from django import template
from django.utils import formats
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from technopark import french
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


@register.filter
def mad(value, decimals=2):
    """An amount in dirhams, e.g. ``1 250,00 MAD`` in French (``|mad:0`` for whole dirhams)."""
    if value in (None, ""):
        return ""
    amount = formats.number_format(value, int(decimals), use_l10n=True, force_grouping=True)
    return _("%(amount)s MAD") % {"amount": amount}


@register.filter
def m2(value):
    """A surface, e.g. ``2 350 m²`` in French; empty when unknown."""
    if value in (None, ""):
        return ""
    decimals = 0 if float(value).is_integer() else 2
    area = formats.number_format(value, decimals, use_l10n=True, force_grouping=True)
    return _("%(area)s m²") % {"area": area}


@register.filter
def number(value):
    """A whole number grouped by locale (``3 500``); empty when unknown."""
    if value in (None, ""):
        return ""
    return formats.number_format(value, 0, use_l10n=True, force_grouping=True)


@register.filter
def minutes(value):
    """Whole minutes of a timedelta, rounded up (a 90-second wait reads as 2)."""
    if value is None:
        return ""
    return -(-int(value.total_seconds()) // 60)


@register.filter
def percent(value):
    """A 0..1 rate as a whole percentage by locale (``85 %`` in French); empty when unknown."""
    if value in (None, ""):
        return ""
    return _("%(rate)s %%") % {"rate": formats.number_format(round(value * 100), 0, use_l10n=True)}


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
