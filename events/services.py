"""Every write of the events app: the event's life cycle, registrations, the waiting list, check-in.

Seats: ``Event.seats_taken`` moves only by one conditional ``UPDATE`` at a time
(:func:`_take_seat`, :func:`_free_seat`) and PostgreSQL's check constraint keeps
it within ``0..capacity``; the registrations of one event queue on an advisory
lock (``technopark.db.lock_resources``), which is also what makes their
primary keys their arrival order (the waiting list's order).

Rooms: publishing books every date's room (with set-up and tear-down) through
coworking's ``room_booking_block``, all dates or none; cancelling frees them.
"""

import datetime as dt
from decimal import Decimal

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from coworking.services import room_booking_block, room_bookings_release
from events.models import (
    ACTIVE_REGISTRATION,
    Audience,
    Event,
    EventDate,
    EventStatus,
    Promotion,
    Registration,
    RegistrationStatus,
)
from sites.models import Space
from technopark import access, mail, refusals
from technopark.db import ResourceBusyError, in_savepoint, lock_resources, violated_constraint
from technopark.models import User
from tenants.models import Company, CompanyStatus, Membership

#: How long a visitor has to confirm their address before their seat goes to others.
OPT_IN_HOURS = 24
#: A ticket still checks in this long after the event's last date ended.
TICKET_GRACE = dt.timedelta(hours=12)

_TICKET_SALT = "events.ticket"
_OPT_IN_SALT = "events.opt-in"


# --- Events ---------------------------------------------------------------------------


def _unique_slug(title: str, site_slug: str) -> str:
    base = slugify(f"{title} {site_slug}")[:140] or "event"
    slug, n = base, 1
    while Event.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _check_dates(dates: list[tuple[dt.datetime, dt.datetime]], *, now: dt.datetime) -> None:
    if not dates:
        raise ValidationError(_("An event has one date at least."), code="no_dates")
    if len(dates) > 52:
        raise ValidationError(_("An event has at most 52 dates."), code="too_many_dates")
    for starts_at, ends_at in dates:
        if ends_at <= starts_at:
            raise ValidationError(_("A date ends after it starts."), code="end_before_start")
        if starts_at <= now:
            raise ValidationError(_("This time is already past."), code="past")
    ordered = sorted(dates)
    for (_s1, end1), (start2, _e2) in zip(ordered, ordered[1:], strict=False):
        if start2 < end1:
            raise ValidationError(_("Two dates of the event overlap."), code="dates_overlap")


@transaction.atomic
def event_create(
    *,
    actor,
    room: Space,
    title: str,
    kind: str,
    dates: list[tuple[dt.datetime, dt.datetime]],
    capacity: int,
    company: Company | None = None,
    summary: str = "",
    description: str = "",
    language: str = "fr",
    audience: str = Audience.PUBLIC,
    program: str = "",
    price: Decimal = Decimal(0),
    registration_opens: dt.datetime | None = None,
    registration_closes: dt.datetime | None = None,
    setup_minutes: int = 30,
    teardown_minutes: int = 30,
    now: dt.datetime | None = None,
) -> Event:
    """A new event with all its dates: a draft by the site's staff, or a company's proposal.

    Staff of the room's site create drafts (they publish later); a company's
    admin proposes an event of the company, which waits for staff approval.
    Its rooms are booked only when it is published.
    """
    now = now or timezone.now()
    site_id = room.site_id
    if company is not None:
        if company.pk not in access.company_ids(actor, "events.add_event"):
            raise PermissionDenied
        if company.status != CompanyStatus.RESIDENT:
            raise ValidationError(
                _("Only companies hosted at a Technopark propose events."), code="not_hosted"
            )
        if room.site_id != company.home_site_id:
            raise refusals.refusal(
                _("Choose a room of your company's Technopark."),
                code="room_elsewhere",
                field="room",
            )
        status = EventStatus.PENDING
    elif access.at_site(actor, "events.add_event", site_id):
        status = EventStatus.DRAFT
    else:
        raise PermissionDenied
    _check_dates(dates, now=now)
    if capacity < 1:
        raise ValidationError(_("An event has one seat at least."), code="no_seats")
    if room.capacity and capacity > room.capacity:
        raise ValidationError(
            _("This room holds at most %(capacity)s people."),
            code="over_room_capacity",
            params={"capacity": room.capacity},
        )
    if audience == Audience.PROGRAM and not program:
        raise ValidationError(_("Choose the program whose companies may come."), code="no_program")
    event = Event.objects.create(
        site_id=site_id,
        room=room,
        title=title,
        slug=_unique_slug(title, room.site.slug),
        summary=summary,
        description=description,
        kind=kind,
        language=language,
        audience=audience,
        program=program if audience == Audience.PROGRAM else "",
        organiser_company=company,
        created_by=actor,
        capacity=capacity,
        price=price,
        registration_opens=registration_opens,
        registration_closes=registration_closes,
        setup_minutes=setup_minutes,
        teardown_minutes=teardown_minutes,
        status=status,
        created_at=now,
    )
    EventDate.objects.bulk_create(
        EventDate(event=event, starts_at=start, ends_at=end) for start, end in sorted(dates)
    )
    event_dates_sync(event=event)
    if status == EventStatus.PENDING:
        mail.notify(
            access.staff_with("events.change_event", site_id),
            "events_proposed",
            {"event": event, "site": event.site},
        )
    return event


