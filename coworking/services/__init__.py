"""Every write of the coworking app: rooms, desks and passes, nomads, feeds."""

from coworking.services.desks import (
    DeskFullError,
    desk_assign,
    desk_checkin_record,
    desk_reservation_cancel,
    desk_reservation_cancel_refusal,
    desk_reservation_create,
    pass_approve,
    pass_cancel,
    pass_cancel_refusal,
    pass_period,
    pass_reject,
    pass_request,
)
from coworking.services.feeds import calendar_feed_reset, calendar_feed_revoke
from coworking.services.nomads import nomad_approve, nomad_reject, nomad_signup
from coworking.services.rooms import (
    SeriesConflictError,
    check_slot,
    room_booking_approve,
    room_booking_cancel,
    room_booking_cancel_refusal,
    room_booking_create,
    room_booking_reject,
    room_booking_series_create,
    series_days,
)

__all__ = [
    "DeskFullError",
    "SeriesConflictError",
    "calendar_feed_reset",
    "calendar_feed_revoke",
    "check_slot",
    "desk_assign",
    "desk_checkin_record",
    "desk_reservation_cancel",
    "desk_reservation_cancel_refusal",
    "desk_reservation_create",
    "nomad_approve",
    "nomad_reject",
    "nomad_signup",
    "pass_approve",
    "pass_cancel",
    "pass_cancel_refusal",
    "pass_period",
    "pass_reject",
    "pass_request",
    "room_booking_approve",
    "room_booking_cancel",
    "room_booking_cancel_refusal",
    "room_booking_create",
    "room_booking_reject",
    "room_booking_series_create",
    "series_days",
]
