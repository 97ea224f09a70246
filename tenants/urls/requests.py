"""Portal URLs of the one-stop shop (mounted under /portal/, namespace portal)."""

from django.urls import path

from tenants.views import requests as views

urlpatterns = [
    path("services/", views.service_list, name="service_list"),
    path("requests/", views.request_list, name="request_list"),
    path("requests/new/", views.request_create, name="request_create"),
    path("requests/<int:pk>/", views.request_detail, name="request_detail"),
    path("requests/<int:pk>/reply/", views.request_reply, name="request_reply"),
    path(
        "requests/<int:pk>/files/<int:attachment_pk>/",
        views.request_attachment,
        name="request_attachment",
    ),
    path("appointments/", views.appointment_list, name="appointment_list"),
    path("appointments/book/", views.appointment_book, name="appointment_book"),
    path("appointments/<int:pk>/cancel/", views.appointment_cancel, name="appointment_cancel"),
]
