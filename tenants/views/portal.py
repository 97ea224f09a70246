"""The tenant portal's home: the company at a glance."""

from django.shortcuts import render
from django.utils import timezone

from technopark import access
from tenants.selectors import company as selectors
from tenants.views.base import portal_view


@portal_view
def portal_home(request):
    company = request.company
    overview = selectors.portal_overview(
        company=company, user=request.user, today=timezone.localdate()
    )
    return render(
        request,
        "tenants/portal_home.html",
        {
            "company": company,
            "can_manage_team": access.allows(request.user, "tenants.manage_team", company),
            "can_report": access.allows(request.user, "tenants.add_kpireport", company),
            "can_apply": access.allows(request.user, "tenants.add_officeapplication", company),
            **overview,
        },
    )
