"""Model admins of the offices area: the committee's queue, contracts, rates, attestations.

Applications, contracts and attestations change only through the services
(``tenants.services.offices``): their change forms are read-only, and the
committee's decisions, ends of contracts and revocations are small admin views
that check the person's rights through ``technopark.access``.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from technopark import access
from technopark.admin import ScopedAdmin, ScopedInline
from technopark.uploads import file_response
from tenants.forms import offices as forms
from tenants.models import (
    ApplicationDocument,
    Attestation,
    OfficeApplication,
    RentRate,
    RentTier,
    Residency,
    ResidencyOffice,
    ResidencyStatus,
)
from tenants.models.offices import OPEN_APPLICATION
from tenants.selectors import offices as selectors
from tenants.services import offices as services
from tenants.views.offices import pdf_response

READ_ONLY_FORM = {
    "show_save": False,
    "show_save_and_continue": False,
    "show_save_and_add_another": False,
}


class ServiceOnlyAdmin(ScopedAdmin):
    """A read-only change form: the rows change through the services' own views."""

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return super().change_view(
            request, object_id, form_url, {**READ_ONLY_FORM, **(extra_context or {})}
        )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and object_id is not None:
            raise PermissionDenied  # nothing to save here
        return super().changeform_view(request, object_id, form_url, extra_context)

    def _page(self, request, template: str, title: str, **context) -> TemplateResponse:
        return TemplateResponse(
            request,
            template,
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": title,
                **context,
            },
        )

    def _change_url(self, obj) -> str:
        opts = self.model._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


# --- Applications: the allocation committee's queue --------------------------------------------


