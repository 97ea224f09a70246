"""The rows behind a dashboard figure: companies, applications, reports, requests.

Each kind reads the same selector the figure was counted with, so the list and
the number agree. Rows link to the staff admin (never to a public page).
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from network.dashboard import Selection
from network.tables import INT, MAD, PERCENT, TEXT, Cell, Column, Table
from tenants.selectors import indicators

KINDS = ("companies", "applications", "waiting", "reports", "missing_reports", "backlog", "overdue")


def _company(company) -> Cell:
    return Cell(
        company.legal_name, TEXT, link=reverse("admin:tenants_company_change", args=[company.pk])
    )


def _date(value) -> Cell:
    return Cell(formats.date_format(value, "SHORT_DATE_FORMAT") if value else None, TEXT)


def table(user, kind: str, selection: Selection, *, today: dt.date) -> Table:
    """The rows of ``kind`` for ``selection``, as a table (exported like the dashboard's)."""
    period = selection.period
    common = {
        "sites": selection.site_ids,
        "sector": selection.sector,
        "program": selection.program,
    }
    quarter = max(period.quarters)
    if kind == "companies":
        result = Table(
            kind,
            _("Companies hosted on %(day)s")
            % {"day": formats.date_format(min(period.last_day, today))},
            [
                Column(_("Company"), TEXT),
                Column(_("Sector"), TEXT),
                Column(_("Program"), TEXT),
                Column(_("Home site"), TEXT),
            ],  # fmt: skip
        )
        for company in indicators.companies_hosted(user, on=min(period.last_day, today), **common):
            result.add(
                _company(company),
                Cell(company.get_sector_display(), TEXT),
                Cell(company.get_program_display(), TEXT),
                Cell(company.home_site.name if company.home_site else None, TEXT),
            )
        return result
    if kind in ("applications", "waiting"):
        if kind == "applications":
            title = _("Applications received in %(period)s") % {"period": period}
            applications = indicators.applications_received(
                user, first=period.first_day, last=period.last_day, **common
            )
        else:
            title = _("Waiting list at the period's end")
            applications = indicators.waiting_list_of(
                user, on=min(period.last_day, today), **common
            )
        result = Table(
            kind,
            title,
            [
                Column(_("Company"), TEXT),
                Column(_("Site"), TEXT),
                Column(_("Submitted"), TEXT),
                Column(_("Status"), TEXT),
                Column(_("Position")),
            ],  # fmt: skip
        )
        for application in applications:
            result.add(
                _company(application.company),
                Cell(application.site.name, TEXT),
                _date(application.created_at),
                Cell(application.get_status_display(), TEXT),
                Cell(getattr(application, "position_at", application.waiting_position)),
            )
        return result
    if kind == "reports":
        result = Table(
            kind,
            _("Reports of %(quarter)s") % {"quarter": quarter},
            [
                Column(_("Company"), TEXT),
                Column(_("Full-time jobs")),
                Column(_("Part-time jobs")),
                Column(_("Interns")),
                Column(_("Revenue"), MAD),
                Column(_("Funds raised"), MAD),
                Column(_("Export share"), PERCENT),
            ],  # fmt: skip
        )
        for report in indicators.reports_of(user, quarter=quarter, **common):
            result.add(
                _company(report.company),
                Cell(report.headcount_full_time),
                Cell(report.headcount_part_time),
                Cell(report.interns),
                Cell(report.revenue, MAD),
                Cell(report.funds_raised, MAD),
                Cell(float(report.export_share) / 100, PERCENT),
            )
        return result
    if kind == "missing_reports":
        result = Table(
            kind,
            _("Companies that owe the report of %(quarter)s") % {"quarter": quarter},
            [Column(_("Company"), TEXT), Column(_("Home site"), TEXT)],
        )
        for company in indicators.companies_without_report(user, quarter=quarter, **common):
            result.add(_company(company), Cell(company.home_site.name, TEXT))
        return result
    requests = indicators.requests_open_at_end(
        user, last=period.last_day, today=today, overdue_only=kind == "overdue", **common
    )
    result = Table(
        kind,
        _("Overdue requests") if kind == "overdue" else _("Open requests at the period's end"),
        [
            Column(_("Request"), INT),
            Column(_("Service"), TEXT),
            Column(_("Site"), TEXT),
            Column(_("Company"), TEXT),
            Column(_("Status"), TEXT),
            Column(_("Deadline"), TEXT),
            Column(_("Agent"), TEXT),
        ],  # fmt: skip
    )
    for request in requests:
        result.add(
            Cell(
                request.pk,
                TEXT,
                link=reverse("admin:tenants_servicerequest_change", args=[request.pk]),
            ),
            Cell(request.service.name, TEXT),
            Cell(request.service.site.name, TEXT),
            _company(request.company),
            Cell(request.get_status_display(), TEXT),
            _date(request.deadline),
            Cell(str(request.assigned_to) if request.assigned_to else None, TEXT),
        )
    return result
