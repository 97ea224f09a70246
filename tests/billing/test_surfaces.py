"""The portal pages, the staff's admin views, the export, reminders and the dashboard figures."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from billing import export, selectors
from billing.models import CreditNote, Invoice, InvoiceLine, Payment, Reminder
from billing.services import credit_note_create, invoice_issue, payment_record
from billing.services.reminders import reminders_send
from tests.billing.conftest import ISSUED, MONTH
from tests.clock import pinned
from tests.conftest import client_for
from tests.factories import CompanyFactory, MembershipFactory
from tests.queries import queries_to_get

pytestmark = pytest.mark.django_db
D = Decimal


def _issued_for(company, entity, staff, n=0, amount=1000):
    invoice = Invoice.objects.create(entity=entity, company=company, month=MONTH)
    InvoiceLine.objects.create(
        invoice=invoice, description=f"Frais {n}", quantity=1, unit_price=amount, tva_rate=20,
        amount_ht=amount, amount_tva=D(amount) / 5, month=MONTH, period_start=MONTH,
        period_end=MONTH,
    )  # fmt: skip
    return invoice_issue(actor=staff, invoice=invoice, today=ISSUED)


def test_the_portal_lists_the_companys_issued_invoices_and_its_balance(issued, draft,
                                                                        tenant_admin):  # fmt: skip
    response = client_for(tenant_admin).get(reverse("billing:invoices"))
    assert response.status_code == 200
    assert [i.number for i in response.context["invoices"]] == [issued.number]
    assert response.context["balance"] == D(1200)


def test_members_and_other_companies_see_no_billing(issued, tenant_member, other_company_user):
    assert client_for(tenant_member).get(reverse("billing:invoices")).status_code == 404
    other = client_for(other_company_user)
    assert other.get(reverse("billing:invoice_pdf", args=[issued.pk])).status_code == 404
    assert other.get(reverse("billing:invoices")).context["invoices"] == []


def test_the_portal_pdf_is_the_same_document_every_time(issued, tenant_admin):
    client = client_for(tenant_admin)
    url = reverse("billing:invoice_pdf", args=[issued.pk])
    first, second = client.get(url), client.get(url)
    assert first["Content-Type"] == "application/pdf"
    assert first.content == second.content
    assert first.content.startswith(b"%PDF")


def test_an_arabic_reader_gets_the_arabic_document(lease, site_staff, tenant_admin):
    tenant_admin.language = "ar"
    tenant_admin.save()
    from billing.services import invoice_run

    draft = invoice_run(actor=site_staff, site=lease.site, month=MONTH).invoices[0]
    issued = invoice_issue(actor=site_staff, invoice=draft, today=ISSUED)
    assert issued.language == "ar"
    (line,) = issued.lines.all()
    assert line.description.startswith("كراء "), line.description  # the lines read Arabic too
    assert "Loyer" not in line.description
    response = client_for(tenant_admin).get(reverse("billing:invoice_pdf", args=[issued.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_a_french_reader_gets_french_lines(draft):
    assert draft.language == "fr"
    assert draft.lines.get().description.startswith("Loyer ")


def test_a_draft_keeps_its_language_for_the_lines_a_later_run_adds(lease, site_staff,
                                                                     tenant_admin):  # fmt: skip
    from billing.services import invoice_run

    draft = invoice_run(actor=site_staff, site=lease.site, month=MONTH).invoices[0]
    tenant_admin.language = "ar"  # the admin switches after the draft was made
    tenant_admin.save()
    InvoiceLine.objects.filter(invoice=draft).delete()  # as if the rent were not billed yet
    invoice_run(actor=site_staff, site=lease.site, month=MONTH)
    draft.refresh_from_db()
    assert draft.language == "fr"
    assert draft.lines.get().description.startswith("Loyer ")
    assert invoice_issue(actor=site_staff, invoice=draft, today=ISSUED).language == "fr"


def test_the_credit_note_pdf_and_the_statement(issued, site_staff, tenant_admin):
    note = credit_note_create(actor=site_staff, invoice=issued, reason="Erreur", today=ISSUED)
    client = client_for(tenant_admin)
    pdf = client.get(reverse("billing:credit_note_pdf", args=[note.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    statement = client.get(reverse("billing:statement"))
    assert [e.balance for e in statement.context["entries"]] == [D(1200), D(0)]


def test_the_portal_list_does_not_grow_with_its_invoices(entity, company, site_staff,
                                                         tenant_admin):  # fmt: skip
    client = client_for(tenant_admin)
    _issued_for(company, entity, site_staff)
    one = queries_to_get(client, reverse("billing:invoices"))
    for n in range(1, 50):
        _issued_for(company, entity, site_staff, n)
    assert queries_to_get(client, reverse("billing:invoices")) == one


@pinned  # the run's months and the number's year are the admin's today
def test_staff_run_issue_and_record_through_the_admin(lease, site_staff):
    client = client_for(site_staff)
    response = client.post(reverse("admin:billing_invoice_run"),
                           {"site": lease.site.pk, "month": "2026-05-01"})  # fmt: skip
    assert response.status_code == 302
    invoice = Invoice.objects.get()
    assert client.get(reverse("admin:billing_invoice_change", args=[invoice.pk])).status_code == 200
    fee = client.post(
        reverse("admin:billing_invoice_fee", args=[invoice.pk]),
        {"description": "Légalisation", "quantity": "1", "unit_price": "50",
         "tax_rate": selectors_default_rate()},
    )  # fmt: skip
    assert fee.status_code == 302 and invoice.lines.count() == 2
    assert client.post(reverse("admin:billing_invoice_issue", args=[invoice.pk])).status_code == 302
    invoice.refresh_from_db()
    assert invoice.number == "ESS-2026-000001"
    paid = client.post(reverse("admin:billing_invoice_payment", args=[invoice.pk]),
                       {"amount": "9999", "method": "cash", "paid_on": "2026-06-01"})  # fmt: skip
    assert paid.status_code == 200 and not Payment.objects.exists()  # more than is owed
    paid = client.post(reverse("admin:billing_invoice_payment", args=[invoice.pk]),
                       {"amount": "100", "method": "cash", "paid_on": "2026-06-01"})  # fmt: skip
    assert paid.status_code == 302 and Payment.objects.count() == 1
    line = invoice.lines.first().pk
    credit = client.post(
        reverse("admin:billing_invoice_credit", args=[invoice.pk]),
        {"reason": "Erreur", "line": line, "amount": "10"},
    )
    assert credit.status_code == 302 and CreditNote.objects.count() == 1
    pdf = client.get(reverse("admin:billing_invoice_pdf", args=[invoice.pk]))
    assert pdf.content.startswith(b"%PDF")
    note = client.get(reverse("admin:billing_creditnote_pdf", args=[CreditNote.objects.get().pk]))
    assert note.content.startswith(b"%PDF")


def selectors_default_rate():
    from billing.models import TaxRate

    return TaxRate.objects.get(is_default=True).pk


def test_the_admin_issues_selected_drafts_and_lists_the_overdue(draft, site_staff):
    client = client_for(site_staff)
    client.post(reverse("admin:billing_invoice_changelist"),
                {"action": "issue_drafts", "_selected_action": [draft.pk]})  # fmt: skip
    draft.refresh_from_db()
    assert draft.number is not None
    page = client.get(reverse("admin:billing_invoice_overdue"))
    assert page.status_code == 200


def test_the_journal_adds_up_to_the_invoices(issued, entity, company, site_staff, vat):
    two_rates = Invoice.objects.create(entity=entity, company=company, month=MONTH)
    for rate, tva in ((20, 20), (10, 10)):
        InvoiceLine.objects.create(
            invoice=two_rates, description=f"TVA {rate}", quantity=1, unit_price=100,
            tva_rate=rate, amount_ht=100, amount_tva=tva, month=MONTH, period_start=MONTH,
            period_end=MONTH,
        )  # fmt: skip
    invoice_issue(actor=site_staff, invoice=two_rates, today=ISSUED)
    credit_note_create(actor=site_staff, invoice=issued, reason="x",
                       amounts={issued.lines.get().pk: D(100)}, today=ISSUED)  # fmt: skip
    payment_record(actor=site_staff, invoice=issued, amount=D(500), method="transfer",
                   paid_on=ISSUED, reference="VIR 1", today=ISSUED)  # fmt: skip
    rows = export.journal(user=site_staff, site=entity.site, first=MONTH, last=ISSUED)
    sales = [r for r in rows if r.journal == "VTE"]
    assert len(sales) == 3  # one per invoice and rate
    invoiced = selectors.with_totals(Invoice.objects.filter(number__isnull=False))
    assert sum(r.amount_ttc for r in sales) == sum(i.total_ttc for i in invoiced) == D(1430)
    assert [r.amount_ttc for r in rows if r.journal == "AV"] == [D(-120)]
    assert [r.amount_ttc for r in rows if r.journal == "BQ"] == [D(500)]
    text = export.journal_csv(rows).decode("utf-8-sig")
    assert len(list(csv.reader(io.StringIO(text), delimiter=";"))) == len(rows) + 1
    sheet = load_workbook(io.BytesIO(export.journal_xlsx(rows))).active
    assert sheet.max_row == len(rows) + 2
    assert export.journal_xlsx(rows) == export.journal_xlsx(rows)


def test_the_export_downloads_from_the_admin(issued, site_staff, site):
    client = client_for(site_staff)
    url = reverse("admin:billing_invoice_export")
    for kind in ("csv", "xlsx"):
        response = client.get(url, {"site": site.pk, "first": "2026-06-01", "last": "2026-06-30",
                                    "format": kind})  # fmt: skip
        assert response.status_code == 200
        assert f".{kind}" in response["Content-Disposition"]
    refused = client.get(url, {"site": site.pk, "first": "2026-06-30", "last": "2026-06-01",
                               "format": "csv"})  # fmt: skip
    assert refused.status_code == 200 and refused.context["form"].errors


def test_overdue_invoices_are_reminded_at_the_sites_interval_and_at_most_its_count(
    issued, entity, tenant_admin, mailoutbox, django_capture_on_commit_callbacks
):
    entity.reminder_every_days, entity.reminder_max = 7, 2
    entity.save()
    due = issued.due_on
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send(today=due) == 0  # not late yet
        assert reminders_send(today=due + dt.timedelta(days=1)) == 1
        assert reminders_send(today=due + dt.timedelta(days=1)) == 0  # twice the same day
        assert reminders_send(today=due + dt.timedelta(days=7)) == 0
        assert reminders_send(today=due + dt.timedelta(days=8)) == 1
        assert reminders_send(today=due + dt.timedelta(days=30)) == 0  # at most 2
    assert Reminder.objects.count() == 2
    assert [m.to for m in mailoutbox] == [[tenant_admin.email]] * 2
    assert issued.number in mailoutbox[0].subject


def test_a_paid_invoice_is_not_reminded(issued, site_staff):
    payment_record(actor=site_staff, invoice=issued, amount=D(1200), method="cash",
                   paid_on=ISSUED, today=ISSUED)  # fmt: skip
    assert reminders_send(today=issued.due_on + dt.timedelta(days=3)) == 0


def test_the_dashboard_figures_by_site_and_month(issued, entity, site_staff, network_manager):
    payment_record(actor=site_staff, invoice=issued, amount=D(200), method="cash",
                   paid_on=ISSUED, today=ISSUED)  # fmt: skip
    late = issued.due_on + dt.timedelta(days=1)
    (june,) = selectors.figures_by_site_and_month(
        user=network_manager, first=dt.date(2026, 1, 1), last=dt.date(2026, 12, 31), today=late
    )
    assert (june.month, june.invoiced, june.collected, june.overdue) == (
        dt.date(2026, 6, 1), D(1200), D(200), D(1000)
    )  # fmt: skip
    # The site in the reader's language, French where its name has no translation.
    site = entity.site
    site.name_ar = "تكنوبارك التجريبي"
    site.save()
    figures = {}
    for language in ("ar", "en"):
        with translation.override(language):
            (figures[language],) = selectors.figures_by_site_and_month(
                user=network_manager, first=dt.date(2026, 1, 1), last=dt.date(2026, 12, 31),
                today=late,
            )  # fmt: skip
    assert figures["ar"].site == "تكنوبارك التجريبي"
    assert figures["en"].site == site.name_fr


def test_the_command_runs_every_site_that_bills(lease):
    out = io.StringIO()
    call_command("invoice_run", "--month", "2026-05", stdout=out)
    assert "1 lines" in out.getvalue()
    call_command("invoice_run", "--month", "2026-05", "--site", lease.site.slug, stdout=out)
    assert InvoiceLine.objects.count() == 1


def test_queries_per_invoice_issued_are_constant(entity, site_staff):
    from tests.queries import counting_queries

    companies = [CompanyFactory(home_site=entity.site) for _ in range(3)]
    for company in companies:
        MembershipFactory(company=company)
    counts = []
    for company in companies:
        draft = Invoice.objects.create(entity=entity, company=company, month=MONTH)
        InvoiceLine.objects.create(
            invoice=draft, description="x", quantity=1, unit_price=1, tva_rate=20,
            amount_ht=1, amount_tva=D("0.20"), month=MONTH, period_start=MONTH, period_end=MONTH,
        )  # fmt: skip
        with counting_queries() as captured:
            invoice_issue(actor=site_staff, invoice=draft, today=ISSUED)
        counts.append(len(captured))
    # The first issue also reads the actor's roles (then cached) and creates the year's series.
    assert counts[1:] == [QUERIES_PER_ISSUE, QUERIES_PER_ISSUE]
    assert counts[0] <= QUERIES_PER_ISSUE + 1


#: What issuing one invoice costs whatever was issued before: the locked invoice, the
#: lines check, the series (insert-if-missing, lock, update), the save, and the savepoints
#: around them (the buyer's language is the draft's, read by the run). Measured, then pinned.
QUERIES_PER_ISSUE = 8


# --- Nomads billed in person -------------------------------------------------------------


def _nomad(site, name):
    from tests.factories import UserFactory
    from tests.factories.coworking import NomadProfileFactory

    return NomadProfileFactory(site=site, user=UserFactory(full_name=name)).user


def _issued_to(holder, entity, staff, n=0):
    invoice = Invoice.objects.create(entity=entity, holder=holder, month=MONTH)
    InvoiceLine.objects.create(
        invoice=invoice, description=f"Pass {n}", quantity=1, unit_price=100, tva_rate=20,
        amount_ht=100, amount_tva=20, month=MONTH, period_start=MONTH, period_end=MONTH,
    )  # fmt: skip
    return invoice_issue(actor=staff, invoice=invoice, today=ISSUED)


def test_a_nomad_sees_and_downloads_their_own_invoices(site, entity, site_staff, issued):
    nomad, other = _nomad(site, "Lina Haddad"), _nomad(site, "Omar Idrissi")
    mine = _issued_to(nomad, entity, site_staff)
    theirs = _issued_to(other, entity, site_staff, 1)
    draft = Invoice.objects.create(entity=entity, holder=nomad, month=MONTH)
    client = client_for(nomad)
    page = client.get(reverse("billing:invoices"))
    assert page.status_code == 200
    assert [i.number for i in page.context["invoices"]] == [mine.number]
    assert page.context["balance"] == D(120)
    assert reverse("billing:invoice_pdf", args=[mine.pk]) in page.content.decode()
    pdf = client.get(reverse("billing:invoice_pdf", args=[mine.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    # Another nomad's invoice, a company's, and the nomad's own draft: 404.
    for pk in (theirs.pk, issued.pk, draft.pk):
        assert client.get(reverse("billing:invoice_pdf", args=[pk])).status_code == 404
    statement = client.get(reverse("billing:statement"))
    assert [e.reference for e in statement.context["entries"]] == [mine.number]


def test_a_nomads_credit_note_is_theirs_alone(site, entity, site_staff, tenant_admin):
    nomad, other = _nomad(site, "Lina Haddad"), _nomad(site, "Omar Idrissi")
    note = credit_note_create(actor=site_staff, invoice=_issued_to(nomad, entity, site_staff),
                              reason="Erreur", today=ISSUED)  # fmt: skip
    url = reverse("billing:credit_note_pdf", args=[note.pk])
    assert client_for(nomad).get(url).content.startswith(b"%PDF")
    assert client_for(other).get(url).status_code == 404
    assert client_for(tenant_admin).get(url).status_code == 404


def test_a_company_admin_never_sees_a_nomads_invoice(site, entity, site_staff, tenant_admin):
    nomad_invoice = _issued_to(_nomad(site, "Lina Haddad"), entity, site_staff)
    client = client_for(tenant_admin)
    assert client.get(reverse("billing:invoice_pdf", args=[nomad_invoice.pk])).status_code == 404
    assert client.get(reverse("billing:invoices")).context["invoices"] == []


def test_someone_neither_tenant_nor_nomad_gets_404(issued):
    from tests.factories import UserFactory

    assert client_for(UserFactory()).get(reverse("billing:invoices")).status_code == 404


def test_the_nomads_invoice_list_does_not_grow_with_its_invoices(site, entity, site_staff):
    nomad = _nomad(site, "Lina Haddad")
    client = client_for(nomad)
    _issued_to(nomad, entity, site_staff)
    one = queries_to_get(client, reverse("billing:invoices"))
    for n in range(1, 30):
        _issued_to(nomad, entity, site_staff, n)
    assert queries_to_get(client, reverse("billing:invoices")) == one


def test_the_dashboard_figures_are_empty_for_a_scope_with_no_rows(network_manager):
    """A closed account's scope is no rows at all: nothing, not an SQL error."""
    network_manager.is_active = False
    figures = selectors.figures_by_site_and_month(
        user=network_manager, first=dt.date(2026, 1, 1), last=dt.date(2026, 3, 31),
        today=dt.date(2026, 4, 1),
    )  # fmt: skip
    assert figures == []


def test_the_same_journal_a_minute_later_is_the_same_file(issued, entity, site_staff, time_machine):
    """openpyxl stamps the time of saving (a document property, each ZIP member's date):
    the export sets both, so a download does not change with the clock."""
    rows = export.journal(user=site_staff, site=entity.site, first=MONTH, last=ISSUED)
    time_machine.move_to(dt.datetime(2026, 6, 10, 9, 0, 1, tzinfo=dt.UTC), tick=False)
    first = export.journal_xlsx(rows)
    time_machine.shift(dt.timedelta(minutes=1, seconds=3))
    assert export.journal_xlsx(rows) == first
    assert load_workbook(io.BytesIO(first)).active.max_row == len(rows) + 2
