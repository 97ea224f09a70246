"""Everything the platform holds about one person, as law 09-08 lets them ask for it.

The network layer assembles it because it reads every app; each set is the
person's own rows, through the access gate (their account, their memberships,
their coworking membership, passes, reservations and bookings, their event
registrations, the requests and messages they wrote, the KPI reports they
filed).
"""

from django.core import serializers

from coworking.models import DeskReservation, NomadProfile, Pass, RoomBooking
from events.models import Registration
from technopark import access
from technopark.models import User
from tenants.models import KPIReport, Membership, RequestMessage, ServiceRequest

#: Never part of an export: secrets, not data about the person.
SECRET_FIELDS = {"password"}


def _rows(queryset) -> list[dict]:
    rows = serializers.serialize("python", queryset)
    for row in rows:
        for secret in SECRET_FIELDS & row["fields"].keys():
            del row["fields"][secret]
    return rows


def personal_data(user: User) -> dict:
    """The person's data, by kind: JSON-ready lists of rows with their fields."""
    mine = {
        "account": User.objects.filter(pk=user.pk),
        "memberships": Membership.objects.filter(user=user),
        "nomad_membership": NomadProfile.objects.filter(user=user),
        "passes": Pass.objects.filter(holder=user),
        "desk_reservations": DeskReservation.objects.filter(holder=user),
        "room_bookings": RoomBooking.objects.filter(holder=user),
        "event_registrations": Registration.objects.filter(user=user),
        "requests_filed": ServiceRequest.objects.filter(created_by=user),
        "messages_written": RequestMessage.objects.filter(author=user),
        "kpi_reports_filed": KPIReport.objects.filter(submitted_by=user),
    }
    return {
        kind: _rows(access.scope(queryset, user).order_by("pk")) for kind, queryset in mine.items()
    }
