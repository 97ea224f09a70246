"""The background jobs in the staff admin: read-only, scoped, and a failed job can be retried.

procrastinate ships an admin of its own, for any staff and with actions that
write; it is replaced by this one, on the ``technopark.Job`` proxy, through the
gate like every model admin. Who sees what:

* network managers read every job, superusers may also retry any;
* the staff who run a site (those its ``SITE_PERMISSION`` is granted to: its
  managers) read the jobs about that site and may retry them;
* nobody adds, changes or deletes a job here: workers do.
"""

import json

from django.apps import apps
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import BigIntegerField, OuterRef, Subquery
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from procrastinate.contrib.django import admin as procrastinate_admin
from procrastinate.contrib.django.models import ProcrastinateEvent, ProcrastinateJob

from technopark import access, jobs
from technopark.admin import ScopedAdmin
from technopark.i18n import translated
from technopark.models import Job

#: Who runs a site sees the jobs about it and may retry them (a job names its
#: site in its arguments: ``site_id``).
SITE_PERMISSION = "sites.change_site"

#: Argument names whose values are secrets (an invitation's signed link): never shown.
HIDDEN_ARGUMENTS = {"link"}

STATUS_LABELS = {
    "todo": _("Waiting"),
    "doing": _("Running"),
    "succeeded": _("Done"),
    "failed": _("Failed"),
    "cancelled": _("Cancelled"),
    "aborted": _("Aborted"),
}
EVENT_LABELS = {
    "deferred": _("queued"),
    "started": _("started"),
    "deferred_for_retry": _("failed, to retry"),
    "failed": _("failed"),
    "succeeded": _("done"),
    "cancelled": _("cancelled"),
    "abort_requested": _("abort asked"),
    "aborted": _("aborted"),
    "scheduled": _("scheduled"),
}

if admin.site.is_registered(ProcrastinateJob):
    admin.site.unregister(ProcrastinateJob)
del procrastinate_admin  # imported so that its registration happens before the line above


def _shown(value):
    if isinstance(value, dict):
        return {
            key: "…" if key in HIDDEN_ARGUMENTS else _shown(item) for key, item in value.items()
        }
    if isinstance(value, list):
        return [_shown(item) for item in value]
    return value


class StatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return list(STATUS_LABELS.items())

    def queryset(self, request, queryset):
        return queryset.filter(status=self.value()) if self.value() else queryset


@admin.register(Job)
class JobAdmin(ScopedAdmin):
    list_display = ("id", "task_name", "status_label", "site", "attempts", "scheduled_at")
    list_filter = (StatusFilter, "queue_name", "task_name")
    search_fields = ("task_name",)
    fields = (
        "task_name",
        "status_label",
        "queue_name",
        "site",
        "attempts",
        "scheduled_at",
        "arguments",
        "events",
    )
    readonly_fields = fields
    actions = None
    object_history_template = None
    change_form_template = "admin/technopark/job/change_form.html"

    # --- Who may do what: reading through the gate, retrying, and nothing else -------------

    def get_queryset(self, request):
        site = apps.get_model("sites", "Site").objects.filter(pk=OuterRef("site_key"))
        queryset = Job.objects.annotate(
            site_key=Cast(KeyTextTransform("site_id", "args"), BigIntegerField()),
            site_name=Subquery(site.annotate(shown=translated("name")).values("shown")[:1]),
        )
        if access.sees_everything(request.user, self._perm("view")):
            return queryset
        return access.scope(queryset, request.user, SITE_PERMISSION, via=access.VIA_SITE)

    def _may(self, request, action, obj=None):
        if action != "view":
            return False
        user = request.user
        if access.sees_everything(user, self._perm("view")):
            return True
        if obj is None:
            return access.has_staff_perm(user, SITE_PERMISSION)
        return self.get_queryset(request).filter(pk=obj.pk).exists()

    def may_retry(self, request, job) -> bool:
        user = request.user
        if access.sees_everything(user, self._perm("change")):
            return True
        site_id = (job.args or {}).get("site_id")
        return site_id is not None and access.at_site(user, SITE_PERMISSION, site_id)

    # --- Pages ------------------------------------------------------------------------------

    def get_urls(self):
        history = f"{self.opts.app_label}_{self.opts.model_name}_simple_history"
        urls = [url for url in super().get_urls() if getattr(url, "name", None) != history]
        retry = path(
            "<path:object_id>/retry/",
            self.admin_site.admin_view(self.retry_view),
            name=f"{self.opts.app_label}_{self.opts.model_name}_retry",
        )
        return [retry, *urls]

    def history_view(self, request, object_id, extra_context=None):
        self._require_in_scope(request, object_id)
        return admin.ModelAdmin.history_view(self, request, object_id, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        job = self._require_in_scope(request, object_id)
        extra = {
            "retry_url": (
                reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_retry", args=[job.pk])
                if job.status == "failed" and self.may_retry(request, job)
                else ""
            ),
            **(extra_context or {}),
        }
        return super().change_view(request, object_id, form_url, extra)

    def retry_view(self, request, object_id):
        """Queue a failed job again (POST): it runs once more, with its attempts counted on."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        job = self._require_in_scope(request, object_id)
        if not self.may_retry(request, job):
            raise PermissionDenied
        try:
            jobs.job_retry(actor=request.user, job_id=job.pk)
        except ValidationError as error:
            messages.warning(request, " ".join(error.messages))
        else:
            self.log_change(request, job, _("Queued again."))
            messages.success(request, _("The job is queued again."))
        return redirect(
            reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[job.pk])
        )

    # --- Columns ----------------------------------------------------------------------------

    @admin.display(description=_("status"), ordering="status")
    def status_label(self, job):
        return STATUS_LABELS.get(job.status, job.status)

    @admin.display(description=_("site"))
    def site(self, job):
        return job.site_name or "—"

    @admin.display(description=_("arguments"))
    def arguments(self, job):
        return format_html(
            "<pre style='white-space:pre-wrap'>{}</pre>",
            json.dumps(_shown(job.args), indent=2, ensure_ascii=False),
        )

    @admin.display(description=_("events"))
    def events(self, job):
        events = ProcrastinateEvent.objects.filter(job_id=job.pk).order_by("at", "id")
        return (
            format_html(
                "<ul>{}</ul>",
                format_html_join(
                    "",
                    "<li>{} · {}</li>",
                    ((event.at, EVENT_LABELS.get(event.type, event.type)) for event in events),
                ),
            )
            if events
            else "—"
        )
