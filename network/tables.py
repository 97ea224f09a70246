"""The dashboard's tables: one shape for the page, the CSV and the XLSX export.

A table is columns and rows of cells; a cell holds a raw value (a number, a
rate 0..1, an amount, a text; ``None`` when the figure is missing), how to
format it, the link to the rows behind it and, for figures read from KPI
reports, the reporting rate shown next to it (and exported beside it).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _

from network import rendered
from technopark.spreadsheets import inert, workbook_bytes

TEXT, INT, M2, MAD, PERCENT, DAYS, HOURS = "text", "int", "m2", "mad", "percent", "days", "hours"


@dataclass
class Cell:
    value: object = None
    kind: str = INT
    link: str = ""
    #: The reporting rate behind a KPI figure (0..1), or None; ``rated`` says it applies.
    rate: float | None = None
    rated: bool = False
    #: A warning shown next to the value (a surface nobody entered, a late site).
    note: str = ""
    note_link: str = ""

    @property
    def missing(self) -> bool:
        return self.value is None or self.value == ""


@dataclass
class Column:
    label: str
    kind: str = INT
    rated: bool = False


@dataclass
class Row:
    header: Cell
    cells: list[Cell]


@dataclass
class Table:
    slug: str
    title: str
    columns: list[Column]
    rows: list[Row] = field(default_factory=list)
    footer: Row | None = None
    caption: str = ""

    def digest(self, *extra) -> str:
        """``rendered.digest`` of this table with ``extra`` in the active language, worked out
        once per table object (a kept section's tables are drawn from it again and again)."""
        memo = self.__dict__.setdefault("_digests", {})
        key = (translation.get_language(), *extra)
        if key not in memo:
            memo[key] = rendered.digest("table", (self, *extra))
        return memo[key]

    def __getstate__(self):  # what a digest reads: the content, not the memo
        return {name: value for name, value in self.__dict__.items() if name != "_digests"}

    def add(self, header: Cell, *cells: Cell) -> None:
        if len(cells) != len(self.columns) - 1:
            raise ValueError(f"{self.slug}: {len(cells)} cells for {len(self.columns)} columns")
        self.rows.append(Row(header, list(cells)))

    def total(self, header: Cell, *cells: Cell) -> None:
        self.footer = Row(header, list(cells))

    # --- Export ------------------------------------------------------------------------------

    def _header(self) -> list[str]:
        labels = []
        for column in self.columns:
            labels.append(column.label)
            if column.rated:
                labels.append(_("%(figure)s: reporting rate") % {"figure": column.label})
        return labels

    def _values(self, row: Row) -> list:
        values = []
        for column, cell in zip(self.columns, [row.header, *row.cells], strict=True):
            values.append(export_value(cell))
            if column.rated:
                values.append(None if cell.rate is None else round(cell.rate, 4))
        return values

    def records(self) -> list[list]:
        """The header line, then every row and the total, as raw values (None: missing)."""
        rows = [self._header(), *(self._values(row) for row in self.rows)]
        if self.footer:
            rows.append(self._values(self.footer))
        return rows


def export_value(cell: Cell):
    """A cell's raw value for a spreadsheet: numbers stay numbers, rates stay 0..1."""
    value = cell.value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, float):
        return round(value, 4)
    return value


def as_csv(table: Table, filename: str) -> HttpResponse:
    """The table as CSV (UTF-8 with a BOM, so spreadsheets read Arabic right); missing is empty."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for record in table.records():
        writer.writerow(["" if value is None else inert(value) for value in record])
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def as_xlsx(table: Table, filename: str, *, rtl: bool = False) -> HttpResponse:
    """The table as an XLSX workbook of one sheet (right to left in Arabic); missing is empty."""
    from openpyxl import Workbook  # imported on export only: the page never needs it

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = table.slug[:31]
    sheet.sheet_view.rightToLeft = rtl
    for record in table.records():
        sheet.append([inert(value) for value in record])
    response = HttpResponse(workbook_bytes(workbook), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
