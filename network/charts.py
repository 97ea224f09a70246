"""Charts drawn on the server as SVG by pygal, inlined in the page.

No script runs: pygal's JavaScript is switched off and the small configuration
script it still writes into the SVG is removed, so the charts pass the CSP
(``script-src 'self'``). Each chart names the table holding its data, shown
one click away (a ``<details>``) for screen readers and for print.
"""

from __future__ import annotations

import functools
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe

from network import rendered
from network.tables import Table


@functools.cache
def _pygal():
    """pygal and the charts' style, imported when the first chart is drawn (not at start-up)."""
    import pygal
    from pygal.style import Style

    # pygal appends a legacy import hook (for its map plugins, unused here) to
    # sys.meta_path; Python then warns on every later failed import, which the
    # test suite turns into errors. Without maps the hook has nothing to do.
    sys.meta_path[:] = [
        finder for finder in sys.meta_path if type(finder).__name__ != "PluginImportFixer"
    ]
    style = Style(
        background="transparent",
        plot_background="transparent",
        font_family="system-ui, 'Segoe UI', Tahoma, Arial, sans-serif",
        colors=("#0b5394", "#e69138", "#6aa84f", "#a64d79"),
        label_font_size=13,
        major_label_font_size=13,
        legend_font_size=13,
        title_font_size=15,
    )
    return pygal, style


@dataclass
class Chart:
    slug: str
    title: str
    svg: SafeString
    table: Table


def _svg(chart) -> SafeString:
    tree = chart.render_tree()
    for parent in tree.iter():
        for child in list(parent):
            if str(child.tag).endswith("script"):
                parent.remove(child)
    tree.set("role", "img")
    # Inline SVG inherits the page's direction: an Arabic page would flip every
    # anchored label. The axes read left to right in every language (as printed
    # charts in Arabic do); the labels' own text still follows the bidi rules.
    tree.set("direction", "ltr")
    return mark_safe(ET.tostring(tree, encoding="unicode"))  # noqa: S308 (pygal's own SVG)


def _config(**extra):
    return {
        "js": [],
        "disable_xml_declaration": True,
        "style": _pygal()[1],
        "width": 720,
        "height": 320,
        "show_legend": True,
        "legend_at_bottom": True,
        "print_values": False,
        "allow_interruptions": True,
        "no_data_text": "—",
        **extra,
    }


def _values(series: dict) -> list[tuple[str, list[float | None]]]:
    return [
        (str(name), [None if v is None else float(v) for v in values])
        for name, values in series.items()
    ]


def _chart(kind, slug, title, labels, series: dict, table: Table, **config) -> Chart:
    """A pygal ``kind`` ("Line", "Bar") of ``series`` over ``labels``, drawn once per content."""
    labels, values = [str(label) for label in labels], _values(series)

    def draw():
        chart = getattr(_pygal()[0], kind)(**_config(truncate_label=-1, **config))
        chart.x_labels = labels
        for name, points in values:
            chart.add(name, points)
        return _svg(chart)

    key = (kind, slug, str(title), labels, values, sorted(config.items()))
    return Chart(slug, str(title), rendered.drawn("chart", key, draw), table)


def line(slug, title, labels, series: dict, *, table: Table, percent=False) -> Chart:
    """A line per series over ``labels`` (quarters, oldest first); None leaves a gap."""
    return _chart(
        "Line", slug, title, labels, series, table,
        range=(0, 100) if percent else None, x_label_rotation=25,
    )  # fmt: skip


def bars(slug, title, labels, series: dict, *, table: Table) -> Chart:
    """Bars side by side, one group per label (sites)."""
    return _chart("Bar", slug, title, labels, series, table)
