"""Staff admin of the events app, every list and choice scoped by the access gate.

Staff write an event's text, room, seats and dates here while it is a draft
or a proposal; publishing (which books the rooms) and cancelling go through
the services, as the list's actions. Seats of a published event change through
``event_capacity_change`` (never below the seats taken). Registrations are made
by the public and the portal, and read here.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from events import services
from events.models import Event, EventDate, EventStatus, Promotion, Registration
from technopark import access, refusals
from technopark.admin import RelatedOnlyFilter, ScopedAdmin, ScopedInline, ServiceOnlyAdmin

EDITABLE = (EventStatus.DRAFT, EventStatus.PENDING)


class EventDateInline(ScopedInline, admin.TabularInline):
    model = EventDate
    extra = 1
    max_num = 52
    fields = ("starts_at", "ends_at", "booking")
    readonly_fields = ("booking",)

    def _editable(self, obj) -> bool:
        return obj is None or obj.status in EDITABLE

    def has_add_permission(self, request, obj):
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(obj) and super().has_delete_permission(request, obj)


@admin.register(Event)
class EventAdmin(ScopedAdmin):
    list_display = ("title", "site", "starts_at", "kind", "status", "seats", "check_in")
    list_filter = ("status", "kind", "language", ("site", RelatedOnlyFilter))
    ordering = ("-starts_at",)  # the latest events first
    list_select_related = ("site", "room")
    search_fields = ("title", "summary")
    date_hierarchy = None
    inlines = [EventDateInline]
    actions = ["publish", "cancel"]
    fields = (
        "title",
        "summary",
        "description",
        "kind",
        "language",
        "room",
        "capacity",
        "seats_taken",
        "audience",
        "program",
        "price",
        "registration_opens",
        "registration_closes",
        "setup_minutes",
        "teardown_minutes",
        "cover",
        "status",
        "organiser_company",
        "slug",
        "starts_at",
        "ends_at",
        "published_at",
        "cancelled_at",
    )
    readonly_fields = (
        "seats_taken",
        "status",
        "organiser_company",
        "slug",
        "starts_at",
        "ends_at",
        "published_at",
        "cancelled_at",
    )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "room":
            field.queryset = field.queryset.select_related("site")  # a room's label names its site
        return field

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status not in EDITABLE:
            # Rooms are booked: only the text and the seats may still change.
            return (*self.readonly_fields, "room", "setup_minutes", "teardown_minutes")
        return self.readonly_fields

    @admin.display(description=_("seats"))
    def seats(self, obj):
        return f"{obj.seats_taken} / {obj.capacity}"

    def get_list_display(self, request):
        """The check-in column links only where the person may read the registrations."""
        user = request.user
        everywhere = access.sees_everything(user, "events.view_registration")
        sites = access.site_ids(user, "events.view_registration")

        @admin.display(description=_("check-in"))
        def check_in(obj):
            if obj.status in EDITABLE or not (everywhere or obj.site_id in sites):
                return "—"
            return self.check_in(obj)

        return [
            check_in if name == "check_in" else name for name in super().get_list_display(request)
        ]

    @admin.display(description=_("check-in"))
    def check_in(self, obj):
        if obj.status in EDITABLE:
            return "—"
        return format_html(
            '<a href="{}">{}</a>', reverse("events:checkin", args=[obj.slug]), _("Check-in")
        )

    def save_model(self, request, obj, form, change):
        if not change:
            obj.site_id = obj.room.site_id
            obj.slug = services._unique_slug(obj.title, obj.room.site.slug)
            obj.created_by = request.user
            obj.save()
            return
        # Only the columns the form changed: the seats taken, the status and its dates
        # move under the services' locks meanwhile, and a stale copy must not undo them.
        columns = {f.name for f in obj._meta.concrete_fields}
        fields = [name for name in form.changed_data if name in columns]
        if "capacity" in fields and obj.status not in EDITABLE:
            capacity = obj.capacity
            fields.remove("capacity")
            if fields:
                obj.save(update_fields=fields)
            try:
                services.event_capacity_change(actor=request.user, event=obj, capacity=capacity)
            except ValidationError as exc:
                messages.error(request, refusals.text(exc))
            return
        if fields:
            obj.site_id = obj.room.site_id
            obj.save(update_fields=[*fields, "site"])

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)

        class EventForm(form):
            def clean_capacity(self):
                capacity = self.cleaned_data["capacity"]
                if self.instance.pk and capacity < self.instance.seats_taken:
                    raise ValidationError(
                        _("%(taken)s seats are already taken: the event cannot have fewer."),
                        code="capacity_below_taken",
                        params={"taken": self.instance.seats_taken},
                    )
                return capacity

        return EventForm

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.event_dates_sync(event=form.instance)

    def _each(self, request, queryset, action, done):
        count = 0
        for event in queryset:
            try:
                action(actor=request.user, event=event, now=timezone.now())
            except ValidationError as exc:
                messages.error(request, f"{event}: {refusals.text(exc)}")
            except PermissionDenied:
                messages.error(request, f"{event}: {_('You cannot change this event.')}")
            else:
                count += 1
        if count:
            messages.success(request, done % {"count": count})

    @admin.action(description=_("Publish (books the rooms)"), permissions=["change"])
    def publish(self, request, queryset):
        self._each(request, queryset, services.event_publish, _("%(count)s event(s) published."))

    @admin.action(
        description=_("Cancel (frees the rooms, tells the registered)"), permissions=["change"]
    )
    def cancel(self, request, queryset):
        self._each(request, queryset, services.event_cancel, _("%(count)s event(s) cancelled."))


class _ReadOnlyRecords(ServiceOnlyAdmin):
    """Rows the services write, without simple-history records: Django's own history page."""

    object_history_template = None

    def get_urls(self):
        history = f"{self.opts.app_label}_{self.opts.model_name}_simple_history"
        return [url for url in super().get_urls() if getattr(url, "name", None) != history]

    def history_view(self, request, object_id, extra_context=None):
        self._require_in_scope(request, object_id)
        return admin.ModelAdmin.history_view(self, request, object_id, extra_context)

    def has_add_permission(self, request):
        return False  # written by the services (public pages, portal, check-in)

    def has_delete_permission(self, request, obj=None):
        return False  # cancelled, never deleted


@admin.register(Registration)
class RegistrationAdmin(_ReadOnlyRecords):
    list_display = ("name", "email", "event", "status", "created_at", "checked_in_at")
    list_filter = ("status", ("event__site", RelatedOnlyFilter))
    list_select_related = ("event",)
    search_fields = ("name", "email", "organisation", "event__title")
    fields = (
        "event",
        "name",
        "email",
        "organisation",
        "user",
        "company",
        "status",
        "holds_seat",
        "created_at",
        "email_confirmed_at",
        "cancelled_at",
        "checked_in_at",
        "checked_in_by",
    )


@admin.register(Promotion)
class PromotionAdmin(_ReadOnlyRecords):
    list_display = ("registration", "promoted_at")
    list_select_related = ("registration__event",)
    fields = ("registration", "freed_by", "promoted_at")
