"""Forms of the offices area: applying, the committee's decisions, contracts, attestations.

Every choice of a row is scoped to the person (and, for offices, to the
application's site), so a posted id from another company or site is a
validation error, not a reach into someone else's data.
"""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from sites.models import Site, SiteStatus, Space, SpaceKind
from technopark import access, numbers
from technopark.forms import DateInput, form_helper
from tenants.models import (
    ApplicationDocument,
    ApplicationStatus,
    Company,
    OfficeApplication,
    Program,
    RentTier,
    Residency,
)
from tenants.rent import tier_for_company
from tenants.selectors import offices as selectors

MAX_DOCUMENTS = 10


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field; each checked by the model's rules (type by content, size)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}))
        kwargs.setdefault("validators", ApplicationDocument._meta.get_field("file").validators)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        uploads = [item for item in (data if isinstance(data, list | tuple) else [data]) if item]
        if not uploads:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        if len(uploads) > MAX_DOCUMENTS:
            raise ValidationError(
                _("At most %(count)d files at a time."), params={"count": MAX_DOCUMENTS}
            )
        errors, cleaned = [], []
        for upload in uploads:
            try:
                cleaned.append(super().clean(upload, initial))
            except ValidationError as error:
                errors.extend(f"{upload.name}: {message}" for message in error.messages)
        if errors:
            raise ValidationError(errors)
        return cleaned


# --- Portal ----------------------------------------------------------------------------------


