"""The coworking app's models, one module per area.

desks: Desk, PassPrice, DocumentRetention, NomadProfile, Pass, DeskReservation, DeskCheckIn
rooms: RoomRules, OpeningHours, Allowance, RoomBooking
feeds: CalendarFeed
"""

from coworking.models.desks import (
    ACTIVE_PASS,
    CheckInStatus,
    Desk,
    DeskCheckIn,
    DeskReservation,
    DocumentRetention,
    IdentityDocument,
    NomadProfile,
    NomadStatus,
    Pass,
    PassKind,
    PassPrice,
    PassStatus,
    ReservationStatus,
)
from coworking.models.feeds import CalendarFeed
from coworking.models.rooms import (
    ACTIVE_BOOKING,
    HORIZON_DAYS_MAX,
    Allowance,
    BookingStatus,
    OpeningHours,
    RoomBooking,
    RoomRules,
    Weekday,
)

__all__ = [
    "ACTIVE_BOOKING",
    "ACTIVE_PASS",
    "HORIZON_DAYS_MAX",
    "Allowance",
    "BookingStatus",
    "CalendarFeed",
    "CheckInStatus",
    "Desk",
    "DeskCheckIn",
    "DeskReservation",
    "DocumentRetention",
    "IdentityDocument",
    "NomadProfile",
    "NomadStatus",
    "OpeningHours",
    "Pass",
    "PassKind",
    "PassPrice",
    "PassStatus",
    "ReservationStatus",
    "RoomBooking",
    "RoomRules",
    "Weekday",
]
