"""What the tenants area puts on the staff's today page (technopark/workspace.py).

Each panel is one aggregate query over the rows the person may see as staff,
so its cost does not grow with them.
"""

from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from technopark import access, workspace
from tenants.models import ApplicationStatus, OfficeApplication, RequestStatus, ServiceRequest
from tenants.models.requests import OPEN_REQUEST
from tenants.selectors import kpi as kpi_selectors
from tenants.selectors import requests as request_selectors


def _list(name: str, **filters) -> str:
    url = reverse(f"admin:{name}_changelist")
    return f"{url}?{urlencode(filters)}" if filters else url


def _open(**filters) -> str:
    return _list("tenants_servicerequest", status__in=",".join(OPEN_REQUEST), **filters)


@workspace.panel(order=10)
def requests_panel(request) -> workspace.Panel | None:
    """Open one-stop-shop requests: the agent's own first, then nobody's, late, waiting."""
    user = request.user
    if not access.has_staff_perm(user, "tenants.view_servicerequest"):
        return None
    today = timezone.localdate()
    is_open = Q(status__in=OPEN_REQUEST)
    counts = access.scope(ServiceRequest.objects.all(), user, via=access.VIA_SITE).aggregate(
        mine=Count("pk", filter=is_open & Q(assigned_to=user)),
        unassigned=Count("pk", filter=is_open & Q(assigned_to__isnull=True)),
        overdue=Count("pk", filter=request_selectors.overdue(today)),
        waiting=Count("pk", filter=Q(status=RequestStatus.WAITING_FOR_TENANT)),
    )
    items = []
    if counts["mine"] or access.site_ids(user, "tenants.change_servicerequest"):
        items.append(workspace.Item(_("Assigned to me"), _open(agent=user.pk), counts["mine"]))
    items += [
        workspace.Item(_("Nobody assigned yet"), _open(agent="none"), counts["unassigned"]),
        workspace.Item(
            _("Past their deadline"),
            _open(overdue="yes"),
            counts["overdue"],
            tone="warning" if counts["overdue"] else "",
        ),
        workspace.Item(
            _("Waiting for the company"),
            _list("tenants_servicerequest", status__exact=RequestStatus.WAITING_FOR_TENANT),
            counts["waiting"],
        ),
    ]
    return workspace.Panel(title=_("One-stop shop requests"), items=items)


@workspace.panel(order=20)
def offices_panel(request) -> workspace.Panel | None:
    """Office applications waiting for the allocation committee, and KPI reports late."""
    user = request.user
    items = []
    if access.has_staff_perm(user, "tenants.view_officeapplication"):
        counts = access.scope(OfficeApplication.objects.all(), user, via=access.VIA_SITE).aggregate(
            submitted=Count("pk", filter=Q(status=ApplicationStatus.SUBMITTED)),
            waiting=Count("pk", filter=Q(status=ApplicationStatus.WAITING_LIST)),
        )
        items += [
            workspace.Item(
                _("Applications awaiting the committee"),
                _list("tenants_officeapplication", status__exact=ApplicationStatus.SUBMITTED),
                counts["submitted"],
            ),
            workspace.Item(
                _("On the waiting list"),
                _list("tenants_officeapplication", status__exact=ApplicationStatus.WAITING_LIST),
                counts["waiting"],
            ),
        ]
    if access.has_staff_perm(user, "tenants.view_kpireport"):
        today = timezone.localdate()
        late = kpi_selectors.companies_late(user, today=today).count()
        quarter = kpi_selectors.last_due_quarter(today)
        items.append(
            workspace.Item(
                _("Companies late with their %(quarter)s figures") % {"quarter": quarter},
                reverse("admin:tenants_kpireport_late"),
                late,
                tone="warning" if late else "",
            )
        )
    if not items:
        return None
    return workspace.Panel(title=_("Offices and companies"), items=items)
