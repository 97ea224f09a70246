"""Rows of the one-stop shop: portal pages, the staff admin's models and workflow views.

The world adds, at site A: a service taking appointments, a request of
company A (submitted, filed by its member) with a file, a slot to come and a
booking of company A on another slot.
"""

from tests.factories.requests import (
    AppointmentBookingFactory,
    AppointmentSlotFactory,
    RequestAttachmentFactory,
    ServiceFactory,
    ServiceRequestFactory,
)
from tests.matrix import (
    ANONYMOUS,
    EDIT,
    HIDDEN,
    HIDDEN_BUT_ADDS,
    LOGIN,
    NONE,
    PORTAL,
    READ,
    SHOWS,
    VIEW,
    Url,
    admin_rows,
    named,
    row,
)

#: Pages of the portal about one's own company: each company's people, nobody else.
OWN_COMPANY = row(LOGIN, 200, 200, 404, 404, 404, 404)
#: Workflow posts on company A's request: the staff who may change it at site A.
WORKS_SITE_A = row(LOGIN, 404, 404, 302, 404, 404, 302)
#: A request's file in the admin: whoever may read the request there.
READS_SITE_A = row(LOGIN, 404, 404, 200, 404, 200, 200)


def service(world):
    return world.memo(
        "service",
        lambda w: ServiceFactory(
            site=w.site, name="Création d'entreprise (OMPIC)", needs_appointment=True
        ),
    )


def service_request(world):
    return world.memo(
        "service_request",
        lambda w: ServiceRequestFactory(
            company=w.company, service=service(w), created_by=w.tenant_member
        ),
    )


def attachment(world):
    return world.memo(
        "attachment",
        lambda w: RequestAttachmentFactory(request=service_request(w), uploaded_by=w.tenant_member),
    )


def slot(world):
    return world.memo("slot", lambda w: AppointmentSlotFactory(service=service(w)))


def booking(world):
    return world.memo(
        "booking",
        lambda w: AppointmentBookingFactory(
            slot=AppointmentSlotFactory(service=service(w)),
            company=w.company,
            booked_by=w.tenant_member,
        ),
    )


def _request_pk(world):
    return service_request(world).pk


ROWS = {
    # The portal: one's own company's lists and forms.
    "portal:service_list": Url(named("portal:service_list"), OWN_COMPANY),
    "portal:request_list": Url(named("portal:request_list"), OWN_COMPANY),
    "portal:request_create": Url(named("portal:request_create"), OWN_COMPANY),
    "portal:appointment_list": Url(named("portal:appointment_list"), OWN_COMPANY),
    "portal:appointment_book": Url(named("portal:appointment_book"), OWN_COMPANY),
    # The portal: company A's objects.
    "portal:request_detail": Url(named("portal:request_detail", _request_pk), PORTAL),
    "portal:request_reply": Url(
        named("portal:request_reply", _request_pk),
        # An empty message: the form comes back with its error, nothing is written.
        PORTAL,
        method="post",
        data=lambda w: {"body": ""},
    ),
    "portal:request_attachment": Url(
        named("portal:request_attachment", _request_pk, lambda w: attachment(w).pk), PORTAL
    ),
    "portal:appointment_cancel": Url(
        named("portal:appointment_cancel", lambda w: booking(w).pk),
        # Company A's person cancels (and is sent back to the list); nobody else finds it.
        row(LOGIN, 302, 404, 404, 404, 404, 404),
        method="post",
    ),
    # The staff admin's workflow views: empty forms or illegal moves, so nothing changes.
    "admin:tenants_servicerequest_assign": Url(
        named("admin:tenants_servicerequest_assign", _request_pk),
        WORKS_SITE_A,
        method="post",
        attack=lambda w: {"agent": w.people["site_staff"].pk, "note": "mine"},
    ),
    "admin:tenants_servicerequest_reply": Url(
        named("admin:tenants_servicerequest_reply", _request_pk),
        WORKS_SITE_A,
        method="post",
        attack=lambda w: {"body": "Bonjour"},
    ),
    "admin:tenants_servicerequest_ask": Url(
        named("admin:tenants_servicerequest_ask", _request_pk),
        WORKS_SITE_A,
        method="post",
        attack=lambda w: {"ask-body": "Votre RC ?"},
    ),
    "admin:tenants_servicerequest_resolve": Url(
        # A submitted request cannot be resolved: refused with a message.
        named("admin:tenants_servicerequest_resolve", _request_pk),
        WORKS_SITE_A,
        method="post",
        attack=lambda w: {"note": "done"},
    ),
    "admin:tenants_servicerequest_reject": Url(
        named("admin:tenants_servicerequest_reject", _request_pk),
        WORKS_SITE_A,
        method="post",
        attack=lambda w: {"reason": "incomplete"},
    ),
    "admin:tenants_servicerequest_attachment": Url(
        named("admin:tenants_servicerequest_attachment", _request_pk, lambda w: attachment(w).pk),
        READS_SITE_A,
    ),
    "admin:tenants_appointmentslot_series": Url(
        named("admin:tenants_appointmentslot_series"),
        # Whoever publishes slots somewhere; the services offered are their site's.
        row(LOGIN, 404, 404, 200, 200, 404, 200),
    ),
}

ROWS |= admin_rows(
    "tenants.service",
    service,
    {
        "anonymous": ANONYMOUS,
        "tenant_user": NONE,
        "other_company_user": NONE,
        "site_staff": EDIT,
        "other_site_staff": HIDDEN_BUT_ADDS,
        "network_manager": VIEW,
        "superuser": EDIT,
    },
)
# Requests are filed in the portal and worked through the workflow views: no add,
# and the change page has no save button.
ROWS |= admin_rows(
    "tenants.servicerequest",
    service_request,
    {
        "anonymous": ANONYMOUS,
        "tenant_user": NONE,
        "other_company_user": NONE,
        "site_staff": (SHOWS, 404, READ, 404, 200),
        "other_site_staff": HIDDEN,
        "network_manager": VIEW,
        "superuser": (SHOWS, 404, READ, 200, 200),
    },
)
ROWS |= admin_rows(
    "tenants.appointmentslot",
    slot,
    {
        "anonymous": ANONYMOUS,
        "tenant_user": NONE,
        "other_company_user": NONE,
        "site_staff": EDIT,
        "other_site_staff": HIDDEN_BUT_ADDS,
        "network_manager": VIEW,
        "superuser": EDIT,
    },
    simple_history=False,
)
# Bookings are made in the portal; staff read them and may cancel them (bulk action).
ROWS |= admin_rows(
    "tenants.appointmentbooking",
    booking,
    {
        "anonymous": ANONYMOUS,
        "tenant_user": NONE,
        "other_company_user": NONE,
        "site_staff": (SHOWS, 404, READ, 404, 200),
        "other_site_staff": HIDDEN,
        "network_manager": VIEW,
        "superuser": (SHOWS, 404, READ, 200, 200),
    },
    simple_history=False,
)