class ApplicationDocumentInline(ScopedInline, admin.TabularInline):
    model = ApplicationDocument
    extra = 0
    fields = ("download", "size", "uploaded_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("file"))
    def download(self, document):
        url = reverse(
            "admin:tenants_officeapplication_document",
            args=[document.application_id, document.pk],
        )
        return format_html('<a href="{}">{}</a>', url, document.original_name)


@admin.register(OfficeApplication)
class OfficeApplicationAdmin(ServiceOnlyAdmin):
    list_display = (
        "company",
        "site",
        "program_wanted",
        "area_wanted_m2",
        "team_size",
        "status",
        "waiting_position",
        "created_at",
    )
    list_filter = ("status", ("site", admin.RelatedOnlyFieldListFilter), "program_wanted")
    list_select_related = ("company", "site")
    search_fields = ("company__legal_name", "company__trade_name", "company__ice")
    ordering = ("created_at",)
    fields = (
        "company",
        "site",
        "applicant",
        "created_at",
        "area_wanted_m2",
        "team_size",
        "program_wanted",
        "pitch",
        "status",
        "waiting_position",
        "decision_reason",
        "decided_by",
        "decided_at",
    )
    inlines = [ApplicationDocumentInline]
    change_form_template = "tenants/offices/admin/application_change_form.html"

    def has_add_permission(self, request):
        return False  # companies apply from the portal

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:object_id>/accept/",
                view(self.accept_view),
                name="tenants_officeapplication_accept",
            ),
            path(
                "<int:object_id>/wait/",
                view(self.wait_view),
                name="tenants_officeapplication_wait",
            ),
            path(
                "<int:object_id>/reject/",
                view(self.reject_view),
                name="tenants_officeapplication_reject",
            ),
            path(
                "<int:object_id>/documents/<int:document_pk>/",
                view(self.document_view),
                name="tenants_officeapplication_document",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        application = self.get_queryset(request).filter(pk=object_id).first()
        can_decide = (
            application is not None
            and application.status in OPEN_APPLICATION
            and access.allows(request.user, "tenants.change_officeapplication", application)
        )
        return super().change_view(
            request, object_id, form_url, {"can_decide": can_decide, **(extra_context or {})}
        )

    def _open_application(self, request, object_id) -> OfficeApplication:
        return access.get_object_or_404(
            OfficeApplication.objects.select_related("company", "site"),
            request.user,
            "tenants.change_officeapplication",
            pk=object_id,
        )

    def _decide(self, request, object_id, *, form_class, decide, title, **context):
        application = self._open_application(request, object_id)
        if application.status not in OPEN_APPLICATION:
            messages.warning(request, gettext("This application is already decided."))
            return redirect(self._change_url(application))
        form = form_class(request.POST or None, application=application, user=request.user)
        if request.method == "POST" and form.is_valid():
            try:
                message = decide(application, form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, message)
                return redirect(self._change_url(application))
        return self._page(
            request,
            "tenants/offices/admin/decision.html",
            title,
            application=application,
            form=form,
            original=application,
            waiting=selectors.waiting_list(application.site),
            **context,
        )

    def accept_view(self, request, object_id):
        def decide(application, data):
            residency = services.application_accept(
                application=application,
                user=request.user,
                offices=data["offices"],
                start=data["start"],
                tier=data["tier"],
                reason=data["reason"],
            )
            return gettext("Accepted: %(company)s's residency starts on %(date)s.") % {
                "company": residency.company,
                "date": residency.start.isoformat(),
            }

        return self._decide(
            request,
            object_id,
            form_class=forms.AcceptForm,
            decide=decide,
            title=gettext("Accept and allot offices"),
            action="accept",
        )

    def wait_view(self, request, object_id):
        def decide(application, data):
            application = services.application_wait(
                application=application,
                user=request.user,
                position=data["position"],
                reason=data["reason"],
            )
            return gettext("On the waiting list at position %(position)d.") % {
                "position": application.waiting_position
            }

        return self._decide(
            request,
            object_id,
            form_class=forms.WaitForm,
            decide=decide,
            title=gettext("Put on the waiting list"),
            action="wait",
        )

    def reject_view(self, request, object_id):
        def decide(application, data):
            services.application_reject(
                application=application, user=request.user, reason=data["reason"]
            )
            return gettext("The application is rejected; the company is told why.")

        return self._decide(
            request,
            object_id,
            form_class=forms.RejectForm,
            decide=decide,
            title=gettext("Reject"),
            action="reject",
        )

    def document_view(self, request, object_id, document_pk):
        document = access.get_object_or_404(
            ApplicationDocument.objects.filter(application_id=object_id),
            request.user,
            "tenants.view_applicationdocument",
            pk=document_pk,
        )
        return file_response(document.file, download_name=document.original_name)


# --- Residencies (contracts) -------------------------------------------------------------------


class ResidencyOfficeInline(ScopedInline, admin.TabularInline):
    """The leased offices, as the service keeps them (read-only)."""

    model = ResidencyOffice
    extra = 0
    fields = ("office", "area", "dates", "active")
    readonly_fields = fields
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("office")

    def has_add_permission(self, request, obj):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("area (m²)"))
    def area(self, lease):
        return lease.office.area_m2

    @admin.display(description=_("period"))
    def dates(self, lease):
        if lease.period.upper is None:
            return gettext("from %(start)s") % {"start": lease.period.lower.isoformat()}
        return gettext("from %(start)s to %(end)s (excluded)") % {
            "start": lease.period.lower.isoformat(),
            "end": lease.period.upper.isoformat(),
        }


