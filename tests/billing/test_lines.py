"""Staff review a draft line by line: change, remove, add; never once the invoice is issued."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from billing import selectors
from billing.models import InvoiceLine, LineSource
from billing.services import (
    invoice_issue,
    invoice_line_add,
    invoice_line_change,
    invoice_line_remove,
    invoice_run,
)
from technopark.refusals import codes
from tests.billing.conftest import ISSUED, MONTH
from tests.conftest import client_for

pytestmark = pytest.mark.django_db
D = Decimal


def _totals(invoice):
    row = selectors.with_totals(type(invoice).objects.filter(pk=invoice.pk)).get()
    return row.total_ht, row.total_tva, row.total_ttc


def _change(line, staff, **changes):
    figures = {"description": line.description, "quantity": line.quantity,
               "unit_price": line.unit_price, "tva_rate": line.tva_rate} | changes  # fmt: skip
    return invoice_line_change(actor=staff, line=line, **figures)


def test_a_line_changes_and_the_totals_follow(draft, site_staff):
    line = draft.lines.get()
    assert _totals(draft) == (D(1000), D(200), D(1200))
    changed = _change(line, site_staff, description="Loyer corrigé", quantity=D("1.5"),
                      unit_price=D("333.33"), tva_rate=D(10))  # fmt: skip
    assert (changed.amount_ht, changed.amount_tva) == (D("500.00"), D("50.00"))  # 499.995 up
    line.refresh_from_db()
    assert (line.description, line.quantity, line.tva_rate) == ("Loyer corrigé", D("1.5"), 10)
    assert _totals(draft) == (D(500), D(50), D(550))


def test_an_exempt_line_keeps_its_mention_and_a_taxed_one_drops_it(draft, site_staff):
    line = draft.lines.get()
    exempt = _change(line, site_staff, tva_rate=D(0), exemption_note="Exonéré (CGI art. 91)")
    assert (exempt.amount_tva, exempt.exemption_note) == (D(0), "Exonéré (CGI art. 91)")
    taxed = _change(exempt, site_staff, tva_rate=D(20), exemption_note="Exonéré (CGI art. 91)")
    assert taxed.exemption_note == ""


def test_a_line_is_removed_and_a_manual_one_added(draft, site_staff, vat):
    invoice_line_remove(actor=site_staff, line=draft.lines.get())
    assert _totals(draft) == (0, 0, 0)
    line = invoice_line_add(actor=site_staff, invoice=draft, description="Domiciliation",
                            quantity=D(1), unit_price=D(400), tax_rate=vat)  # fmt: skip
    assert line.source_kind == LineSource.FEE
    assert _totals(draft) == (D(400), D(80), D(480))


def test_a_removed_rent_line_is_billed_again_by_the_next_run(draft, site_staff, lease):
    invoice_line_remove(actor=site_staff, line=draft.lines.get())
    result = invoice_run(actor=site_staff, site=lease.site, month=MONTH)
    assert result.lines_added == 1 and draft.lines.count() == 1


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"quantity": D(-1)}, "quantity", "quantity"),
        ({"quantity": D(0)}, "quantity", "quantity"),
        ({"unit_price": D("-0.01")}, "unit_price", "price"),
        ({"tva_rate": D(101)}, "tva_rate", "rate"),
        ({"tva_rate": D(-5)}, "tva_rate", "rate"),
        ({"description": "  "}, "description", "description"),
        ({"quantity": "abc"}, "quantity", "quantity"),
    ],
)
def test_bad_figures_are_refused_on_their_field_and_nothing_changes(
    draft, site_staff, changes, field, code
):
    line = draft.lines.get()
    with pytest.raises(ValidationError) as refusal:
        _change(line, site_staff, **changes)
    assert codes(refusal.value) == {code}
    assert set(refusal.value.error_dict) == {field}
    line.refresh_from_db()
    assert (line.quantity, line.unit_price, line.tva_rate) == (1, D(1000), 20)


def test_an_issued_invoices_lines_cannot_change_or_go(issued, site_staff):
    line = issued.lines.get()
    with pytest.raises(ValidationError) as refusal:
        _change(line, site_staff, quantity=D(2))
    assert codes(refusal.value) == {"issued"}
    with pytest.raises(ValidationError) as refusal:
        invoice_line_remove(actor=site_staff, line=line)
    assert codes(refusal.value) == {"issued"}
    # The database refuses too (migration 0002's triggers).
    with pytest.raises(IntegrityError), transaction.atomic():
        InvoiceLine.objects.filter(pk=line.pk).update(description="Autre")
    with pytest.raises(IntegrityError), transaction.atomic():
        InvoiceLine.objects.filter(pk=line.pk).delete()


def test_only_the_sites_staff_change_a_line(draft, other_site_staff, tenant_admin):
    for person in (other_site_staff, tenant_admin):
        with pytest.raises(ValidationError) as refusal:
            _change(draft.lines.get(), person, quantity=D(2))
        assert codes(refusal.value) == {"not_allowed"}


# --- In the admin ------------------------------------------------------------------------


def test_staff_change_and_remove_a_line_in_the_admin(draft, site_staff):
    client = client_for(site_staff)
    line = draft.lines.get()
    page = client.get(reverse("admin:billing_invoice_change", args=[draft.pk]))
    url = reverse("admin:billing_invoice_line_change", args=[draft.pk, line.pk])
    assert url in page.content.decode()
    form = {"description": "Loyer mai", "quantity": "2", "unit_price": "100", "tva_rate": "20"}
    assert client.post(url, form).status_code == 302
    assert _totals(draft) == (D(200), D(40), D(240))
    remove = reverse("admin:billing_invoice_line_remove", args=[draft.pk, line.pk])
    assert client.get(remove).status_code == 200  # asks first
    assert draft.lines.count() == 1
    assert client.post(remove).status_code == 302
    assert draft.lines.count() == 0


@pytest.mark.parametrize(
    ("language", "errors"),
    [
        ("fr", {"quantity": "La quantité doit être supérieure à zéro.",
                "tva_rate": "Un taux de TVA est compris entre 0 et 100 %."}),
        ("ar", {"quantity": "يجب أن تكون الكمية أكبر من صفر.",
                "tva_rate": "سعر الضريبة على القيمة المضافة بين 0 و100%."}),
    ],
)  # fmt: skip
def test_bad_input_in_the_admin_gets_a_translated_error(draft, site_staff, language, errors):
    client = client_for(site_staff)
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    url = reverse("admin:billing_invoice_line_change", args=[draft.pk, draft.lines.get().pk])
    data = {"description": "Loyer", "quantity": "1", "unit_price": "100", "tva_rate": "20"}
    for field, value in (("quantity", "-1"), ("tva_rate", "150")):
        response = client.post(url, data | {field: value})
        assert response.status_code == 200
        assert response.context["form"].errors[field] == [errors[field]]
    line = draft.lines.get()
    assert (line.quantity, line.tva_rate) == (1, 20)


def test_an_issued_invoices_line_pages_are_404(issued, site_staff):
    client = client_for(site_staff)
    line = issued.lines.get()
    for name in ("admin:billing_invoice_line_change", "admin:billing_invoice_line_remove"):
        url = reverse(name, args=[issued.pk, line.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, {"quantity": "2"}).status_code == 404
    assert issued.lines.get().quantity == 1


def test_a_line_of_another_invoice_is_404(draft, site_staff, issued):
    other_line = issued.lines.get()
    url = reverse("admin:billing_invoice_line_change", args=[draft.pk, other_line.pk])
    assert client_for(site_staff).get(url).status_code == 404


def test_issuing_after_a_change_prints_the_changed_line(draft, site_staff):
    _change(draft.lines.get(), site_staff, description="Loyer mai 2026 (corrigé)")
    issued = invoice_issue(actor=site_staff, invoice=draft, today=ISSUED)
    assert issued.lines.get().description == "Loyer mai 2026 (corrigé)"