class ApplicationForm(forms.Form):
    """A company asks the allocation committee for an office at a site."""

    site = forms.ModelChoiceField(
        label=_("Technopark"),
        queryset=Site.objects.none(),
        empty_label=None,
        help_text=_("Operating sites take applications."),
    )
    area_wanted_m2 = forms.DecimalField(
        label=_("Area wanted (m²)"), min_value=1, max_value=2000, decimal_places=2
    )
    team_size = forms.IntegerField(label=_("Team size"), min_value=1, max_value=500)
    program_wanted = forms.ChoiceField(
        label=_("Program wanted"), choices=Program.choices, initial=Program.HOSTING
    )
    pitch = forms.CharField(
        label=_("Pitch"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Your project, your market, your team, and why a Technopark office."),
    )
    documents = MultipleFileField(
        label=_("Documents"),
        required=False,
        help_text=_(
            "Business plan, pitch deck, company papers: PDF, PNG or JPEG, 5 MB each at most, "
            "up to 10 files."
        ),
    )

    def __init__(self, *args, company: Company, **kwargs):
        super().__init__(*args, **kwargs)
        self.company = company
        self.fields["site"].queryset = access.public(
            Site.objects.filter(status=SiteStatus.OPERATING)
        ).order_by("name")
        self.fields["site"].initial = company.home_site_id
        self.helper = form_helper(_("Send the application"))
        self.helper.attrs = {"enctype": "multipart/form-data"}


class DocumentsForm(forms.Form):
    """More documents for an open application."""

    documents = MultipleFileField(
        label=_("Add documents"), help_text=_("PDF, PNG or JPEG, 5 MB each at most.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(_("Upload"))
        self.helper.attrs = {"enctype": "multipart/form-data"}


class AttestationIssueForm(forms.Form):
    """A company's admin asks for an attestation of one of its running contracts."""

    residency = forms.ModelChoiceField(
        label=_("Residency"), queryset=Residency.objects.none(), empty_label=None
    )

    def __init__(self, *args, company: Company, user, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        running = Residency.objects.filter(company=company).filter(selectors.current_on(today))
        self.fields["residency"].queryset = (
            access.scope(running, user, "tenants.add_attestation")
            .select_related("site")
            .order_by("start", "pk")
        )
        self.fields["residency"].label_from_instance = lambda r: (
            _("%(site)s, since %(start)s")
            % {"site": r.site.name, "start": formats.date_format(r.start, "SHORT_DATE_FORMAT")}
        )
        self.helper = form_helper(_("Issue an attestation"))


# --- Staff: the committee ------------------------------------------------------------------


class OfficesField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return _("%(name)s · %(area)s") % {"name": obj.name, "area": numbers.m2(obj.area_m2)}


def _offices_for(user, site: Site):
    """The offices of ``site`` that ``user`` may let through a staff role at that site."""
    return access.scope(
        Space.objects.filter(site=site, kind=SpaceKind.OFFICE),
        user,
        "tenants.add_residency",
        via=access.VIA_SITE,
    ).order_by("name")


class AllocationMixin:
    """Offices of one site, checked free from ``start`` (to ``end``) before the service runs."""

    def clean(self):
        data = super().clean()
        start, offices, end = data.get("start"), data.get("offices"), data.get("end")
        if end and start and end <= start:
            self.add_error("end", _("The end must come after the start."))
        elif start and offices:
            free = set(
                selectors.free_offices(
                    Space.objects.filter(pk__in=[o.pk for o in offices]), start=start, end=end
                ).values_list("pk", flat=True)
            )
            busy = [office.name for office in offices if office.pk not in free]
            if busy:
                self.add_error(
                    "offices",
                    _("Already let on these dates: %(offices)s.") % {"offices": ", ".join(busy)},
                )
        return data


def floor_label(floor: int | None) -> str:
    """An office's floor as people say it: "ground floor", "floor 2", "basement 1"."""
    if floor is None:
        return ""
    if floor == 0:
        return str(_("ground floor"))
    if floor < 0:
        return str(_("basement %(number)s") % {"number": -floor})
    return str(_("floor %(number)s") % {"number": floor})


def office_label(office: Space) -> str:
    """An office in the committee's choices: its name, floor and area."""
    parts = [office.name, floor_label(office.floor), numbers.m2(office.area_m2)]
    return " · ".join(str(part) for part in parts if part)


class AcceptForm(AllocationMixin, forms.Form):
    """Accept with offices: only those free from ``on`` (the start date shown, today by default).

    The list is read for one date (``?start=`` on the page); the start posted
    is checked again on submit, so a start changed without refreshing the list
    still refuses an office let on that date.
    """

    offices = OfficesField(label=_("Offices"), queryset=Space.objects.none())
    start = forms.DateField(label=_("Start"), widget=DateInput())
    tier = forms.ChoiceField(label=_("Rent tier"), choices=RentTier.choices)
    reason = forms.CharField(
        label=_("Note to the company"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self, *args, application: OfficeApplication, user, on: dt.date | None = None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        on = on or timezone.localdate()
        self.free_on = on
        self.fields["start"].initial = on
        self.fields["tier"].initial = tier_for_company(application.company)
        self.fields["offices"].queryset = selectors.free_offices(
            _offices_for(user, application.site), start=on
        ).order_by("floor", "name")
        self.fields["offices"].label_from_instance = office_label
        self.fields["offices"].help_text = _(
            "The offices free from %(date)s, with no end; for another start, "
            "show the offices free on that date first."
        ) % {"date": formats.date_format(on, "DATE_FORMAT")}


class WaitForm(forms.Form):
    position = forms.IntegerField(
        label=_("Position"),
        min_value=1,
        required=False,
        help_text=_("Leave empty to put the application at the end of the list."),
    )
    reason = forms.CharField(
        label=_("Note to the company"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, application: OfficeApplication, user, **kwargs):
        super().__init__(*args, **kwargs)
        if application.status == ApplicationStatus.WAITING_LIST:
            # Moving on the list changes the position only: the decision and its note stay.
            self.fields["position"].initial = application.waiting_position
            del self.fields["reason"]


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The company reads it."),
    )

    def __init__(self, *args, application: OfficeApplication, user, **kwargs):
        super().__init__(*args, **kwargs)


# --- Staff: contracts -------------------------------------------------------------------------


class ResidencyAddForm(AllocationMixin, forms.Form):
    """A contract allotted directly by staff, without an application."""

    company = forms.ModelChoiceField(label=_("Company"), queryset=Company.objects.none())
    site = forms.ModelChoiceField(label=_("Site"), queryset=Site.objects.none())
    offices = OfficesField(
        label=_("Offices"), queryset=Space.objects.none(), widget=forms.SelectMultiple
    )
    start = forms.DateField(label=_("Start"), widget=DateInput())
    end = forms.DateField(
        label=_("End"),
        required=False,
        widget=DateInput(),
        help_text=_("Only for a contract of fixed length; empty while it runs on."),
    )
    tier = forms.ChoiceField(label=_("Rent tier"), choices=RentTier.choices)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        perm, via = "tenants.add_residency", access.VIA_SITE
        self.fields["company"].queryset = access.scope(Company.objects.all(), user, perm, via=via)
        self.fields["site"].queryset = access.scope(Site.objects.all(), user, perm, via=via)
        self.fields["offices"].queryset = access.scope(
            Space.objects.filter(kind=SpaceKind.OFFICE), user, perm, via=via
        ).select_related("site")
        self.fields["offices"].label_from_instance = lambda o: f"{o.name} · {o.site.name}"

    def clean(self):
        data = super().clean()
        site, offices = data.get("site"), data.get("offices")
        if site and offices:
            elsewhere = [o.name for o in offices if o.site_id != site.pk]
            if elsewhere:
                self.add_error(
                    "offices",
                    _("Not an office of %(site)s: %(offices)s.")
                    % {"site": site, "offices": ", ".join(elsewhere)},
                )
        return data


class ResidencyEndForm(forms.Form):
    end = forms.DateField(
        label=_("End"),
        widget=DateInput(),
        help_text=_("The first day the offices are free again."),
    )


class ResidencyTerminateForm(forms.Form):
    end = forms.DateField(
        label=_("End"),
        widget=DateInput(),
        help_text=_("The first day the offices are free again."),
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
