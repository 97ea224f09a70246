"""Requests worked by agents.

A request is never edited as a form: its change page shows the thread, the
events and the files, and its buttons post to small views that call the
workflow services (assign, reply, ask the company, resolve, reject).
"""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from technopark import access, refusals
from technopark.admin import RelatedOnlyFilter, ServiceOnlyAdmin
from technopark.uploads import file_response
from tenants.forms.requests import AssignForm, MessageForm, RejectForm, ResolveForm
from tenants.models import RequestStatus, ServiceRequest
from tenants.selectors import requests as selectors
from tenants.services import requests as services


def _say_form_errors(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else None
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


class OverdueFilter(admin.SimpleListFilter):
    title = _("overdue")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Overdue")), ("no", _("Not overdue"))]

    def queryset(self, request, queryset):
        condition = selectors.overdue(timezone.localdate())
        if self.value() == "yes":
            return queryset.filter(condition)
        if self.value() == "no":
            return queryset.exclude(condition)
        return queryset


class AgentFilter(admin.SimpleListFilter):
    """The agents of the sites one works at (never another site's people)."""

    title = _("agent")
    parameter_name = "agent"

    def lookups(self, request, model_admin):
        agents = selectors.agents_visible_to(request.user)
        return [("none", _("Nobody yet"))] + [
            (str(agent.pk), agent.get_full_name()) for agent in agents
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "none":
            return queryset.filter(assigned_to__isnull=True)
        if value and value.isdecimal():
            return queryset.filter(assigned_to_id=int(value))
        return queryset


@admin.register(ServiceRequest)
class ServiceRequestAdmin(ServiceOnlyAdmin):
    list_display = (
        "number",
        "service",
        "site_name",
        "company",
        "status",
        "assigned_to",
        "deadline_and_delay",
        "submitted_on",
    )
    site_column = "site_name"
    list_display_links = ("number", "service")
    list_filter = (
        "status",
        OverdueFilter,
        ("service", RelatedOnlyFilter),
        AgentFilter,
        ("service__site", RelatedOnlyFilter),
    )
    list_select_related = ("service__site", "company", "assigned_to")
    search_fields = (
        "=id",
        "description",
        "company__legal_name",
        "company__trade_name",
        "service__name",
    )
    actions = ["assign_to_agent", "resolve_selected"]
    change_form_template = "tenants/requests/admin/servicerequest_change_form.html"
    fieldsets = (
        (None, {"fields": ("company", "service", "description", "created_by", "created_at")}),
        (
            _("Handling"),
            {
                "fields": (
                    "status",
                    "assigned_to",
                    "deadline",
                    "overdue",
                    "closed_at",
                    "rejection_reason",
                )
            },
        ),
    )
    readonly_fields = (
        "company",
        "service",
        "description",
        "created_by",
        "created_at",
        "status",
        "assigned_to",
        "deadline",
        "overdue",
        "closed_at",
        "rejection_reason",
    )

    def get_queryset(self, request):
        requests = (
            super()
            .get_queryset(request)
            .select_related("service__site", "company", "assigned_to", "created_by")
        )
        return selectors.with_overdue(requests, timezone.localdate())

    def has_add_permission(self, request):
        # Companies file requests in the portal; staff work them.
        return False

    @admin.display(description=_("number"), ordering="pk")
    def number(self, obj):
        return f"#{obj.pk}"

    @admin.display(description=_("site"), ordering="service__site__name")
    def site_name(self, obj):
        return obj.service.site.name

    @admin.display(description=_("submitted"), ordering="created_at")
    def submitted_on(self, obj):
        return date_format(timezone.localtime(obj.created_at), "SHORT_DATE_FORMAT")

    @admin.display(description=_("deadline"), ordering="deadline")
    def deadline_and_delay(self, obj):
        """The deadline, marked when it has passed (one column instead of two)."""
        when = date_format(obj.deadline, "SHORT_DATE_FORMAT")
        if not obj.is_overdue:
            return when
        return format_html('{} <strong class="overdue">{}</strong>', when, gettext("late"))

    @admin.display(description=_("overdue"), boolean=True, ordering="is_overdue")
    def overdue(self, obj):
        return obj.is_overdue

    # The change page: thread, events, files and the workflow's forms.

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # ``obj`` is the row the admin fetched once through the scoped ``get_queryset``.
        if obj is not None:
            context.update(selectors.request_thread(service_request=obj, user=request.user))
            context["workflow"] = self._workflow(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _workflow(self, request, service_request) -> dict | None:
        """The workflow's forms, for an open request of a site where one works requests."""
        site = service_request.service.site
        if not service_request.is_open or not access.at_site(
            request.user, services.CHANGE_REQUEST, site
        ):
            return None
        allowed = services.TRANSITIONS[service_request.status]
        return {
            "assign": AssignForm(user=request.user, site=site),
            "reply": MessageForm(submit=_("Send to the company")),
            "ask": MessageForm(submit=_("Ask the company"), prefix="ask")
            if RequestStatus.WAITING_FOR_TENANT in allowed
            else None,
            "resolve": ResolveForm() if RequestStatus.RESOLVED in allowed else None,
            "reject": RejectForm(),
        }

    def get_urls(self):
        def post(view, name):
            return self.admin_site.admin_view(require_POST(view)), f"tenants_servicerequest_{name}"

        custom = []
        for action in ("assign", "reply", "ask", "resolve", "reject"):
            view, name = post(getattr(self, f"{action}_view"), action)
            custom.append(path(f"<int:object_id>/{action}/", view, name=name))
        custom.append(
            path(
                "<int:object_id>/files/<int:attachment_id>/",
                self.admin_site.admin_view(self.attachment_view),
                name="tenants_servicerequest_attachment",
            )
        )
        return custom + super().get_urls()

    def _changeable(self, request, object_id) -> ServiceRequest:
        return selectors.request_get_for_staff(
            user=request.user, pk=object_id, perm=services.CHANGE_REQUEST
        )

    def _back(self, service_request):
        return redirect("admin:tenants_servicerequest_change", service_request.pk)

    def _run(self, request, service_request, form, call, done: str):
        if not form.is_valid():
            _say_form_errors(request, form)
            return self._back(service_request)
        refusals.attempt(request, lambda: call(form.cleaned_data), done=done)
        return self._back(service_request)

    def assign_view(self, request, object_id):
        service_request = self._changeable(request, object_id)
        form = AssignForm(request.POST, user=request.user, site=service_request.service.site_id)
        return self._run(
            request,
            service_request,
            form,
            lambda data: services.request_assign(
                actor=request.user,
                service_request=service_request,
                agent=data["agent"],
                note=data["note"],
            ),
            gettext("The request is assigned."),
        )

    def reply_view(self, request, object_id):
        service_request = self._changeable(request, object_id)
        return self._run(
            request,
            service_request,
            MessageForm(request.POST, request.FILES),
            lambda data: services.request_reply_as_agent(
                author=request.user,
                service_request=service_request,
                body=data["body"],
                files=data["files"],
            ),
            gettext("Your message is sent to the company."),
        )

    def ask_view(self, request, object_id):
        service_request = self._changeable(request, object_id)
        return self._run(
            request,
            service_request,
            MessageForm(request.POST, request.FILES, prefix="ask"),
            lambda data: services.request_ask_company(
                actor=request.user,
                service_request=service_request,
                body=data["body"],
                files=data["files"],
            ),
            gettext("The request now waits for the company."),
        )

    def resolve_view(self, request, object_id):
        service_request = self._changeable(request, object_id)
        return self._run(
            request,
            service_request,
            ResolveForm(request.POST),
            lambda data: services.request_resolve(
                actor=request.user, service_request=service_request, note=data["note"]
            ),
            gettext("The request is resolved."),
        )

    def reject_view(self, request, object_id):
        service_request = self._changeable(request, object_id)
        return self._run(
            request,
            service_request,
            RejectForm(request.POST),
            lambda data: services.request_reject(
                actor=request.user, service_request=service_request, reason=data["reason"]
            ),
            gettext("The request is rejected."),
        )

    def attachment_view(self, request, object_id, attachment_id):
        """A request's file, for the people who may read the request (its site's staff)."""
        attachment = selectors.attachment_get(
            user=request.user, request_pk=object_id, pk=attachment_id, via=access.VIA_SITE
        )
        return file_response(attachment.file, download_name=attachment.original_name)

    # Bulk actions.

    @admin.action(description=_("Assign to an agent…"), permissions=["change"])
    def assign_to_agent(self, request, queryset):
        """Ask for an agent of the requests' site, then assign each request to them."""
        selected = list(queryset.select_related("service__site", "company").order_by("pk"))
        changeable = access.scope(
            queryset, request.user, services.CHANGE_REQUEST, via=access.VIA_SITE
        ).count()
        if changeable != len(selected):
            self.message_user(
                request,
                gettext("You may not change some of the selected requests."),
                messages.ERROR,
            )
            return None
        sites = {service_request.service.site for service_request in selected}
        if len(sites) != 1:
            self.message_user(
                request,
                gettext("Choose requests of one site at a time: an agent works at one site."),
                messages.ERROR,
            )
            return None
        site = sites.pop()
        applying = "apply" in request.POST
        form = AssignForm(request.POST if applying else None, user=request.user, site=site)
        if applying and form.is_valid():
            done, refused = 0, []
            for service_request in selected:
                try:
                    services.request_assign(
                        actor=request.user,
                        service_request=service_request,
                        agent=form.cleaned_data["agent"],
                        note=form.cleaned_data["note"],
                    )
                except ValidationError as error:
                    refused.append(f"#{service_request.pk}: {' '.join(error.messages)}")
                else:
                    done += 1
            self._report(request, done, refused)
            return None
        return TemplateResponse(
            request,
            "tenants/requests/admin/assign_agent.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Assign to an agent of %(site)s") % {"site": site.name},
                "opts": self.opts,
                "site": site,
                "form": form,
                "requests": selected,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                "media": self.media,
            },
        )

    @admin.action(description=_("Resolve the selected requests"), permissions=["change"])
    def resolve_selected(self, request, queryset):
        done, refused = 0, []
        for service_request in queryset.order_by("pk"):
            try:
                services.request_resolve(actor=request.user, service_request=service_request)
            except ValidationError as error:
                refused.append(f"#{service_request.pk}: {' '.join(error.messages)}")
            else:
                done += 1
        self._report(request, done, refused)

    def _report(self, request, done: int, refused: list[str]) -> None:
        if done:
            self.message_user(
                request,
                ngettext("%(count)d request changed.", "%(count)d requests changed.", done)
                % {"count": done},
                messages.SUCCESS,
            )
        for line in refused:
            self.message_user(request, line, messages.WARNING)
