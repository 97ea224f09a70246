"""Forms of the coworking app: booking, passes, sign-up, and the front desk's.

Choices are scoped: rooms and sites are the public bookable ones, passes the
person's own, desks and people those of the staff member's site. A posted id
outside them is a validation error. Business rules are the services'; the
views turn the services' ``ValidationError`` into errors on these forms.
"""

import datetime as dt

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from coworking import selectors
from coworking.models import Desk, IdentityDocument, PassKind
from coworking.models.desks import CIN_VALIDATOR, PASSPORT_VALIDATOR
from coworking.timing import format_day, reach
from sites.models import Site
from technopark import access
from technopark.forms import DateInput, TimeInput, form_helper
from tenants.models import Company, CompanyStatus


def _within_reach(day: dt.date) -> None:
    first, last = reach()
    if not first <= day <= last:
        raise ValidationError(
            _("Choose a date between %(first)s and %(last)s."),
            code="out_of_reach",
            params={"first": format_day(first), "last": format_day(last)},
        )


def _day_field(label, **kwargs):
    """A date picker; a date out of the app's reach (``timing.reach``) is refused."""
    return forms.DateField(label=label, widget=DateInput(), validators=[_within_reach], **kwargs)


def _time_field(label, **kwargs):
    return forms.TimeField(label=label, widget=TimeInput(), **kwargs)


class RoomChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} · {obj.site.name}"


class SlotFields(forms.Form):
    """Site, room, local day and times: the room must be at the chosen site."""

    site = forms.ModelChoiceField(label=_("Site"), queryset=Site.objects.none())
    space = RoomChoiceField(label=_("Room"), queryset=Site.objects.none())
    day = _day_field(_("Date"))
    start = _time_field(_("From"))
    end = _time_field(_("To"))

    def clean(self):
        data = super().clean()
        site, space = data.get("site"), data.get("space")
        if site and space and space.site_id != site.pk:
            self.add_error("space", _("This room is not at the chosen site."))
        start, end = data.get("start"), data.get("end")
        if start and end and end <= start:
            self.add_error("end", _("The end must be after the start."))
        return data


