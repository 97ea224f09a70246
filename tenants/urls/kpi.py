"""Portal URLs of the KPI area (mounted under /portal/, namespace portal)."""

from django.urls import path

from tenants.views import kpi

urlpatterns = [
    path("kpi/", kpi.kpi_list, name="kpi"),
    path("kpi/report/", kpi.kpi_report, name="kpi_report"),
]
