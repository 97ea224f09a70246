"""Appointments: the slots the desks publish and the companies' bookings."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Subquery
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from technopark import access
from technopark.admin import RelatedOnlyFilter, ScopedInline, ServiceOnlyAdmin
from tenants.admin.requests.common import SaysWhatProtects, WithoutHistoryAdmin
from tenants.forms.requests import AppointmentSlotForm, SlotSeriesForm
from tenants.models import AppointmentBooking, AppointmentSlot
from tenants.services import appointments


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
class AppointmentSlotAdmin(SaysWhatProtects, WithoutHistoryAdmin):
    form = AppointmentSlotForm
    list_display = ("service", "site", "starts_at", "ends_at", "holder")
    list_filter = (
        TakenFilter,
        ("service", RelatedOnlyFilter),
        ("site", RelatedOnlyFilter),
    )
    list_select_related = ("service", "site")
    search_fields = ("service__name", "site__name")
    autocomplete_fields = ("service",)
    ordering = ("-starts_at",)
    inlines = [BookingInline]
    change_list_template = "tenants/requests/admin/appointmentslot_change_list.html"

    def get_queryset(self, request):
        live = access.scope(
            AppointmentBooking.objects.filter(slot=OuterRef("pk"), cancelled_at__isnull=True),
            request.user,
            via=access.VIA_SITE,
        )
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
                created = appointments.slot_publish_series(
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
class AppointmentBookingAdmin(WithoutHistoryAdmin, ServiceOnlyAdmin):
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
        ("slot__service", RelatedOnlyFilter),
        ("company", RelatedOnlyFilter),
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
        for booking in queryset.select_related("slot__service", "company").order_by("pk"):
            try:
                appointments.appointment_cancel(user=request.user, booking=booking)
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