class RoomBookingForm(SlotFields):
    """Book a room, once or every week until a date (all dates or none)."""

    title = forms.CharField(label=_("Purpose"), max_length=120, required=False)
    attendees = forms.IntegerField(label=_("People"), min_value=1, max_value=5000, initial=1)
    repeat_until = _day_field(
        _("Repeat every week until"),
        required=False,
        help_text=_("Leave empty for a single booking."),
    )

    def __init__(self, *args, default_site_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        sites = list(selectors.booking_sites())
        self.fields["site"].queryset = selectors.booking_sites()
        self.site = self._chosen_site(sites, default_site_id)
        # The rooms offered are the chosen site's only; choosing another site
        # reloads the form with its rooms (coworking/room-book.js), and a room of
        # another site posted anyway is refused by SlotFields.clean.
        self.fields["space"].queryset = selectors.bookable_rooms(site=self.site)
        self.fields["site"].initial = self.site.pk if self.site else None
        self.fields["site"].widget.attrs["data-reload-with"] = "site"
        self.fields["site"].help_text = _("Choosing another site reloads the form with its rooms.")
        self.helper = form_helper(_("Book"))

    def _chosen_site(self, sites: list[Site], default_id: int | None) -> Site | None:
        """The site posted or asked for in the address, else the company's, else the first."""
        wanted = self.data.get("site") if self.is_bound else self.initial.get("site")
        by_pk = {str(site.pk): site for site in sites}
        if wanted is not None and str(wanted) in by_pk:
            return by_pk[str(wanted)]
        if default_id is not None and str(default_id) in by_pk:
            return by_pk[str(default_id)]
        return sites[0] if sites else None


class FreeRoomSearchForm(forms.Form):
    """Free rooms for N people at site S on day D from H1 to H2."""

    site = forms.ModelChoiceField(label=_("Site"), queryset=Site.objects.none())
    day = _day_field(_("Date"))
    start = _time_field(_("From"))
    end = _time_field(_("To"))
    people = forms.IntegerField(label=_("People"), min_value=1, max_value=5000, initial=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = selectors.booking_sites()
        self.helper = form_helper(_("Search"), method="get")

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end <= start:
            self.add_error("end", _("The end must be after the start."))
        return data


class PassChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _("%(kind)s at %(site)s, %(first)s to %(last)s") % {
            "kind": obj.get_kind_display(),
            "site": obj.site.name,
            "first": date_format(obj.first_day, "SHORT_DATE_FORMAT"),
            "last": date_format(obj.last_day, "SHORT_DATE_FORMAT"),
        }


class DeskBookingForm(forms.Form):
    """Reserve a desk with one of the person's active passes."""

    desk_pass = PassChoiceField(label=_("Pass"), queryset=Site.objects.none())
    first_day = _day_field(_("First day"))
    last_day = _day_field(_("Last day"), required=False, help_text=_("Leave empty for one day."))

    def __init__(self, *args, user, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["desk_pass"].queryset = selectors.my_usable_passes(user=user, today=today)
        self.fields["desk_pass"].error_messages["invalid_choice"] = _(
            "Choose one of your active passes."
        )
        self.helper = form_helper(_("Reserve a desk"))


class PassRequestForm(forms.Form):
    site = forms.ModelChoiceField(label=_("Site"), queryset=Site.objects.none())
    kind = forms.ChoiceField(label=_("Pass"), choices=PassKind.choices)
    start = _day_field(_("First day"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = selectors.coworking_sites()
        self.helper = form_helper(_("Request the pass"))


def normalize_document(kind: str, number: str) -> str:
    """Upper case without spaces or dashes; checked against the document's format."""
    number = "".join(number.split()).replace("-", "").upper()
    validator = CIN_VALIDATOR if kind == IdentityDocument.CIN else PASSPORT_VALIDATOR
    validator(number)
    return number


class NomadSignupForm(forms.Form):
    """Sign up as a nomad member at a site, with an optional first pass."""

    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    nationality = forms.CharField(label=_("Nationality"), max_length=60)
    document_kind = forms.ChoiceField(
        label=_("Identity document"), choices=IdentityDocument.choices
    )
    document_number = forms.CharField(
        label=_("Document number"),
        max_length=30,
        help_text=_("CIN: letters then digits, e.g. BE123456. Passport: as printed."),
    )
    company_name = forms.CharField(label=_("Company, if any"), max_length=200, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    pass_kind = forms.ChoiceField(
        label=_("Pass wanted"),
        choices=[("", _("None for now")), *PassKind.choices],
        required=False,
    )
    pass_start = _day_field(_("Pass starts on"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if user is not None:
            for name in ("full_name", "email", "password1", "password2"):
                del self.fields[name]
        self.helper = form_helper(_("Sign up"))

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        data = super().clean()
        kind, number = data.get("document_kind"), data.get("document_number")
        if kind and number:
            try:
                data["document_number"] = normalize_document(kind, number)
            except ValidationError as exc:
                self.add_error("document_number", exc)
        if "password1" in self.fields:
            first, second = data.get("password1"), data.get("password2")
            if first and second and first != second:
                self.add_error("password2", _("The two passwords differ."))
            elif first:
                try:
                    password_validation.validate_password(first)
                except ValidationError as exc:
                    self.add_error("password1", exc)
        if data.get("pass_kind") and not data.get("pass_start"):
            self.add_error("pass_start", _("Give the first day of the pass."))
        return data


# --- Front desk ------------------------------------------------------------------------


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.get_full_name()} <{obj.email}>"


class StaffBookingForm(SlotFields):
    """Staff book a room of their site on behalf of one of its tenants or nomads.

    The site is the one the view fetched through the gate: the form has no
    site field, and its rooms, people and companies are that site's.
    """

    person = PersonChoiceField(label=_("For"), queryset=Site.objects.none())
    company = forms.ModelChoiceField(
        label=_("Company"),
        queryset=Company.objects.none(),
        required=False,
        help_text=_("The company the booking counts for (its allowance); empty for a nomad."),
    )
    title = forms.CharField(label=_("Purpose"), max_length=120, required=False)
    attendees = forms.IntegerField(label=_("People"), min_value=1, max_value=5000, initial=1)

    def __init__(self, *args, site: Site, user, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["site"]
        self.fields["space"].queryset = selectors.bookable_rooms(site=site)
        self.fields["person"].queryset = selectors.site_people(site=site, user=user)
        self.fields["company"].queryset = access.scope(
            Company.objects.filter(home_site=site, status=CompanyStatus.RESIDENT),
            user,
            "coworking.add_roombooking",
            via=access.VIA_SITE,
        ).order_by("legal_name")
        self.helper = form_helper(_("Book"))


class DeskAssignForm(forms.Form):
    """Staff assign a desk of their site (usually a fixed one) to a person for a period."""

    desk = forms.ModelChoiceField(label=_("Desk"), queryset=Site.objects.none())
    person = PersonChoiceField(label=_("Person"), queryset=Site.objects.none())
    first_day = _day_field(_("First day"))
    last_day = _day_field(_("Last day"))

    def __init__(self, *args, site: Site, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["desk"].queryset = (
            access.scope(
                Desk.objects.filter(space__site=site, active=True),
                user,
                "coworking.add_deskreservation",
                via=access.VIA_SITE,
            )
            .select_related("space__site")
            .order_by("-fixed", "label")
        )
        self.fields["person"].queryset = selectors.site_people(site=site, user=user)
        self.helper = form_helper(_("Assign the desk"))
