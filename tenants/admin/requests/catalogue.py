"""The one-stop shop's catalogue: the services each site offers."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from technopark.admin import RelatedOnlyFilter, ScopedAdmin
from tenants.admin.requests.common import SaysWhatProtects
from tenants.models import Service


@admin.register(Service)
class ServiceAdmin(SaysWhatProtects, TranslationAdmin, ScopedAdmin):
    # Name, description and documents needed in French (required), Arabic and
    # English, as plain fields (the tabbed variant needs jQuery UI from a CDN).
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
    search_fields = ("name_fr", "name_ar", "name_en", "description_fr", "site__name_fr")
    autocomplete_fields = ("site",)
    ordering = ("site__name", "category", "name")
    fieldsets = (
        (None, {"fields": ("site", "category", "partner")}),
        (_("Presentation"), {"fields": ("name", "description", "documents_needed")}),
        (_("How it is handled"), {"fields": ("target_days", "needs_appointment", "active")}),
    )
