"""Numbers as the active locale writes them: dirhams, square metres, counts.

Pages reach them as template filters (``|mad``, ``|m2``, ``|number``, in
``technopark.templatetags.technopark``); forms, e-mails and documents call them.
"""

from django.utils import formats
from django.utils.translation import gettext as _


def mad(value, decimals=2):
    """An amount in dirhams, e.g. ``1 250,00 MAD`` in French (``|mad:0`` for whole dirhams)."""
    if value in (None, ""):
        return ""
    amount = formats.number_format(value, int(decimals), use_l10n=True, force_grouping=True)
    return _("%(amount)s MAD") % {"amount": amount}


def m2(value):
    """A surface, e.g. ``2 350 m²`` in French; empty when unknown."""
    if value in (None, ""):
        return ""
    decimals = 0 if float(value).is_integer() else 2
    area = formats.number_format(value, decimals, use_l10n=True, force_grouping=True)
    return _("%(area)s m²") % {"area": area}


def number(value):
    """A whole number grouped by locale (``3 500``); empty when unknown."""
    if value in (None, ""):
        return ""
    return formats.number_format(value, 0, use_l10n=True, force_grouping=True)


def percent(value):
    """A 0..1 rate as a whole percentage by locale (``85 %`` in French); empty when unknown."""
    if value in (None, ""):
        return ""
    return _("%(rate)s %%") % {"rate": formats.number_format(round(value * 100), 0, use_l10n=True)}
