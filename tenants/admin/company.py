"""Model admins of the company area: companies, their teams and invitations."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from technopark import refusals
from technopark.admin import RelatedOnlyFilter, ScopedAdmin, ScopedInline
from tenants.models import Company, Invitation, Membership
from tenants.selectors import kpi as kpi_selectors
from tenants.services import company as company_services


class MembershipInline(ScopedInline, admin.TabularInline):
    model = Membership
    extra = 0
    fields = ("user", "role", "joined_at")
    readonly_fields = ("user", "role", "joined_at")
    can_delete = False

    def has_add_permission(self, request, obj):
        return False


class InvitationInline(ScopedInline, admin.TabularInline):
    model = Invitation
    extra = 0
    fields = ("email", "role", "invited_by", "created_at", "expires_at", "accepted_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj):
        return False


class KPILateFilter(admin.SimpleListFilter):
    title = _("quarterly report")
    parameter_name = "kpi"

    def lookups(self, request, model_admin):
        quarter = kpi_selectors.last_due_quarter(timezone.localdate())
        return [("late", _("Late for %(quarter)s") % {"quarter": quarter})]

    def queryset(self, request, queryset):
        if self.value() == "late":
            late = kpi_selectors.companies_late(request.user, today=timezone.localdate())
            return queryset.filter(pk__in=late.values("pk"))
        return queryset


@admin.register(Company)
class CompanyAdmin(ScopedAdmin):
    list_display = ("legal_name", "trade_name", "home_site", "status", "program", "sector", "stage")
    list_filter = (
        "status",
        "program",
        "sector",
        "stage",
        KPILateFilter,
        ("home_site", RelatedOnlyFilter),
    )
    list_select_related = ("home_site",)
    search_fields = ("legal_name", "trade_name", "ice", "rc_number")
    autocomplete_fields = ("home_site",)
    inlines = [MembershipInline, InvitationInline]
    # The status follows the company's life (sign-up, committee, contracts):
    # services set it, the admin shows it.
    readonly_fields = ("status",)
    actions = ["mark_alumni"]
    fieldsets = (
        (None, {"fields": ("legal_name", "trade_name", "legal_form", "home_site", "status")}),
        (_("Registration"), {"fields": ("ice", "rc_number", "rc_court", "tax_id")}),
        (
            _("Activity and support"),
            {
                "fields": (
                    "sector",
                    "stage",
                    "program",
                    "program_start",
                    "program_end",
                    "founded_on",
                )
            },
        ),
        (_("Public profile"), {"fields": ("public_profile", "website", "description", "logo")}),
    )

    @admin.action(description=_("Mark as alumni (left the Technopark)"), permissions=["change"])
    def mark_alumni(self, request, queryset):
        count = 0
        for company in self.writable(queryset, request):
            try:
                count += company_services.company_mark_alumni(company=company, actor=request.user)
            except ValidationError as error:
                self.message_user(request, refusals.text(error), messages.WARNING)
        self.message_user(
            request,
            ngettext(
                "%(count)d company marked as alumni.",
                "%(count)d companies marked as alumni.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
