"""The portal's billing pages, mounted at /portal/billing/ (namespace ``billing``)."""

from django.urls import path

from billing import views

app_name = "billing"

urlpatterns = [
    path("", views.invoice_list, name="invoices"),
    path("statement/", views.statement, name="statement"),
    path("invoices/<int:pk>/pdf/", views.invoice_pdf, name="invoice_pdf"),
    path("credit-notes/<int:pk>/pdf/", views.credit_note_pdf, name="credit_note_pdf"),
]