def event_dates_sync(*, event: Event) -> None:
    """Keep the event's first start and last end (what lists sort and filter by)."""
    dates = list(event.dates.order_by("starts_at").values_list("starts_at", "ends_at"))
    event.starts_at = dates[0][0] if dates else None
    event.ends_at = max(end for _start, end in dates) if dates else None
    event.save(update_fields=["starts_at", "ends_at"])


def _locked_event(event: Event, actor, perm: str = "events.change_event") -> Event:
    """The event locked for a change: its seats' lock, then its row (one order: no deadlock)."""
    _lock_event_seats(event)
    rows = access.scope(
        Event.objects.select_for_update(of=("self",)), actor, perm, via=access.VIA_SITE
    )
    try:
        return rows.select_related("room__site", "site").get(pk=event.pk)
    except Event.DoesNotExist:
        raise PermissionDenied from None


@transaction.atomic
def event_publish(*, actor, event: Event, now: dt.datetime | None = None) -> Event:
    """Publish a draft or an approved proposal: every date's room is booked, or nothing is.

    Only staff of the event's site publish. Each date holds its room from
    ``setup_minutes`` before to ``teardown_minutes`` after; a date that overlaps
    another booking is refused with a message naming it, and the event stays
    as it was.
    """
    now = now or timezone.now()
    event = _locked_event(event, actor)
    if event.status not in (EventStatus.DRAFT, EventStatus.PENDING):
        raise ValidationError(
            _("Only a draft or a proposal can be published."), code="not_publishable"
        )
    dates = list(event.dates.all())
    _check_dates([(d.starts_at, d.ends_at) for d in dates], now=now)
    setup = dt.timedelta(minutes=event.setup_minutes)
    teardown = dt.timedelta(minutes=event.teardown_minutes)
    bookings = room_booking_block(
        actor=actor,
        space=event.room,
        periods=[(d.starts_at - setup, d.ends_at + teardown) for d in dates],
        title=event.title,
        now=now,
    )
    for date, booking in zip(dates, bookings, strict=True):
        date.booking = booking
    EventDate.objects.bulk_update(dates, ["booking"])
    event.status = EventStatus.PUBLISHED
    event.published_at = now
    event.save(update_fields=["status", "published_at"])
    if event.organiser_company_id:
        admins = User.objects.filter(
            memberships__company=event.organiser_company_id, memberships__role="admin"
        )
        mail.send_to(admins, "events_published", {"event": event, "site": event.site})
    return event


