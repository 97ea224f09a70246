"""Rows of the offices area: the portal's applications, residency and attestations, the public
check of attestations, and the staff admin's queue, contracts, rates and attestations."""

import datetime as dt

from tenants.models import RentRate
from tenants.services import offices as services
from tests.factories.offices import (
    ApplicationDocumentFactory,
    OfficeApplicationFactory,
    OfficeFactory,
    residency,
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
    everyone,
    named,
    row,
)

# --- The objects: company A's application, contract and attestation at site A -------------------


def application(w):
    return w.memo(
        "office_application", lambda w: OfficeApplicationFactory(site=w.site, company=w.company)
    )


def document(w):
    def build(w):
        # Uploads land in the test's own folder, restored with the settings afterwards.
        w.fixture("settings").MEDIA_ROOT = w.fixture("tmp_path") / "media"
        return ApplicationDocumentFactory(application=application(w))

    return w.memo("application_document", build)


def contract(w):
    return w.memo(
        "residency",
        lambda w: residency(
            company=w.company,
            offices=[OfficeFactory(site=w.site, name="Bureau A-101")],
            start=dt.date(2025, 1, 1),
        ),
    )


def attestation(w):
    return w.memo(
        "attestation",
        lambda w: services.attestation_issue(residency=contract(w), user=w.people["tenant_user"]),
    )


def rent_rate(w):
    def build(w):
        services.rent_rates_load()
        return RentRate.objects.get(tier="startup")

    return w.memo("rent_rate", build)


#: Each company's people reach their own company's pages (lists, forms): 200 for both.
OWN_COMPANY = row(LOGIN, 200, 200, 404, 404, 404, 404)
#: A site's staff decide; network managers read; superusers do anything.
SITE_STAFF_DECIDE = row(LOGIN, 404, 404, 200, 404, 404, 200)
SITE_STAFF_READ = row(LOGIN, 404, 404, 200, 404, 200, 200)

ROWS = {
    # Portal: applications.
    "portal:office_apply": Url(named("portal:office_apply"), OWN_COMPANY),
    "portal:application_list": Url(named("portal:application_list"), OWN_COMPANY),
    "portal:application_detail": Url(
        named("portal:application_detail", lambda w: application(w).pk), PORTAL
    ),
    # Company A's admin withdraws it; for everyone after, it is someone else's: 404.
    "portal:application_withdraw": Url(
        named("portal:application_withdraw", lambda w: application(w).pk),
        row(LOGIN, 302, 404, 404, 404, 404, 404),
        method="post",
    ),
    # No file posted: a message and back to the application (tests/tenants/offices covers uploads).
    "portal:application_documents_add": Url(
        named("portal:application_documents_add", lambda w: application(w).pk),
        row(LOGIN, 302, 404, 404, 404, 404, 404),
        method="post",
    ),
    "portal:application_document": Url(
        named("portal:application_document", lambda w: application(w).pk, lambda w: document(w).pk),
        PORTAL,
    ),
    # Portal: residency and attestations.
    "portal:residency": Url(named("portal:residency"), OWN_COMPANY),
    "portal:attestation_list": Url(named("portal:attestation_list"), OWN_COMPANY),
    # Company B's admin posting company A's contract gets a refusal message, and no attestation.
    "portal:attestation_issue": Url(
        named("portal:attestation_issue"),
        row(LOGIN, 302, 302, 404, 404, 404, 404),
        method="post",
        data=lambda w: {"residency": contract(w).pk},
    ),
    "portal:attestation_pdf": Url(
        named("portal:attestation_pdf", lambda w: attestation(w).pk), PORTAL
    ),
    # Anyone handed an attestation checks it.
    "verify:lookup": Url(named("verify:lookup"), everyone(200)),
    "verify:attestation": Url(
        named("verify:attestation", lambda w: attestation(w).code), everyone(200)
    ),
    # The committee's decisions and the documents in the admin.
    "admin:tenants_officeapplication_accept": Url(
        named("admin:tenants_officeapplication_accept", lambda w: application(w).pk),
        SITE_STAFF_DECIDE,
    ),
    "admin:tenants_officeapplication_wait": Url(
        named("admin:tenants_officeapplication_wait", lambda w: application(w).pk),
        SITE_STAFF_DECIDE,
    ),
    "admin:tenants_officeapplication_reject": Url(
        named("admin:tenants_officeapplication_reject", lambda w: application(w).pk),
        SITE_STAFF_DECIDE,
    ),
    "admin:tenants_officeapplication_document": Url(
        named(
            "admin:tenants_officeapplication_document",
            lambda w: application(w).pk,
            lambda w: document(w).pk,
        ),
        SITE_STAFF_READ,
    ),
    # Ends of contracts.
    "admin:tenants_residency_end": Url(
        named("admin:tenants_residency_end", lambda w: contract(w).pk), SITE_STAFF_DECIDE
    ),
    "admin:tenants_residency_terminate": Url(
        named("admin:tenants_residency_terminate", lambda w: contract(w).pk), SITE_STAFF_DECIDE
    ),
    # Attestations in the admin: the PDF, and revocation (site A's staff revoke it first;
    # the superuser then hears it is already revoked).
    "admin:tenants_attestation_pdf": Url(
        named("admin:tenants_attestation_pdf", lambda w: attestation(w).pk), SITE_STAFF_READ
    ),
    "admin:tenants_attestation_revoke": Url(
        named("admin:tenants_attestation_revoke", lambda w: attestation(w).pk),
        row(LOGIN, 404, 404, 302, 404, 404, 302),
        method="post",
    ),
}

TENANTS_NONE = {"anonymous": ANONYMOUS, "tenant_user": NONE, "other_company_user": NONE}

# Applications arrive from the portal: nobody adds one in the admin; the change form is
# read-only (decisions have their own views).
ROWS |= admin_rows(
    "tenants.officeapplication",
    application,
    TENANTS_NONE
    | {
        "site_staff": (SHOWS, 404, READ, 404, 200),
        "other_site_staff": HIDDEN,
        "network_manager": VIEW,
        "superuser": (SHOWS, 404, READ, 200, 200),
    },
)
# Contracts are recorded through the service (add) and ended through their own views.
ROWS |= admin_rows(
    "tenants.residency",
    contract,
    TENANTS_NONE
    | {
        "site_staff": (SHOWS, 200, READ, 404, 200),
        "other_site_staff": HIDDEN_BUT_ADDS,
        "network_manager": VIEW,
        "superuser": (SHOWS, 200, READ, 200, 200),
    },
)
# The tariff: superusers change it, network managers read it, site staff do not see it.
ROWS |= admin_rows(
    "tenants.rentrate",
    rent_rate,
    TENANTS_NONE
    | {
        "site_staff": NONE,
        "other_site_staff": NONE,
        "network_manager": VIEW,
        "superuser": EDIT,
    },
)
# Attestations are issued from a residency or the portal, revoked by site staff.
ROWS |= admin_rows(
    "tenants.attestation",
    attestation,
    TENANTS_NONE
    | {
        "site_staff": (SHOWS, 404, READ, 404, 200),
        "other_site_staff": HIDDEN,
        "network_manager": VIEW,
        "superuser": (SHOWS, 404, READ, 200, 200),
    },
    simple_history=False,
)
