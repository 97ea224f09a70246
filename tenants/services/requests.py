"""Writes of the one-stop shop: requests and their workflow, threads, files, appointments.

The workflow lives here and only here::

    submitted -> in progress (an agent of the site) -> waiting for the company
              -> resolved, or rejected with a reason (from any open status)

A company's reply to a request waiting for it moves it back to in progress.
Every transition is recorded as a ``RequestEvent`` in the same transaction and
announced by e-mail after commit. A refused change raises ``ValidationError``
with a message meant for the person, and writes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import NoReturn

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sites.models import Site
from sites.selectors import add_working_days
from technopark import access, clock, mail
from technopark.db import violated_constraint
from technopark.models import User
from tenants.models import (
    AppointmentBooking,
    AppointmentSlot,
    Company,
    CompanyRole,
    Membership,
    RequestAttachment,
    RequestEvent,
    RequestMessage,
    RequestStatus,
    Service,
    ServiceRequest,
)

S = RequestStatus

#: The legal moves of a request, from each status.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.SUBMITTED: frozenset({S.IN_PROGRESS, S.REJECTED}),
    S.IN_PROGRESS: frozenset({S.WAITING_FOR_TENANT, S.RESOLVED, S.REJECTED}),
    S.WAITING_FOR_TENANT: frozenset({S.IN_PROGRESS, S.RESOLVED, S.REJECTED}),
    S.RESOLVED: frozenset(),
    S.REJECTED: frozenset(),
}

#: At most this many files per request or message.
MAX_FILES = 5

CHANGE_REQUEST = "tenants.change_servicerequest"
ADD_REQUEST = "tenants.add_servicerequest"
ADD_MESSAGE = "tenants.add_requestmessage"
ADD_ATTACHMENT = "tenants.add_requestattachment"
ADD_SLOT = "tenants.add_appointmentslot"
ADD_BOOKING = "tenants.add_appointmentbooking"
CHANGE_BOOKING = "tenants.change_appointmentbooking"


# --- Who may do what ------------------------------------------------------------------
# Staff rights come from the gate (``access.at_site``); the agents of a site are
# whoever's staff role there grants the right to work requests.


def acts_for(user, company_id: int, perm: str) -> bool:
    """Whether ``user`` holds ``perm`` through a role in the company."""
    return company_id in access.company_ids(user, perm)


def is_site_agent(user: User, site: Site | int) -> bool:
    """Whether ``user`` works requests at ``site`` (their staff role there grants it)."""
    return user is not None and access.staff_with(CHANGE_REQUEST, site).filter(pk=user.pk).exists()


def _refuse(message) -> NoReturn:
    raise ValidationError(message)


def _require(allowed: bool) -> None:
    if not allowed:
        _refuse(_("You may not do this on this request."))


# --- Files ----------------------------------------------------------------------------


def validate_files(files: Sequence[UploadedFile]) -> None:
    """Every file within the attachment rules (type by content, size); one message per file.

    The only place files are checked: the errors are keyed ``files`` (the
    services' argument, and the forms' field of that name).
    """
    if len(files) > MAX_FILES:
        raise ValidationError(
            {"files": _("Attach at most %(count)d files at a time.") % {"count": MAX_FILES}}
        )
    field = RequestAttachment._meta.get_field("file")
    errors = []
    for upload in files:
        try:
            field.run_validators(upload)
        except ValidationError as error:
            for message in error.messages:
                errors.append(
                    ValidationError(
                        _("%(name)s: %(problem)s"),
                        params={"name": upload.name, "problem": message},
                    )
                )
    if errors:
        raise ValidationError({"files": errors})


def _attach(
    *, service_request: ServiceRequest, message: RequestMessage | None, files, user: User
) -> list[RequestAttachment]:
    """Store already validated files; if anything fails, remove what was stored.

    Call it last in a service, once every check and every other write has
    passed: a refusal after the files are on disk would leave them there.
    """
    stored: list[RequestAttachment] = []
    try:
        for upload in files:
            attachment = RequestAttachment(
                request=service_request,
                message=message,
                original_name=upload.name[:200],
                size=upload.size,
                uploaded_by=user,
            )
            attachment.file.save(upload.name, upload, save=False)
            stored.append(attachment)
            attachment.save()
    except Exception:
        for attachment in stored:
            attachment.file.delete(save=False)
        raise
    return stored


# --- Notifications --------------------------------------------------------------------


def company_people(service_request: ServiceRequest, *, but: User | None = None) -> list[User]:
    """Who hears about a request on the company's side: its filer and the company's admins."""
    admins = User.objects.filter(
        is_active=True,
        memberships__company_id=service_request.company_id,
        memberships__role=CompanyRole.ADMIN,
    )
    people = {user.pk: user for user in admins}
    filer = service_request.created_by
    still_member = (
        filer is not None
        and Membership.objects.filter(company_id=service_request.company_id, user=filer).exists()
    )
    if still_member and filer is not None and filer.is_active:
        people.setdefault(filer.pk, filer)
    return [user for pk, user in sorted(people.items()) if but is None or pk != but.pk]


def site_agents(site: Site | int) -> list[User]:
    """The active people who work requests at a site (their staff role there grants it)."""
    return list(access.staff_with(CHANGE_REQUEST, site).order_by("full_name", "email"))


def _context(service_request: ServiceRequest, **extra) -> dict:
    return {
        "service_request": service_request,
        "portal_path": reverse("portal:request_detail", args=[service_request.pk]),
        "admin_path": reverse("admin:tenants_servicerequest_change", args=[service_request.pk]),
        **extra,
    }


def _announce_status(service_request: ServiceRequest, event: RequestEvent, *, actor, body=""):
    mail.send_to(
        company_people(service_request, but=actor),
        "request_status",
        _context(service_request, event=event, body=body),
    )


# --- Transitions ----------------------------------------------------------------------


def _locked(service_request: ServiceRequest) -> ServiceRequest:
    """The request's row, locked for this transaction, as the database has it now."""
    return (
        ServiceRequest.objects.select_for_update(of=("self",))
        .select_related("service__site", "company", "created_by", "assigned_to")
        .get(pk=service_request.pk)
    )


