"""Writes of quarterly KPI reports."""

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from technopark import access
from technopark.models import User
from technopark.refusals import refusal
from tenants.models import Company, KPIReport
from tenants.selectors.kpi import Quarter, reportable_quarters


@transaction.atomic
def kpi_report_submit(
    *, company: Company, actor: User, quarter: Quarter, figures: dict, today: dt.date
) -> KPIReport:
    """Record (or correct) a company's figures for a finished quarter.

    Only the company's admins report, and only one of the last eight quarters
    that have ended.
    """
    if not access.allows(actor, "tenants.add_kpireport", company):
        raise refusal(_("Only the company's admins report its figures."), code="not_admin")
    if quarter not in reportable_quarters(today=today):
        raise refusal(
            _("Only the last eight quarters that have ended can be reported."),
            code="quarter_not_reportable",
            field="quarter_key",
        )
    report, _created = KPIReport.objects.update_or_create(
        company=company,
        year=quarter.year,
        quarter=quarter.number,
        defaults={**figures, "submitted_by": actor},
    )
    return report
