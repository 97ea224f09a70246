"""Model admins of alumni and the historical baseline.

Exits are recorded by the site's managers through ``company_exit_record``;
check-ins are read-only (the alumni answer them through their link). The
baseline is the network's figures before the platform: network managers and
superusers write it, a site's managers read their site's rows.
"""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sites.models import Site
from technopark import access
from technopark.admin import RelatedOnlyFilter, ScopedAdmin, ScopedInline, identifier_display
from tenants.models import AlumniCheckIn, CompanyExit, HistoricalBaseline
from tenants.services import alumni as services

CHECK_IN_FIELDS = (
    "year",
    "sent_on",
    "answered_on",
    "still_active",
    "headcount_band",
    "revenue_band",
    "location",
)


class CheckInInline(ScopedInline, admin.TabularInline):
    model = AlumniCheckIn
    extra = 0
    fields = ("year_shown", *(f for f in CHECK_IN_FIELDS if f != "year"))
    readonly_fields = fields
    can_delete = False

    year_shown = identifier_display("year", _("year"))

    def has_add_permission(self, request, obj):
        return False


@admin.register(CompanyExit)
class CompanyExitAdmin(ScopedAdmin):
    list_display = ("company", "site", "date", "reason", "recorded_by")
    list_filter = ("reason", ("site", RelatedOnlyFilter), "date")
    list_select_related = ("company", "site", "recorded_by")
    search_fields = ("company__legal_name", "company__trade_name")
    autocomplete_fields = ("company",)
    readonly_fields = ("recorded_by", "recorded_at")
    fields = ("company", "site", "date", "reason", "recorded_by", "recorded_at")
    inlines = [CheckInInline]

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return ("company", *fields) if obj else fields

    def get_form(self, request, obj=None, **kwargs):
        """The service's refusals (a running contract, a date too early) as form errors."""
        base = super().get_form(request, obj, **kwargs)

        class ExitForm(base):  # type: ignore[misc, valid-type]
            def clean(self):
                data = super().clean()
                company = data.get("company") or (obj.company if obj else None)
                if company and data.get("date"):
                    try:
                        services.exit_check(company=company, date=data["date"])
                    except ValidationError as error:
                        self.add_error(None, error)
                return data

        return ExitForm

    def save_model(self, request, obj, form, change):
        """Through the one service that records exits (it also makes the company alumni)."""
        saved = services.company_exit_record(
            company=obj.company, user=request.user, date=obj.date, reason=obj.reason, site=obj.site
        )
        obj.pk = saved.pk

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(AlumniCheckIn)
class AlumniCheckInAdmin(ScopedAdmin):
    list_display = (
        "exit",
        "year_shown",
        "sent_on",
        "answered_on",
        "still_active",
        "headcount_band",
    )
    list_filter = ("year", "still_active", ("exit__site", RelatedOnlyFilter))
    list_select_related = ("exit__company", "exit__site")
    search_fields = ("exit__company__legal_name",)
    readonly_fields = ("exit", "year_shown", *(f for f in CHECK_IN_FIELDS if f != "year"))
    exclude = ("year",)

    year_shown = identifier_display("year", _("year"))

    def has_add_permission(self, request):
        """Check-ins are made by the yearly job and answered by the alumni, never by hand."""
        return False


@admin.register(HistoricalBaseline)
class HistoricalBaselineAdmin(ScopedAdmin):
    list_display = (
        "year_shown",
        "site",
        "companies_supported",
        "jobs_created",
        "revenue",
        "source",
    )
    list_filter = (("site", RelatedOnlyFilter),)
    list_select_related = ("site",)
    search_fields = ("source",)
    readonly_fields = ("entered_by",)
    ordering = ("site__name", "year")

    year_shown = identifier_display("year", _("year"))

    def _writer(self, request) -> bool:
        return access.is_network_manager(request.user)

    def has_add_permission(self, request):
        return self._writer(request)

    def has_change_permission(self, request, obj=None):
        return self._writer(request)

    def has_delete_permission(self, request, obj=None):
        return self._writer(request)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "site" and self._writer(request):
            kwargs["queryset"] = Site.objects.order_by("name")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        obj.entered_by = request.user
        super().save_model(request, obj, form, change)
