"""Quarterly KPI reports in the portal."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from technopark import access, refusals
from tenants.forms.kpi import KPIReportForm
from tenants.models import KPIReport
from tenants.selectors import kpi as selectors
from tenants.services import kpi as services
from tenants.views.base import portal_view, require_perm


@portal_view
def kpi_list(request):
    today = timezone.localdate()
    reports = list(selectors.report_list_for(request.company, request.user))
    reported = {(r.year, r.quarter) for r in reports}
    due = selectors.last_due_quarter(today)
    return render(
        request,
        "tenants/kpi/list.html",
        {
            "company": request.company,
            "reports": reports,
            "due_quarter": due,
            "due_missing": (due.year, due.number) not in reported,
            "can_report": access.allows(request.user, "tenants.add_kpireport", request.company),
        },
    )


@portal_view
def kpi_report(request):
    """Report a quarter (or correct it): the form opens on the quarter asked for."""
    require_perm(request, "tenants.add_kpireport")
    today = timezone.localdate()
    quarters = selectors.reportable_quarters(today=today)
    wanted = request.POST.get("quarter_key") or request.GET.get("quarter") or ""
    year, _sep, number = wanted.partition("-")
    existing = None
    if year.isdecimal() and number.isdecimal():
        existing = (
            selectors.report_list_for(request.company, request.user)
            .filter(year=int(year), quarter=int(number))
            .first()
        )
    form = KPIReportForm(
        request.POST or None,
        instance=existing or KPIReport(company=request.company),
        quarters=quarters,
        initial={"quarter_key": wanted} if wanted else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.kpi_report_submit(
                company=request.company,
                actor=request.user,
                quarter=form.quarter,
                figures=form.figures(),
                today=today,
            )
        except ValidationError as error:
            refusals.add_to_form(form, error)
        else:
            messages.success(
                request, _("Figures for %(quarter)s saved, thank you.") % {"quarter": form.quarter}
            )
            return redirect("portal:kpi")
    return render(request, "tenants/kpi/form.html", {"form": form, "company": request.company})
