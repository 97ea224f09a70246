"""Portal URLs of the offices area (mounted under /portal/, namespace portal)."""

from django.urls import path

from tenants.views import offices

urlpatterns = [
    path("offices/apply/", offices.application_new, name="office_apply"),
    path("offices/applications/", offices.application_list, name="application_list"),
    path(
        "offices/applications/<int:pk>/",
        offices.application_detail,
        name="application_detail",
    ),
    path(
        "offices/applications/<int:pk>/withdraw/",
        offices.application_withdraw,
        name="application_withdraw",
    ),
    path(
        "offices/applications/<int:pk>/documents/",
        offices.application_documents_add,
        name="application_documents_add",
    ),
    path(
        "offices/applications/<int:pk>/documents/<int:document_pk>/",
        offices.application_document,
        name="application_document",
    ),
    path("offices/residency/", offices.residency, name="residency"),
    path("offices/attestations/", offices.attestation_list, name="attestation_list"),
    path("offices/attestations/issue/", offices.attestation_issue, name="attestation_issue"),
    path(
        "offices/attestations/<int:pk>/pdf/",
        offices.attestation_pdf,
        name="attestation_pdf",
    ),
]