@transaction.atomic
def event_cancel(*, actor, event: Event, now: dt.datetime | None = None) -> Event:
    """Cancel an event: its rooms are freed and everyone registered is told."""
    now = now or timezone.now()
    event = _locked_event(event, actor)
    if event.status in (EventStatus.CANCELLED, EventStatus.DONE):
        raise ValidationError(_("This event is already over."), code="not_cancellable")
    bookings = [d.booking for d in event.dates.select_related("booking") if d.booking]
    room_bookings_release(bookings=bookings, now=now)
    event.status = EventStatus.CANCELLED
    event.cancelled_at = now
    event.seats_taken = 0
    event.save(update_fields=["status", "cancelled_at", "seats_taken"])
    told = list(event.registrations.filter(status__in=ACTIVE_REGISTRATION))
    Registration.objects.filter(pk__in=[r.pk for r in told]).update(
        status=RegistrationStatus.CANCELLED, holds_seat=False, cancelled_at=now
    )
    for registration in told:
        mail.send_to(
            [_recipient(registration)],
            "events_cancelled",
            {"event": event, "registration": registration, "site": event.site},
        )
    return event


@transaction.atomic
def event_capacity_change(*, actor, event: Event, capacity: int) -> Event:
    """Change the number of seats: never below the seats already taken; more seats promote.

    The refusal comes first in Python for its message; PostgreSQL's check
    constraint refuses it anyway if a registration slipped in between.
    """
    event = _locked_event(event, actor)
    if capacity < max(1, event.seats_taken):
        raise ValidationError(
            _("%(taken)s seats are already taken: the event cannot have fewer."),
            code="capacity_below_taken",
            params={"taken": event.seats_taken},
        )
    event.capacity = capacity
    event.save(update_fields=["capacity"])
    _promote(event, freed_by=None, now=timezone.now())
    return event


def event_finish(*, now: dt.datetime) -> int:
    """Mark the published events whose last date has ended as done (a periodic job)."""
    return Event.objects.filter(status=EventStatus.PUBLISHED, ends_at__lte=now).update(
        status=EventStatus.DONE
    )


# --- Registrations ----------------------------------------------------------------------


def _lock_event_seats(event: Event) -> None:
    """Registrations, cancellations and promotions of one event queue here, in arrival order."""
    try:
        lock_resources("events.event", [event.pk], timeout_ms=15000)
    except ResourceBusyError:
        raise ValidationError(
            _("Many people are registering right now: try again in a moment."), code="busy"
        ) from None


def _take_seat(event: Event) -> bool:
    """One seat, if one is left: the conditional UPDATE is the rule, not a count."""
    return bool(
        Event.objects.filter(pk=event.pk, seats_taken__lt=F("capacity")).update(
            seats_taken=F("seats_taken") + 1
        )
    )


def _free_seat(event: Event) -> None:
    Event.objects.filter(pk=event.pk).update(seats_taken=F("seats_taken") - 1)


def registration_refusal(event: Event, *, user=None, now: dt.datetime) -> ValidationError | None:
    """Why nobody (or ``user``) may register for ``event`` now, or None.

    Refused: an event not published, registration not yet open or closed, an
    audience the person is not part of (visitors come to public events only).
    """
    if event.status != EventStatus.PUBLISHED:
        return ValidationError(_("This event does not take registrations."), code="not_open")
    if event.registration_opens and now < event.registration_opens:
        return ValidationError(_("Registration has not opened yet."), code="not_yet_open")
    closes = event.closes_at
    if closes and now >= closes:
        return ValidationError(_("Registration is closed."), code="closed")
    if event.audience == Audience.PUBLIC:
        return None
    companies = Company.objects.filter(
        memberships__user=user if user is not None and user.pk else None,
        status=CompanyStatus.RESIDENT,
    )
    if event.audience == Audience.PROGRAM:
        companies = companies.filter(program=event.program)
    if user is None or not companies.exists():
        return ValidationError(
            _("This event is open to its audience only: %(audience)s."),
            code="audience",
            params={"audience": event.get_audience_display()},
        )
    return None


