"""The dashboard's long view: since the beginning (with the baseline) and alumni.

Two sections of the same page (``network.dashboard.SECTIONS``), built from
``tenants.selectors.alumni``: each figure is the platform's own records, the
baseline entered by the network manager is shown beside them with its sources,
and survival always says how many alumni it is computed over.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from network import charts
from network import dashboard as board
from network.models import SnapshotGroup
from network.tables import MAD, PERCENT, TEXT, Cell, Column, Table
from tenants.models import ExitReason
from tenants.selectors import alumni as selectors


def _as_of(selection: board.Selection, today: dt.date) -> dt.date:
    return min(today, selection.period.last_day)


def _stored(selection: board.Selection) -> tuple[dict | None, dt.datetime | None]:
    """``(figures, computed_at)`` of the long view's snapshot for the period's quarter, if
    one was stored (a closed quarter, no sector or program filter), else ``(None, None)``."""
    period = selection.period
    if period.is_year or selection.sector or selection.program:
        return None, None
    return selection.stored.get(SnapshotGroup.LONG_VIEW, period.quarters[0]) or (None, None)


def _years(first: int | None, last: int | None) -> str | None:
    if first is None:
        return None
    return str(first) if first == last else f"{first}–{last}"


# --- Since the beginning ----------------------------------------------------------------


def since_beginning(user, selection: board.Selection, today: dt.date):
    """Companies supported and jobs since each site opened: platform, baseline, together."""
    until = _as_of(selection, today)
    stored, computed_at = _stored(selection)
    figures, baseline = selectors.since_beginning_by_site(
        user,
        sites=selection.site_ids,
        until=until,
        network=not selection.single_site,
        sector=selection.sector,
        program=selection.program,
        platform=stored["platform"] if stored else None,
    )
    table = Table(
        "since-beginning",
        _("Since the beginning"),
        [
            Column(_("Site"), TEXT),
            Column(_("Opened"), TEXT),
            Column(_("Companies supported, platform records")),
            Column(_("Companies supported before the platform (baseline)")),
            Column(_("Companies supported since opening")),
            Column(_("Jobs in companies supported, platform records")),
            Column(_("Jobs created before the platform (baseline)")),
            Column(_("Jobs since opening")),
        ],
        caption=_(
            "Platform records: the companies with a contract at the site up to the period's "
            "end, and each one's latest reported full- and part-time jobs. Baseline: the "
            "yearly figures from before the platform, with their sources below."
        ),
    )
    baseline_link = reverse("admin:tenants_historicalbaseline_changelist")

    def cells(key, opened):
        entry = figures[key]
        platform_note = (
            _("since %(year)s") % {"year": entry.first_contract.year}
            if entry.first_contract
            else ""
        )
        baseline_note = _years(entry.baseline_first_year, entry.baseline_last_year) or _(
            "no baseline entered"
        )
        if entry.overlaps:
            baseline_note = _("%(years)s: overlaps the platform's years, counted twice") % {
                "years": baseline_note
            }
        return (
            Cell(opened, TEXT),
            Cell(entry.companies, note=platform_note),
            Cell(entry.baseline_companies, note=baseline_note, note_link=baseline_link),
            Cell(entry.total_companies if entry.baseline_companies is not None else None),
            Cell(
                entry.jobs,
                note=_("%(reporting)s of %(companies)s companies reported")
                % {"reporting": entry.reporting, "companies": entry.companies},
            ),
            Cell(entry.baseline_jobs),
            Cell(entry.total_jobs if entry.baseline_jobs is not None else None),
        )

    for header, key, sites in board._rows(selection):
        opened = sites[0].opened_year
        table.add(header, *cells(key, str(opened) if opened else None))
    if not selection.single_site:
        table.total(board._total_header(selection), *cells(None, None))

    sources = Table(
        "baseline-sources",
        _("Historical baseline and its sources"),
        [
            Column(_("Site"), TEXT),
            Column(_("Year"), TEXT),
            Column(_("Companies supported")),
            Column(_("Jobs created")),
            Column(_("Revenue of hosted companies"), MAD),
            Column(_("Source"), TEXT),
        ],
        caption=_("Entered by the network managers in the staff admin (Historical baseline)."),
    )
    for row in baseline:
        sources.add(
            Cell(row.site.name if row.site else _("Whole network"), TEXT),
            Cell(str(row.year), TEXT),
            Cell(row.companies_supported),
            Cell(row.jobs_created),
            Cell(row.revenue, MAD),
            Cell(row.source, TEXT),
        )
    return board.Section(
        "since-beginning", _("Since the beginning"), [table, sources], computed_at=computed_at
    )


# --- Alumni ------------------------------------------------------------------------------


def _exits_link(selection: board.Selection, year: int | None = None) -> str:
    params = [("site__id__in", ",".join(str(pk) for pk in selection.site_ids))]
    if year is not None:
        params += [("date__gte", f"{year}-01-01"), ("date__lt", f"{year + 1}-01-01")]
    return f"{reverse('admin:tenants_companyexit_changelist')}?{urlencode(params)}"


def alumni(user, selection: board.Selection, today: dt.date):
    """Exits per year and reason, and survival 2 and 5 years after exit with its base."""
    as_of = _as_of(selection, today)
    common = {"sites": selection.site_ids, "sector": selection.sector, "program": selection.program}
    stored, computed_at = _stored(selection)
    years = stored["exits"] if stored else selectors.exits_by_year(user, until=as_of, **common)
    reasons = ExitReason.choices
    exits = Table(
        "exits",
        _("Exits per year"),
        [
            Column(_("Year"), TEXT),
            *(Column(str(label)) for _value, label in reasons),
            Column(_("All exits")),
        ],
        caption=_("Companies that left the network, by the year and reason of their exit."),
    )
    for year, counts in years.items():
        exits.add(
            Cell(str(year), TEXT),
            *(Cell(counts[value]) for value, _label in reasons),
            Cell(sum(counts.values()), link=_exits_link(selection, year)),
        )
    if years:
        exits.total(
            Cell(_("All years"), TEXT),
            *(Cell(sum(c[value] for c in years.values())) for value, _label in reasons),
            Cell(sum(sum(c.values()) for c in years.values()), link=_exits_link(selection)),
        )

    survival = (
        stored["survival"] if stored else selectors.survival_by_site(user, as_of=as_of, **common)
    )
    columns = [Column(_("Site"), TEXT)]
    for n in selectors.SURVIVAL_YEARS:
        columns += [
            Column(_("Alumni who left %(n)s years ago or more") % {"n": n}),
            Column(_("Known at %(n)s years") % {"n": n}),
            Column(_("Active at %(n)s years") % {"n": n}),
            Column(_("Survival at %(n)s years") % {"n": n}, PERCENT),
        ]
    table = Table(
        "survival",
        _("Survival after exit"),
        columns,
        caption=_(
            "Share still active among the alumni whose state is known: an answer to a "
            "check-in on or after the anniversary, or a closure at the exit or in an earlier "
            "answer. Alumni who did not answer count in neither part."
        ),
    )

    def cells(key):
        result = []
        for n in selectors.SURVIVAL_YEARS:
            entry = survival[key][n]
            result += [
                Cell(entry.due),
                Cell(
                    entry.known,
                    note=_("%(count)s unanswered") % {"count": entry.unanswered}
                    if entry.unanswered
                    else "",
                ),
                Cell(entry.active),
                Cell(
                    entry.rate,
                    PERCENT,
                    note=_("over %(count)s alumni") % {"count": entry.known},
                ),
            ]
        return result

    for header, key, _sites in board._rows(selection):
        table.add(header, *cells(key))
    if not selection.single_site:
        table.total(board._total_header(selection), *cells(None))

    section_charts = []
    if years:
        labels = [str(year) for year in years]
        section_charts.append(
            charts.bars(
                "exits-per-year",
                _("Exits per year"),
                labels,
                {label: [years[y][value] for y in years] for value, label in reasons},
                table=exits,
            )
        )
    return board.Section(
        "alumni",
        pgettext("dashboard", "Alumni"),
        [exits, table],
        section_charts,
        computed_at=computed_at,
    )
