"""Payments received against issued invoices."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from billing.models import Invoice, Payment, PaymentMethod
from billing.rules import money
from billing.selectors import with_totals
from billing.services.common import locked_invoice, require_staff
from technopark.templatetags.technopark import mad


@transaction.atomic
def payment_record(
    *,
    actor,
    invoice: Invoice,
    amount: Decimal,
    method: str,
    paid_on: dt.date,
    reference: str = "",
    today: dt.date | None = None,
) -> Payment:
    """Record money received for an issued invoice, in part or in full.

    Refused: a draft, an amount not above zero, more than is left to pay
    (TTC − credit notes − earlier payments: the invoice row is locked, so two
    cashiers cannot both take the last dirham), a date in the future, an
    unknown method, someone who is not billing staff of the invoice's site.
    """
    invoice = locked_invoice(invoice)
    require_staff(actor, "billing.add_payment", invoice.entity.site_id)
    if invoice.number is None:
        raise ValidationError(_("A draft cannot be paid: issue it first."), code="draft")
    if method not in PaymentMethod.values:
        raise ValidationError(_("Choose how it was paid."), code="method")
    try:
        amount = money(Decimal(amount))
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError(_("Give the amount in MAD."), code="amount") from None
    if amount <= 0:
        raise ValidationError(_("A payment must be more than zero."), code="not_positive")
    today = today or timezone.localdate()
    if paid_on > today:
        raise ValidationError(_("A payment cannot be dated in the future."), code="future")
    balance = with_totals(Invoice.objects.filter(pk=invoice.pk)).get().balance  # type: ignore[attr-defined]
    if amount > balance:
        raise ValidationError(
            _("Only %(balance)s is left to pay on this invoice."),
            code="overpayment",
            params={"balance": mad(balance)},
        )
    return Payment.objects.create(
        invoice=invoice,
        amount=amount,
        method=method,
        paid_on=paid_on,
        reference=reference.strip(),
        recorded_by=actor,
    )
