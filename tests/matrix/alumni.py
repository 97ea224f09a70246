"""Rows of alumni and the historical baseline: the check-in link and three model admins.

The check-in page answers anybody holding a valid link (no account); exits
are the site's managers' to record; check-ins are read-only; the baseline is
the network managers' to write, and a site's managers read their site's rows.
"""

import datetime as dt

from tenants.models import AlumniCheckIn, CompanyExit, CompanyStatus, HistoricalBaseline
from tenants.services.alumni import check_in_token
from tests.matrix import (
    ANONYMOUS,
    EDIT,
    HIDDEN,
    HIDDEN_BUT_ADDS,
    NONE,
    SHOWS,
    VIEW,
    WRITE,
    Url,
    admin_rows,
    everyone,
    named,
)

RECORDS = ("SHOWS", 200, "WRITE", 404, 200)  # records and corrects exits, deletes none


def _exit(world):
    def build(w):
        w.company.status = CompanyStatus.ALUMNI
        w.company.save(update_fields=["status"])
        return CompanyExit.objects.create(
            company=w.company, site=w.site, date=dt.date(2024, 3, 1), reason="graduated"
        )

    return world.memo("company_exit", build)


def _check_in(world):
    return world.memo(
        "alumni_check_in",
        lambda w: AlumniCheckIn.objects.create(
            exit=_exit(w), year=2026, sent_on=dt.date(2026, 3, 1)
        ),
    )


def _baseline(world):
    return world.memo(
        "baseline",
        lambda w: HistoricalBaseline.objects.create(
            site=w.site, year=2019, companies_supported=12, jobs_created=40, source="Report 2019"
        ),
    )


ROWS = {
    "alumni:check_in": Url(
        named("alumni:check_in", lambda w: check_in_token(_check_in(w))), everyone(200)
    ),
}
ROWS |= admin_rows(
    "tenants.companyexit",
    _exit,
    {
        "anonymous": ANONYMOUS,
        "tenant_user": NONE,
        "other_company_user": NONE,
        "site_staff": RECORDS,
        "other_site_staff": HIDDEN_BUT_ADDS,
        "network_manager": VIEW,
        "superuser": EDIT,
    },
)
ROWS |= admin_rows(
    "tenants.alumnicheckin",
    _check_in,
    {
        "anonymous": ANONYMOUS,
        "tenant_user": NONE,
        "other_company_user": NONE,
        "site_staff": VIEW,
        "other_site_staff": HIDDEN,
        "network_manager": VIEW,
        "superuser": (SHOWS, 404, WRITE, 200, 200),  # the job adds them
    },
)
ROWS |= admin_rows(
    "tenants.historicalbaseline",
    _baseline,
    {
        "anonymous": ANONYMOUS,
        "tenant_user": NONE,
        "other_company_user": NONE,
        "site_staff": VIEW,
        "other_site_staff": HIDDEN,
        "network_manager": EDIT,
        "superuser": EDIT,
    },
)
