"""Attestations in the staff admin: the list, the PDF of a valid one, revocation."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from technopark import access
from technopark.admin import RelatedOnlyFilter
from technopark.uploads import pdf_response
from tenants import documents
from tenants.admin.offices.base import OfficesAdmin
from tenants.models import Attestation, Residency
from tenants.selectors import offices as selectors
from tenants.services import offices as services

STATES = {
    selectors.VALID: _("Valid"),
    selectors.REVOKED: _("Revoked"),
    selectors.EXPIRED: _("Expired"),
    selectors.ENDED: _("Residency ended"),
}


@admin.register(Attestation)
class AttestationAdmin(OfficesAdmin):
    list_display = ("code", "company", "site", "issued_at", "valid_until", "state")
    list_filter = (("residency__site", RelatedOnlyFilter),)
    list_select_related = ("company", "residency__site")
    search_fields = ("code", "company__legal_name", "company__trade_name")
    ordering = ("-issued_at",)
    fields = ("code", "company", "residency", "issued_at", "issued_by", "valid_until", "revoked_at")
    actions = ["revoke"]
    change_form_template = "tenants/offices/admin/attestation_change_form.html"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("company", "residency__company", "residency__site", "issued_by")
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Each choice's label names the contract's company and site: read them with it.
        if db_field.name == "residency":
            kwargs["queryset"] = self.writable(
                Residency.objects.select_related("company", "site"), request
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

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
        return STATES[selectors.attestation_state(attestation)]

    def change_context(self, request, obj) -> dict:
        return {
            "is_valid": selectors.attestation_state(obj) == selectors.VALID,
            "can_revoke": obj.revoked_at is None
            and self.staff_may(request, "tenants.change_attestation", obj),
        }

    def pdf_view(self, request, object_id):
        """The PDF of a valid attestation; a revoked, expired or ended one is not served."""
        attestation = selectors.attestation_for_pdf(
            Attestation.objects.all(), request.user, object_id, via=access.VIA_SITE
        )
        state = selectors.attestation_state(attestation)
        if state != selectors.VALID:
            messages.warning(
                request,
                gettext("This attestation is no longer valid (%(state)s): its PDF is not served.")
                % {"state": STATES[state]},
            )
            return redirect(self._change_url(attestation))
        language = documents.attestation_language(request.GET.get("lang"), request.LANGUAGE_CODE)
        return pdf_response(
            documents.attestation_pdf(attestation, language),
            filename=documents.attestation_filename(attestation, language),
        )

    def revoke_view(self, request, object_id):
        attestation = access.get_object_or_404(
            Attestation.objects.all(),
            request.user,
            "tenants.change_attestation",
            via=access.VIA_SITE,
            pk=object_id,
        )
        self._revoke(request, [attestation])
        return redirect(self._change_url(attestation))

    @admin.action(description=_("Revoke"), permissions=["change"])
    def revoke(self, request, queryset):
        self._revoke(
            request,
            access.scope(queryset, request.user, "tenants.change_attestation", via=access.VIA_SITE),
        )

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
