"""Reads of the billing app: totals from the lines, status, balances, statements, figures."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import (
    Case,
    DecimalField,
    ExpressionWrapper,
    F,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncMonth

from billing.models import (
    CreditNote,
    CreditNoteLine,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    Payment,
)
from technopark import access
from technopark.i18n import current_language, translated

ZERO = Value(Decimal("0.00"), output_field=DecimalField(max_digits=14, decimal_places=2))
MONEY = DecimalField(max_digits=14, decimal_places=2)


def _sum(queryset: QuerySet, expression) -> Coalesce:
    """A correlated sum: a subquery, so two sums never multiply each other's rows.

    ``SUM`` as a plain function, not an aggregate: no GROUP BY, one row.
    """
    total = queryset.order_by().annotate(total=Func(expression, function="SUM")).values("total")
    return Coalesce(Subquery(total, output_field=MONEY), ZERO)


def with_totals(invoices: QuerySet[Invoice]) -> QuerySet[Invoice]:
    """``invoices`` with ``total_ht``, ``total_tva``, ``total_ttc``, ``credited``, ``paid``,
    ``balance``: every figure summed from the lines, credit notes and payments, in one query.
    """
    lines = InvoiceLine.objects.filter(invoice=OuterRef("pk"))
    credits = CreditNoteLine.objects.filter(credit_note__invoice=OuterRef("pk"))
    payments = Payment.objects.filter(invoice=OuterRef("pk"))
    return invoices.annotate(
        total_ht=_sum(lines, F("amount_ht")),
        total_tva=_sum(lines, F("amount_tva")),
        credited=_sum(credits, F("amount_ht") + F("amount_tva")),
        paid=_sum(payments, F("amount")),
    ).annotate(
        total_ttc=ExpressionWrapper(F("total_ht") + F("total_tva"), output_field=MONEY),
        balance=ExpressionWrapper(
            F("total_ht") + F("total_tva") - F("credited") - F("paid"), output_field=MONEY
        ),
    )


def status_of(invoice: Invoice, *, today: dt.date) -> str:
    """The status read from the rows (``invoice`` annotated by ``with_totals``)."""
    if invoice.number is None:
        return InvoiceStatus.DRAFT
    total = invoice.total_ttc  # type: ignore[attr-defined]
    if invoice.credited >= total:  # type: ignore[attr-defined]
        return InvoiceStatus.CANCELLED
    if invoice.balance <= 0:  # type: ignore[attr-defined]
        return InvoiceStatus.PAID
    if invoice.due_on is not None and invoice.due_on < today:
        return InvoiceStatus.OVERDUE
    if invoice.paid > 0:  # type: ignore[attr-defined]
        return InvoiceStatus.PARTLY_PAID
    return InvoiceStatus.ISSUED


def with_status(invoices: QuerySet[Invoice], *, today: dt.date) -> QuerySet[Invoice]:
    """``with_totals`` plus ``status`` computed in SQL (for filters: the overdue list)."""
    return with_totals(invoices).annotate(
        status=Case(
            When(number__isnull=True, then=Value(InvoiceStatus.DRAFT)),
            When(credited__gte=F("total_ttc"), then=Value(InvoiceStatus.CANCELLED)),
            When(balance__lte=0, then=Value(InvoiceStatus.PAID)),
            When(due_on__lt=today, then=Value(InvoiceStatus.OVERDUE)),
            When(paid__gt=0, then=Value(InvoiceStatus.PARTLY_PAID)),
            default=Value(InvoiceStatus.ISSUED),
        )
    )


def invoice_document(invoice_pk: int, user=None) -> Invoice:
    """One invoice with what its page and its PDF print (404 when out of ``user``'s scope)."""
    queryset = Invoice.objects.select_related("entity__site", "company", "holder")
    queryset = queryset.prefetch_related("lines", "credit_notes__lines", "payments")
    if user is not None:
        return access.get_object_or_404(with_totals(queryset), user, pk=invoice_pk)
    return with_totals(queryset).get(pk=invoice_pk)


def bought_by(*, company, user, path: str = "") -> Q:
    """The rows of one buyer: ``company`` when the person acts for one in the portal, else
    the person (a nomad billed in person). ``path`` leads from the rows to their invoice."""
    if company is not None:
        return Q(**{f"{path}company": company})
    return Q(**{f"{path}company__isnull": True, f"{path}holder": user})


def portal_invoice_document(invoice_pk: int, *, company, user) -> Invoice:
    """One issued invoice of the buyer for its portal (404: a draft, another buyer's)."""
    queryset = Invoice.objects.filter(bought_by(company=company, user=user), number__isnull=False)
    queryset = queryset.select_related("entity__site").prefetch_related("lines")
    return access.get_object_or_404(with_totals(queryset), user, pk=invoice_pk)


def portal_invoices(*, company, user, today: dt.date) -> QuerySet[Invoice]:
    """A buyer's issued invoices, newest first, for a company's admins or the nomad billed
    (drafts are not shown)."""
    buyer = bought_by(company=company, user=user)
    return with_status(
        access.scope(Invoice.objects.filter(buyer, number__isnull=False), user)
        .select_related("entity__site")
        .order_by("-issued_on", "-number"),
        today=today,
    )


def portal_credit_notes(*, company, user) -> QuerySet[CreditNote]:
    """A buyer's credit notes with their invoice and amounts."""
    lines = CreditNoteLine.objects.filter(credit_note=OuterRef("pk"))
    buyer = bought_by(company=company, user=user, path="invoice__")
    return (
        access.scope(CreditNote.objects.filter(buyer), user)
        .select_related("invoice__entity__site")
        .annotate(
            total_ht=_sum(lines, F("amount_ht")),
            total_ttc=_sum(lines, F("amount_ht") + F("amount_tva")),
        )
        .order_by("-issued_on", "-number")
    )


def credit_note_document(credit_note_pk: int, user, *, via: str = access.VIA_ANY) -> CreditNote:
    """One credit note with its invoice's snapshots and its lines (404 out of scope)."""
    queryset = CreditNote.objects.select_related(
        "invoice__entity__site", "invoice__company", "invoice__holder"
    ).prefetch_related("lines")
    return access.get_object_or_404(queryset, user, via=via, pk=credit_note_pk)


def balance_of(*, company, user) -> Decimal:
    """What the buyer owes (issued invoices − credit notes − payments), in one query."""
    buyer = bought_by(company=company, user=user)
    totals = with_totals(access.scope(Invoice.objects.filter(buyer, number__isnull=False), user))
    return Invoice.objects.filter(pk__in=totals.values("pk")).aggregate(
        owed=Coalesce(Sum(_owed()), ZERO)
    )["owed"]


def _owed():
    lines = InvoiceLine.objects.filter(invoice=OuterRef("pk"))
    credits = CreditNoteLine.objects.filter(credit_note__invoice=OuterRef("pk"))
    payments = Payment.objects.filter(invoice=OuterRef("pk"))
    return ExpressionWrapper(
        _sum(lines, F("amount_ht") + F("amount_tva"))
        - _sum(credits, F("amount_ht") + F("amount_tva"))
        - _sum(payments, F("amount")),
        output_field=MONEY,
    )


@dataclass(frozen=True)
class StatementEntry:
    day: dt.date
    kind: str
    reference: str
    debit: Decimal
    credit: Decimal
    balance: Decimal


def statement(*, company, user) -> list[StatementEntry]:
    """A buyer's statement of account: invoices (debit), credit notes and payments
    (credit), by date, with the running balance. Three queries whatever the rows."""
    from django.utils.translation import gettext as _

    buyer = bought_by(company=company, user=user)
    invoices = with_totals(
        access.scope(Invoice.objects.filter(buyer, number__isnull=False), user)
    ).only("pk", "number", "issued_on")
    notes = portal_credit_notes(company=company, user=user)
    payments = access.scope(
        Payment.objects.filter(bought_by(company=company, user=user, path="invoice__")), user
    ).select_related("invoice")
    moves = [(i.issued_on, 0, _("Invoice"), i.number, i.total_ttc, Decimal(0)) for i in invoices]
    moves += [(n.issued_on, 1, _("Credit note"), n.number, Decimal(0), n.total_ttc) for n in notes]
    moves += [
        (p.paid_on, 2, p.get_method_display(), f"{p.invoice.number} {p.reference}".strip(),
         Decimal(0), p.amount)
        for p in payments
    ]  # fmt: skip
    moves.sort(key=lambda move: (move[0], move[1], move[3]))
    entries, running = [], Decimal(0)
    for day, _order, kind, reference, debit, credit in moves:
        running += debit - credit
        entries.append(StatementEntry(day, kind, reference, debit, credit, running))
    return entries


def staff_invoices(*, user, today: dt.date) -> QuerySet[Invoice]:
    """The invoices of the sites ``user`` works at (all for network managers), with status."""
    return with_status(
        access.scope(Invoice.objects.all(), user, via=access.VIA_SITE).select_related(
            "entity__site", "company", "holder"
        ),
        today=today,
    )


def overdue_invoices(*, user, today: dt.date) -> QuerySet[Invoice]:
    """Issued invoices past their due date with something left to pay, oldest first."""
    return (
        staff_invoices(user=user, today=today)
        .filter(status=InvoiceStatus.OVERDUE)
        .order_by("due_on", "number")
    )


@dataclass(frozen=True)
class MonthFigures:
    site: str
    month: dt.date
    invoiced: Decimal
    collected: Decimal
    overdue: Decimal


def figures_by_site_and_month(
    *, user, first: dt.date, last: dt.date, today: dt.date
) -> list[MonthFigures]:
    """For the network dashboard: per site and month, what was invoiced (TTC, issued that
    month, net of the month's credit notes), collected (payments received that month) and is
    overdue now (balance of that month's invoices past due). Three grouped queries."""
    issued = access.scope(
        Invoice.objects.filter(number__isnull=False, issued_on__gte=first, issued_on__lte=last),
        user,
    )
    figures: dict[tuple[str, dt.date], dict[str, Decimal]] = {}

    def add(site, month, key, value):
        entry = figures.setdefault(
            (site, month), {"invoiced": Decimal(0), "collected": Decimal(0), "overdue": Decimal(0)}
        )
        entry[key] += value or 0

    for site, month, invoiced, overdue in _issued_by_site_and_month(issued, today=today):
        add(site, month, "invoiced", invoiced)
        add(site, month, "overdue", overdue)
    for row in (
        access.scope(CreditNoteLine.objects.all(), user)
        .filter(credit_note__issued_on__gte=first, credit_note__issued_on__lte=last)
        .annotate(m=TruncMonth("credit_note__issued_on"))
        .values("m", site=translated("credit_note__invoice__entity__site__name"))
        .annotate(total=Sum(F("amount_ht") + F("amount_tva")))
        .order_by()
    ):
        add(row["site"], row["m"], "invoiced", -row["total"])
    for row in (
        access.scope(Payment.objects.all(), user)
        .filter(paid_on__gte=first, paid_on__lte=last)
        .annotate(m=TruncMonth("paid_on"))
        .values("m", site=translated("invoice__entity__site__name"))
        .annotate(total=Sum("amount"))
        .order_by()
    ):
        add(row["site"], row["m"], "collected", row["total"])
    return [
        MonthFigures(site, month, **values) for (site, month), values in sorted(figures.items())
    ]


def _issued_by_site_and_month(invoices: QuerySet[Invoice], *, today: dt.date) -> list[tuple]:
    """``(site name, month, invoiced TTC, overdue balance)`` of the scoped ``invoices``.

    The statuses' rule of ``with_status`` (overdue: not cancelled by credit notes, a
    balance left, past due) in SQL written once: as annotations, each total was
    computed again for every condition that reads it (fourteen correlated subqueries
    per invoice), and compiling them cost more than running them.
    """
    try:
        inner, params = invoices.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:  # a scope with no rows at all (.none())
        return []
    table = {model: model._meta.db_table for model in (Invoice, InvoiceLine, CreditNote)}
    entity = Invoice._meta.get_field("entity").related_model
    site = entity._meta.get_field("site").related_model
    name = f"name_{current_language()}"
    required = f"name_{settings.MODELTRANSLATION_DEFAULT_LANGUAGE}"
    site_name = (
        f"COALESCE(NULLIF(s.{site._meta.get_field(name).column}, ''), "
        f"s.{site._meta.get_field(required).column})"
    )
    sql = f"""
        SELECT {site_name}, date_trunc('month', i.issued_on)::date,
               SUM(t.ttc),
               SUM(t.ttc - t.credited - t.paid) FILTER (
                   WHERE t.credited < t.ttc AND t.ttc - t.credited - t.paid > 0
                     AND i.due_on < %s
               )
        FROM {table[Invoice]} i
        JOIN {entity._meta.db_table} e ON e.id = i.entity_id
        JOIN {site._meta.db_table} s ON s.id = e.site_id
        CROSS JOIN LATERAL (
            SELECT
                COALESCE((SELECT SUM(l.amount_ht + l.amount_tva) FROM {table[InvoiceLine]} l
                          WHERE l.invoice_id = i.id), 0) AS ttc,
                COALESCE((SELECT SUM(cl.amount_ht + cl.amount_tva)
                          FROM {CreditNoteLine._meta.db_table} cl
                          JOIN {table[CreditNote]} c ON c.id = cl.credit_note_id
                          WHERE c.invoice_id = i.id), 0) AS credited,
                COALESCE((SELECT SUM(p.amount) FROM {Payment._meta.db_table} p
                          WHERE p.invoice_id = i.id), 0) AS paid
            OFFSET 0  -- kept as one subquery: each total computed once per invoice
        ) t
        WHERE i.id IN ({inner})
        GROUP BY 1, 2
    """  # noqa: S608 (table and column names from the models; values are parameters)
    with connection.cursor() as cursor:
        cursor.execute(sql, [today, *params])
        return cursor.fetchall()
