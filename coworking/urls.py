"""Coworking and room booking URLs, mounted at the root (namespace coworking)."""

from django.urls import path

from coworking.views import feeds, portal, public, staff

app_name = "coworking"

urlpatterns = [
    # Public: nomad sign-up, room calendars, the private feed by secret token.
    path("coworking/<slug:site_slug>/join/", public.join, name="join"),
    path("calendar/<slug:site_slug>/day/", public.calendar_day, name="calendar_day"),
    path("calendar/<slug:site_slug>/week/", public.calendar_week, name="calendar_week"),
    path("calendar/feed/<str:token>.ics", feeds.user_feed, name="user_feed"),
    path("calendar/rooms/<int:space_id>.ics", feeds.room_feed, name="room_feed"),
    # The person's own bookings (tenants and nomad members).
    path("portal/bookings/", portal.my_bookings, name="my_bookings"),
    path("portal/bookings/rooms/new/", portal.room_book, name="room_book"),
    path("portal/bookings/rooms/free/", portal.room_search, name="room_search"),
    path("portal/bookings/rooms/<int:pk>/cancel/", portal.room_cancel, name="room_cancel"),
    path("portal/bookings/desks/new/", portal.desk_book, name="desk_book"),
    path("portal/bookings/desks/<int:pk>/cancel/", portal.desk_cancel, name="desk_cancel"),
    path("portal/bookings/passes/new/", portal.pass_request, name="pass_request"),
    path("portal/bookings/passes/<int:pk>/cancel/", portal.pass_cancel, name="pass_cancel"),
    path("portal/bookings/calendar-feed/", portal.feed, name="feed"),
    path("portal/bookings/calendar-feed/renew/", portal.feed_reset, name="feed_reset"),
    # The front desk of a site.
    path("frontdesk/", staff.frontdesk_home, name="frontdesk_home"),
    path("frontdesk/<slug:site_slug>/", staff.frontdesk, name="frontdesk"),
    path("frontdesk/<slug:site_slug>/approvals/", staff.approvals, name="approvals"),
    path("frontdesk/<slug:site_slug>/book/", staff.staff_book, name="staff_book"),
    path("frontdesk/<slug:site_slug>/assign-desk/", staff.desk_assign, name="desk_assign"),
    path("frontdesk/reservations/<int:pk>/check-in/", staff.checkin, name="checkin"),
    path("frontdesk/reservations/<int:pk>/no-show/", staff.no_show, name="no_show"),
    path("frontdesk/bookings/<int:pk>/approve/", staff.booking_approve, name="booking_approve"),
    path("frontdesk/bookings/<int:pk>/reject/", staff.booking_reject, name="booking_reject"),
    path("frontdesk/nomads/<int:pk>/approve/", staff.nomad_approve, name="nomad_approve"),
    path("frontdesk/nomads/<int:pk>/reject/", staff.nomad_reject, name="nomad_reject"),
    path("frontdesk/passes/<int:pk>/approve/", staff.pass_approve, name="pass_approve"),
    path("frontdesk/passes/<int:pk>/reject/", staff.pass_reject, name="pass_reject"),
]
