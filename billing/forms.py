"""The staff's billing forms (in the admin): the run, a fee, a credit note, a payment, an export."""

import datetime as dt
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from billing.models import PaymentMethod, TaxRate
from sites.models import Site
from technopark import access
from technopark.forms import DateInput

MONEY = {"max_digits": 12, "decimal_places": 2}


def _month_choices(today: dt.date) -> list[tuple[str, str]]:
    months, month = [], today.replace(day=1)
    for _i in range(13):
        months.append((month.isoformat(), f"{month:%m/%Y}"))
        month = (month - dt.timedelta(days=1)).replace(day=1)
    return months


def _staff_sites(user, perm: str):
    return access.scope(Site.objects.all(), user, perm, via=access.VIA_SITE).order_by("name")


class RunForm(forms.Form):
    site = forms.ModelChoiceField(label=_("Site"), queryset=Site.objects.none())
    month = forms.TypedChoiceField(
        label=_("Month"), coerce=dt.date.fromisoformat, choices=(), empty_value=None
    )

    def __init__(self, *args, user, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = _staff_sites(user, "billing.add_invoice")
        self.fields["month"].choices = _month_choices(today)


class FeeForm(forms.Form):
    description = forms.CharField(label=_("Description"), max_length=300)
    quantity = forms.DecimalField(
        label=_("Quantity"), min_value=Decimal("0.01"), max_digits=10, decimal_places=2
    )
    unit_price = forms.DecimalField(
        label=_("Unit price excl. TVA (MAD)"), min_value=Decimal(0), **MONEY
    )
    tax_rate = forms.ModelChoiceField(label=_("TVA rate"), queryset=TaxRate.objects.all())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        default = TaxRate.objects.filter(is_default=True).first()
        if default is not None:
            self.fields["tax_rate"].initial = default.pk


class LineForm(forms.Form):
    """One line of a draft, as staff correct it; the service checks the figures (its
    refusals land on these fields, translated)."""

    description = forms.CharField(label=_("Description"), max_length=300)
    quantity = forms.DecimalField(label=_("Quantity"), max_digits=10, decimal_places=2)
    unit_price = forms.DecimalField(label=_("Unit price excl. TVA (MAD)"), **MONEY)
    tva_rate = forms.DecimalField(label=_("TVA rate (%)"), max_digits=5, decimal_places=2)
    exemption_note = forms.CharField(
        label=_("Exemption mention"),
        max_length=200,
        required=False,
        help_text=_("Printed on the invoice for an exempt line, e.g. the article of the CGI."),
    )


class CreditNoteForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)
    line = forms.ModelChoiceField(
        label=_("Line"),
        queryset=None,
        required=False,
        help_text=_("Leave empty to credit everything that is left."),
    )
    amount = forms.DecimalField(
        label=_("Amount excl. TVA to credit (MAD)"),
        min_value=Decimal("0.01"),
        required=False,
        **MONEY,
    )

    def __init__(self, *args, invoice, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = invoice.lines.all()

    def clean(self):
        data = super().clean()
        if data.get("line") and not data.get("amount"):
            self.add_error("amount", _("Give the amount to credit on this line."))
        return data

    def amounts(self) -> dict[int, Decimal] | None:
        line = self.cleaned_data.get("line")
        return {line.pk: self.cleaned_data["amount"]} if line else None


class PaymentForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount (MAD)"), min_value=Decimal("0.01"), **MONEY)
    method = forms.ChoiceField(label=_("Method"), choices=PaymentMethod.choices)
    paid_on = forms.DateField(label=_("Date"), widget=DateInput())
    reference = forms.CharField(label=_("Reference"), max_length=100, required=False)


class ExportForm(forms.Form):
    FORMATS = (("csv", "CSV"), ("xlsx", "XLSX"))
    site = forms.ModelChoiceField(label=_("Site"), queryset=Site.objects.none())
    first = forms.DateField(label=_("From"), widget=DateInput())
    last = forms.DateField(label=_("To"), widget=DateInput())
    format = forms.ChoiceField(label=_("Format"), choices=FORMATS, initial="xlsx")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = _staff_sites(user, "billing.view_invoice")

    def clean(self):
        data = super().clean()
        first, last = data.get("first"), data.get("last")
        if first and last and last < first:
            self.add_error("last", _("The period ends after it starts."))
        if first and last and (last - first).days > 366:
            self.add_error("last", _("Export one year at most at a time."))
        return data
