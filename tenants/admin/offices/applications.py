"""The allocation committee's queue: applications, their documents, and the decisions."""

import datetime as dt
import functools

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from technopark import access, french
from technopark.admin import RelatedOnlyFilter, ScopedInline
from technopark.templatetags.technopark import m2
from technopark.uploads import file_response
from tenants.admin.offices.base import OfficesAdmin, day
from tenants.forms import offices as forms
from tenants.models import ApplicationDocument, OfficeApplication
from tenants.models.offices import OPEN_APPLICATION
from tenants.selectors import offices as selectors
from tenants.services import offices as services


def _date_or_none(value: str) -> dt.date | None:
    """A date given as ``2026-12-01`` in the address, or none when absent or malformed."""
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


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
class OfficeApplicationAdmin(OfficesAdmin):
    list_display = (
        "company",
        "site",
        "program_wanted",
        "area_wanted",
        "team_size",
        "status_and_rank",
        "submitted_on",
    )
    site_column = "site"
    list_filter = ("status", ("site", RelatedOnlyFilter), "program_wanted")
    list_select_related = ("company", "site")
    search_fields = ("company__legal_name", "company__trade_name", "company__ice")
    ordering = ("created_at",)  # the committee decides in the order companies applied
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

    def get_queryset(self, request):
        # The list's columns and the change form's read-only relations, in one query.
        return (
            super()
            .get_queryset(request)
            .select_related("company", "site", "applicant", "decided_by")
        )

    @admin.display(description=_("area wanted"), ordering="area_wanted_m2")
    def area_wanted(self, application):
        return m2(application.area_wanted_m2)

    @admin.display(description=_("status"), ordering="status")
    def status_and_rank(self, application):
        """The status, with the rank on the waiting list (one column instead of two)."""
        if application.waiting_position:
            return gettext("%(status)s (no. %(position)s)") % {
                "status": application.get_status_display(),
                "position": application.waiting_position,
            }
        return application.get_status_display()

    @admin.display(description=_("submitted"), ordering="created_at")
    def submitted_on(self, application):
        return day(timezone.localtime(application.created_at))

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

    def change_context(self, request, obj) -> dict:
        return {
            "can_decide": obj.status in OPEN_APPLICATION
            and self.staff_may(request, "tenants.change_officeapplication", obj)
        }

    def _open_application(self, request, object_id) -> OfficeApplication:
        return access.get_object_or_404(
            OfficeApplication.objects.select_related("company", "site"),
            request.user,
            "tenants.change_officeapplication",
            via=access.VIA_SITE,
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
            return french.elide(
                gettext("Accepted: %(company)s's residency starts on %(date)s.")
                % {"company": residency.company, "date": day(residency.start)}
            )

        on = _date_or_none(request.GET.get("start", ""))
        return self._decide(
            request,
            object_id,
            form_class=functools.partial(forms.AcceptForm, on=on),
            decide=decide,
            title=gettext("Accept and allot offices"),
            action="accept",
            free_on=on or timezone.localdate(),
        )

    def wait_view(self, request, object_id):
        def decide(application, data):
            application = services.application_wait(
                application=application,
                user=request.user,
                position=data["position"],
                reason=data.get("reason", ""),
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
            via=access.VIA_SITE,
            pk=document_pk,
        )
        return file_response(document.file, download_name=document.original_name)
