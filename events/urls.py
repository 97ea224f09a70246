"""Events URLs, mounted at the root (namespace events)."""

from django.urls import path

from events import views

app_name = "events"

urlpatterns = [
    path("events/", views.event_list, name="list"),
    path("events/site/<slug:site_slug>.ics", views.site_feed, name="site_feed"),
    path("events/confirm/<str:token>/", views.confirm, name="confirm"),
    path("events/ticket/<str:token>/", views.ticket, name="ticket"),
    path("events/<slug:slug>/", views.event_detail, name="detail"),
    path("events/<slug:slug>/event.ics", views.event_ics, name="ics"),
    path("events/<slug:slug>/check-in/", views.checkin, name="checkin"),
    path("events/<slug:slug>/attendees.csv", views.export, name="export"),
    path("portal/events/", views.my_events, name="my_events"),
    path("portal/events/propose/", views.propose, name="propose"),
    path("portal/events/<int:pk>/cancel/", views.registration_cancel, name="cancel"),
]
