"""The alumni's yearly check-in, answered without an account."""

from django import forms
from django.utils.translation import gettext_lazy as _

from technopark.forms import form_helper
from tenants.models import HeadcountBand, RevenueBand

YES_NO = [("yes", _("Yes, the company is still active")), ("no", _("No, the company closed"))]


class CheckInForm(forms.Form):
    still_active = forms.ChoiceField(
        label=_("Is the company still active?"), choices=YES_NO, widget=forms.RadioSelect
    )
    headcount_band = forms.ChoiceField(
        label=_("How many people work for it?"),
        choices=[("", "—"), *HeadcountBand.choices],
        required=False,
    )
    revenue_band = forms.ChoiceField(
        label=_("Its revenue over the past year"),
        choices=[("", "—"), *RevenueBand.choices],
        required=False,
    )
    location = forms.CharField(
        label=_("Where is it now?"),
        max_length=200,
        required=False,
        help_text=_("City and country, or the company that acquired it."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(_("Send the answer"))

    def answer(self) -> dict:
        data = self.cleaned_data
        return {
            "still_active": data["still_active"] == "yes",
            "headcount_band": data["headcount_band"],
            "revenue_band": data["revenue_band"],
            "location": data["location"],
        }
