"""Staff review a draft line by line before issue: change a line, remove it, add one.

Each line keeps its amounts, which PostgreSQL checks against quantity × unit
price and the TVA rate; a changed line gets them recomputed here (half-up to
the centime), and the totals are the sum of the lines (``selectors.with_totals``),
so they follow. Once the invoice is issued nothing changes: the services
refuse, the admin shows the lines read-only and the database's triggers refuse
anyway (migration 0002). Removing a line the run wrote (rent, a pass, a room,
an event) frees its source: the next run of that month bills it again.
"""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from billing.models import Invoice, InvoiceLine
from billing.rules import line_amounts
from billing.services.common import locked_invoice, require_staff
from technopark.refusals import refusal

#: A line's amount excl. TVA stays below what its column holds (14 digits, 2 after the point).
MAX_LINE_AMOUNT = Decimal(10) ** 12


def _decimal(value, field: str, message) -> Decimal:
    try:
        number = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise refusal(message, code=field, field=field) from None
    if not number.is_finite():
        raise refusal(message, code=field, field=field)
    return number


def checked_figures(
    *, description: str, quantity, unit_price, tva_rate
) -> tuple[str, Decimal, Decimal, Decimal, Decimal, Decimal]:
    """The line's figures once checked, with its amounts: (description, quantity, unit
    price, rate, amount excl. TVA, TVA). Refused, each with its field: an empty description,
    a quantity not above zero, a negative price, a rate outside 0–100 %, an amount too large.
    """
    description = (description or "").strip()
    if not description:
        raise refusal(_("Describe what is billed."), code="description", field="description")
    quantity = _decimal(quantity, "quantity", _("The quantity must be more than zero."))
    if quantity <= 0:
        raise refusal(_("The quantity must be more than zero."), code="quantity",
                      field="quantity")  # fmt: skip
    unit_price = _decimal(unit_price, "unit_price", _("The unit price cannot be negative."))
    if unit_price < 0:
        raise refusal(_("The unit price cannot be negative."), code="price", field="unit_price")
    tva_rate = _decimal(tva_rate, "tva_rate", _("A TVA rate is between 0 and 100%."))
    if not 0 <= tva_rate <= 100:
        raise refusal(_("A TVA rate is between 0 and 100%."), code="rate", field="tva_rate")
    amount_ht, amount_tva = line_amounts(quantity, unit_price, tva_rate)
    if amount_ht >= MAX_LINE_AMOUNT:  # the columns hold 12 digits before the point
        raise refusal(
            _("This line's amount is too large: split it, or check the figures."),
            code="too_large",
        )
    return description[:300], quantity, unit_price, tva_rate, amount_ht, amount_tva


def _draft_of(line: InvoiceLine, actor) -> tuple[Invoice, InvoiceLine]:
    """The line's invoice, locked, and the line read again under the lock; refused once issued."""
    invoice = locked_invoice(Invoice(pk=line.invoice_id))
    require_staff(actor, "billing.change_invoice", invoice.entity.site_id)
    if invoice.number is not None:
        raise refusal(_("An issued invoice cannot change."), code="issued")
    return invoice, InvoiceLine.objects.get(pk=line.pk, invoice=invoice)


@transaction.atomic
def invoice_line_change(
    *,
    actor,
    line: InvoiceLine,
    description: str,
    quantity,
    unit_price,
    tva_rate,
    exemption_note: str = "",
) -> InvoiceLine:
    """Change one line of a draft: its description, quantity, unit price excl. TVA and TVA
    rate (with the exemption mention a 0 % rate prints); its amounts are recomputed.

    Refused: a line of an issued invoice, someone who is not the site's billing
    staff, and the bad figures ``checked_figures`` names.
    """
    _invoice, line = _draft_of(line, actor)
    description, quantity, unit_price, tva_rate, amount_ht, amount_tva = checked_figures(
        description=description, quantity=quantity, unit_price=unit_price, tva_rate=tva_rate
    )
    line.description, line.quantity, line.unit_price = description, quantity, unit_price
    line.tva_rate, line.amount_ht, line.amount_tva = tva_rate, amount_ht, amount_tva
    line.exemption_note = (exemption_note or "").strip()[:200] if tva_rate == 0 else ""
    line.save(update_fields=["description", "quantity", "unit_price", "tva_rate",
                             "exemption_note", "amount_ht", "amount_tva"])  # fmt: skip
    return line


@transaction.atomic
def invoice_line_remove(*, actor, line: InvoiceLine) -> None:
    """Take one line off a draft (what it billed may be billed again by the next run).

    Refused: a line of an issued invoice, someone who is not the site's billing staff.
    """
    _invoice, line = _draft_of(line, actor)
    line.delete()
