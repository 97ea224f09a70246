"""Model admins of the KPI area, with the list of companies late with their report."""

from django.contrib import admin
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from technopark import access
from technopark.admin import RelatedOnlyFilter, ScopedAdmin
from tenants.models import KPIReport
from tenants.selectors import kpi as selectors


@admin.register(KPIReport)
class KPIReportAdmin(ScopedAdmin):
    list_display = (
        "company",
        "period",
        "headcount_full_time",
        "headcount_part_time",
        "interns",
        "revenue",
        "funds_raised",
        "export_share",
        "submitted_at",
    )
    list_filter = ("year", "quarter", ("company__home_site", RelatedOnlyFilter))
    list_select_related = ("company",)
    search_fields = ("company__legal_name", "company__trade_name")
    autocomplete_fields = ("company",)
    readonly_fields = ("submitted_by", "submitted_at")
    identifier_fields = ("year",)
    ordering = ("-year", "-quarter", "company__legal_name")  # the latest quarter first

    @admin.display(description=_("quarter"), ordering="year")
    def period(self, report):
        """ "Q2 2026", the year written as an identifier (never "2 026")."""
        return str(selectors.Quarter(report.year, report.quarter))

    def get_urls(self):
        return [
            path(
                "late/",
                self.admin_site.admin_view(self.late_view),
                name="tenants_kpireport_late",
            ),
            *super().get_urls(),
        ]

    def late_view(self, request):
        """Resident companies that have not reported the last due quarter."""
        access.require(self.has_view_permission(request))
        today = timezone.localdate()
        return TemplateResponse(
            request,
            "admin/tenants/kpireport/late.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Companies late with their quarterly report"),
                "opts": self.model._meta,
                "quarter": selectors.last_due_quarter(today),
                "companies": selectors.companies_late(request.user, today=today),
            },
        )
