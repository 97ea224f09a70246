"""A row's change history as a person reads it.

django-simple-history lists each change as the stored values: ``submitted →
accepted``, ``2026-12-01 09:00:00+00:00``, ``[2026-12-01, None)``, and "Deleted
user (pk=None)" for an empty reference. Here each value reads as the admin
shows it: the field's label, the choice's label, yes or no, dates and times
in Morocco's clock written by the reader's locale, ranges as sentences
(``technopark.ranges``), people by their name, and a dash for nothing.
"""

import datetime as dt
from decimal import Decimal

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.html import conditional_escape
from django.utils.translation import gettext as _
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper

from technopark.ranges import format_range

#: What an empty value reads as.
EMPTY = "—"


def readable_value(field: models.Field | None, value) -> str:
    """``value`` of ``field`` as the admin would show it, in the reader's language."""
    if isinstance(value, DeletedObject):
        if value.pk is None:
            return EMPTY  # simple-history's name for an empty reference
        return _("a deleted %(kind)s") % {"kind": value.model._meta.verbose_name}
    if value is None or value == "":
        return EMPTY
    if isinstance(value, list):
        return ", ".join(readable_value(None, item) for item in value) or EMPTY
    if isinstance(value, dict):
        return ", ".join(readable_value(None, item) for item in value.values()) or EMPTY
    choices = dict(field.flatchoices) if field is not None and field.choices else None
    if choices and value in choices:
        return str(choices[value])
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dt.datetime):
        moment = timezone.localtime(value) if timezone.is_aware(value) else value
        return date_format(moment, "DATETIME_FORMAT")
    if isinstance(value, dt.date):
        return date_format(value, "DATE_FORMAT")
    if hasattr(value, "lower") and hasattr(value, "isempty"):
        return format_range(value)
    if isinstance(value, Decimal | float):
        return number_format(value, use_l10n=True, force_grouping=True)
    return str(value)  # an integer stays plain: years and ids are never grouped


class ReadableHistory(HistoricalRecordContextHelper):
    """Each change as "label: old → new", with the values ``readable_value`` writes."""

    def format_delta_change(self, change):
        field = self.model._meta.get_field(change.field)
        old = readable_value(field, self.prepare_delta_change_value(change, change.old))
        new = readable_value(field, self.prepare_delta_change_value(change, change.new))
        old, new = self.get_obj_diff_display().common_shorten_repr(old, new)
        label = getattr(field, "verbose_name", change.field)
        return type(change)(
            field=conditional_escape(str(label)[:1].upper() + str(label)[1:]),
            old=conditional_escape(old),
            new=conditional_escape(new),
        )
