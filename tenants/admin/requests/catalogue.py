"""The one-stop shop's catalogue: the services each site offers."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from technopark.admin import RelatedOnlyFilter, ScopedAdmin
from tenants.admin.requests.common import SaysWhatProtects
from tenants.models import Service


@admin.register(Service)
class ServiceAdmin(SaysWhatProtects, ScopedAdmin):
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
        ("site", RelatedOnlyFilter),
    )
    list_select_related = ("site",)
    search_fields = ("name", "description", "site__name")
    autocomplete_fields = ("site",)
    ordering = ("site__name", "category", "name")
    fieldsets = (
        (None, {"fields": ("site", "name", "category", "partner", "description")}),
        (_("How it is handled"), {"fields": ("target_days", "needs_appointment", "active")}),
    )
