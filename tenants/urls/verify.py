"""Public verification of attestations (/verify/, namespace verify)."""

from django.urls import path

from tenants.views import offices

app_name = "verify"

urlpatterns = [
    path("", offices.verify_lookup, name="lookup"),
    path("<str:code>/", offices.verify, name="attestation"),
]