@admin.register(Residency)
class ResidencyAdmin(ServiceOnlyAdmin):
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
    list_filter = ("status", ("site", admin.RelatedOnlyFieldListFilter), "tier")
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
        return super().get_queryset(request).prefetch_related(selectors.LEASES)

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

    def change_view(self, request, object_id, form_url="", extra_context=None):
        residency = self.get_queryset(request).filter(pk=object_id).first()
        today = timezone.localdate()
        context = {}
        if residency is not None:
            rates = selectors.rent_rate_list()
            context = {
                "can_close": residency.status == ResidencyStatus.ACTIVE
                and access.allows(request.user, "tenants.change_residency", residency),
                "tier_today": RentTier(services.rent_tier_on(residency, on=today)).label,
                "rate_today": services.monthly_rate(residency, on=today, rates=rates),
                "rent_today": services.monthly_rent(residency, on=today, rates=rates),
                "area": services.leased_area(residency),
            }
        return super().change_view(
            request, object_id, form_url, {**context, **(extra_context or {})}
        )

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
                messages.success(request, gettext("The contract is recorded."))
                return redirect(self._change_url(residency))
        return self._page(
            request, "tenants/offices/admin/form.html", gettext("New residency"), form=form
        )

    def _close_view(self, request, object_id, *, form_class, close, title):
        residency = access.get_object_or_404(
            Residency.objects.select_related("company", "site"),
            request.user,
            "tenants.change_residency",
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
        return request.user.has_perm("tenants.add_attestation")

    @admin.action(description=_("Issue a residency attestation"), permissions=["issue"])
    def issue_attestations(self, request, queryset):
        allowed = access.scope(queryset, request.user, "tenants.add_attestation")
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


# --- Rent rates ------------------------------------------------------------------------------


@admin.register(RentRate)
class RentRateAdmin(ScopedAdmin):
    """The tariff: superusers add a row to change a rate from a date; managers read it."""

    list_display = ("tier", "monthly_rate_per_m2", "effective_from")
    list_filter = ("tier",)
    ordering = ("tier", "-effective_from")


# --- Attestations ----------------------------------------------------------------------------


@admin.register(Attestation)
class AttestationAdmin(ServiceOnlyAdmin):
    list_display = ("code", "company", "site", "issued_at", "valid_until", "state")
    list_filter = (("residency__site", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("company", "residency__site")
    search_fields = ("code", "company__legal_name", "company__trade_name")
    ordering = ("-issued_at",)
    fields = ("code", "company", "residency", "issued_at", "issued_by", "valid_until", "revoked_at")
    actions = ["revoke"]
    change_form_template = "tenants/offices/admin/attestation_change_form.html"

    def has_add_permission(self, request):
        return False  # issued from a residency (action) or from the portal

    def get_urls(self):
        view = self.admin_site.admin_view
        urls = [
            url
            for url in super().get_urls()
            if getattr(url, "name", "") != "tenants_attestation_simple_history"
        ]
        return [
            path("<int:object_id>/pdf/", view(self.pdf_view), name="tenants_attestation_pdf"),
            path(
                "<int:object_id>/revoke/",
                view(require_POST(self.revoke_view)),
                name="tenants_attestation_revoke",
            ),
            *urls,
        ]

    def history_view(self, request, object_id, extra_context=None):
        # Attestations keep no simple-history table; the admin's own log says who revoked.
        self._require_in_scope(request, object_id)
        return admin.ModelAdmin.history_view(self, request, object_id, extra_context)

    @admin.display(description=_("site"), ordering="residency__site__name")
    def site(self, attestation):
        return attestation.residency.site

    @admin.display(description=_("state"))
    def state(self, attestation):
        return {
            selectors.VALID: gettext("Valid"),
            selectors.REVOKED: gettext("Revoked"),
            selectors.EXPIRED: gettext("Expired"),
        }[selectors.attestation_state(attestation)]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        attestation = self.get_queryset(request).filter(pk=object_id).first()
        can_revoke = (
            attestation is not None
            and attestation.revoked_at is None
            and access.allows(request.user, "tenants.change_attestation", attestation)
        )
        return super().change_view(
            request, object_id, form_url, {"can_revoke": can_revoke, **(extra_context or {})}
        )

    def pdf_view(self, request, object_id):
        attestation = selectors.attestation_for_pdf(
            Attestation.objects.all(), request.user, object_id
        )
        return pdf_response(attestation)

    def revoke_view(self, request, object_id):
        attestation = access.get_object_or_404(
            Attestation.objects.all(), request.user, "tenants.change_attestation", pk=object_id
        )
        self._revoke(request, [attestation])
        return redirect(self._change_url(attestation))

    @admin.action(description=_("Revoke"), permissions=["change"])
    def revoke(self, request, queryset):
        self._revoke(request, access.scope(queryset, request.user, "tenants.change_attestation"))

    def _revoke(self, request, attestations):
        count = 0
        for attestation in attestations:
            try:
                services.attestation_revoke(attestation=attestation, user=request.user)
            except ValidationError:
                continue
            self.log_change(request, attestation, gettext("Revoked."))
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d attestation revoked.", "%(count)d attestations revoked.", count)
            % {"count": count},
            messages.SUCCESS if count else messages.WARNING,
        )
