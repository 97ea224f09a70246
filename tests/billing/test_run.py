"""The monthly run: what it bills, once, and lines that never follow their sources."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from billing.models import Invoice, InvoiceLine, LineSource
from billing.services import invoice_line_add, invoice_run
from coworking.models import PassKind, PassStatus
from technopark.refusals import codes
from tenants.models import ResidencyOffice
from tests.billing.conftest import MONTH
from tests.factories.coworking import PassFactory

pytestmark = pytest.mark.django_db


def test_the_run_bills_a_months_rent_in_one_draft_per_company(lease, site_staff, company):
    result = invoice_run(actor=site_staff, site=lease.site, month=MONTH)
    assert (result.invoices_created, result.lines_added) == (1, 1)
    (invoice,) = result.invoices
    assert (invoice.company, invoice.number, invoice.month) == (company, None, MONTH)
    line = invoice.lines.get()
    assert (line.source_kind, line.source_id) == (LineSource.RENT, lease.pk)
    assert (line.quantity, line.unit_price, line.tva_rate) == (1, Decimal(1000), 20)
    assert (line.amount_ht, line.amount_tva) == (Decimal(1000), Decimal(200))


def test_running_the_same_month_twice_bills_nothing_twice(lease, site_staff):
    invoice_run(actor=site_staff, site=lease.site, month=MONTH)
    again = invoice_run(actor=site_staff, site=lease.site, month=MONTH)
    assert (again.invoices_created, again.lines_added, again.already_billed) == (0, 0, 1)
    assert InvoiceLine.objects.count() == 1


def test_the_database_refuses_a_second_line_for_the_same_source_and_month(draft):
    line = draft.lines.get()
    line.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        line.save()
    assert InvoiceLine.objects.count() == 1


def test_a_line_keeps_its_figures_when_the_source_changes(draft, site_staff, lease):
    ResidencyOffice.objects.filter(residency=lease).update(area_m2=Decimal("40.00"))
    invoice_run(actor=site_staff, site=lease.site, month=MONTH)
    assert draft.lines.get().amount_ht == Decimal(1000)


def test_a_coworking_pass_of_the_month_is_billed(site, entity, site_staff, company, tenant_admin):
    item = PassFactory(
        site=site,
        holder=tenant_admin,
        company=company,
        kind=PassKind.WEEK,
        status=PassStatus.ACTIVE,
        price=Decimal("350.00"),
        period=(dt.date(2026, 5, 4), dt.date(2026, 5, 11)),
    )
    result = invoice_run(actor=site_staff, site=site, month=MONTH)
    line = result.invoices[0].lines.get()
    assert (line.source_kind, line.source_id, line.unit_price) == (
        LineSource.PASS, item.pk, Decimal("350.00")
    )  # fmt: skip


def test_a_nomads_pass_is_billed_to_the_nomad(site, entity, site_staff):
    item = PassFactory(site=site, company=None, status=PassStatus.ACTIVE, price=Decimal(80),
                       period=(dt.date(2026, 5, 4), dt.date(2026, 5, 5)))  # fmt: skip
    (invoice,) = invoice_run(actor=site_staff, site=site, month=MONTH).invoices
    assert (invoice.company, invoice.holder) == (None, item.holder)


def test_a_site_without_an_issuing_entity_is_refused(site, site_staff):
    with pytest.raises(ValidationError) as refusal:
        invoice_run(actor=site_staff, site=site, month=MONTH)
    assert refusal.value.code == "no_entity"
    assert not Invoice.objects.exists()


def test_staff_of_another_site_cannot_run_it(lease, other_site_staff, tenant_admin):
    for person in (other_site_staff, tenant_admin):
        with pytest.raises(ValidationError) as refusal:
            invoice_run(actor=person, site=lease.site, month=MONTH)
        assert refusal.value.code == "not_allowed"
    assert not Invoice.objects.exists()


def test_a_fee_is_added_by_hand_to_a_draft(draft, site_staff, vat):
    line = invoice_line_add(
        actor=site_staff, invoice=draft, description="Légalisation de documents",
        quantity=Decimal(2), unit_price=Decimal("75.00"), tax_rate=vat,
    )  # fmt: skip
    assert (line.source_kind, line.amount_ht, line.amount_tva, line.position) == (
        LineSource.FEE, Decimal(150), Decimal(30), 2
    )  # fmt: skip


@pytest.mark.parametrize(("quantity", "price", "code"), [
    (0, 10, "quantity"), (-1, 10, "quantity"), (1, -5, "price"),
    (Decimal("99999999.99"), Decimal("9999999999.99"), "too_large"),
])  # fmt: skip
def test_a_bad_fee_is_refused_and_nothing_is_saved(draft, site_staff, vat, quantity, price, code):
    with pytest.raises(ValidationError) as refusal:
        invoice_line_add(
            actor=site_staff,
            invoice=draft,
            description="Frais",
            quantity=Decimal(quantity),
            unit_price=Decimal(price),
            tax_rate=vat,
        )
    assert codes(refusal.value) == {code}
    assert draft.lines.count() == 1


def test_the_database_refuses_a_line_whose_amount_does_not_match(draft):
    with pytest.raises(IntegrityError), transaction.atomic():
        InvoiceLine.objects.filter(invoice=draft).update(amount_ht=Decimal("999.99"))


def test_the_database_refuses_a_rate_outside_0_to_100(draft):
    with pytest.raises(IntegrityError), transaction.atomic():
        InvoiceLine.objects.filter(invoice=draft).update(tva_rate=Decimal(101))


def test_a_paid_events_confirmed_registrations_are_billed_in_its_month(
    make_event, site, entity, site_staff, company, tenant_admin
):
    from events import services as event_services
    from tests.events.conftest import NOW, local
    from tests.factories import UserFactory

    day = dt.date(2026, 5, 20)
    paid = make_event(
        title="Atelier pitch", price=Decimal(300), dates=[(local(day, 9), local(day, 12))]
    )
    free = make_event(title="Meetup", dates=[(local(day, 14), local(day, 16))])
    founder = event_services.registration_create(event=paid, user=tenant_admin, now=NOW)
    nomad = event_services.registration_create(event=paid, user=UserFactory(), now=NOW)
    # A visitor by e-mail only, and a registration to a free event, bill nothing.
    event_services.registration_create(event=paid, name="Visiteur", email="v@example.ma", now=NOW)
    event_services.registration_create(event=free, user=tenant_admin, now=NOW)

    result = invoice_run(actor=site_staff, site=site, month=MONTH)

    lines = {
        (line.invoice.company_id, line.invoice.holder_id): line
        for line in InvoiceLine.objects.filter(source_kind=LineSource.EVENT).select_related(
            "invoice"
        )
    }
    assert set(lines) == {(company.pk, None), (None, nomad.user_id)}
    line = lines[(company.pk, None)]
    assert (line.source_id, line.unit_price, line.period_start) == (founder.pk, Decimal(300), day)
    assert "Atelier pitch" in line.description
    assert invoice_run(actor=site_staff, site=site, month=MONTH).lines_added == 0  # once
    assert result.lines_added == 2


def test_load_tax_rates_creates_the_default_rates_once_and_keeps_staffs_changes():
    import io

    from django.core.management import call_command

    from billing.models import TaxRate
    from billing.services.tax_rates import DEFAULT_TAX_RATES

    TaxRate.objects.all().delete()
    out = io.StringIO()
    call_command("load_tax_rates", stdout=out)
    assert "3 created" in out.getvalue()
    assert TaxRate.objects.get(is_default=True).rate == 20
    assert sorted(TaxRate.objects.values_list("name", flat=True)) == sorted(
        name for name, _rate, _note in DEFAULT_TAX_RATES
    )
    TaxRate.objects.filter(name="TVA 10 %").update(exemption_note="changed by staff")
    call_command("load_tax_rates", stdout=out)
    assert "0 created" in out.getvalue()
    assert TaxRate.objects.get(name="TVA 10 %").exemption_note == "changed by staff"
    assert TaxRate.objects.count() == 3
