"""Writes of the one-stop shop's appointments: slots published by agents, booked by companies.

Slots of one service never overlap (an exclusion constraint); publishing a
series takes the service's lock first, so concurrent publishers go one at a time.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from technopark import access, clock
from technopark.db import violated_constraint
from technopark.models import User
from tenants.models import AppointmentBooking, AppointmentSlot, Company, Service, ServiceRequest
from tenants.services.requests import acts_for, refuse, require

ADD_SLOT = "tenants.add_appointmentslot"
ADD_BOOKING = "tenants.add_appointmentbooking"
CHANGE_BOOKING = "tenants.change_appointmentbooking"

#: The constraint that keeps a service's slots from overlapping.
SLOT_OVERLAP = "slot_no_overlap_per_service"


@transaction.atomic
def slots_lock(*, service: Service) -> None:
    """Hold the service's row until the surrounding transaction ends.

    Whoever publishes or changes a service's slots takes this lock first, so
    they go one at a time and each one's check for overlaps sees the others'
    slots (the exclusion constraint stays the last word).
    """
    list(
        Service.objects.select_for_update(of=("self",))
        .filter(pk=service.pk)
        .order_by()
        .values_list("pk", flat=True)
    )


@transaction.atomic
def slot_publish_series(
    *,
    actor: User,
    service: Service,
    day: dt.date,
    start: dt.time,
    end: dt.time,
    minutes: int,
    now: dt.datetime | None = None,
) -> list[AppointmentSlot]:
    """Publish slots of ``minutes`` each, back to back from ``start`` to ``end`` on a local day.

    Times are Morocco's wall clock, and the slots are stepped in real time: on
    a day the clocks change every slot still lasts ``minutes``, and a start or
    end the clocks skip or repeat is refused. A slot that would run past
    ``end`` is not made, nor one that would overlap a slot the service already
    has, so publishing the same series twice adds nothing. Only a service that
    takes appointments, at a site where the actor publishes slots, and times
    after ``now`` (default: the present).
    """
    require(access.at_site(actor, ADD_SLOT, service.site_id))
    if not service.needs_appointment:
        refuse(_("This service does not take appointments."), "no_appointments")
    if minutes < 5:
        refuse(_("A slot lasts at least 5 minutes."), "slot_too_short")
    first = clock.real_local_instant(day, start)
    last = clock.real_local_instant(day, end)
    if last <= first:
        refuse(_("The end must come after the start."), "end_before_start")
    if first <= (now or timezone.now()):
        refuse(_("Slots can only be published for times to come."), "past")
    series = list(clock.local_steps(day, start, end, dt.timedelta(minutes=minutes)))
    if not series:
        refuse(_("No slot of this length fits between these times."), "no_slot_fits")
    slots_lock(service=service)
    taken = list(
        AppointmentSlot.objects.filter(
            service=service, starts_at__lt=last, ends_at__gt=first
        ).values_list("starts_at", "ends_at")
    )
    fresh = [
        AppointmentSlot(
            site_id=service.site_id,
            service=service,
            starts_at=starts,
            ends_at=ends,
            published_by=actor,
        )
        for starts, ends in series
        if not any(
            starts < other_ends and other_starts < ends for other_starts, other_ends in taken
        )
    ]
    try:
        with transaction.atomic():
            return AppointmentSlot.objects.bulk_create(fresh)
    except IntegrityError as error:
        # Only a writer that skipped the lock can get here.
        if violated_constraint(error) != SLOT_OVERLAP:
            raise
        refuse(
            _("Other slots of this service were just published; publish the series again."),
            "concurrent_series",
        )


@transaction.atomic
def appointment_book(
    *,
    user: User,
    company: Company,
    slot: AppointmentSlot,
    service_request: ServiceRequest | None = None,
) -> AppointmentBooking:
    """A company's person takes a free slot to come at the company's site.

    The database holds at most one live booking per slot: when two people take
    the same slot at once, the second gets "This slot has just been taken."
    """
    require(acts_for(user, company.pk, ADD_BOOKING))
    if slot.site_id != company.home_site_id or not slot.service.active:
        refuse(_("This slot is not offered at your company's site."), "slot_elsewhere")
    if slot.starts_at <= timezone.now():
        refuse(_("This slot has already started."), "slot_started")
    if service_request is not None and (
        service_request.company_id != company.pk
        or service_request.service_id != slot.service_id
        or not service_request.is_open
    ):
        refuse(_("Choose one of your open requests for this service."), "not_your_request")
    try:
        with transaction.atomic():
            return AppointmentBooking.objects.create(
                slot=slot, company=company, request=service_request, booked_by=user
            )
    except IntegrityError as error:
        if violated_constraint(error) != "slot_one_live_holder":
            raise
        raise ValidationError(
            _("This slot has just been taken. Please choose another one."), code="taken"
        ) from None


@transaction.atomic
def appointment_cancel(*, user: User, booking: AppointmentBooking) -> AppointmentBooking:
    """The company (or the site's staff) frees a booked slot that has not started yet."""
    booking = (
        AppointmentBooking.objects.select_for_update(of=("self",))
        .select_related("slot")
        .get(pk=booking.pk)
    )
    require(
        acts_for(user, booking.company_id, CHANGE_BOOKING)
        or access.at_site(user, CHANGE_BOOKING, booking.slot.site_id)
    )
    if booking.cancelled_at is not None:
        refuse(_("This appointment is already cancelled."), "already_cancelled")
    if booking.slot.starts_at <= timezone.now():
        refuse(
            _("This appointment has already started; it cannot be cancelled."), "already_started"
        )
    booking.cancelled_at = timezone.now()
    booking.save(update_fields=["cancelled_at"])
    return booking
