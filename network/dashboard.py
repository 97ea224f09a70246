"""What the dashboard shows, built from each app's selectors into tables and charts.

The network dashboard and a site's dashboard are the same page: one row per
site of the selection (one site for a site's page), then the total. Every
figure links to the rows behind it (``network:rows``), never to a public page.

Events and billing read ``events.selectors`` and ``billing.selectors``.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.urls import get_script_prefix, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from billing import selectors as billing_selectors
from coworking import selectors as coworking_selectors
from events import selectors as events_selectors
from network import charts, snapshots
from network.periods import Period
from network.tables import DAYS, HOURS, M2, MAD, PERCENT, TEXT, Cell, Column, Table
from sites import selectors as site_selectors
from sites.models import Site
from technopark import access, dataversion
from technopark.clock import local_datetime
from tenants.models import Program, Sector
from tenants.selectors import indicators

#: Quarters of the trend charts and tables.
TREND_QUARTERS = 8


@dataclass(frozen=True)
class Selection:
    """What the URL asks for: a period, sites (already allowed), a sector, a program."""

    period: Period
    sites: list[Site]
    sector: str = ""
    program: str = ""
    single_site: bool = False
    #: The snapshots of closed quarters this page reads (``build`` loads them).
    stored: snapshots.Stored = field(default_factory=snapshots.Stored, compare=False, repr=False)

    @property
    def site_ids(self) -> list[int]:
        return [site.pk for site in self.sites]

    def query(self, **overrides) -> str:
        """The query string naming this selection (``unlocalize``d: plain digits)."""
        params: list[tuple[str, str]] = [("period", self.period.key)]
        if not self.single_site:
            params += [("site", site.slug) for site in self.sites]
        if self.sector:
            params.append(("sector", self.sector))
        if self.program:
            params.append(("program", self.program))
        for key, value in overrides.items():
            params = [(k, v) for k, v in params if k != key]
            if isinstance(value, list):
                params += [(key, v) for v in value]
            elif value:
                params.append((key, value))
        return urlencode(params)


@dataclass
class Section:
    slug: str
    title: str
    tables: list[Table] = field(default_factory=list)
    charts: list[charts.Chart] = field(default_factory=list)
    #: Sections whose app has no selectors yet: shown as not yet available, no numbers.
    available: bool = True
    intro: str = ""
    #: When its figures were computed, if read from a snapshot (None: computed now).
    computed_at: dt.datetime | None = None


@functools.lru_cache(maxsize=256)
def _path(name: str, arg: str, prefix: str) -> str:
    return reverse(name, args=[arg])


def path(name: str, arg: str) -> str:
    """``reverse(name, args=[arg])``, worked out once (a page links a hundred cells)."""
    return _path(name, arg, get_script_prefix())


def rows_link(selection: Selection, kind: str, sites: list[Site]) -> str:
    query = selection.query(site=[site.slug for site in sites])
    return f"{path('network:rows', kind)}?{query}"


def site_link(selection: Selection, site: Site) -> str:
    query = Selection(selection.period, [site], selection.sector, selection.program, True).query()
    return f"{path('network:site', site.slug)}?{query}"


def _site_header(selection: Selection, site: Site) -> Cell:
    link = "" if selection.single_site else site_link(selection, site)
    return Cell(site.name, TEXT, link=link)


def _total_header(selection: Selection) -> Cell:
    return Cell(_("All selected sites"), TEXT)


def _rows(selection: Selection) -> list[tuple[Cell, int | None, list[Site]]]:
    """(header, key of the figures, sites behind them) for each site, then the total."""
    rows = [(_site_header(selection, site), site.pk, [site]) for site in selection.sites]
    return rows


def _figures(user, selection: Selection, today: dt.date, group: str):
    """``(figures, computed_at)`` of ``group`` for the period's quarter: its snapshot if one
    is stored, else computed now (``computed_at`` None) by the same function."""
    period = selection.period
    if not period.is_year and not selection.sector and not selection.program:
        found = selection.stored.get(group, period.quarters[0])
        if found is not None:
            return found
        return (
            snapshots.compute(
                user, group, sites=selection.site_ids, quarter=period.quarters[0], today=today
            ),
            None,
        )
    return None, None


# --- Tenancy -------------------------------------------------------------------------------


def _tenancy(user, selection: Selection, today: dt.date) -> Section:
    period = selection.period
    stored, computed_at = _figures(user, selection, today, snapshots.SnapshotGroup.TENANCY)
    common: dict[str, Any] = {
        "sites": selection.site_ids,
        "first": period.first_day,
        "last": period.last_day,
        "today": today,
        "sector": selection.sector,
        "program": selection.program,
    }
    figures = stored["sites"] if stored else indicators.tenancy_by_site(user, **common)
    occupancy = Table(
        "occupancy",
        _("Occupancy"),
        [
            Column(_("Site"), TEXT),
            Column(_("Companies hosted")),
            Column(_("Leased surface"), M2),
            Column(_("Leasable surface"), M2),
            Column(_("Share of the surface let"), PERCENT),
            Column(_("Offices free")),
            Column(_("Waiting list at the period's end")),
            Column(_("Median wait (days)"), DAYS),
        ],
        caption=_("On the period's last day (today for the running period)."),
    )
    applications = Table(
        "applications",
        _("Office applications"),
        [
            Column(_("Site"), TEXT),
            Column(pgettext("applications", "Received")),
            Column(pgettext("applications", "Accepted")),
            Column(_("Waiting list")),
            Column(pgettext("applications", "Rejected")),
            Column(_("Median days to a decision"), DAYS),
        ],
        caption=_("Received in the period; decided in the period, by their status today."),
    )

    def add(table_rows, header, key, sites):
        entry = figures[key]
        missing_surface = _("surface missing") if entry.surface_missing else ""
        fix = (
            reverse("admin:sites_space_changelist")
            + "?"
            + urlencode({"site__id__exact": sites[0].pk})
            if entry.surface_missing and len(sites) == 1
            else ""
        )
        occupancy_cells = (
            Cell(entry.companies, link=rows_link(selection, "companies", sites)),
            Cell(entry.leased_m2, M2),
            Cell(
                entry.leasable_m2 if entry.offices else None,
                M2,
                note=missing_surface,
                note_link=fix,
            ),  # fmt: skip
            Cell(entry.area_rate, PERCENT),
            Cell(entry.offices_free if entry.offices else None),
            Cell(entry.waiting, link=rows_link(selection, "waiting", sites)),
            Cell(entry.median_wait_days, DAYS),
        )
        application_cells = (
            Cell(entry.received, link=rows_link(selection, "applications", sites)),
            Cell(entry.accepted),
            Cell(entry.waitlisted),
            Cell(entry.rejected),
            Cell(entry.median_days_to_decision, DAYS),
        )
        table_rows(occupancy, header, occupancy_cells)
        table_rows(applications, header, application_cells)

    for header, key, sites in _rows(selection):
        add(lambda table, h, cells: table.add(h, *cells), header, key, sites)
    if not selection.single_site:
        add(
            lambda table, h, cells: table.total(h, *cells),
            _total_header(selection),
            None,
            selection.sites,
        )

    tables = [occupancy, applications]
    for by, title, labels in (
        ("sector", _("By sector"), dict(Sector.choices)),
        ("program", _("By program"), dict(Program.choices)),
    ):
        breakdown = stored[by] if stored else indicators.tenancy_breakdown(user, by=by, **common)
        table = Table(
            f"by_{by}",
            title,
            [
                Column(_("Sector") if by == "sector" else _("Program"), TEXT),
                Column(_("Companies hosted")),
                Column(_("Applications received")),
                Column(pgettext("applications", "Accepted")),
            ],
        )
        for value, label in labels.items():
            if value in breakdown:
                entry = breakdown[value]
                link = rows_link(selection, "companies", selection.sites)
                link += "&" + urlencode({by: value})
                table.add(
                    Cell(str(label), TEXT),
                    Cell(entry.companies, link=link),
                    Cell(entry.received),
                    Cell(entry.accepted),
                )
        tables.append(table)
    return Section("tenancy", _("Tenancy"), tables, computed_at=computed_at)


# --- Impact --------------------------------------------------------------------------------


def _impact(user, selection: Selection, today: dt.date) -> Section:
    period = selection.period
    last = max(period.quarters)
    trend = indicators.trailing_quarters(last, TREND_QUARTERS)
    # Quarters with a snapshot are read from it; the others are computed now, in one query.
    filtered = bool(selection.sector or selection.program)
    found = {} if filtered else {
        quarter: selection.stored.get(snapshots.SnapshotGroup.IMPACT, quarter) for quarter in trend
    }  # fmt: skip
    figures = indicators.kpi_by_site_quarter(
        user,
        sites=selection.site_ids,
        quarters=[quarter for quarter in trend if not found.get(quarter)],
        sector=selection.sector,
        program=selection.program,
    )
    computed = [entry[1] for entry in found.values() if entry]
    for quarter, entry in found.items():
        if entry:
            figures.update({(site, quarter): entry[0][site] for site in selection.site_ids})
    impact = indicators.impact_by_site(figures, sites=selection.site_ids, period=period.quarters)
    table = Table(
        "impact",
        _("Impact of hosted companies"),
        [
            Column(_("Site"), TEXT),
            Column(_("Reports received")),
            Column(_("Full-time jobs"), rated=True),
            Column(_("Part-time jobs"), rated=True),
            Column(_("Interns"), rated=True),
            Column(_("Revenue of the period"), MAD, rated=True),
            Column(_("Revenue, trailing 12 months"), MAD, rated=True),
            Column(_("Funds raised"), MAD, rated=True),
            Column(_("Export share"), PERCENT, rated=True),
        ],
        caption=_(
            "Each figure adds up the reports received: the reporting rate next to it says "
            "over which share of the companies that owed a report."
        ),
    )

    def cells(key, sites):
        entry = impact[key]
        jobs, flow, trailing = entry.jobs_rate, entry.period_rate, entry.trailing_rate
        return (
            Cell(
                entry.last.reported,
                link=rows_link(selection, "reports", sites),
                rate=jobs,
                rated=False,
                note=_("%(reported)s of %(owed)s")
                % {"reported": entry.last.reported, "owed": entry.last.expected},
                note_link=rows_link(selection, "missing_reports", sites),
            ),
            Cell(entry.full_time, rate=jobs, rated=True),
            Cell(entry.part_time, rate=jobs, rated=True),
            Cell(entry.interns, rate=jobs, rated=True),
            Cell(entry.revenue, MAD, rate=flow, rated=True),
            Cell(entry.revenue_12m, MAD, rate=trailing, rated=True),
            Cell(entry.funds_raised, MAD, rate=flow, rated=True),
            Cell(entry.export_share, PERCENT, rate=flow, rated=True),
        )

    for header, key, sites in _rows(selection):
        table.add(header, *cells(key, sites))
    if not selection.single_site:
        table.total(_total_header(selection), *cells(None, selection.sites))

    # Trends: the network (or the site) over the last quarters.
    series = {quarter: indicators.KPIFigures() for quarter in trend}
    for site in selection.site_ids:
        for quarter in trend:
            series[quarter].add(figures[site, quarter])
    trend_table = Table(
        "trend",
        _("Last %(count)s quarters") % {"count": TREND_QUARTERS},
        [
            Column(_("Quarter"), TEXT),
            Column(_("Companies that owed a report")),
            Column(_("Reporting rate"), PERCENT),
            Column(_("Jobs (full and part time)"), rated=True),
            Column(_("Revenue"), MAD, rated=True),
        ],
    )
    for quarter in trend:
        entry = series[quarter]
        rate = entry.reported / entry.expected if entry.expected else None
        trend_table.add(
            Cell(str(quarter), TEXT),
            Cell(entry.expected),
            Cell(rate, PERCENT),
            Cell(
                entry.full_time + entry.part_time if entry.reported else None, rate=rate, rated=True
            ),  # fmt: skip
            Cell(entry.revenue if entry.reported else None, MAD, rate=rate, rated=True),
        )
    labels = [str(quarter) for quarter in trend]
    trend_charts = [
        charts.line(
            "trend-jobs",
            _("Jobs in hosted companies, as reported"),
            labels,
            {
                _("Jobs (full and part time)"): [
                    series[q].full_time + series[q].part_time if series[q].reported else None
                    for q in trend
                ]
            },
            table=trend_table,
        ),
        charts.line(
            "trend-rate",
            _("Reporting rate"),
            labels,
            {
                _("Reporting rate"): [
                    round(100 * series[q].reported / series[q].expected)
                    if series[q].expected
                    else None
                    for q in trend
                ]
            },
            table=trend_table,
            percent=True,
        ),
    ]
    if not selection.single_site and len(selection.sites) > 1:
        trend_charts.append(
            charts.bars(
                "sites-reports",
                _("Sites side by side: companies that owed a report, reports received"),
                [site.name for site in selection.sites],  # in the reader's language
                {
                    _("Companies that owed a report"): [
                        impact[site.pk].last.expected for site in selection.sites
                    ],
                    _("Reports received"): [
                        impact[site.pk].last.reported for site in selection.sites
                    ],
                },
                table=table,
            )
        )
        trend_charts.append(
            charts.bars(
                "sites-jobs",
                _("Sites side by side: jobs, as reported"),
                [site.name for site in selection.sites],  # in the reader's language
                {
                    _("Full-time jobs"): [impact[site.pk].full_time for site in selection.sites],
                    _("Part-time jobs"): [impact[site.pk].part_time for site in selection.sites],
                },
                table=table,
            )
        )
    return Section(
        "impact",
        _("Impact"),
        [table, trend_table],
        trend_charts,
        computed_at=min(computed) if computed else None,
    )


# --- One-stop shop -------------------------------------------------------------------------


def _request_columns() -> list[Column]:
    return [
        Column(pgettext("requests", "Received")),
        Column(pgettext("requests", "Resolved")),
        Column(_("Resolved within the target"), PERCENT),
        Column(_("Median resolution (working days)"), DAYS),
        Column(_("Backlog at the period's end")),
        Column(_("Overdue")),
    ]


def _request_cells(entry: indicators.RequestFigures, backlog_link="", overdue_link=""):
    return (
        Cell(entry.received),
        Cell(entry.resolved),
        Cell(entry.share_within_target, PERCENT),
        Cell(entry.median_working_days, DAYS),
        Cell(entry.backlog, link=backlog_link),
        Cell(entry.overdue, link=overdue_link),
    )


def _one_stop_shop(user, selection: Selection, today: dt.date) -> Section:
    period = selection.period
    common: dict[str, Any] = {
        "sites": selection.site_ids,
        "first": period.first_day,
        "last": period.last_day,
        "today": today,
        "sector": selection.sector,
        "program": selection.program,
    }
    tables = []
    stored, computed_at = _figures(user, selection, today, snapshots.SnapshotGroup.REQUESTS)

    def by(name):
        return stored[name] if stored else indicators.requests_by(user, by=name, **common)

    by_site = {entry.key: entry for entry in by("site")}
    sites_table = Table(
        "requests_by_site",
        _("Requests by site"),
        [Column(_("Site"), TEXT), *_request_columns()],
    )
    for header, key, sites in _rows(selection):
        entry = by_site.get(key) or indicators.RequestFigures()
        sites_table.add(
            header,
            *_request_cells(
                entry,
                rows_link(selection, "backlog", sites),
                rows_link(selection, "overdue", sites),
            ),
        )
    if not selection.single_site:
        sites_table.total(
            _total_header(selection),
            *_request_cells(
                stored["total"] if stored else indicators.requests_total(user, **common),
                rows_link(selection, "backlog", selection.sites),
                rows_link(selection, "overdue", selection.sites),
            ),
        )
    tables.append(sites_table)
    for name, slug, title, first_label in (
        ("service", "requests_by_service", _("Requests by service"), _("Service")),
        ("agent", "requests_by_agent", _("Requests by agent"), _("Agent")),
    ):
        if name == "agent" and not selection.single_site:
            continue  # per agent: for a site's managers, on its own page
        table = Table(
            slug,
            title,
            [Column(first_label, TEXT), *_request_columns()],
        )
        for entry in by(name):
            label = entry.label or _("Not assigned")
            table.add(Cell(label, TEXT), *_request_cells(entry))
        tables.append(table)
    return Section("one_stop_shop", _("One-stop shop"), tables, computed_at=computed_at)


# --- Coworking and rooms -------------------------------------------------------------------


def _coworking(user, selection: Selection, today: dt.date) -> Section:
    period = selection.period
    figures, computed_at = _figures(user, selection, today, snapshots.SnapshotGroup.COWORKING)
    if figures is None:  # a year: computed now
        figures = coworking_selectors.coworking_by_site(
            user,
            sites=selection.site_ids,
            first=period.first_day,
            last=period.last_day,
            today=today,
        )
    table = Table(
        "coworking",
        _("Coworking and rooms"),
        [
            Column(_("Site"), TEXT),
            Column(_("Active desks")),
            Column(_("Desk utilisation"), PERCENT),
            Column(_("Room hours booked"), HOURS),
            Column(_("Room hours open"), HOURS),
            Column(_("Room utilisation"), PERCENT),
            Column(_("No-show rate"), PERCENT),
            Column(_("Nomads")),
            Column(_("Passes sold")),
            Column(_("Pass revenue"), MAD),
        ],
        caption=_("Desk-days used over desk-days open; room hours booked over opening hours."),
    )

    def cells(entry):
        return (
            Cell(entry.desks),
            Cell(entry.desk_utilisation, PERCENT),
            Cell(entry.room_hours_booked, HOURS),
            Cell(entry.room_hours_open, HOURS),
            Cell(entry.room_utilisation, PERCENT),
            Cell(entry.no_show_rate, PERCENT),
            Cell(entry.nomads),
            Cell(entry.passes),
            Cell(entry.pass_revenue, MAD),
        )

    for header, key, _sites in _rows(selection):
        table.add(header, *cells(figures[key]))
    if not selection.single_site:
        table.total(_total_header(selection), *cells(figures[None]))
    return Section("coworking", _("Coworking and rooms"), [table], computed_at=computed_at)


# --- Pipeline ------------------------------------------------------------------------------


def _pipeline(user, selection: Selection, today: dt.date) -> Section:
    table = Table(
        "pipeline",
        _("Pipeline"),
        [
            Column(_("Site"), TEXT),
            Column(_("Status"), TEXT),
            Column(_("Usable surface"), M2),
            Column(_("Capacity (companies)")),
            Column(_("Planned opening"), TEXT),
            Column(_("Late"), TEXT),
        ],
    )
    for site in site_selectors.pipeline_for(user, today=today):
        table.add(
            Cell(site.name, TEXT),
            Cell(site.get_status_display(), TEXT),
            Cell(site.usable_area_m2, M2),
            Cell(site.capacity_companies),
            Cell(site.planned_opening.strftime("%Y-%m") if site.planned_opening else None, TEXT),
            Cell(_("late") if site.late else "", TEXT),
        )
    return Section("pipeline", _("Pipeline"), [table])


# --- Events and billing ------------------------------------------------------------------


def _events(user, selection: Selection, today: dt.date) -> Section:
    """Events held, attendees and no-show rate in the period (``events.selectors``)."""
    keys = {f"{quarter.year}-Q{quarter.number}" for quarter in selection.period.quarters}
    wanted = set(selection.site_ids)
    now = local_datetime(min(today, selection.period.last_day) + dt.timedelta(days=1), dt.time())
    totals: dict[int | None, dict] = {key: {"events": 0, "confirmed": 0, "attendees": 0}
                                      for key in [*wanted, None]}  # fmt: skip
    for row in events_selectors.attendance_by_site_and_quarter(user=user, now=now):
        if row["quarter"] not in keys or row["site_id"] not in wanted:
            continue
        for key in (row["site_id"], None):
            for name in ("events", "confirmed", "attendees"):
                totals[key][name] += row[name]
    table = Table(
        "events",
        _("Events"),
        [
            Column(_("Site"), TEXT),
            Column(_("Events held")),
            Column(_("Confirmed registrations")),
            Column(_("Attendees")),
            Column(_("No-show rate"), PERCENT),
        ],
        caption=_("Events whose last date ended in the period; attendees were checked in."),
    )

    def cells(entry):
        confirmed = entry["confirmed"]
        no_show = (confirmed - entry["attendees"]) / confirmed if confirmed else None
        return (
            Cell(entry["events"]),
            Cell(confirmed),
            Cell(entry["attendees"]),
            Cell(no_show, PERCENT),
        )

    for header, key, _sites in _rows(selection):
        table.add(header, *cells(totals[key]))
    if not selection.single_site:
        table.total(_total_header(selection), *cells(totals[None]))
    return Section("events", _("Events"), [table])


def _billing(user, selection: Selection, today: dt.date) -> Section:
    """Invoiced, collected and overdue in the period (``billing.selectors``), in MAD TTC."""
    period = selection.period
    names = {site.name: site.pk for site in selection.sites}
    zero = {"invoiced": Decimal(0), "collected": Decimal(0), "overdue": Decimal(0)}
    totals: dict[int | None, dict] = {key: dict(zero) for key in [*names.values(), None]}
    for entry in billing_selectors.figures_by_site_and_month(
        user=user, first=period.first_day, last=period.last_day, today=today
    ):
        if entry.site not in names:
            continue
        for key in (names[entry.site], None):
            for name in zero:
                totals[key][name] += getattr(entry, name)
    table = Table(
        "billing",
        _("Billing"),
        [
            Column(_("Site"), TEXT),
            Column(_("Invoiced (TTC)"), MAD),
            Column(_("Collected"), MAD),
            Column(_("Overdue today"), MAD),
        ],
        caption=_(
            "Invoices issued in the period net of their credit notes, payments received in the "
            "period, and what those invoices still owe past their due date."
        ),
    )

    def cells(entry):
        return (
            Cell(entry["invoiced"], MAD),
            Cell(entry["collected"], MAD),
            Cell(entry["overdue"], MAD),
        )

    for header, key, _sites in _rows(selection):
        table.add(header, *cells(totals[key]))
    if not selection.single_site:
        table.total(_total_header(selection), *cells(totals[None]))
    return Section("billing", _("Billing"), [table])


# --- Since the beginning and alumni (network/long_view.py builds on this module) ---------


def _since_beginning(user, selection: Selection, today: dt.date) -> Section:
    from network import long_view  # it imports this module

    return long_view.since_beginning(user, selection, today)


def _alumni(user, selection: Selection, today: dt.date) -> Section:
    from network import long_view

    return long_view.alumni(user, selection, today)


SectionBuilder = Callable[..., Section]

#: The sections of the network dashboard, in order; the site's page drops the pipeline.
SECTIONS: list[SectionBuilder] = [
    _tenancy,
    _impact,
    _since_beginning,
    _alumni,
    _one_stop_shop,
    _coworking,
    _events,
    _billing,
]


#: Sections kept in this process (``technopark.dataversion``), least recently used first out.
KEPT_SECTIONS = 400

_kept = dataversion.Kept(KEPT_SECTIONS)


def _site_fingerprint(site: Site) -> str:
    """The site row as this request read it (before the data's versions were)."""
    return repr([getattr(site, field.attname) for field in site._meta.concrete_fields])


def build(user, selection: Selection, *, today: dt.date) -> list[Section]:
    """Every section of the page for ``selection``, in a number of queries fixed by the code.

    Each section is computed once per version of the tables its queries read
    (``technopark.dataversion``) and kept in this process's memory: seen again
    by the same person, for the same selection, in the same language, on the
    same day, it costs nothing until one of those tables is written (a room
    booking recomputes the coworking section, not the others). Nothing is ever
    served stale: a section computed while a write was in flight is not kept.
    """
    state = dataversion.current()
    # What this request read before the versions (who the person is, their roles, the
    # sites) is part of the key: a change to it made before the versions were read would
    # otherwise be counted in them and missing from the section.
    page = (
        access.fingerprint(user),
        tuple(_site_fingerprint(site) for site in selection.sites),
        selection.single_site,
        selection.period.key,
        selection.sector,
        selection.program,
        translation.get_language(),
        today,
    )
    builders = [*SECTIONS, *([] if selection.single_site else [_pipeline])]
    sections = [_kept.valid((*page, builder.__name__), state) for builder in builders]
    if all(section is not None for section in sections):
        return sections
    period = selection.period
    trend = indicators.trailing_quarters(max(period.quarters), TREND_QUARTERS)
    with dataversion.reading() as snapshot_tables:
        selection = replace(
            selection,
            stored=snapshots.load(
                sites=selection.site_ids,
                single_site=selection.single_site,
                quarters=period.quarters,
                trend=trend,
                filtered=bool(selection.sector or selection.program),
                today=today,
            ),
        )
    also = {"network_quartersnapshot", *snapshot_tables}
    return [
        section
        if section is not None
        else _kept.compute(
            (*page, builder.__name__),
            state,
            lambda builder=builder: builder(user, selection, today),
            also=also,
        )
        for builder, section in zip(builders, sections, strict=True)
    ]


def forget() -> None:
    """Empty the kept sections (tests that count the work of computing a page)."""
    _kept.clear()


def find_table(sections: list[Section], slug: str) -> Table | None:
    for section in sections:
        for table in section.tables:
            if table.slug == slug:
                return table
    return None
