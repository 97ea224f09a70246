"""Writes of quarterly KPI reports."""

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from technopark import access
from technopark.models import User
from tenants.models import Company, KPIReport
from tenants.selectors.kpi import Quarter, reportable_quarters


class KPIError(Exception):
    """A report the rules refuse; the message is for the person."""


@transaction.atomic
def kpi_report_submit(
    *, company: Company, actor: User, quarter: Quarter, figures: dict, today: dt.date
) -> KPIReport:
    """Record (or correct) a company's figures for a finished quarter.

    Only the company's admins report, and only one of the last eight quarters
    that have ended.
    """
    if not access.allows(actor, "tenants.add_kpireport", company):
        raise KPIError(_("Only the company's admins report its figures."))
    if quarter not in reportable_quarters(today=today):
        raise KPIError(_("Only the last eight quarters that have ended can be reported."))
    report, _created = KPIReport.objects.update_or_create(
        company=company,
        year=quarter.year,
        quarter=quarter.number,
        defaults={**figures, "submitted_by": actor},
    )
    return report
