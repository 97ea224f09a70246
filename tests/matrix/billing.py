"""Rows of the billing area: the portal's invoices, and the staff admin's billing pages.

The objects: site A's issuing entity, company A's issued invoice (partly credited and
partly paid, so there is still something to credit and to pay) and a draft.
"""

import datetime as dt
from decimal import Decimal

from billing.models import Invoice, InvoiceLine, IssuingEntity, TaxRate
from billing.services import credit_note_create, invoice_issue, payment_record
from tests.matrix import (
    ANONYMOUS,
    EDIT,
    HIDDEN,
    LOGIN,
    NONE,
    PORTAL,
    VIEW,
    Url,
    admin_rows,
    named,
    row,
)

MONTH = dt.date(2026, 5, 1)
OWN_COMPANY = row(LOGIN, 200, 200, 404, 404, 404, 404)
SITE_STAFF_WRITE = row(LOGIN, 404, 404, 200, 404, 404, 200)
SITE_STAFF_READ = row(LOGIN, 404, 404, 200, 404, 200, 200)
ANY_BILLING_STAFF = row(LOGIN, 404, 404, 200, 200, 200, 200)
RUNNERS = row(LOGIN, 404, 404, 200, 200, 404, 200)
TENANTS_NONE = {"anonymous": ANONYMOUS, "tenant_user": NONE, "other_company_user": NONE}
DOCUMENT = (VIEW[0], 404, VIEW[2], 404, 200)


def entity(w):
    return w.memo(
        "billing_entity",
        lambda w: IssuingEntity.objects.create(
            site=w.site,
            name="MITC Technopark Essaouira",
            address="Essaouira",
            tax_id="1234567",
            tp_number="50012345",
            ice="001234567000089",
            rc_number="12345",
            rc_court="Essaouira",
            prefix="ESS",
        ),  # fmt: skip
    )


def _draft(w, description):
    invoice = Invoice.objects.create(entity=entity(w), company=w.company, month=MONTH)
    InvoiceLine.objects.create(
        invoice=invoice, description=description, quantity=1, unit_price=1000, tva_rate=20,
        amount_ht=1000, amount_tva=200, month=MONTH, period_start=MONTH, period_end=MONTH,
    )  # fmt: skip
    return invoice


def draft(w):
    return w.memo("billing_draft", lambda w: _draft(w, "Frais de dossier"))


def invoice(w):
    def build(w):
        issued = invoice_issue(
            actor=w.people["superuser"], invoice=_draft(w, "Loyer"), today=dt.date(2026, 6, 2)
        )
        return issued

    return w.memo("billing_invoice", build)


def credit_note(w):
    return w.memo(
        "billing_credit_note",
        lambda w: credit_note_create(
            actor=w.people["superuser"],
            invoice=invoice(w),
            reason="Geste commercial",
            amounts={invoice(w).lines.get().pk: Decimal(100)},
            today=dt.date(2026, 6, 3),
        ),  # fmt: skip
    )


def payment(w):
    return w.memo(
        "billing_payment",
        lambda w: payment_record(
            actor=w.people["superuser"],
            invoice=invoice(w),
            amount=Decimal(300),
            method="transfer",
            paid_on=dt.date(2026, 6, 4),
            today=dt.date(2026, 6, 4),
        ),  # fmt: skip
    )


def tax_rate(w):
    return TaxRate.objects.get_or_create(
        is_default=True, defaults={"name": "TVA 20 %", "rate": Decimal(20)}
    )[0]


ROWS = {
    # Portal: company admins see their company's billing; members and staff see none.
    "billing:invoices": Url(named("billing:invoices"), OWN_COMPANY),
    "billing:statement": Url(named("billing:statement"), OWN_COMPANY),
    "billing:invoice_pdf": Url(named("billing:invoice_pdf", lambda w: invoice(w).pk), PORTAL),
    "billing:credit_note_pdf": Url(
        named("billing:credit_note_pdf", lambda w: credit_note(w).pk), PORTAL
    ),
    # Staff: the run, the overdue list and the export (network managers read, never run).
    "admin:billing_invoice_run": Url(named("admin:billing_invoice_run"), RUNNERS),
    "admin:billing_invoice_overdue": Url(named("admin:billing_invoice_overdue"), ANY_BILLING_STAFF),
    "admin:billing_invoice_export": Url(named("admin:billing_invoice_export"), ANY_BILLING_STAFF),
    # Issuing an invoice already issued: its staff hear so (302); nobody else reaches it.
    "admin:billing_invoice_issue": Url(
        named("admin:billing_invoice_issue", lambda w: invoice(w).pk),
        row(LOGIN, 404, 404, 302, 404, 404, 302),
        method="post",
    ),
    "admin:billing_invoice_fee": Url(
        named("admin:billing_invoice_fee", lambda w: draft(w).pk), SITE_STAFF_WRITE
    ),
    # A draft's lines, one by one (the POSTs are covered in tests/billing/test_lines.py).
    "admin:billing_invoice_line_change": Url(
        named(
            "admin:billing_invoice_line_change",
            lambda w: draft(w).pk,
            lambda w: draft(w).lines.get().pk,
        ),
        SITE_STAFF_WRITE,
    ),  # fmt: skip
    "admin:billing_invoice_line_remove": Url(
        named(
            "admin:billing_invoice_line_remove",
            lambda w: draft(w).pk,
            lambda w: draft(w).lines.get().pk,
        ),
        SITE_STAFF_WRITE,
    ),  # fmt: skip
    "admin:billing_invoice_credit": Url(
        named("admin:billing_invoice_credit", lambda w: invoice(w).pk), SITE_STAFF_WRITE
    ),
    "admin:billing_invoice_payment": Url(
        named("admin:billing_invoice_payment", lambda w: invoice(w).pk), SITE_STAFF_WRITE
    ),
    "admin:billing_invoice_pdf": Url(
        named("admin:billing_invoice_pdf", lambda w: invoice(w).pk), SITE_STAFF_READ
    ),
    "admin:billing_creditnote_pdf": Url(
        named("admin:billing_creditnote_pdf", lambda w: credit_note(w).pk), SITE_STAFF_READ
    ),
}
# TVA rates: superusers set them, network managers read them.
ROWS |= admin_rows(
    "billing.taxrate",
    tax_rate,
    TENANTS_NONE
    | {"site_staff": NONE, "other_site_staff": NONE, "network_manager": VIEW, "superuser": EDIT},
    simple_history=False,
)
# The issuing entity: superusers create it; the site's managers keep it up to date.
ROWS |= admin_rows(
    "billing.issuingentity",
    entity,
    TENANTS_NONE
    | {
        "site_staff": (VIEW[0], 404, EDIT[2], 404, 200),
        "other_site_staff": HIDDEN,
        "network_manager": VIEW,
        "superuser": EDIT,
    },
    simple_history=False,
)
# Invoices come from the run and change through their own views; an issued one is never deleted.
for label, get in (("billing.invoice", invoice), ("billing.creditnote", credit_note),
                   ("billing.payment", payment)):  # fmt: skip
    ROWS |= admin_rows(
        label,
        get,
        TENANTS_NONE
        | {
            "site_staff": DOCUMENT,
            "other_site_staff": HIDDEN,
            "network_manager": VIEW,
            "superuser": DOCUMENT,
        },
        simple_history=False,
    )
