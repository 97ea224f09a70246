"""Every write of the billing app (see each module's docstring)."""

from billing.services.documents import (
    credit_note_create,
    invoice_draft_delete,
    invoice_issue,
    invoice_issue_many,
)
from billing.services.lines import invoice_line_change, invoice_line_remove
from billing.services.payments import payment_record
from billing.services.run import invoice_line_add, invoice_run
from billing.services.tax_rates import tax_rates_load

__all__ = [
    "credit_note_create",
    "invoice_draft_delete",
    "invoice_issue",
    "invoice_issue_many",
    "invoice_line_add",
    "invoice_line_change",
    "invoice_line_remove",
    "invoice_run",
    "payment_record",
    "tax_rates_load",
]
