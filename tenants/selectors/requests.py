"""Reads of the one-stop shop, each already shaped for its page.

"Overdue" is computed against Morocco's local today, passed in from Python:
an open request whose deadline is before today.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)
from django.utils import timezone

from sites.models import Site, StaffAssignment
from technopark import access
from technopark.models import User
from tenants.models import (
    AppointmentBooking,
    AppointmentSlot,
    Company,
    Membership,
    RequestAttachment,
    RequestEvent,
    RequestMessage,
    Service,
    ServiceRequest,
)
from tenants.models.requests import OPEN_REQUEST

#: How far ahead the portal offers appointment slots.
BOOKING_HORIZON = dt.timedelta(days=60)

#: The permission that makes someone an agent of a site: working its requests.
WORKS_REQUESTS = "tenants.change_servicerequest"


def local_today() -> dt.date:
    return timezone.localdate()


def overdue(today: dt.date) -> Q:
    """Open requests whose deadline is before ``today`` (a local date)."""
    return Q(status__in=OPEN_REQUEST, deadline__lt=today)


def with_overdue(requests: QuerySet[ServiceRequest], today: dt.date) -> QuerySet[ServiceRequest]:
    """Each request with ``is_overdue``."""
    return requests.annotate(
        is_overdue=ExpressionWrapper(overdue(today), output_field=BooleanField())
    )


# --- The catalogue --------------------------------------------------------------------


def service_catalogue(*, company: Company) -> QuerySet[Service]:
    """The services offered at the company's home site, by category and name."""
    return access.public(
        Service.objects.filter(site_id=company.home_site_id).select_related("site")
    ).order_by("category", "name")


# --- Requests in the portal -----------------------------------------------------------


def request_list_for_company(
    *,
    user,
    company: Company,
    status: str = "",
    only_overdue: bool = False,
    today: dt.date | None = None,
) -> QuerySet[ServiceRequest]:
    """A company's requests, newest first, with their service, agent and ``is_overdue``.

    Overdue is judged on ``today`` (default: Morocco's local today).
    """
    today = today or local_today()
    requests = access.scope(ServiceRequest.objects.filter(company=company), user)
    if status:
        requests = requests.filter(status=status)
    if only_overdue:
        requests = requests.filter(overdue(today))
    return with_overdue(
        requests.select_related("service", "assigned_to", "created_by"), today
    ).order_by("-created_at", "-pk")


def request_get_for_company(
    *, user, company: Company, pk: int, today: dt.date | None = None
) -> ServiceRequest:
    """One request of the company that ``user`` may read, or 404."""
    requests = with_overdue(
        ServiceRequest.objects.filter(company=company).select_related(
            "service__site", "company", "assigned_to", "created_by"
        ),
        today or local_today(),
    )
    return access.get_object_or_404(requests, user, "tenants.view_servicerequest", pk=pk)


def request_get_for_staff(
    *, user, pk, perm: str = "tenants.view_servicerequest", today: dt.date | None = None
) -> ServiceRequest:
    """One request that ``user`` holds ``perm`` on through a staff role, or 404.

    A staff member who is also a company's person does not reach that
    company's requests here: the staff pages count staff roles only.
    """
    requests = with_overdue(
        ServiceRequest.objects.select_related(
            "service__site", "company", "assigned_to", "created_by"
        ),
        today or local_today(),
    )
    return access.get_object_or_404(requests, user, perm, via=access.VIA_SITE, pk=pk)


def request_thread(*, service_request: ServiceRequest, user) -> dict:
    """A request's messages (with their files), events and files filed with the request.

    Each message says whether it came from the company (``from_company``).
    """
    files = RequestAttachment.objects.select_related("uploaded_by").order_by("uploaded_at", "pk")
    messages = list(
        access.scope(RequestMessage.objects.filter(request=service_request), user)
        .select_related("author")
        .prefetch_related(Prefetch("attachments", queryset=files))
        .order_by("created_at", "pk")
    )
    company_people = set(
        Membership.objects.filter(company_id=service_request.company_id).values_list(
            "user_id", flat=True
        )
    )
    for message in messages:
        message.from_company = message.author_id in company_people
    events = (
        access.scope(RequestEvent.objects.filter(request=service_request), user)
        .select_related("actor")
        .order_by("at", "pk")
    )
    attachments = access.scope(files.filter(request=service_request, message__isnull=True), user)
    return {"thread": messages, "events": list(events), "attachments": list(attachments)}


