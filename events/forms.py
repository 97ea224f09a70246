"""Forms of the events app: a visitor's registration, a company's proposal, the check-in scan.

Business rules are the services'; the views put their refusals on these forms.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from events.models import Audience, EventKind, EventLanguage
from sites.models import Space, SpaceKind
from technopark.clock import real_local_instant
from technopark.forms import DateInput, TimeInput, form_helper
from tenants.models import Program

#: The rooms an event can take.
EVENT_ROOMS = (
    SpaceKind.AGORA,
    SpaceKind.TRAINING_ROOM,
    SpaceKind.GAMING_ROOM,
    SpaceKind.MEETING_ROOM,
)


class VisitorRegistrationForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=120)
    email = forms.EmailField(label=_("E-mail"), max_length=254)
    organisation = forms.CharField(label=_("Organisation"), max_length=120, required=False)
    consent = forms.BooleanField(
        label=_(
            "I agree that Technopark keeps my name and e-mail to manage this registration "
            "(law 09-08); I can ask for their deletion at any time."
        )
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(_("Register"))


class ProposalForm(forms.Form):
    """A company admin proposes an event at its home site; staff approve it by publishing."""

    title = forms.CharField(label=_("Title"), max_length=140)
    kind = forms.ChoiceField(label=_("Kind"), choices=EventKind.choices)
    language = forms.ChoiceField(label=_("Language of the event"), choices=EventLanguage.choices)
    summary = forms.CharField(label=_("Summary"), max_length=280, required=False)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)
    room = forms.ModelChoiceField(label=_("Room"), queryset=Space.objects.none())
    day = forms.DateField(label=_("Day"), widget=DateInput())
    start = forms.TimeField(label=_("Starts"), widget=TimeInput(step_minutes=1))
    end = forms.TimeField(label=_("Ends"), widget=TimeInput(step_minutes=1))
    capacity = forms.IntegerField(label=_("Seats"), min_value=1, max_value=5000)
    audience = forms.ChoiceField(label=_("Audience"), choices=Audience.choices)
    program = forms.ChoiceField(
        label=_("Program"), choices=[("", "—"), *Program.choices], required=False
    )

    def __init__(self, *args, site, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = Space.objects.filter(
            site=site, kind__in=EVENT_ROOMS
        ).select_related("site")
        self.helper = form_helper(_("Propose this event"))

    def clean(self):
        data = super().clean()
        day, start, end = data.get("day"), data.get("start"), data.get("end")
        if day and start and end:
            if day.year < 2000 or day.year > 2100:
                raise ValidationError({"day": _("Choose a real date.")}, code="bad_day")
            if end <= start:
                raise ValidationError(
                    {"end": _("The end must be after the start.")}, code="end_before_start"
                )
            data["dates"] = [(real_local_instant(day, start), real_local_instant(day, end))]
        if data.get("audience") == Audience.PROGRAM and not data.get("program"):
            raise ValidationError(
                {"program": _("Choose the program whose companies may come.")}, code="no_program"
            )
        return data


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=_("Ticket code"),
        max_length=200,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off"}),
        help_text=_("Scan the QR code of the ticket, or type its code."),
    )
