"""The notices the daily and hourly jobs give: late requests, late KPI reports, old invitations.

Each scan is idempotent: a notice is given once, under a name (``mail.notify``'s
``once``), so a scan that runs again, or twice at the same time, tells nobody twice.
They take ``now`` or ``today`` from the job (tests pin it).
"""

import datetime as dt

from django.db import transaction
from django.db.models import CharField, Exists, Expression, OuterRef, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import timezone

from sites.models import StaffRole
from sites.selectors import add_working_days
from technopark import access, clock, mail
from technopark.models import Notice, User
from tenants.models import Company, Invitation, KPIReport, RequestStatus, ServiceRequest
from tenants.models.requests import OPEN_REQUEST
from tenants.selectors.kpi import Quarter, hosted_during, last_due_quarter
from tenants.services.offices.common import company_people_with

#: Days after a quarter's report was due when the site's staff hear of the companies still late
#: (their admins were reminded the day after it was due).
KPI_STAFF_AFTER_DAYS = 7


def _not_noticed(prefix: str) -> Expression:
    """No ``Notice`` named ``<prefix><pk>`` for the row: the scans skip what they told."""
    key = Concat(Value(prefix), Cast(OuterRef("pk"), CharField()))
    return ~Exists(Notice.objects.filter(key=key))


def _request_context(service_request: ServiceRequest, **extra) -> dict:
    return {
        "service_request": service_request,
        "site": service_request.service.site,
        "path": reverse("admin:tenants_servicerequest_change", args=[service_request.pk]),
        **extra,
    }


@transaction.atomic
def request_remind_unassigned(*, now: dt.datetime | None = None) -> int:
    """Tell a site's agents about each request nobody has taken for more than a working day.

    A request filed at 16:00 on a Friday is late from 16:00 on the next working
    day (weekends, holidays and the site's closures do not count). Returns how
    many requests were announced.
    """
    now = now or timezone.now()
    waiting = (
        ServiceRequest.objects.filter(
            status=RequestStatus.SUBMITTED,
            assigned_to__isnull=True,
            created_at__lte=now - dt.timedelta(days=1),
        )
        .filter(_not_noticed("request_unassigned:"))
        .select_related("service__site", "company")
        .order_by("created_at")
    )
    told = 0
    for service_request in waiting:
        site = service_request.service.site
        filed = timezone.localtime(service_request.created_at)
        late_from = clock.local_datetime(
            add_working_days(site=site, start=filed.date(), days=1), filed.time()
        )
        if now < late_from:
            continue
        told += bool(
            mail.notify(
                access.staff_with("tenants.change_servicerequest", site),
                "request_unassigned",
                _request_context(service_request, filed=filed),
                once=f"request_unassigned:{service_request.pk}",
            )
        )
    return told


def site_managers(site) -> list[User]:
    """The active managers of ``site``: who a late request escalates to."""
    return list(
        User.objects.filter(
            is_active=True,
            staff_assignments__site=site,
            staff_assignments__role=StaffRole.SITE_MANAGER,
        ).distinct()
    )


@transaction.atomic
def request_escalate_overdue(*, today: dt.date | None = None) -> int:
    """Escalate each open request past its deadline to its site's managers, once.

    Returns how many requests were escalated.
    """
    today = today or timezone.localdate()
    overdue = (
        ServiceRequest.objects.filter(status__in=OPEN_REQUEST, deadline__lt=today)
        .filter(_not_noticed("request_overdue:"))
        .select_related("service__site", "company", "assigned_to")
        .order_by("deadline", "pk")
    )
    told = 0
    for service_request in overdue:
        told += bool(
            mail.notify(
                site_managers(service_request.service.site),
                "request_overdue",
                _request_context(
                    service_request, days_late=(today - service_request.deadline).days
                ),
                once=f"request_overdue:{service_request.pk}",
            )
        )
    return told


def _late_companies(quarter: Quarter):
    reported = KPIReport.objects.filter(
        company=OuterRef("pk"), year=quarter.year, quarter=quarter.number
    )
    return (
        Company.objects.filter(hosted_during(quarter))
        .filter(~Exists(reported))
        .select_related("home_site")
        .order_by("legal_name")
    )


@transaction.atomic
def kpi_remind_late(*, today: dt.date | None = None) -> int:
    """Remind the companies whose KPI report of the last due quarter is missing, then staff.

    The day after a quarter's report was due, each late company's admins get a
    reminder; ``KPI_STAFF_AFTER_DAYS`` later, each site's staff get the list of
    its companies still late. Each once per quarter. Returns how many were told.
    """
    today = today or timezone.localdate()
    quarter = last_due_quarter(today)
    label = f"{quarter.year}q{quarter.number}"
    about = {
        "quarter_number": quarter.number,
        "quarter_year": quarter.year,
        "due": quarter.due,
    }
    late = list(_late_companies(quarter))
    told = 0
    for company in late:
        told += bool(
            mail.notify(
                company_people_with("tenants.change_kpireport", company),
                "kpi_report_late",
                {"company": company, "site": company.home_site, **about},
                once=f"kpi_late:{label}:company:{company.pk}",
            )
        )
    if today <= quarter.due + dt.timedelta(days=KPI_STAFF_AFTER_DAYS):
        return told
    by_site: dict[int, list[Company]] = {}
    for company in late:
        if company.home_site_id is not None:
            by_site.setdefault(company.home_site_id, []).append(company)
    for companies in by_site.values():
        site = companies[0].home_site
        told += bool(
            mail.notify(
                access.staff_with("tenants.view_kpireport", site),
                "kpi_reports_late",
                {
                    "site": site,
                    "companies": companies,
                    "path": reverse("admin:tenants_kpireport_late"),
                    **about,
                },
                once=f"kpi_late:{label}:site:{site.pk}",
            )
        )
    return told


@transaction.atomic
def invitation_purge_expired(*, now: dt.datetime | None = None) -> int:
    """Delete the invitations that expired unanswered (their links no longer work).

    Until then, an expired invitation would still block a new one to the same
    address. Their history stays. Returns how many were deleted.
    """
    now = now or timezone.now()
    expired = Invitation.objects.filter(
        accepted_at__isnull=True, revoked_at__isnull=True, expires_at__lte=now
    )
    count = 0
    for invitation in expired:  # one by one, so that each leaves its history record
        invitation.delete()
        count += 1
    return count