def attachment_get(
    *, user, request_pk, pk, company: Company | None = None, via: str = access.VIA_ANY
) -> RequestAttachment:
    """One file of a request that ``user`` may read (of ``company`` when given), or 404.

    The staff pages pass ``via="site"``: only staff roles open the file there.
    """
    files = RequestAttachment.objects.filter(request_id=request_pk)
    if company is not None:
        files = files.filter(request__company=company)
    return access.get_object_or_404(files, user, "tenants.view_requestattachment", via=via, pk=pk)


def open_requests_for(*, user, company: Company, service: Service | None = None):
    """The company's open requests (for a service), to link an appointment to."""
    requests = access.scope(
        ServiceRequest.objects.filter(company=company, status__in=OPEN_REQUEST), user
    )
    if service is not None:
        requests = requests.filter(service=service)
    return requests.select_related("service").order_by("-created_at")


# --- Appointments ---------------------------------------------------------------------


def _live_booking():
    return AppointmentBooking.objects.filter(slot=OuterRef("pk"), cancelled_at__isnull=True)


def slots_ahead(*, company: Company) -> QuerySet[AppointmentSlot]:
    """Slots to come at the company's home site (free or not), for services still offered."""
    now = timezone.now()
    return (
        access.public(
            AppointmentSlot.objects.filter(
                site_id=company.home_site_id,
                service__active=True,
                starts_at__gt=now,
                starts_at__lt=now + BOOKING_HORIZON,
            )
        )
        .select_related("service")
        .order_by("starts_at", "service__name")
    )


def slot_list_free(*, company: Company, service: Service | None = None):
    """The free slots to come at the company's home site, by time."""
    slots = slots_ahead(company=company).annotate(taken=Exists(_live_booking()))
    slots = slots.filter(taken=False)
    if service is not None:
        slots = slots.filter(service=service)
    return slots


def slot_is_taken(slot: AppointmentSlot) -> bool:
    return AppointmentBooking.objects.filter(slot=slot, cancelled_at__isnull=True).exists()


def booking_list_for_company(*, user, company: Company) -> QuerySet[AppointmentBooking]:
    """A company's appointments (live and cancelled), soonest first."""
    return (
        access.scope(AppointmentBooking.objects.filter(company=company), user)
        .select_related("slot__service", "slot__site", "booked_by", "request__service")
        .order_by("-slot__starts_at", "-pk")
    )


def booking_get_for_company(*, user, company: Company, pk, perm: str) -> AppointmentBooking:
    bookings = AppointmentBooking.objects.filter(company=company).select_related("slot")
    return access.get_object_or_404(bookings, user, perm, pk=pk)


# --- Staff ----------------------------------------------------------------------------


def agents_of_site(*, user, site: Site | int) -> QuerySet[User]:
    """The active agents of ``site`` (their role there grants working requests), as ``user``
    sees the site's staff."""
    site_id = getattr(site, "pk", site)
    visible = access.scope(StaffAssignment.objects.filter(site_id=site_id), user)
    return (
        access.staff_with(WORKS_REQUESTS, site_id)
        .filter(pk__in=visible.values("user_id"))
        .order_by("full_name", "email")
    )


def agents_visible_to(user) -> QuerySet[User]:
    """The agents of every site ``user`` sees, inactive ones too (for the filter by agent)."""
    agent_roles = access.roles_with(WORKS_REQUESTS)
    assignments = access.scope(StaffAssignment.objects.filter(role__in=agent_roles), user)
    return User.objects.filter(pk__in=assignments.values("user_id")).order_by("full_name", "email")
