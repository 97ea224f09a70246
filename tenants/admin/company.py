from django.contrib import admin

from technopark.admin import ScopedAdmin
from tenants.models import Company


@admin.register(Company)
class CompanyAdmin(ScopedAdmin):
    list_display = ("legal_name", "home_site", "status")
    list_filter = ("status", ("home_site", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("home_site",)
    search_fields = ("legal_name",)
    autocomplete_fields = ("home_site",)
