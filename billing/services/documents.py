"""Issue an invoice (the number, the snapshots), and credit notes that correct one.

Numbers come from ``NumberSeries`` rows, one per issuing entity, kind and
year, locked with ``SELECT ... FOR UPDATE`` in the transaction that issues: two
issuers queue on the row, and a transaction that fails rolls its number back
with it, so a series has no gap and no duplicate (``number`` is also unique).
"""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from billing.models import (
    CreditNote,
    CreditNoteLine,
    Invoice,
    InvoiceLine,
    IssuingEntity,
    NumberSeries,
    SeriesKind,
)
from billing.rules import money
from billing.services.common import locked_invoice, require_staff
from technopark.templatetags.technopark import mad


def _next_number(entity: IssuingEntity, kind: str, year: int) -> str:
    NumberSeries.objects.bulk_create(
        [NumberSeries(entity=entity, kind=kind, year=year)], ignore_conflicts=True
    )
    series = NumberSeries.objects.select_for_update().get(entity=entity, kind=kind, year=year)
    series.last += 1
    series.save(update_fields=["last"])
    infix = "" if kind == SeriesKind.INVOICE else "AV-"
    return f"{entity.prefix}-{infix}{year}-{series.last:06d}"


def seller_snapshot(entity: IssuingEntity) -> dict:
    return {
        "name": entity.name,
        "address": entity.address,
        "if": entity.tax_id,
        "tp": entity.tp_number,
        "ice": entity.ice,
        "rc": f"{entity.rc_number} – {entity.rc_court}",
        "site": entity.site.name,
        "bank": entity.bank_details,
        "terms_days": entity.payment_terms_days,
    }


def buyer_snapshot(invoice: Invoice) -> dict:
    """The buyer's identity as art. 145 wants it, frozen at issue.

    Companies have their ICE, IF and RC; their address is their office at the
    Technopark. A nomad has an identity document, printed in full on the
    invoice only (masked everywhere else).
    """
    site = invoice.entity.site
    at_site = f"{site.name}, {site.address}".strip(", ")
    if invoice.company is not None:
        company = invoice.company
        form = str(company.get_legal_form_display())
        name = company.legal_name
        return {
            "name": name if form.lower() in name.lower() else f"{name} ({form})",
            "address": at_site,
            "ice": company.ice or "",
            "if": company.tax_id,
            "rc": f"{company.rc_number} – {company.rc_court}" if company.rc_number else "",
        }
    holder = invoice.holder
    profile = getattr(holder, "nomad_profile", None)
    snapshot = {"name": holder.full_name or holder.email, "address": at_site}  # type: ignore[union-attr]
    if profile is not None:
        snapshot["document"] = f"{profile.get_document_kind_display()} {profile.document_number}"
        snapshot["document_masked"] = (
            f"{profile.get_document_kind_display()} {profile.masked_document_number}"
        )
        if profile.company_name:
            snapshot["company_name"] = profile.company_name
    return snapshot


@transaction.atomic
def invoice_issue(*, actor, invoice: Invoice, today: dt.date | None = None) -> Invoice:
    """Give a draft its number (gapless per issuer and year), date, due date and snapshots.

    Refused: an invoice already issued, one without lines, someone who is not
    the site's billing staff. From here on the row and its lines are frozen.
    The document's language is the draft's (``buyer_languages``, when the run
    created it), the one its lines are written in.
    """
    invoice = locked_invoice(invoice)
    require_staff(actor, "billing.change_invoice", invoice.entity.site_id)
    if invoice.number is not None:
        raise ValidationError(_("This invoice is already issued."), code="already_issued")
    if not InvoiceLine.objects.filter(invoice=invoice).exists():
        raise ValidationError(_("An invoice needs at least one line."), code="empty")
    today = today or timezone.localdate()
    entity = invoice.entity
    invoice.number = _next_number(entity, SeriesKind.INVOICE, today.year)
    invoice.issued_on = today
    invoice.due_on = today + dt.timedelta(days=entity.payment_terms_days)
    invoice.issued_by = actor
    invoice.seller = seller_snapshot(entity)
    invoice.buyer = buyer_snapshot(invoice)
    invoice.save()
    return invoice