@transaction.atomic
def registration_create(
    *,
    event: Event,
    user=None,
    name: str = "",
    email: str = "",
    organisation: str = "",
    language: str = "fr",
    company=None,
    now: dt.datetime | None = None,
) -> Registration:
    """Register a person: an account in one click (with its company), or a visitor by address.

    An account registers for ``company``, the one it acts for in the portal
    (a paid event is billed to it), which must be one of its own; without it,
    for its first company.

    A seat is taken if one is left (confirmed at once for an account; held
    for ``OPT_IN_HOURS`` for a visitor, who confirms the address by a signed
    link), otherwise the person joins the waiting list. One registration per
    account and per address, by unique constraints.
    """
    now = now or timezone.now()
    refusal = registration_refusal(event, user=user, now=now)
    if refusal is not None:
        raise refusal
    if user is not None:
        memberships = Membership.objects.filter(user=user).select_related("company")
        if company is not None:
            memberships = memberships.filter(company=company)
        membership = memberships.order_by("pk").first()
        if company is not None and membership is None:
            raise ValidationError(_("You do not act for this company."), code="not_a_member")
        company = membership.company if membership else None
        name = user.full_name or user.email
        email = user.email
        organisation = company.display_name if company else organisation
        language = user.language or language
    if not email:
        raise ValidationError(_("An e-mail address is needed."), code="no_email")
    _lock_event_seats(event)
    # Read again under the lock: the event may have been cancelled meanwhile.
    event = Event.objects.select_related("site").get(pk=event.pk)
    refusal = registration_refusal(event, user=user, now=now)
    if refusal is not None:
        raise refusal
    registration = Registration(
        event=event,
        user=user,
        company=company,
        name=name,
        email=email.strip().lower(),
        organisation=organisation,
        language=language,
        status=RegistrationStatus.WAITING,
        created_at=now,
    )
    try:
        in_savepoint(lambda: registration.save(force_insert=True))
    except IntegrityError as exc:
        if violated_constraint(exc) in (
            "registration_once_per_address",
            "registration_once_per_account",
        ):
            raise ValidationError(
                _("This person is already registered for this event."), code="already_registered"
            ) from None
        raise
    seated = _take_seat(event)
    if user is None:
        registration.status = RegistrationStatus.PENDING
        registration.holds_seat = seated
    elif seated:
        registration.status = RegistrationStatus.CONFIRMED
        registration.holds_seat = True
        registration.email_confirmed_at = now
    else:
        registration.email_confirmed_at = now
    registration.save(update_fields=["status", "holds_seat", "email_confirmed_at"])
    if registration.status == RegistrationStatus.PENDING:
        mail.send_to(
            [_recipient(registration)],
            "events_opt_in",
            {
                "event": event,
                "registration": registration,
                "token": opt_in_token(registration),
                "site": event.site,
            },
        )
    else:
        _announce(registration)
    return registration


def _recipient(registration: Registration) -> User:
    if registration.user_id:
        return registration.user  # type: ignore[return-value]
    return User(email=registration.email, language=registration.language)


def _announce(registration: Registration) -> None:
    template = (
        "events_confirmed"
        if registration.status == RegistrationStatus.CONFIRMED
        else "events_waiting"
    )
    mail.send_to(
        [_recipient(registration)],
        template,
        {
            "event": registration.event,
            "registration": registration,
            "token": ticket_token(registration),
            "site": registration.event.site,
        },
    )


def opt_in_token(registration: Registration) -> str:
    """The signed link's code (the 24 hours run from the registration, not from the signing)."""
    return signing.Signer(salt=_OPT_IN_SALT).sign(str(registration.pk))


@transaction.atomic
def registration_confirm_email(*, token: str, now: dt.datetime | None = None) -> Registration:
    """A visitor confirms their address by the signed link, within ``OPT_IN_HOURS``.

    With a seat held, they are confirmed; without one, they wait on the list
    in their arrival order. A link used twice confirms once.
    """
    now = now or timezone.now()
    try:
        pk = int(signing.Signer(salt=_OPT_IN_SALT).unsign(token))
    except (signing.BadSignature, ValueError):
        raise ValidationError(_("This confirmation link is not valid."), code="bad_token") from None
    registration = (
        Registration.objects.select_for_update(of=("self",))
        .select_related("event__site")
        .filter(pk=pk)
        .first()
    )
    if registration is None:
        raise ValidationError(_("This confirmation link is not valid."), code="bad_token")
    if registration.status != RegistrationStatus.PENDING:
        if registration.status in (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING):
            return registration
        raise ValidationError(
            _("This registration has expired: please register again."), code="expired"
        )
    if now - registration.created_at > dt.timedelta(hours=OPT_IN_HOURS):
        raise ValidationError(
            _("This registration has expired: please register again."), code="expired"
        )
    registration.status = (
        RegistrationStatus.CONFIRMED if registration.holds_seat else RegistrationStatus.WAITING
    )
    registration.email_confirmed_at = now
    registration.save(update_fields=["status", "email_confirmed_at"])
    _announce(registration)
    return registration


