"""Numbering, payments and runs under concurrency: real threads, a real PostgreSQL."""

import re
from collections import Counter
from decimal import Decimal

import pytest

from billing.models import Invoice, InvoiceLine, Payment
from billing.services import invoice_issue, invoice_run, payment_record
from tests.billing.conftest import ISSUED, MONTH
from tests.concurrency import run_concurrently

THREADS = 20


def _drafts(entity, company, count):
    drafts = []
    for n in range(count):
        invoice = Invoice.objects.create(entity=entity, company=company, month=MONTH)
        InvoiceLine.objects.create(
            invoice=invoice, description=f"Frais {n}", quantity=1, unit_price=10, tva_rate=20,
            amount_ht=10, amount_tva=2, month=MONTH, period_start=MONTH, period_end=MONTH,
        )  # fmt: skip
        drafts.append(invoice)
    return drafts


@pytest.mark.django_db(transaction=True)
def test_20_simultaneous_issues_give_20_numbers_with_no_gap_and_no_duplicate(
    entity, company, site_staff
):
    drafts = _drafts(entity, company, THREADS)

    outcomes = run_concurrently(
        [lambda d=d: invoice_issue(actor=site_staff, invoice=d, today=ISSUED) for d in drafts]
    )

    assert Counter(outcome.code for outcome in outcomes) == {"ok": THREADS}
    numbers = sorted(Invoice.objects.values_list("number", flat=True))
    assert all(re.fullmatch(r"ESS-2026-\d{6}", number) for number in numbers)
    assert [int(number[-6:]) for number in numbers] == list(range(1, THREADS + 1))


@pytest.mark.django_db(transaction=True)
def test_two_cashiers_taking_the_last_dirhams_at_once_give_one_payment(issued, site_staff):
    outcomes = run_concurrently(
        [
            lambda: payment_record(
                actor=site_staff,
                invoice=issued,
                amount=Decimal(700),
                method="cash",
                paid_on=ISSUED,
                today=ISSUED,
            )  # fmt: skip
            for _ in range(2)
        ]
    )
    assert Counter(outcome.code for outcome in outcomes) == {"ok": 1, "overpayment": 1}
    assert Payment.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_runs_of_one_month_at_once_bill_once(lease, site_staff):
    outcomes = run_concurrently(
        [lambda: invoice_run(actor=site_staff, site=lease.site, month=MONTH) for _ in range(2)]
    )
    assert Counter(outcome.code for outcome in outcomes) == {"ok": 2}
    assert sorted(outcome.value.lines_added for outcome in outcomes) == [0, 1]
    assert InvoiceLine.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_draft_issued_during_a_run_gets_no_line_after_its_number(
    lease, site_staff, company, tenant_admin
):
    """The run waits for the issue, then bills the new line on a new draft."""
    import datetime as dt
    import time

    from django.db import transaction

    from billing.services.common import locked_invoice
    from coworking.models import PassKind, PassStatus
    from tests.factories.coworking import PassFactory

    (draft,) = invoice_run(actor=site_staff, site=lease.site, month=MONTH).invoices
    PassFactory(site=lease.site, holder=tenant_admin, company=company, kind=PassKind.DAY,
                status=PassStatus.ACTIVE, price=Decimal(80),
                period=(dt.date(2026, 5, 6), dt.date(2026, 5, 7)))  # fmt: skip

    def issue_slowly():
        with transaction.atomic():
            locked_invoice(draft)  # holds the row while the run starts
            time.sleep(0.5)
            return invoice_issue(actor=site_staff, invoice=draft, today=ISSUED)

    def run_meanwhile():
        time.sleep(0.1)
        return invoice_run(actor=site_staff, site=lease.site, month=MONTH)

    issued, result = (outcome.value for outcome in run_concurrently([issue_slowly, run_meanwhile]))

    assert issued.number and issued.lines.count() == 1  # its rent line only
    (fresh,) = result.invoices
    assert fresh.pk != issued.pk and fresh.number is None
    assert [line.source_kind for line in fresh.lines.all()] == ["pass"]