def invoice_issue_many(*, actor, invoices, today: dt.date | None = None) -> int:
    """Issue each draft of ``invoices`` (each in its own transaction); how many were issued."""
    issued = 0
    for invoice in invoices:
        if invoice.number is None:
            invoice_issue(actor=actor, invoice=invoice, today=today)
            issued += 1
    return issued


@transaction.atomic
def invoice_draft_delete(*, actor, invoice: Invoice) -> None:
    """Drop a draft (its sources may then be billed again); an issued invoice stays forever."""
    invoice = locked_invoice(invoice)
    require_staff(actor, "billing.delete_invoice", invoice.entity.site_id)
    if invoice.number is not None:
        raise ValidationError(
            _("An issued invoice cannot be deleted: issue a credit note."), code="issued"
        )
    invoice.delete()


@transaction.atomic
def credit_note_create(
    *,
    actor,
    invoice: Invoice,
    reason: str,
    amounts: dict[int, Decimal] | None = None,
    today: dt.date | None = None,
) -> CreditNote:
    """Credit an issued invoice: in full (``amounts`` None: what is left of every line) or in
    part (``amounts``: invoice line id -> amount excl. TVA to take back).

    Refused: a draft, an amount not above zero, more than is left to credit on
    a line (what earlier credit notes took back counts), a line of another
    invoice, nothing left to credit. The credit note has its own series.
    """
    invoice = locked_invoice(invoice)
    require_staff(actor, "billing.add_creditnote", invoice.entity.site_id)
    if invoice.number is None:
        raise ValidationError(_("Only an issued invoice can be credited."), code="draft")
    if not reason.strip():
        raise ValidationError(_("Say why the invoice is credited."), code="no_reason")
    lines = {line.pk: line for line in InvoiceLine.objects.filter(invoice=invoice)}
    credited: dict[int, Decimal] = {}
    for line_id, amount in CreditNoteLine.objects.filter(invoice_line__invoice=invoice).values_list(
        "invoice_line", "amount_ht"
    ):
        credited[line_id] = credited.get(line_id, Decimal(0)) + amount
    left = {pk: line.amount_ht - credited.get(pk, Decimal(0)) for pk, line in lines.items()}
    if amounts is None:
        amounts = {pk: rest for pk, rest in left.items() if rest > 0}
        if not amounts:
            raise ValidationError(
                _("Nothing is left to credit on this invoice."), code="nothing_left"
            )
    wanted: list[tuple[InvoiceLine, Decimal]] = []
    for line_id, amount in amounts.items():
        if line_id not in lines:
            raise ValidationError(_("This line is not on the invoice."), code="other_invoice")
        amount = money(Decimal(amount))
        if amount <= 0:
            raise ValidationError(_("A credit must be more than zero."), code="not_positive")
        if amount > left[line_id]:
            raise ValidationError(
                _("At most %(left)s excl. TVA is left to credit on “%(line)s”."),
                code="over_credit",
                params={"left": mad(left[line_id]), "line": lines[line_id].description},
            )
        wanted.append((lines[line_id], amount))
    today = today or timezone.localdate()
    note = CreditNote.objects.create(
        invoice=invoice,
        number=_next_number(invoice.entity, SeriesKind.CREDIT_NOTE, today.year),
        issued_on=today,
        reason=reason.strip(),
        issued_by=actor,
    )
    CreditNoteLine.objects.bulk_create(
        CreditNoteLine(
            credit_note=note,
            invoice_line=line,
            description=line.description,
            tva_rate=line.tva_rate,
            amount_ht=amount,
            amount_tva=money(amount * line.tva_rate / 100),
        )
        for line, amount in wanted
    )
    return note
