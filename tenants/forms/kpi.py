from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.utils.translation import gettext_lazy as _

from technopark.forms import form_helper
from tenants.models import KPIReport
from tenants.selectors.kpi import Quarter


class KPIReportForm(forms.ModelForm):
    """A quarter's figures; the quarter is one of those the company may report."""

    quarter_key = forms.ChoiceField(label=_("Quarter"))

    class Meta:
        model = KPIReport
        fields = (
            "headcount_full_time",
            "headcount_part_time",
            "interns",
            "revenue",
            "funds_raised",
            "export_share",
        )

    def __init__(self, *args, quarters: list[Quarter], **kwargs):
        super().__init__(*args, **kwargs)
        self.quarters = {f"{q.year}-{q.number}": q for q in quarters}
        self.fields["quarter_key"].choices = [(key, str(q)) for key, q in self.quarters.items()]
        self.helper = form_helper(_("Save the report"))
        self.helper.layout = Layout(
            "quarter_key",
            Fieldset(_("People"), "headcount_full_time", "headcount_part_time", "interns"),
            Fieldset(_("Money (MAD)"), "revenue", "funds_raised", "export_share"),
        )

    @property
    def quarter(self) -> Quarter:
        return self.quarters[self.cleaned_data["quarter_key"]]

    def figures(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}