def _move(
    service_request: ServiceRequest,
    *,
    to: str,
    actor: User,
    note: str = "",
    same_allowed: bool = False,
) -> RequestEvent:
    """Change the status of a locked request, refusing moves the workflow does not allow."""
    current = service_request.status
    if to == current and not same_allowed:
        _refuse(_("This request is already %(status)s.") % {"status": S(current).label.lower()})
    if to != current and to not in TRANSITIONS[current]:
        _refuse(
            _("A request that is %(current)s cannot become %(target)s.")
            % {"current": S(current).label.lower(), "target": S(to).label.lower()}
        )
    service_request.status = to
    if to in (S.RESOLVED, S.REJECTED):
        service_request.closed_at = timezone.now()
    service_request._history_user = actor  # type: ignore[attr-defined]  # simple_history reads it
    _save_checked(service_request)
    return RequestEvent.objects.create(
        request=service_request, actor=actor, from_status=current, to_status=to, note=note
    )


def _save_checked(service_request: ServiceRequest) -> None:
    """Save the request; a constraint PostgreSQL refuses becomes its message, nothing half-saved.

    The database checks the invariants on the write itself, so no SELECT runs
    before it (``validate_constraints`` would repeat them in Python).
    """
    try:
        with transaction.atomic():
            service_request.save()
    except IntegrityError as error:
        name = violated_constraint(error)
        for constraint in ServiceRequest._meta.constraints:
            if constraint.name == name:
                raise ValidationError(constraint.get_violation_error_message()) from None
        raise


def _require_open(service_request: ServiceRequest) -> None:
    if not service_request.is_open:
        _refuse(
            _("This request is %(status)s; it cannot change any more.")
            % {"status": service_request.get_status_display().lower()}
        )


