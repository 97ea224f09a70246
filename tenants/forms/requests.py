"""Forms of the one-stop shop, for the portal and for the staff admin.

Every choice of a related row is scoped to the person: a posted id of another
company's request, another site's service or agent is a validation error.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from technopark import access, clock
from technopark.forms import DateInput, TimeInput, form_helper
from technopark.models import User
from tenants.models import AppointmentSlot, Company, RequestStatus, Service, ServiceRequest
from tenants.selectors import requests as selectors
from tenants.services import appointments
from tenants.services import requests as services

FILE_TYPES = ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


def _files_help() -> str:
    return gettext("PDF, PNG or JPEG, 5 MB at most each; up to %(count)d files.") % {
        "count": services.MAX_FILES
    }


class MultipleFileField(forms.FileField):
    """Several files in one input.

    The attachment rules (type, size, how many) are checked once, by the
    services; their errors come back on this field.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": FILE_TYPES}))
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Files"))
        # Translated when shown, in the reader's language (not once, at import).
        kwargs.setdefault("help_text", lazy(_files_help, str)())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        items = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in items if item]


# --- Portal ---------------------------------------------------------------------------


class RequestCreateForm(forms.Form):
    """A new request for one of the services of the company's home site."""

    service = forms.ModelChoiceField(
        label=_("Service"),
        queryset=Service.objects.none(),
        empty_label=_("Choose a service"),
    )
    description = forms.CharField(
        label=_("What do you need?"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        help_text=_("Give the details the one-stop shop needs to handle your request."),
    )
    files = MultipleFileField()

    def __init__(self, *args, company: Company, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = selectors.service_catalogue(company=company)
        self.fields["service"].error_messages["invalid_choice"] = _(
            "Choose one of the services offered at your site."
        )
        self.helper = form_helper(_("File the request"))


class MessageForm(forms.Form):
    """A message in a request's thread, with files."""

    body = forms.CharField(
        label=_("Message"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
    files = MultipleFileField()

    def __init__(self, *args, action=None, submit=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(submit or _("Send"), action=action)


class RequestFilterForm(forms.Form):
    """The filters of a company's request list (GET)."""

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *RequestStatus.choices],
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(_("Filter"), method="get")
        self.helper.form_class = "row row-cols-md-auto g-3 align-items-end mb-3"

    def filters(self) -> dict:
        if not self.is_valid():
            return {"status": "", "only_overdue": False}
        return {
            "status": self.cleaned_data["status"],
            "only_overdue": self.cleaned_data["overdue"],
        }


class SlotFilterForm(forms.Form):
    """Which service's free slots to show (GET)."""

    service = forms.ModelChoiceField(
        label=_("Service"),
        required=False,
        queryset=Service.objects.none(),
        empty_label=_("All services"),
    )

    def __init__(self, *args, company: Company, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = selectors.service_catalogue(company=company).filter(
            needs_appointment=True
        )
        self.helper = form_helper(_("Show"), method="get")
        self.helper.form_class = "row row-cols-md-auto g-3 align-items-end mb-3"

    def chosen_service(self) -> Service | None:
        return self.cleaned_data.get("service") if self.is_valid() else None


class AppointmentBookForm(forms.Form):
    """Take one of the slots to come at the company's site, for one of its open requests."""

    slot = forms.ModelChoiceField(queryset=AppointmentSlot.objects.none(), widget=forms.HiddenInput)
    for_request = forms.ModelChoiceField(
        label=_("For the request"),
        required=False,
        queryset=ServiceRequest.objects.none(),
        empty_label=_("No request in particular"),
    )

    def __init__(self, *args, company: Company, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].queryset = selectors.slots_ahead(company=company)
        self.fields["slot"].error_messages["invalid_choice"] = _(
            "This slot is not offered to your company any more."
        )
        self.fields["for_request"].queryset = selectors.open_requests_for(
            user=user, company=company
        )

    def clean(self):
        cleaned = super().clean()
        slot, chosen = cleaned.get("slot"), cleaned.get("for_request")
        if slot is not None and selectors.slot_is_taken(slot):
            raise ValidationError(
                _("This slot has just been taken. Please choose another one."), code="taken"
            )
        if slot is not None and chosen is not None and chosen.service_id != slot.service_id:
            self.add_error("for_request", _("This request is for another service."))
        return cleaned


# --- Staff admin ----------------------------------------------------------------------


class AssignForm(forms.Form):
    """Choose the agent of the site who takes the request(s)."""

    agent = forms.ModelChoiceField(label=_("Agent"), queryset=User.objects.none())
    note = forms.CharField(
        label=_("Note (the company sees it)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, user, site, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agent"].queryset = selectors.agents_of_site(user=user, site=site)
        self.fields["agent"].label_from_instance = lambda person: (
            f"{person.get_full_name()} <{person.email}>"
        )
        self.fields["agent"].error_messages["invalid_choice"] = _(
            "Choose an agent who works at this request's site."
        )


class ResolveForm(forms.Form):
    note = forms.CharField(
        label=_("Note for the company"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        error_messages={"required": _("Give the reason of the rejection.")},
    )


class SlotSeriesForm(forms.Form):
    """A series of back-to-back slots on one day, in Morocco's local time."""

    MINUTES = [(15, "15"), (20, "20"), (30, "30"), (45, "45"), (60, "60")]

    service = forms.ModelChoiceField(label=_("Service"), queryset=Service.objects.none())
    day = forms.DateField(label=_("Day"), widget=DateInput())
    start = forms.TimeField(label=_("From"), widget=TimeInput(step_minutes=1))
    end = forms.TimeField(label=_("To"), widget=TimeInput(step_minutes=1))
    minutes = forms.TypedChoiceField(
        label=_("Each slot lasts (minutes)"), choices=MINUTES, coerce=int, initial=30
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = access.scope(
            Service.objects.filter(active=True, needs_appointment=True).select_related("site"),
            user,
            appointments.ADD_SLOT,
        ).order_by("site__name", "name")
        self.fields["service"].label_from_instance = lambda service: (
            f"{service.name} ({service.site.name})"
        )

    def clean(self):
        cleaned = super().clean()
        day, start, end = cleaned.get("day"), cleaned.get("start"), cleaned.get("end")
        if day is not None:
            for name, time in (("start", start), ("end", end)):
                if time is None:
                    continue
                try:
                    clock.real_local_instant(day, time)
                except ValidationError as refusal:
                    self.add_error(name, refusal)
        if start and end and end <= start and not {"start", "end"} & set(self.errors):
            self.add_error("end", _("The end must come after the start."))
        return cleaned


class AppointmentSlotForm(forms.ModelForm):
    """One slot in the admin; its site is the service's.

    A slot overlapping another of the service is a form error: the service's
    row is locked before the model's constraints are checked, so two people
    adding slots (or publishing series) for one service go one at a time.
    """

    class Meta:
        model = AppointmentSlot
        fields = ("service", "starts_at", "ends_at")

    def clean(self):
        cleaned = super().clean()
        service = cleaned.get("service")
        if service is not None:
            if not service.needs_appointment:
                self.add_error("service", _("This service does not take appointments."))
            self.instance.site_id = service.site_id
            appointments.slots_lock(service=service)
        return cleaned