def registrations_expire(*, now: dt.datetime) -> int:
    """Unconfirmed visitors' registrations older than ``OPT_IN_HOURS`` hold nothing any more.

    Each expired registration frees its seat (if it held one) for the first
    person waiting. A periodic job; returns how many expired.
    """
    stale = Registration.objects.filter(
        status=RegistrationStatus.PENDING,
        created_at__lt=now - dt.timedelta(hours=OPT_IN_HOURS),
    ).values_list("pk", "event_id")
    count = 0
    for pk, event_id in list(stale):
        with transaction.atomic():
            event = Event.objects.get(pk=event_id)
            _lock_event_seats(event)
            registration = (
                Registration.objects.select_for_update()
                .filter(pk=pk, status=RegistrationStatus.PENDING)
                .first()
            )
            if registration is None:
                continue
            held = registration.holds_seat
            registration.status = RegistrationStatus.EXPIRED
            registration.holds_seat = False
            registration.save(update_fields=["status", "holds_seat"])
            if held:
                _free_seat(event)
                _promote(event, freed_by=registration, now=now)
            count += 1
    return count


def registration_cancel_refusal(
    registration: Registration, *, now: dt.datetime
) -> ValidationError | None:
    """Why the person cannot cancel this registration now, or None (the portal asks)."""
    if registration.status not in ACTIVE_REGISTRATION:
        return ValidationError(_("This registration is no longer active."), code="not_active")
    starts = registration.event.starts_at
    if starts and starts <= now:
        return ValidationError(_("The event has started."), code="started")
    return None


@transaction.atomic
def registration_cancel(
    *, actor, registration: Registration, now: dt.datetime | None = None
) -> Registration:
    """Cancel a registration (its person, or staff of the event's site).

    A seat it held goes at once to the first person waiting, who is told and
    whose promotion is recorded; the promotion takes its seat through the
    same conditional UPDATE, so concurrent cancellations never over-promote.
    """
    now = now or timezone.now()
    own = actor is not None and registration.user_id == actor.pk
    if not own and not access.allows(
        actor, "events.change_registration", registration, via=access.VIA_SITE
    ):
        raise PermissionDenied
    event = registration.event
    _lock_event_seats(event)
    registration = (
        Registration.objects.select_for_update(of=("self",))
        .select_related("event__site")
        .get(pk=registration.pk)
    )
    refusal = registration_cancel_refusal(registration, now=now)
    if refusal is not None and (own or refusal.code == "not_active"):
        raise refusal
    held = registration.holds_seat
    registration.status = RegistrationStatus.CANCELLED
    registration.holds_seat = False
    registration.cancelled_at = now
    registration.save(update_fields=["status", "holds_seat", "cancelled_at"])
    if held:
        _free_seat(event)
        _promote(registration.event, freed_by=registration, now=now)
    return registration


def _promote(event: Event, *, freed_by: Registration | None, now: dt.datetime) -> list:
    """Give the free seats to the waiting list in arrival order (the event's lock is held)."""
    promoted = []
    waiting = Registration.objects.filter(event=event, status=RegistrationStatus.WAITING).order_by(
        "pk"
    )
    for registration in waiting.select_related("event__site", "user"):
        if not _take_seat(event):
            break
        registration.status = RegistrationStatus.CONFIRMED
        registration.holds_seat = True
        registration.save(update_fields=["status", "holds_seat"])
        Promotion.objects.create(registration=registration, freed_by=freed_by, promoted_at=now)
        mail.send_to(
            [_recipient(registration)],
            "events_promoted",
            {
                "event": registration.event,
                "registration": registration,
                "token": ticket_token(registration),
                "site": registration.event.site,
            },
        )
        promoted.append(registration)
    return promoted