@transaction.atomic
def request_create(
    *,
    user: User,
    company: Company,
    service: Service,
    description: str,
    files: Sequence[UploadedFile] = (),
    today: dt.date | None = None,
) -> ServiceRequest:
    """A company's person files a request for a service offered at the company's home site.

    The deadline is the service's target time in working days of that site,
    counted from ``today`` (default: Morocco's local today). Files are checked
    before anything is written, and stored last.
    """
    _require(acts_for(user, company.pk, ADD_REQUEST))
    if service.site_id != company.home_site_id or not service.active:
        _refuse(_("This service is not offered at your company's site."))
    if not description.strip():
        _refuse(_("Describe what you need."))
    files = list(files)
    validate_files(files)
    if files and not acts_for(user, company.pk, ADD_ATTACHMENT):
        _refuse(_("You may not attach files."))
    today = today or timezone.localdate()
    service_request = ServiceRequest(
        company=company,
        service=service,
        description=description.strip(),
        created_by=user,
        deadline=add_working_days(site=service.site, start=today, days=service.target_days),
    )
    service_request._history_user = user  # type: ignore[attr-defined]  # simple_history reads it
    service_request.save()
    event = RequestEvent.objects.create(
        request=service_request, actor=user, from_status="", to_status=S.SUBMITTED
    )
    mail.send_to(
        [agent for agent in site_agents(service.site_id) if agent.pk != user.pk],
        "request_submitted",
        _context(service_request, event=event),
    )
    _attach(service_request=service_request, message=None, files=files, user=user)
    return service_request


@transaction.atomic
def request_assign(
    *, actor: User, service_request: ServiceRequest, agent: User, note: str = ""
) -> ServiceRequest:
    """Give an open request to an agent of its site; a submitted request goes in progress.

    The agent's staff role at the request's site must grant working requests
    (an agent or the site manager); the actor must work requests there.
    """
    service_request = _locked(service_request)
    site = service_request.service.site
    _require(access.at_site(actor, CHANGE_REQUEST, site))
    _require_open(service_request)
    if not is_site_agent(agent, site):
        _refuse(
            _("%(person)s is not an agent of %(site)s.")
            % {"person": agent.get_full_name(), "site": site.name}
        )
    if service_request.assigned_to_id == agent.pk:
        _refuse(
            _("This request is already assigned to %(person)s.") % {"person": agent.get_full_name()}
        )
    service_request.assigned_to = agent
    target = S.IN_PROGRESS if service_request.status == S.SUBMITTED else service_request.status
    record = agent.get_full_name() + (f"\n{note.strip()}" if note.strip() else "")
    event = _move(service_request, to=target, actor=actor, note=record, same_allowed=True)
    if event.from_status != event.to_status:
        _announce_status(service_request, event, actor=actor)
    if agent.pk != actor.pk:
        mail.send_to([agent], "request_assigned", _context(service_request, event=event))
    return service_request


@transaction.atomic
def request_ask_company(
    *,
    actor: User,
    service_request: ServiceRequest,
    body: str,
    files: Sequence[UploadedFile] = (),
) -> RequestMessage:
    """The agent asks the company for something: the question joins the thread and the
    request waits for the company (only a request in progress can wait)."""
    service_request = _locked(service_request)
    _require(access.at_site(actor, CHANGE_REQUEST, service_request.service.site_id))
    if not body.strip():
        _refuse(_("Write what the company should provide."))
    files = list(files)
    validate_files(files)
    event = _move(service_request, to=S.WAITING_FOR_TENANT, actor=actor, note=body.strip())
    message = RequestMessage.objects.create(
        request=service_request, author=actor, body=body.strip()
    )
    _announce_status(service_request, event, actor=actor, body=message.body)
    _attach(service_request=service_request, message=message, files=files, user=actor)
    return message


@transaction.atomic
def request_resolve(
    *, actor: User, service_request: ServiceRequest, note: str = ""
) -> ServiceRequest:
    """An agent closes a request in progress or waiting for the company as resolved."""
    service_request = _locked(service_request)
    _require(access.at_site(actor, CHANGE_REQUEST, service_request.service.site_id))
    event = _move(service_request, to=S.RESOLVED, actor=actor, note=note.strip())
    _announce_status(service_request, event, actor=actor)
    return service_request


@transaction.atomic
def request_reject(*, actor: User, service_request: ServiceRequest, reason: str) -> ServiceRequest:
    """An agent refuses an open request; the reason is required and shown to the company."""
    service_request = _locked(service_request)
    _require(access.at_site(actor, CHANGE_REQUEST, service_request.service.site_id))
    reason = reason.strip()
    if not reason:
        _refuse(_("Give the reason of the rejection."))
    service_request.rejection_reason = reason
    event = _move(service_request, to=S.REJECTED, actor=actor, note=reason)
    _announce_status(service_request, event, actor=actor)
    return service_request


