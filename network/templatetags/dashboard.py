"""Formatting the dashboard's cells by locale; missing figures say so."""

from crispy_forms.utils import render_crispy_form
from django import template
from django.template.loader import render_to_string
from django.utils import formats
from django.utils.html import format_html
from django.utils.translation import gettext as _

from network import rendered
from network.tables import DAYS, HOURS, INT, M2, MAD, PERCENT, TEXT, Cell
from technopark.numbers import m2, mad, number, percent

register = template.Library()


def _format(cell: Cell) -> str:
    value = cell.value
    if cell.kind == INT:
        return number(value)
    if cell.kind == M2:
        return m2(value)
    if cell.kind == MAD:
        return mad(value, 0)
    if cell.kind == PERCENT:
        return percent(value)
    if cell.kind == DAYS:
        return formats.number_format(value, 1, use_l10n=True)
    if cell.kind == HOURS:
        return formats.number_format(round(value), 0, use_l10n=True, force_grouping=True)
    return str(value)


@register.filter
def cell(cell: Cell):
    """A figure with its link, its reporting rate and its note; an em dash when missing."""
    if cell.missing:
        shown = format_html(
            '<span class="figure-missing" title="{0}">—<span class="visually-hidden"> {0}</span>'
            "</span>",
            _("missing"),
        )
    elif cell.link:
        shown = format_html('<a href="{}">{}</a>', cell.link, _format(cell))
    elif cell.kind == TEXT:  # text people wrote keeps its own direction ("rapport d'activité")
        shown = format_html("<bdi>{}</bdi>", _format(cell))
    else:
        shown = format_html("{}", _format(cell))
    if cell.rated:
        rate = (
            _("no report")
            if cell.rate is None
            else _("reported by %(rate)s") % {"rate": percent(cell.rate)}
        )
        shown = format_html('{}<br><span class="small text-body-secondary">{}</span>', shown, rate)
    if cell.note:
        note = (
            format_html('<a class="link-secondary" href="{}">{}</a>', cell.note_link, cell.note)
            if cell.note_link
            else cell.note
        )
        shown = format_html('{}<br><span class="small text-body-secondary">{}</span>', shown, note)
    return shown


@register.simple_tag(takes_context=True)
def dashboard_table(context, table, exports=False):
    """``{% dashboard_table table exports %}``: the table's markup, drawn once per content."""
    query = context.get("query", "")
    exports = bool(exports)
    return rendered.drawn(
        "table",
        (table, exports, query),
        lambda: render_to_string(
            "network/_table.html", {"table": table, "exports": exports, "query": query}
        ),
        key=table.digest(exports, query),
    )


@register.simple_tag
def dashboard_filters(form):
    """``{% dashboard_filters form %}``: the filter form (crispy), drawn once per content.

    A GET form (no CSRF token), so its markup follows from what was asked, the
    choices offered and the language alone.
    """
    content = (
        sorted(form.data.lists()),
        [
            (name, [(str(value), str(label)) for value, label in field.widget.choices])
            if hasattr(field.widget, "choices")
            else (name, None)
            for name, field in form.fields.items()
        ],
    )
    return rendered.drawn("filters", content, lambda: render_crispy_form(form))