def waiting_position(registration: Registration) -> int | None:
    """The registration's place on the waiting list (1 = next), or None."""
    if registration.status != RegistrationStatus.WAITING:
        return None
    return (
        Registration.objects.filter(
            event=registration.event_id,
            status=RegistrationStatus.WAITING,
            pk__lt=registration.pk,
        ).count()
        + 1
    )


# --- Tickets and check-in ---------------------------------------------------------------


def ticket_token(registration: Registration) -> str:
    """The ticket's code: the registration and its event, signed (short enough for a QR code)."""
    return signing.Signer(salt=_TICKET_SALT).sign(f"{registration.event_id}.{registration.pk}")


def ticket_value(token: str) -> tuple[int, int]:
    """The event and registration ids a ticket's code signs, or a ``bad_ticket`` refusal."""
    try:
        value = signing.Signer(salt=_TICKET_SALT).unsign(token.strip())
        event_id, pk = (int(part) for part in value.split("."))
    except (signing.BadSignature, ValueError):
        raise ValidationError(_("This ticket is not valid."), code="bad_ticket") from None
    return event_id, pk


def _ticket_registration(token: str, event: Event) -> Registration:
    event_id, pk = ticket_value(token)
    if event_id != event.pk:
        raise ValidationError(_("This ticket is for another event."), code="other_event")
    return Registration.objects.get(pk=pk)


@transaction.atomic
def registration_check_in(
    *,
    actor,
    event: Event,
    token: str = "",
    registration: Registration | None = None,
    now: dt.datetime | None = None,
) -> tuple[Registration, bool]:
    """Check a confirmed attendee in, by the ticket's signed code or by name; twice is harmless.

    Returns the registration and whether it had already been checked in. A
    forged code, another event's ticket, a ticket past the event (plus
    ``TICKET_GRACE``) and a registration that is not confirmed are refused.
    """
    now = now or timezone.now()
    if not access.at_site(actor, "events.change_registration", event.site_id):
        raise PermissionDenied
    if registration is None:
        registration = _ticket_registration(token, event)
    elif registration.event_id != event.pk:
        raise ValidationError(_("This ticket is for another event."), code="other_event")
    if event.ends_at and now > event.ends_at + TICKET_GRACE:
        raise ValidationError(_("This ticket has expired."), code="expired")
    registration = Registration.objects.select_for_update(of=("self",)).get(pk=registration.pk)
    if registration.status != RegistrationStatus.CONFIRMED:
        raise ValidationError(
            _("%(name)s has no confirmed seat (%(status)s)."),
            code="not_confirmed",
            params={"name": registration.name, "status": registration.get_status_display()},
        )
    if registration.checked_in_at is not None:
        return registration, True
    registration.checked_in_at = now
    registration.checked_in_by = actor
    registration.save(update_fields=["checked_in_at", "checked_in_by"])
    return registration, False


# --- Reminders -------------------------------------------------------------------------


def reminders_send(*, now: dt.datetime) -> int:
    """Remind confirmed attendees of the events starting tomorrow (local day), once each."""
    from technopark.clock import day_bounds

    tomorrow = timezone.localdate(now) + dt.timedelta(days=1)
    start, end = day_bounds(tomorrow)
    due = Registration.objects.filter(
        status=RegistrationStatus.CONFIRMED,
        reminded_at__isnull=True,
        event__status=EventStatus.PUBLISHED,
        event__starts_at__gte=start,
        event__starts_at__lt=end,
    ).select_related("event__site", "user")
    count = 0
    for registration in due:
        with transaction.atomic():
            marked = Registration.objects.filter(
                pk=registration.pk, reminded_at__isnull=True
            ).update(reminded_at=now)
            if not marked:
                continue
            mail.send_to(
                [_recipient(registration)],
                "events_reminder",
                {
                    "event": registration.event,
                    "registration": registration,
                    "token": ticket_token(registration),
                    "site": registration.event.site,
                },
            )
            count += 1
    return count
