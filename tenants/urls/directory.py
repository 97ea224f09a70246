"""The public company directory (/companies/, namespace directory)."""

from django.urls import path

from tenants.views import company

app_name = "directory"

urlpatterns = [
    path("", company.directory, name="list"),
    path("<int:pk>/", company.directory_detail, name="detail"),
    path("<int:pk>/logo/", company.directory_logo, name="logo"),
]