@transaction.atomic
def request_reply_as_company(
    *,
    author: User,
    service_request: ServiceRequest,
    body: str,
    files: Sequence[UploadedFile] = (),
) -> RequestMessage:
    """A company's person writes in the thread of an open request.

    A reply to a request waiting for the company moves it back to in progress.
    The assigned agent hears of it (the site's agents while nobody is assigned).
    """
    service_request = _locked(service_request)
    _require(acts_for(author, service_request.company_id, ADD_MESSAGE))
    _require_open(service_request)
    if not body.strip():
        _refuse(_("Write a message."))
    files = list(files)
    validate_files(files)
    if files and not acts_for(author, service_request.company_id, ADD_ATTACHMENT):
        _refuse(_("You may not attach files."))
    if service_request.status == S.WAITING_FOR_TENANT:
        _move(service_request, to=S.IN_PROGRESS, actor=author, note="")
    message = RequestMessage.objects.create(
        request=service_request, author=author, body=body.strip()
    )
    agent = service_request.assigned_to
    recipients = (
        [agent]
        if agent is not None and agent.is_active
        else site_agents(service_request.service.site_id)
    )
    mail.send_to(
        [person for person in recipients if person.pk != author.pk],
        "request_company_reply",
        _context(service_request, message=message),
    )
    _attach(service_request=service_request, message=message, files=files, user=author)
    return message


@transaction.atomic
def request_reply_as_agent(
    *,
    author: User,
    service_request: ServiceRequest,
    body: str,
    files: Sequence[UploadedFile] = (),
) -> RequestMessage:
    """An agent of the site answers in the thread of an open request; the company hears of it.

    The status does not change (asking the company for something is
    :func:`request_ask_company`).
    """
    service_request = _locked(service_request)
    _require(access.at_site(author, CHANGE_REQUEST, service_request.service.site_id))
    _require_open(service_request)
    if not body.strip():
        _refuse(_("Write a message."))
    files = list(files)
    validate_files(files)
    message = RequestMessage.objects.create(
        request=service_request, author=author, body=body.strip()
    )
    mail.send_to(
        company_people(service_request, but=author),
        "request_agent_reply",
        _context(service_request, message=message),
    )
    _attach(service_request=service_request, message=message, files=files, user=author)
    return message


# --- Appointments ---------------------------------------------------------------------


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
    _require(access.at_site(actor, ADD_SLOT, service.site_id))
    if not service.needs_appointment:
        _refuse(_("This service does not take appointments."))
    if minutes < 5:
        _refuse(_("A slot lasts at least 5 minutes."))
    first = clock.real_local_instant(day, start)
    last = clock.real_local_instant(day, end)
    if last <= first:
        _refuse(_("The end must come after the start."))
    if first <= (now or timezone.now()):
        _refuse(_("Slots can only be published for times to come."))
    series = list(clock.local_steps(day, start, end, dt.timedelta(minutes=minutes)))
    if not series:
        _refuse(_("No slot of this length fits between these times."))
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
        _refuse(_("Other slots of this service were just published; publish the series again."))


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
    _require(acts_for(user, company.pk, ADD_BOOKING))
    if slot.site_id != company.home_site_id or not slot.service.active:
        _refuse(_("This slot is not offered at your company's site."))
    if slot.starts_at <= timezone.now():
        _refuse(_("This slot has already started."))
    if service_request is not None and (
        service_request.company_id != company.pk
        or service_request.service_id != slot.service_id
        or not service_request.is_open
    ):
        _refuse(_("Choose one of your open requests for this service."))
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
    _require(
        acts_for(user, booking.company_id, CHANGE_BOOKING)
        or access.at_site(user, CHANGE_BOOKING, booking.slot.site_id)
    )
    if booking.cancelled_at is not None:
        _refuse(_("This appointment is already cancelled."))
    if booking.slot.starts_at <= timezone.now():
        _refuse(_("This appointment has already started; it cannot be cancelled."))
    booking.cancelled_at = timezone.now()
    booking.save(update_fields=["cancelled_at"])
    return booking
