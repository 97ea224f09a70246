"""Contracts in the staff admin (recorded, ended and terminated through the services) and
the tariff."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from technopark import access
from technopark.admin import RelatedOnlyFilter, ScopedAdmin, ScopedInline, range_display
from tenants import rent
from tenants.admin.offices.base import OfficesAdmin, day
from tenants.forms import offices as forms
from tenants.models import RentRate, RentTier, Residency, ResidencyOffice, ResidencyStatus
from tenants.selectors import offices as selectors
from tenants.services import offices as services


class ResidencyOfficeInline(ScopedInline, admin.TabularInline):
    """The leased offices, as the service keeps them (read-only)."""

    model = ResidencyOffice
    extra = 0
    fields = ("office", "area_m2", "dates")
    readonly_fields = fields
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("office__site").order_by("office__name")

    def has_add_permission(self, request, obj):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    dates = range_display("period", _("period"))


@admin.register(Residency)
class ResidencyAdmin(OfficesAdmin):
    list_display = (
        "company",
        "site",
        "offices_leased",
        "start",
        "firm_end",
        "end",
        "tier",
        "status",
    )
    list_filter = ("status", ("site", RelatedOnlyFilter), "tier")
    list_select_related = ("company", "site")
    search_fields = ("company__legal_name", "company__trade_name", "office_leases__office__name")
    ordering = ("-start",)
    fields = (
        "company",
        "site",
        "application",
        "start",
        "firm_end",
        "end",
        "tier",
        "status",
        "termination_reason",
        "created_at",
    )
    inlines = [ResidencyOfficeInline]
    actions = ["issue_attestations"]
    change_form_template = "tenants/offices/admin/residency_change_form.html"

    def get_queryset(self, request):
        return selectors.with_first_start(
            super()
            .get_queryset(request)
            .select_related("company", "site", "application__company", "application__site")
            .prefetch_related(selectors.LEASES)
        )

    @admin.display(description=_("offices"))
    def offices_leased(self, residency):
        return ", ".join(lease.office.name for lease in residency.office_leases.all())

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:object_id>/end/", view(self.end_view), name="tenants_residency_end"),
            path(
                "<int:object_id>/terminate/",
                view(self.terminate_view),
                name="tenants_residency_terminate",
            ),
            *super().get_urls(),
        ]

    def change_context(self, request, obj) -> dict:
        today = timezone.localdate()
        rates = selectors.rent_rate_list()
        return {
            "can_close": obj.status == ResidencyStatus.ACTIVE
            and self.staff_may(request, "tenants.change_residency", obj),
            "tier_today": RentTier(rent.rent_tier_on(obj, on=today)).label,
            "rate_today": rent.monthly_rate(obj, on=today, rates=rates),
            "rent_today": rent.monthly_rent(obj, on=today, rates=rates),
            "area": rent.leased_area(obj),
        }

    def add_view(self, request, form_url="", extra_context=None):
        """A contract allotted directly, through ``residency_create``."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = forms.ResidencyAddForm(request.POST or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                residency = services.residency_create(
                    company=data["company"],
                    site=data["site"],
                    offices=data["offices"],
                    start=data["start"],
                    end=data["end"],
                    tier=data["tier"],
                    user=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.log_addition(request, residency, [{"added": {}}])
                if residency.status == ResidencyStatus.ACTIVE:
                    messages.success(request, gettext("The contract is recorded."))
                else:
                    messages.success(
                        request,
                        gettext(
                            "The contract is recorded. Its end (%(date)s) has passed: it is "
                            "recorded as ended."
                        )
                        % {"date": day(residency.end)},
                    )
                return redirect(self._change_url(residency))
        return self._page(
            request, "tenants/offices/admin/form.html", gettext("New residency"), form=form
        )

    def _close_view(self, request, object_id, *, form_class, close, title):
        residency = access.get_object_or_404(
            Residency.objects.select_related("company", "site"),
            request.user,
            "tenants.change_residency",
            via=access.VIA_SITE,
            pk=object_id,
        )
        if residency.status != ResidencyStatus.ACTIVE:
            messages.warning(request, gettext("This contract has already ended."))
            return redirect(self._change_url(residency))
        form = form_class(request.POST or None, initial={"end": timezone.localdate()})
        if request.method == "POST" and form.is_valid():
            try:
                close(residency, form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, gettext("The contract's end is recorded."))
                return redirect(self._change_url(residency))
        return self._page(
            request,
            "tenants/offices/admin/form.html",
            title,
            form=form,
            original=residency,
        )

    def end_view(self, request, object_id):
        return self._close_view(
            request,
            object_id,
            form_class=forms.ResidencyEndForm,
            close=lambda residency, data: services.residency_end(
                residency=residency, user=request.user, end=data["end"]
            ),
            title=gettext("End the contract"),
        )

    def terminate_view(self, request, object_id):
        return self._close_view(
            request,
            object_id,
            form_class=forms.ResidencyTerminateForm,
            close=lambda residency, data: services.residency_terminate(
                residency=residency, user=request.user, reason=data["reason"], end=data["end"]
            ),
            title=gettext("Terminate the contract"),
        )

    def has_issue_permission(self, request):
        return access.has_staff_perm(request.user, "tenants.add_attestation")

    @admin.action(description=_("Issue a residency attestation"), permissions=["issue"])
    def issue_attestations(self, request, queryset):
        allowed = access.scope(
            queryset, request.user, "tenants.add_attestation", via=access.VIA_SITE
        )
        issued, refused = 0, []
        for residency in allowed.select_related("company"):
            try:
                services.attestation_issue(residency=residency, user=request.user)
            except ValidationError:
                refused.append(str(residency.company))
            else:
                issued += 1
        if issued:
            self.message_user(
                request,
                ngettext(
                    "%(count)d attestation issued: download it from the attestations.",
                    "%(count)d attestations issued: download them from the attestations.",
                    issued,
                )
                % {"count": issued},
                messages.SUCCESS,
            )
        if refused:
            self.message_user(
                request,
                gettext("Not running today, so not attested: %(companies)s.")
                % {"companies": ", ".join(refused)},
                messages.WARNING,
            )


@admin.register(RentRate)
class RentRateAdmin(ScopedAdmin):
    """The tariff: superusers add a row to change a rate from a date; managers read it."""

    list_display = ("tier", "monthly_rate_per_m2", "effective_from")
    list_filter = ("tier",)
    ordering = ("tier", "-effective_from")
