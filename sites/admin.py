from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from sites.models import Site, SitePhoto, Space, StaffAssignment
from technopark.admin import RelatedOnlyFilter, ScopedAdmin, ScopedInline, identifier_display


class SpaceInline(ScopedInline, TranslationTabularInline):
    model = Space
    extra = 0
    fields = ("kind", "name", "floor", "capacity", "area_m2", "bookable", "hourly_rate")
    show_change_link = True


class SitePhotoInline(ScopedInline, admin.TabularInline):
    """The photos of the site's public page, uploaded by its staff (checked: type, size)."""

    model = SitePhoto
    extra = 0
    fields = ("image", "alt_text", "position")
    ordering = ("position", "pk")


@admin.register(Site)
class SiteAdmin(TranslationAdmin, ScopedAdmin):
    # Names and descriptions in French (required), Arabic and English, one field
    # after the other: the tabbed variant loads jQuery UI from a CDN (and the CSP).
    list_display = (
        "name",
        "city",
        "status",
        "opened_year",
        "usable_area_m2",
        "capacity_companies",
        "coworking_desks",
        "space_count",
    )
    list_filter = ("status",)
    identifier_fields = ("opening_year",)
    ordering = ("name",)  # explicit: the annotated (GROUP BY) query drops Meta.ordering
    search_fields = ("name_fr", "name_ar", "name_en", "city", "region")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [SitePhotoInline, SpaceInline]
    fieldsets = (
        (None, {"fields": ("name", "slug", "city", "region", "status")}),
        (_("Opening"), {"fields": ("opening_year", "opened_on", "planned_opening")}),
        (
            _("Figures"),
            {"fields": ("usable_area_m2", "capacity_companies", "coworking_desks")},
        ),
        (_("Presentation"), {"fields": ("address", "phone", "email", "description")}),
        (_("Staff only"), {"fields": ("sources",)}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(space_count=Count("spaces"))

    def get_fieldsets(self, request, obj=None):
        # TranslationAdmin builds the fieldsets without asking ScopedAdmin's.
        return self.identifier_fieldsets(request, obj, super().get_fieldsets(request, obj))

    def get_readonly_fields(self, request, obj=None):
        # The plain-digits year is read-only (TranslationAdmin builds its form from the
        # fieldsets, so the form must leave it out).
        return (*super().get_readonly_fields(request, obj), self._as_identifier("opening_year"))

    @admin.display(description=_("spaces"), ordering="space_count")
    def space_count(self, site):
        return site.space_count

    opened_year = identifier_display("opened_year", _("opened"), ordering=False)


@admin.register(Space)
class SpaceAdmin(TranslationAdmin, ScopedAdmin):
    list_display = (
        "name",
        "site",
        "kind",
        "floor",
        "capacity",
        "area_m2",
        "bookable",
        "hourly_rate",
    )
    list_filter = ("kind", "bookable", ("site", RelatedOnlyFilter), "floor")
    list_select_related = ("site",)
    search_fields = ("name_fr", "name_ar", "name_en", "site__name_fr")
    autocomplete_fields = ("site",)


@admin.register(StaffAssignment)
class StaffAssignmentAdmin(ScopedAdmin):
    list_display = ("user", "site", "role", "since")
    list_filter = ("role", ("site", RelatedOnlyFilter))
    list_select_related = ("site", "user")
    search_fields = ("user__email", "user__full_name", "site__name")
    autocomplete_fields = ("site", "user")
