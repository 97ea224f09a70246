"""Model admins of the one-stop shop: the catalogue, requests worked by agents, appointments.

A request is never edited as a form: its change page shows the thread, the
events and the files, and its buttons post to small views that call the
workflow services (assign, reply, ask the company, resolve, reject).
"""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from technopark import access
from technopark.admin import ScopedAdmin, ScopedInline
from technopark.uploads import file_response
from tenants.forms.requests import (
    AppointmentSlotForm,
    AssignForm,
    MessageForm,
    RejectForm,
    ResolveForm,
    SlotSeriesForm,
)
from tenants.models import (
    AppointmentBooking,
    AppointmentSlot,
    RequestStatus,
    Service,
    ServiceRequest,
)
from tenants.selectors import requests as selectors
from tenants.services import requests as services

READ_ONLY_PAGE = {
    "show_save": False,
    "show_save_and_continue": False,
    "show_save_and_add_another": False,
}


def _say_errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _say_form_errors(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else None
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


class WithoutHistoryAdmin(ScopedAdmin):
    """For models without simple-history records: Django's own history page, no version URL."""

    object_history_template = None

    def get_urls(self):
        history = f"{self.opts.app_label}_{self.opts.model_name}_simple_history"
        return [url for url in super().get_urls() if getattr(url, "name", None) != history]

    def history_view(self, request, object_id, extra_context=None):
        self._require_in_scope(request, object_id)
        return admin.ModelAdmin.history_view(self, request, object_id, extra_context)


# --- The catalogue --------------------------------------------------------------------


@admin.register(Service)
class ServiceAdmin(ScopedAdmin):
    list_display = (
        "name",
        "site",
        "category",
        "partner",
        "target_days",
        "needs_appointment",
        "active",
    )
    list_filter = (
        "category",
        "partner",
        "needs_appointment",
        "active",
        ("site", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = ("site",)
    search_fields = ("name", "description", "site__name")
    autocomplete_fields = ("site",)
    ordering = ("site__name", "category", "name")
    fieldsets = (
        (None, {"fields": ("site", "name", "category", "partner", "description")}),
        (_("How it is handled"), {"fields": ("target_days", "needs_appointment", "active")}),
    )


# --- Requests -------------------------------------------------------------------------


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
        if value and value.isdigit():
            return queryset.filter(assigned_to_id=int(value))
        return queryset


@admin.register(ServiceRequest)
class ServiceRequestAdmin(ScopedAdmin):
    list_display = (
        "number",
        "service",
        "site_name",
        "company",
        "status",
        "assigned_to",
        "deadline",
        "overdue",
        "created_at",
    )
    list_display_links = ("number", "service")
    list_filter = (
        "status",
        OverdueFilter,
        ("service", admin.RelatedOnlyFieldListFilter),
        AgentFilter,
        ("service__site", admin.RelatedOnlyFieldListFilter),
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

    @admin.display(description=_("overdue"), boolean=True, ordering="is_overdue")
    def overdue(self, obj):
        return obj.is_overdue

    # The change page: thread, events, files and the workflow's forms.

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if not str(object_id).isdigit():
            raise Http404
        service_request = selectors.request_get_for_staff(user=request.user, pk=object_id)
        context = {**READ_ONLY_PAGE, **(extra_context or {})}
        context.update(selectors.request_thread(service_request=service_request, user=request.user))
        site = service_request.service.site
        if service_request.is_open and services.works_at(request.user, site.pk):
            allowed = services.TRANSITIONS[service_request.status]
            context["workflow"] = {
                "assign": AssignForm(user=request.user, site=site),
                "reply": MessageForm(submit=_("Send to the company")),
                "ask": MessageForm(submit=_("Ask the company"), prefix="ask")
                if RequestStatus.WAITING_FOR_TENANT in allowed
                else None,
                "resolve": ResolveForm() if RequestStatus.RESOLVED in allowed else None,
                "reject": RejectForm(),
            }
        return super().change_view(request, object_id, form_url, context)

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
        try:
            call(form.cleaned_data)
        except ValidationError as error:
            _say_errors(request, error)
        else:
            messages.success(request, done)
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
            _g("The request is assigned."),
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
            _g("Your message is sent to the company."),
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
            _g("The request now waits for the company."),
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
            _g("The request is resolved."),
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
            _g("The request is rejected."),
        )

    def attachment_view(self, request, object_id, attachment_id):
        """A request's file, for the people who may read the request (its site's staff)."""
        attachment = selectors.attachment_get(
            user=request.user, request_pk=object_id, pk=attachment_id
        )
        return file_response(attachment.file, download_name=attachment.original_name)

    # Bulk actions.

    @admin.action(description=_("Assign to an agent…"), permissions=["change"])
    def assign_to_agent(self, request, queryset):
        """Ask for an agent of the requests' site, then assign each request to them."""
        selected = list(queryset.select_related("service__site").order_by("pk"))
        changeable = access.scope(queryset, request.user, services.CHANGE_REQUEST).count()
        if changeable != len(selected):
            self.message_user(
                request, _g("You may not change some of the selected requests."), messages.ERROR
            )
            return None
        sites = {service_request.service.site for service_request in selected}
        if len(sites) != 1:
            self.message_user(
                request,
                _g("Choose requests of one site at a time: an agent works at one site."),
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


# --- Appointments ---------------------------------------------------------------------


class BookingInline(ScopedInline, admin.TabularInline):
    model = AppointmentBooking
    extra = 0
    fields = ("company", "request", "booked_by", "booked_at", "cancelled_at")
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj):
        return False

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("company", "request__service", "request__company", "booked_by")
        )


class TakenFilter(admin.SimpleListFilter):
    title = _("booking")
    parameter_name = "taken"

    def lookups(self, request, model_admin):
        return [("free", _("Free")), ("taken", _("Booked"))]

    def queryset(self, request, queryset):
        if self.value() == "free":
            return queryset.filter(holder__isnull=True)
        if self.value() == "taken":
            return queryset.filter(holder__isnull=False)
        return queryset


@admin.register(AppointmentSlot)
class AppointmentSlotAdmin(WithoutHistoryAdmin):
    form = AppointmentSlotForm
    list_display = ("service", "site", "starts_at", "ends_at", "holder")
    list_filter = (
        TakenFilter,
        ("service", admin.RelatedOnlyFieldListFilter),
        ("site", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = ("service", "site")
    search_fields = ("service__name", "site__name")
    autocomplete_fields = ("service",)
    ordering = ("-starts_at",)
    inlines = [BookingInline]
    change_list_template = "tenants/requests/admin/appointmentslot_change_list.html"

    def get_queryset(self, request):
        live = AppointmentBooking.objects.filter(slot=OuterRef("pk"), cancelled_at__isnull=True)
        return (
            super()
            .get_queryset(request)
            .annotate(holder=Subquery(live.values("company__legal_name")[:1]))
        )

    @admin.display(description=_("booked by"), ordering="holder")
    def holder(self, slot):
        return slot.holder or "—"

    def save_model(self, request, obj, form, change):
        if not change:
            obj.published_by = request.user
        super().save_model(request, obj, form, change)

    def get_urls(self):
        return [
            path(
                "series/",
                self.admin_site.admin_view(self.series_view),
                name="tenants_appointmentslot_series",
            ),
            *super().get_urls(),
        ]

    def series_view(self, request):
        """Publish back-to-back slots between two local times of one day."""
        access.require(self.has_add_permission(request))
        form = SlotSeriesForm(request.POST or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                created = services.slot_publish_series(
                    actor=request.user,
                    service=data["service"],
                    day=data["day"],
                    start=data["start"],
                    end=data["end"],
                    minutes=data["minutes"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.message_user(
                    request,
                    ngettext(
                        "%(count)d slot published.", "%(count)d slots published.", len(created)
                    )
                    % {"count": len(created)},
                    messages.SUCCESS,
                )
                return redirect(reverse("admin:tenants_appointmentslot_changelist"))
        return TemplateResponse(
            request,
            "tenants/requests/admin/slot_series.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Publish a series of slots"),
                "opts": self.opts,
                "form": form,
                "media": self.media + form.media,
            },
        )


class LiveFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("live", _("Booked")), ("cancelled", _("Cancelled"))]

    def queryset(self, request, queryset):
        if self.value() == "live":
            return queryset.filter(cancelled_at__isnull=True)
        if self.value() == "cancelled":
            return queryset.filter(cancelled_at__isnull=False)
        return queryset


@admin.register(AppointmentBooking)
class AppointmentBookingAdmin(WithoutHistoryAdmin):
    list_display = (
        "starts_at",
        "service",
        "company",
        "request_number",
        "booked_by",
        "cancelled_at",
    )
    list_filter = (
        LiveFilter,
        ("slot__service", admin.RelatedOnlyFieldListFilter),
        ("company", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = ("slot__service", "company", "booked_by")
    search_fields = ("company__legal_name", "company__trade_name", "slot__service__name")
    ordering = ("-slot__starts_at",)
    fields = ("slot", "company", "request", "booked_by", "booked_at", "cancelled_at")
    readonly_fields = fields
    actions = ["cancel_selected"]

    def has_add_permission(self, request):
        # Companies book in the portal.
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return super().change_view(
            request, object_id, form_url, {**READ_ONLY_PAGE, **(extra_context or {})}
        )

    @admin.display(description=_("starts"), ordering="slot__starts_at")
    def starts_at(self, booking):
        return booking.slot.starts_at

    @admin.display(description=_("service"), ordering="slot__service__name")
    def service(self, booking):
        return booking.slot.service

    @admin.display(description=_("request"), ordering="request")
    def request_number(self, booking):
        return f"#{booking.request_id}" if booking.request_id else "—"

    @admin.action(description=_("Cancel the selected appointments"), permissions=["change"])
    def cancel_selected(self, request, queryset):
        done = 0
        for booking in queryset.order_by("pk"):
            try:
                services.appointment_cancel(user=request.user, booking=booking)
            except ValidationError as error:
                self.message_user(
                    request, f"{booking}: {' '.join(error.messages)}", messages.WARNING
                )
            else:
                done += 1
        if done:
            self.message_user(
                request,
                ngettext(
                    "%(count)d appointment cancelled.", "%(count)d appointments cancelled.", done
                )
                % {"count": done},
                messages.SUCCESS,
            )
