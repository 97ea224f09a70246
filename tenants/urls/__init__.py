"""The tenant portal (namespace ``portal``), gathered from each area's module."""

from django.urls import path

from tenants.urls import company, kpi, offices, requests
from tenants.views import portal

app_name = "portal"

urlpatterns = [
    path("", portal.portal_home, name="home"),
    *company.urlpatterns,
    *offices.urlpatterns,
    *requests.urlpatterns,
    *kpi.urlpatterns,
]
