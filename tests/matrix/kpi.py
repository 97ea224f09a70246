"""Rows of the KPI area: the portal's reports and the admin's list of reports."""

from tenants.models import KPIReport
from tests.matrix import (
    ANONYMOUS,
    EDIT,
    HIDDEN,
    LOGIN,
    NONE,
    VIEW,
    Url,
    admin_rows,
    named,
    row,
)

OWN_COMPANY = row(LOGIN, 200, 200, 404, 404, 404, 404)


def _report(world):
    return world.memo(
        "kpi_report",
        lambda w: KPIReport.objects.create(
            company=w.company,
            year=2025,
            quarter=4,
            headcount_full_time=5,
            headcount_part_time=1,
            interns=1,
            revenue=300000,
            funds_raised=0,
            export_share=10,
        ),
    )


ROWS = {
    "portal:kpi": Url(named("portal:kpi"), OWN_COMPANY),
    "portal:kpi_report": Url(named("portal:kpi_report"), OWN_COMPANY),
    "admin:tenants_kpireport_late": Url(
        named("admin:tenants_kpireport_late"), row(LOGIN, 404, 404, 200, 200, 200, 200)
    ),
}
ROWS |= admin_rows(
    "tenants.kpireport",
    _report,
    {
        "anonymous": ANONYMOUS,
        "tenant_user": NONE,
        "other_company_user": NONE,
        "site_staff": VIEW,
        "other_site_staff": HIDDEN,
        "network_manager": VIEW,
        "superuser": EDIT,
    },
)
