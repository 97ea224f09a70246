"""The alumni's yearly check-in (/alumni/, namespace alumni): a signed link, no account."""

from django.urls import path

from tenants.views import alumni

app_name = "alumni"

urlpatterns = [
    path("check-in/<str:token>/", alumni.check_in, name="check_in"),
]
