"""Issue, immutability, credit notes and payments."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from billing import selectors
from billing.models import CreditNote, Invoice, InvoiceLine, InvoiceStatus, Payment
from billing.services import (
    credit_note_create,
    invoice_draft_delete,
    invoice_issue,
    payment_record,
)
from tests.billing.conftest import ISSUED

pytestmark = pytest.mark.django_db
D = Decimal


def totals(invoice):
    return selectors.with_totals(Invoice.objects.filter(pk=invoice.pk)).get()


def test_issue_gives_the_number_dates_and_snapshots(issued, entity, company):
    assert issued.number == "ESS-2026-000001"
    assert (issued.issued_on, issued.due_on) == (ISSUED, ISSUED + dt.timedelta(days=30))
    assert issued.seller["ice"] == entity.ice and issued.seller["tp"] == entity.tp_number
    assert issued.buyer["ice"] == company.ice
    assert company.legal_name in issued.buyer["name"]


def test_totals_are_the_sum_of_the_lines(issued):
    invoice = totals(issued)
    assert (invoice.total_ht, invoice.total_tva, invoice.total_ttc) == (D(1000), D(200), D(1200))
    assert selectors.status_of(invoice, today=ISSUED) == InvoiceStatus.ISSUED


def test_the_next_invoice_takes_the_next_number(issued, draft, site_staff, company, entity):
    other = Invoice.objects.create(entity=entity, company=company, month=dt.date(2026, 6, 1))
    InvoiceLine.objects.create(
        invoice=other, description="Frais", quantity=1, unit_price=10, tva_rate=20,
        amount_ht=10, amount_tva=2, month=other.month, period_start=other.month,
        period_end=other.month,
    )  # fmt: skip
    assert invoice_issue(actor=site_staff, invoice=other, today=ISSUED).number == "ESS-2026-000002"


def test_a_snapshot_does_not_follow_the_company(issued, company):
    company.legal_name = "Renamed SARL"
    company.save()
    issued.refresh_from_db()
    assert "Renamed" not in issued.buyer["name"]


def test_an_issued_invoice_cannot_be_issued_again(issued, site_staff):
    with pytest.raises(ValidationError) as refusal:
        invoice_issue(actor=site_staff, invoice=issued, today=ISSUED)
    assert refusal.value.code == "already_issued"


def test_only_the_sites_staff_issue(draft, other_site_staff):
    with pytest.raises(ValidationError):
        invoice_issue(actor=other_site_staff, invoice=draft, today=ISSUED)
    draft.refresh_from_db()
    assert draft.number is None


def test_the_database_refuses_to_change_or_delete_an_issued_invoice(issued):
    with pytest.raises(IntegrityError), transaction.atomic():
        Invoice.objects.filter(pk=issued.pk).update(due_on=ISSUED + dt.timedelta(days=90))
    with pytest.raises(IntegrityError), transaction.atomic():
        Invoice.objects.filter(pk=issued.pk).delete()
    assert Invoice.objects.get(pk=issued.pk).due_on == ISSUED + dt.timedelta(days=30)


def test_the_database_refuses_to_touch_the_lines_of_an_issued_invoice(issued):
    line = issued.lines.get()
    description = line.description
    with pytest.raises(IntegrityError), transaction.atomic():
        InvoiceLine.objects.filter(pk=line.pk).update(description="Autre chose")
    with pytest.raises(IntegrityError), transaction.atomic():
        line.delete()
    with pytest.raises(IntegrityError), transaction.atomic():
        line.pk = None
        line.source_kind, line.source_id = "other", None
        line.save()
    assert issued.lines.get().description == description


def test_a_draft_can_change_and_be_deleted(draft, site_staff):
    InvoiceLine.objects.filter(invoice=draft).update(description="Loyer corrigé")
    invoice_draft_delete(actor=site_staff, invoice=draft)
    assert not Invoice.objects.exists()


def test_the_service_refuses_to_delete_an_issued_invoice(issued, site_staff):
    with pytest.raises(ValidationError) as refusal:
        invoice_draft_delete(actor=site_staff, invoice=issued)
    assert refusal.value.code == "issued"


def test_a_full_credit_note_cancels_the_invoice(issued, site_staff):
    note = credit_note_create(actor=site_staff, invoice=issued, reason="Erreur", today=ISSUED)
    assert note.number == "ESS-AV-2026-000001"
    assert note.lines.get().amount_ht == D(1000)
    invoice = totals(issued)
    assert (invoice.credited, invoice.balance) == (D(1200), D(0))
    assert selectors.status_of(invoice, today=ISSUED) == InvoiceStatus.CANCELLED


def test_a_partial_credit_then_never_more_than_what_is_left(issued, site_staff):
    line = issued.lines.get()
    credit_note_create(actor=site_staff, invoice=issued, reason="Geste", amounts={line.pk: D(300)})
    with pytest.raises(ValidationError) as refusal:
        credit_note_create(actor=site_staff, invoice=issued, reason="Encore",
                           amounts={line.pk: D("700.01")})  # fmt: skip
    assert refusal.value.code == "over_credit"
    assert CreditNote.objects.count() == 1
    rest = credit_note_create(actor=site_staff, invoice=issued, reason="Solde")
    assert rest.lines.get().amount_ht == D(700)
    with pytest.raises(ValidationError) as refusal:
        credit_note_create(actor=site_staff, invoice=issued, reason="Trop")
    assert refusal.value.code == "nothing_left"


@pytest.mark.parametrize("amount", [D(0), D(-5)])
def test_a_credit_not_above_zero_is_refused(issued, site_staff, amount):
    with pytest.raises(ValidationError):
        credit_note_create(actor=site_staff, invoice=issued, reason="x",
                           amounts={issued.lines.get().pk: amount})  # fmt: skip
    assert not CreditNote.objects.exists()


def test_a_draft_cannot_be_credited(draft, site_staff):
    with pytest.raises(ValidationError) as refusal:
        credit_note_create(actor=site_staff, invoice=draft, reason="x")
    assert refusal.value.code == "draft"


def test_partial_payments_then_paid(issued, site_staff):
    payment_record(actor=site_staff, invoice=issued, amount=D(500), method="cheque",
                   paid_on=ISSUED, reference="CHQ 0042", today=ISSUED)  # fmt: skip
    invoice = totals(issued)
    assert selectors.status_of(invoice, today=ISSUED) == InvoiceStatus.PARTLY_PAID
    payment_record(actor=site_staff, invoice=issued, amount=D(700), method="transfer",
                   paid_on=ISSUED, today=ISSUED)  # fmt: skip
    assert selectors.status_of(totals(issued), today=ISSUED) == InvoiceStatus.PAID


def test_an_overpayment_is_refused_and_nothing_is_saved(issued, site_staff):
    with pytest.raises(ValidationError) as refusal:
        payment_record(actor=site_staff, invoice=issued, amount=D("1200.01"), method="cash",
                       paid_on=ISSUED, today=ISSUED)  # fmt: skip
    assert refusal.value.code == "overpayment"
    assert not Payment.objects.exists()


def test_a_payment_for_another_sites_invoice_is_refused(issued, other_site_staff, tenant_admin):
    for person in (other_site_staff, tenant_admin):
        with pytest.raises(ValidationError) as refusal:
            payment_record(actor=person, invoice=issued, amount=D(10), method="cash",
                           paid_on=ISSUED, today=ISSUED)  # fmt: skip
        assert refusal.value.code == "not_allowed"
    assert not Payment.objects.exists()


def test_an_unpaid_invoice_past_its_due_date_is_overdue(issued):
    late = issued.due_on + dt.timedelta(days=1)
    assert selectors.status_of(totals(issued), today=late) == InvoiceStatus.OVERDUE
    overdue = selectors.with_status(Invoice.objects.all(), today=late).get()
    assert overdue.status == InvoiceStatus.OVERDUE


def test_payments_and_credit_notes_cannot_be_changed(issued, site_staff):
    payment = payment_record(actor=site_staff, invoice=issued, amount=D(10), method="cash",
                             paid_on=ISSUED, today=ISSUED)  # fmt: skip
    note = credit_note_create(actor=site_staff, invoice=issued, reason="x",
                              amounts={issued.lines.get().pk: D(10)})  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.filter(pk=payment.pk).update(amount=D(1))
    with pytest.raises(IntegrityError), transaction.atomic():
        CreditNote.objects.filter(pk=note.pk).delete()


def test_balance_and_statement_of_account(issued, site_staff, company, tenant_admin):
    payment_record(actor=site_staff, invoice=issued, amount=D(200), method="cash",
                   paid_on=ISSUED, today=ISSUED)  # fmt: skip
    credit_note_create(actor=site_staff, invoice=issued, reason="x",
                       amounts={issued.lines.get().pk: D(100)}, today=ISSUED)  # fmt: skip
    assert selectors.balance_of(company=company, user=tenant_admin) == D(880)
    entries = selectors.statement(company=company, user=tenant_admin)
    assert [(e.debit, e.credit, e.balance) for e in entries] == [
        (D(1200), 0, D(1200)), (0, D(120), D(1080)), (0, D(200), D(880))
    ]  # fmt: skip
