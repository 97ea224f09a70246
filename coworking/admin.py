"""Staff admin of the coworking app, every list and choice scoped by the access gate.

Rules, desks, prices and allowances are edited here. Bookings, reservations,
passes and sign-ups are created and decided through the services (portal,
public sign-up, front desk), which enforce the rules; here they are listed,
searched and read, and only their free-text fields can be edited.
"""

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coworking.models import (
    Allowance,
    Desk,
    DeskCheckIn,
    DeskReservation,
    DocumentRetention,
    NomadProfile,
    OpeningHours,
    Pass,
    PassPrice,
    RoomBooking,
    RoomRules,
)
from technopark.admin import RelatedOnlyFilter, ScopedAdmin, ScopedInline, range_display


@admin.register(Desk)
class DeskAdmin(ScopedAdmin):
    list_display = ("label", "site", "fixed", "active")
    list_filter = ("fixed", "active", ("space__site", RelatedOnlyFilter))
    list_select_related = ("space__site",)
    search_fields = ("label",)
    autocomplete_fields = ("space",)
    ordering = ("space__site__name", "label")

    @admin.display(description=_("site"), ordering="space__site__name")
    def site(self, obj):
        return obj.space.site.name


class OpeningHoursInline(ScopedInline, admin.TabularInline):
    model = OpeningHours
    extra = 0
    max_num = 7


@admin.register(RoomRules)
class RoomRulesAdmin(ScopedAdmin):
    list_display = (
        "space",
        "min_minutes",
        "max_minutes",
        "step_minutes",
        "needs_approval",
        "cancellation_notice_hours",
    )
    list_filter = ("needs_approval", ("space__site", RelatedOnlyFilter))
    list_select_related = ("space__site",)
    search_fields = ("space__name",)
    autocomplete_fields = ("space",)
    inlines = [OpeningHoursInline]


@admin.register(PassPrice)
class PassPriceAdmin(ScopedAdmin):
    list_display = ("site", "kind", "price")
    list_filter = ("kind", ("site", RelatedOnlyFilter))
    list_select_related = ("site",)
    search_fields = ("site__name",)
    autocomplete_fields = ("site",)


@admin.register(DocumentRetention)
class DocumentRetentionAdmin(ScopedAdmin):
    """A site's staff say how long their site keeps nomads' identity documents (law 09-08)."""

    list_display = ("site", "days")
    list_filter = (("site", RelatedOnlyFilter),)
    list_select_related = ("site",)
    autocomplete_fields = ("site",)


@admin.register(Allowance)
class AllowanceAdmin(ScopedAdmin):
    list_display = ("company", "site", "hours_per_month")
    list_filter = (("site", RelatedOnlyFilter),)
    list_select_related = ("company", "site")
    search_fields = ("company__legal_name", "company__trade_name")
    autocomplete_fields = ("company", "site")


@admin.register(NomadProfile)
class NomadProfileAdmin(ScopedAdmin):
    list_display = ("user", "site", "nationality", "document_kind", "status", "created_at")
    list_filter = ("status", "document_kind", ("site", RelatedOnlyFilter))
    list_select_related = ("user", "site")
    search_fields = ("user__email", "user__full_name", "document_number", "company_name")
    readonly_fields = (
        "user",
        "site",
        "status",
        "created_at",
        "decided_at",
        "decided_by",
        "document_erased_at",
    )
    fields = (
        "user",
        "site",
        "nationality",
        "document_kind",
        "document_number",
        "document_erased_at",
        "company_name",
        "phone",
        "status",
        "created_at",
        "decided_at",
        "decided_by",
    )

    def has_add_permission(self, request):
        return False  # members sign up on the public page

    def get_fields(self, request, obj=None):
        """The document number in full for the site's staff who decide; masked for readers."""
        fields = list(super().get_fields(request, obj))
        if obj is not None and not self.has_change_permission(request, obj):
            fields[fields.index("document_number")] = "masked_document_number"
        return fields

    def get_readonly_fields(self, request, obj=None):
        return (*super().get_readonly_fields(request, obj), "masked_document_number")

    def get_search_fields(self, request):
        # Searching by number would tell a reader whether a document is registered.
        fields = super().get_search_fields(request)
        if self.has_change_permission(request):
            return fields
        return tuple(field for field in fields if field != "document_number")

    @admin.display(description=_("document number"))
    def masked_document_number(self, profile):
        return profile.masked_document_number


@admin.register(Pass)
class PassAdmin(ScopedAdmin):
    list_display = ("holder", "site", "kind", "days", "price", "status")
    list_filter = ("status", "kind", ("site", RelatedOnlyFilter))
    list_select_related = ("holder", "site", "company")
    search_fields = ("holder__email", "holder__full_name")
    readonly_fields = (
        "holder",
        "site",
        "company",
        "kind",
        "days",
        "price",
        "status",
        "created_at",
        "decided_at",
        "decided_by",
    )
    days = range_display("period", _("days"))

    def has_add_permission(self, request):
        return False  # requested from the portal or the sign-up page

    def has_delete_permission(self, request, obj=None):
        return False


class DeskCheckInInline(ScopedInline, admin.TabularInline):
    model = DeskCheckIn
    extra = 0
    readonly_fields = ("day", "status", "recorded_by", "recorded_at")
    can_delete = False

    def has_add_permission(self, request, obj):
        return False


@admin.register(DeskReservation)
class DeskReservationAdmin(ScopedAdmin):
    list_display = ("desk", "holder", "company", "days", "status")
    list_filter = ("status", ("desk__space__site", RelatedOnlyFilter))
    list_select_related = ("desk__space__site", "holder", "company")
    search_fields = ("holder__email", "holder__full_name", "desk__label")
    readonly_fields = (
        "desk",
        "holder",
        "company",
        "desk_pass",
        "days",
        "status",
        "created_by",
        "created_at",
        "cancelled_at",
    )
    days = range_display("period", _("days"))
    inlines = [DeskCheckInInline]

    def has_add_permission(self, request):
        return False  # reserved in the portal, assigned at the front desk

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RoomBooking)
class RoomBookingAdmin(ScopedAdmin):
    list_display = ("space", "when", "holder", "company", "status", "price")
    ordering = ("-during",)  # the latest bookings first, not those of two years ago
    list_filter = (
        "status",
        ("space__site", RelatedOnlyFilter),
        ("space", RelatedOnlyFilter),
    )
    list_select_related = ("space__site", "holder", "company")
    search_fields = ("title", "holder__email", "holder__full_name", "company__legal_name")
    fields = (
        "space",
        "starts",
        "ends",
        "status",
        "holder",
        "company",
        "booked_by",
        "title",
        "attendees",
        "price",
        "free_minutes",
        "series",
        "created_at",
        "decided_by",
        "decided_at",
        "cancelled_at",
    )
    readonly_fields = tuple(f for f in fields if f != "title")

    def has_add_permission(self, request):
        return False  # booked through the booking service (portal, front desk)

    def has_delete_permission(self, request, obj=None):
        return False  # cancelled, never deleted

    when = range_display("during", _("time"))

    @admin.display(description=_("starts"), ordering="during")
    def starts(self, obj):
        return timezone.localtime(obj.starts_at)

    @admin.display(description=_("ends"))
    def ends(self, obj):
        return timezone.localtime(obj.ends_at)
