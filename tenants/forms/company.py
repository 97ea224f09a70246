"""Forms of the company area: sign-up, profile, team, directory filters."""

from crispy_forms.bootstrap import StrictButton
from crispy_forms.layout import Column, Fieldset, Layout, Row
from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from sites.models import Site, SiteStatus
from technopark import access
from technopark.forms import DateInput, form_helper
from technopark.models import User
from tenants.models import Company, CompanyRole, LegalForm, Sector, Stage
from tenants.models.company import ICE_VALIDATOR, IF_VALIDATOR, RC_VALIDATOR
from tenants.services.company import PROFILE_FIELDS


class PasswordPairMixin:
    """Two password fields that must match and pass the project's validators."""

    def clean_password2(self):
        first = self.cleaned_data.get("password1")
        second = self.cleaned_data.get("password2")
        if first and second and first != second:
            raise forms.ValidationError(_("The two passwords differ."))
        password_validation.validate_password(second, self._password_user())
        return second

    def _password_user(self):
        return User(
            email=self.cleaned_data.get("email", ""),
            full_name=self.cleaned_data.get("full_name", ""),
        )


def _password_fields():
    return (
        forms.CharField(
            label=_("Password"),
            strip=False,
            widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
            help_text=password_validation.password_validators_help_text_html(),
        ),
        forms.CharField(
            label=_("Password again"),
            strip=False,
            widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        ),
    )


class SignUpForm(PasswordPairMixin, forms.Form):
    """A founder creates their account and their company's, to apply for an office."""

    full_name = forms.CharField(label=_("Your full name"), max_length=150)
    email = forms.EmailField(label=_("Your e-mail address"), max_length=254)
    password1, password2 = _password_fields()
    legal_name = forms.CharField(label=_("Company legal name"), max_length=200)
    trade_name = forms.CharField(label=_("Trade name"), max_length=200, required=False)
    legal_form = forms.ChoiceField(label=_("Legal form"), choices=LegalForm.choices)
    ice = forms.CharField(
        label=_("ICE"),
        max_length=15,
        required=False,
        validators=[ICE_VALIDATOR],
        help_text=_("15 digits; leave empty if the company is not registered yet."),
    )
    rc_number = forms.CharField(
        label=_("RC number"),
        max_length=10,
        required=False,
        validators=[RC_VALIDATOR],
        help_text=_("Trade register (registre de commerce) number, digits only; optional."),
    )
    rc_court = forms.CharField(
        label=_("RC court city"),
        max_length=100,
        required=False,
        help_text=_("City of the commercial court that keeps the register, e.g. Casablanca."),
    )
    tax_id = forms.CharField(
        label=_("Tax identifier (IF)"),
        max_length=10,
        required=False,
        validators=[IF_VALIDATOR],
        help_text=_("6 to 10 digits; optional."),
    )
    sector = forms.ChoiceField(label=_("Sector"), choices=Sector.choices)
    stage = forms.ChoiceField(label=_("Stage"), choices=Stage.choices)
    home_site = forms.ModelChoiceField(
        label=_("Technopark you apply to"),
        queryset=access.public(Site.objects.filter(status=SiteStatus.OPERATING)),
        empty_label=None,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(_("Create my account"))
        self.helper.layout = Layout(
            Fieldset(_("You"), "full_name", "email", "password1", "password2"),
            Fieldset(
                _("Your company"),
                "legal_name",
                "trade_name",
                "legal_form",
                "sector",
                "stage",
                "home_site",
            ),
            Fieldset(
                _("Registration (optional, can be completed later)"),
                "ice",
                Row(
                    Column("rc_number", css_class="col-sm-6"),
                    Column("rc_court", css_class="col-sm-6"),
                ),
                "tax_id",
            ),
        )

    def clean_email(self):
        # Whether the address has an account is never said here: the service
        # e-mails the address's owner instead (see company_sign_up).
        return User.objects.normalize_email(self.cleaned_data["email"])

    def clean_ice(self):
        ice = self.cleaned_data["ice"] or None
        if ice and Company.objects.filter(ice=ice).exists():
            raise forms.ValidationError(_("Another company is registered with this ICE."))
        return ice

    def clean(self):
        data = super().clean()
        # The register number means nothing without the court that keeps it
        # (the database's company_rc_has_court): say so on the field, not as a 500.
        if data.get("rc_number") and not data.get("rc_court", "").strip():
            self.add_error("rc_court", _("Give the court city of the RC number."))
        return data

    def company_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "legal_name": data["legal_name"],
            "trade_name": data["trade_name"],
            "legal_form": data["legal_form"],
            "ice": data["ice"],
            "rc_number": data["rc_number"],
            "rc_court": data["rc_court"].strip() if data["rc_number"] else "",
            "tax_id": data["tax_id"],
            "sector": data["sector"],
            "stage": data["stage"],
            "home_site": data["home_site"],
        }


class CompanyProfileForm(forms.ModelForm):
    class Meta:
        model = Company
        fields = PROFILE_FIELDS
        widgets = {
            "founded_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(_("Save"))
        self.helper.layout = Layout(
            Fieldset(_("Identity"), "legal_name", "trade_name", "legal_form", "founded_on"),
            Fieldset(_("Registration"), "ice", "rc_number", "rc_court", "tax_id"),
            Fieldset(_("Activity"), "sector", "stage"),
            Fieldset(_("Public profile"), "website", "description", "logo", "public_profile"),
        )


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    role = forms.ChoiceField(
        label=_("Role"), choices=CompanyRole.choices, initial=CompanyRole.MEMBER
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(_("Send the invitation"))
        self.helper.form_class = "row g-2 align-items-end"


class AcceptInvitationForm(PasswordPairMixin, forms.Form):
    """A newcomer joining through an invitation chooses a name and a password."""

    full_name = forms.CharField(label=_("Your full name"), max_length=150)
    password1, password2 = _password_fields()

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email
        self.helper = form_helper(_("Join the team"))

    def _password_user(self):
        return User(email=self.email, full_name=self.cleaned_data.get("full_name", ""))


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=CompanyRole.choices)


class DirectoryFilterForm(forms.Form):
    site = forms.ChoiceField(label=_("Site"), required=False)
    sector = forms.ChoiceField(
        label=_("Sector"), required=False, choices=[("", _("All sectors")), *Sector.choices]
    )
    q = forms.CharField(label=_("Name"), required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        sites = access.public(Site.objects.filter(status=SiteStatus.OPERATING)).order_by("name")
        self.fields["site"].choices = [("", _("All sites"))] + [(s.slug, s.name) for s in sites]
        self.helper = form_helper(method="get")  # its button is in the row
        self.helper.layout = Layout(
            Row(
                Column("site", css_class="col-md-4"),
                Column("sector", css_class="col-md-4"),
                Column("q", css_class="col-md-3"),
                Column(
                    StrictButton(_("Filter"), type="submit", css_class="btn-outline-primary"),
                    css_class="col-md-1 d-flex align-items-end mb-3",
                ),
            )
        )
