"""The accounting journal of a site and period, as CSV or XLSX.

One line per invoice and TVA rate (and per credit note and rate, negative),
then one per payment: the HT, TVA and TTC columns of the invoice lines add up
to each invoice's totals, since both are sums of the same lines.
"""

import csv
import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from billing.models import CreditNoteLine, InvoiceLine, Payment
from sites.models import Site
from technopark import access
from technopark.spreadsheets import inert, workbook_bytes

HEADER = (
    "journal", "date", "piece", "invoice", "client", "client_ice", "tva_rate",
    "amount_ht", "tva", "amount_ttc", "method", "reference",
)  # fmt: skip


@dataclass(frozen=True)
class JournalRow:
    journal: str
    day: dt.date
    piece: str
    invoice: str
    client: str
    client_ice: str
    tva_rate: Decimal | None
    amount_ht: Decimal
    tva: Decimal
    amount_ttc: Decimal
    method: str = ""
    reference: str = ""

    def values(self) -> list:
        return [self.journal, self.day, self.piece, self.invoice, self.client, self.client_ice,
                self.tva_rate, self.amount_ht, self.tva, self.amount_ttc, self.method,
                self.reference]  # fmt: skip


def journal(*, user, site: Site, first: dt.date, last: dt.date) -> list[JournalRow]:
    """The journal rows of ``site`` between ``first`` and ``last`` (inclusive): three queries."""
    rows: list[JournalRow] = []
    lines = (
        access.scope(InvoiceLine.objects.all(), user, via=access.VIA_SITE)
        .filter(invoice__entity__site=site, invoice__number__isnull=False)
        .filter(invoice__issued_on__gte=first, invoice__issued_on__lte=last)
        .values("invoice__number", "invoice__issued_on", "invoice__buyer", "tva_rate")
        .annotate(ht=Sum("amount_ht"), tva=Sum("amount_tva"))
        .order_by("invoice__issued_on", "invoice__number", "tva_rate")
    )
    for row in lines:
        buyer = row["invoice__buyer"] or {}
        rows.append(
            JournalRow(
                "VTE",
                row["invoice__issued_on"],
                row["invoice__number"],
                row["invoice__number"],
                buyer.get("name", ""),
                buyer.get("ice", ""),
                row["tva_rate"],
                row["ht"],
                row["tva"],
                row["ht"] + row["tva"],
            )  # fmt: skip
        )
    credits = (
        access.scope(CreditNoteLine.objects.all(), user, via=access.VIA_SITE)
        .filter(credit_note__invoice__entity__site=site)
        .filter(credit_note__issued_on__gte=first, credit_note__issued_on__lte=last)
        .values(
            "credit_note__number",
            "credit_note__issued_on",
            "credit_note__invoice__number",
            "credit_note__invoice__buyer",
            "tva_rate",
        )  # fmt: skip
        .annotate(ht=Sum("amount_ht"), tva=Sum("amount_tva"))
        .order_by("credit_note__issued_on", "credit_note__number", "tva_rate")
    )
    for row in credits:
        buyer = row["credit_note__invoice__buyer"] or {}
        rows.append(
            JournalRow(
                "AV",
                row["credit_note__issued_on"],
                row["credit_note__number"],
                row["credit_note__invoice__number"],
                buyer.get("name", ""),
                buyer.get("ice", ""),
                row["tva_rate"],
                -row["ht"],
                -row["tva"],
                -(row["ht"] + row["tva"]),
            )  # fmt: skip
        )
    payments = (
        access.scope(Payment.objects.all(), user, via=access.VIA_SITE)
        .filter(invoice__entity__site=site, paid_on__gte=first, paid_on__lte=last)
        .select_related("invoice")
        .order_by("paid_on", "pk")
    )
    for payment in payments:
        buyer = payment.invoice.buyer or {}
        rows.append(
            JournalRow(
                "BQ",
                payment.paid_on,
                f"P{payment.pk}",
                payment.invoice.number or "",
                buyer.get("name", ""),
                buyer.get("ice", ""),
                None,
                Decimal(0),
                Decimal(0),
                payment.amount,
                payment.method,
                payment.reference,
            )  # fmt: skip
        )
    return rows


def journal_csv(rows: list[JournalRow]) -> bytes:
    """Semicolon-separated, decimal point, UTF-8 with a BOM (what spreadsheets in Morocco open)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(HEADER)
    for row in rows:
        writer.writerow(["" if value is None else inert(value) for value in row.values()])
    return ("\ufeff" + buffer.getvalue()).encode()


def journal_xlsx(rows: list[JournalRow]) -> bytes:
    """One sheet, typed cells (dates, numbers), and a total row per column of amounts."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Journal"
    sheet.append(HEADER)
    for row in rows:
        sheet.append([inert(value) for value in row.values()])
    for cell in sheet["B"][1:]:
        cell.number_format = "yyyy-mm-dd"
    last = len(rows) + 1
    sheet.append(["TOTAL", None, None, None, None, None, None,
                  f"=SUM(H2:H{last})", f"=SUM(I2:I{last})", f"=SUM(J2:J{last})"])  # fmt: skip
    workbook.properties.creator = "Technopark"
    return workbook_bytes(workbook)  # the same export twice is the same file
