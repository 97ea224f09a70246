"""Reads of the dashboard's long view: since the beginning (with the baseline) and alumni.

Each read is one or two SQL queries whatever the number of sites, companies
or alumni. A figure with nothing behind it is ``None`` (shown as missing).

Survival ``N`` years after exit, as of a day: among the alumni whose exit is
at least ``N`` years before that day (*due*), those whose state at ``N`` years
is known (*known*): a company that closed at its exit is known closed; else
its first answered check-in on or after the ``N``-th anniversary of its exit
says whether it is active; else an earlier answer saying it closed (closure
is final). The rate is active over known; the due alumni not known are
*unanswered*, reported beside it, never counted as survivors or as failures.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import (
    Count,
    DateField,
    Exists,
    F,
    Func,
    IntegerField,
    Min,
    OuterRef,
    Q,
    Subquery,
)
from django.db.models.functions import ExtractYear

from technopark import access
from tenants.models import (
    AlumniCheckIn,
    CompanyExit,
    ExitReason,
    HistoricalBaseline,
    KPIReport,
    Residency,
)
from tenants.selectors.indicators import company_filter

#: The survival horizons the dashboard shows, in years after exit.
SURVIVAL_YEARS = (2, 5)


def years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


class _PlusYears(Func):
    """``date + interval 'N years'`` in SQL (N from the code, never from a request)."""

    output_field = DateField()

    def __init__(self, expression, years: int):
        super().__init__(expression)
        self.template = f"(%(expressions)s + interval '{int(years)} years')::date"


# --- Since the beginning ----------------------------------------------------------------


@dataclass
class SinceBeginning:
    """One site's (or the selection's) long view: the platform's records and the baseline."""

    companies: int = 0  #: distinct companies with a contract at the site, up to the day
    first_contract: dt.date | None = None
    jobs: int | None = None  #: latest full- and part-time headcount reported, summed
    reporting: int = 0  #: companies behind ``jobs`` (that reported at least once)
    baseline_companies: int | None = None
    baseline_jobs: int | None = None
    baseline_first_year: int | None = None
    baseline_last_year: int | None = None

    @property
    def total_companies(self) -> int:
        return self.companies + (self.baseline_companies or 0)

    @property
    def total_jobs(self) -> int | None:
        if self.jobs is None and self.baseline_jobs is None:
            return None
        return (self.jobs or 0) + (self.baseline_jobs or 0)

    @property
    def overlaps(self) -> bool:
        """The baseline reaches into the years the platform already records (counted twice)."""
        return bool(
            self.first_contract
            and self.baseline_last_year
            and self.baseline_last_year >= self.first_contract.year
        )

    def add_baseline(self, row: HistoricalBaseline) -> None:
        self.baseline_companies = (self.baseline_companies or 0) + row.companies_supported
        if row.jobs_created is not None:
            self.baseline_jobs = (self.baseline_jobs or 0) + row.jobs_created
        first, last = self.baseline_first_year, self.baseline_last_year
        self.baseline_first_year = row.year if first is None else min(first, row.year)
        self.baseline_last_year = row.year if last is None else max(last, row.year)


def baseline_rows(user, *, sites: list[int], network: bool) -> list[HistoricalBaseline]:
    """The baseline rows of ``sites``, and the network-wide ones when ``network``."""
    where = Q(site__in=sites)
    if network:
        where |= Q(site__isnull=True)
    rows = access.scope(HistoricalBaseline.objects.filter(where), user)
    return list(rows.select_related("site").order_by(F("site__name").asc(nulls_first=True), "year"))


def since_beginning_platform(
    user, *, sites: list[int], until: dt.date, sector: str = "", program: str = ""
) -> dict[int | None, SinceBeginning]:
    """The platform's own records of the long view, keyed by site id and ``None`` for the
    selection (a company hosted at two sites counts once there). The jobs are each
    company's latest reported full- and part-time headcount up to ``until`` (interns
    aside). One query: the (site, company) pairs are added up in SQL."""
    latest = (
        KPIReport.objects.filter(company=OuterRef("company"), year__lte=until.year)
        .order_by("-year", "-quarter")
        .annotate(jobs=F("headcount_full_time") + F("headcount_part_time"))
        .values("jobs")[:1]
    )
    pairs = (
        access.scope(
            Residency.objects.filter(
                company_filter("company__", sector=sector, program=program),
                site__in=sites,
                start__lte=until,
            ),
            user,
        )
        .values("site", "company")
        .annotate(first=Min("start"), jobs=Subquery(latest, output_field=IntegerField()))
        .order_by()
    )
    figures: dict[int | None, SinceBeginning] = {key: SinceBeginning() for key in [*sites, None]}
    for key, companies, first, jobs, reporting in _added_up(pairs):
        entry = figures[key]
        entry.companies, entry.first_contract = companies, first
        entry.jobs, entry.reporting = jobs, reporting
    return figures


def since_beginning_by_site(
    user,
    *,
    sites: list[int],
    until: dt.date,
    network: bool,
    sector: str = "",
    program: str = "",
    platform: dict[int | None, SinceBeginning] | None = None,
) -> tuple[dict[int | None, SinceBeginning], list[HistoricalBaseline]]:
    """Companies supported and jobs since each site opened: the platform's, then the baseline's.

    Keyed by site id, and ``None`` for the selection (network-wide baseline rows
    count only there). ``platform`` is ``since_beginning_platform``'s result if
    already known (a snapshot), else it is read now. Two queries at most.
    """
    figures = platform
    if figures is None:
        figures = since_beginning_platform(
            user, sites=sites, until=until, sector=sector, program=program
        )
    rows = baseline_rows(user, sites=sites, network=network)
    for row in rows:
        if row.site_id is not None:
            figures[row.site_id].add_baseline(row)
        figures[None].add_baseline(row)
    return figures, rows


def _added_up(pairs) -> list[tuple]:
    """``(site or None, companies, first contract, jobs, reporting)`` of the ``pairs`` (one
    row per site and company): a row per site, then one for the selection, where a company
    hosted at two sites counts once (its jobs are the same at both)."""
    try:
        inner, params = pairs.query.sql_with_params()
    except EmptyResultSet:  # a scope with no rows at all (.none())
        return []
    sql = f"""
        WITH pairs AS ({inner})
        SELECT site, count(*), min(first), sum(jobs), count(jobs) FROM pairs GROUP BY site
        UNION ALL
        SELECT NULL, count(*), min(first), sum(jobs), count(jobs)
        FROM (SELECT company, min(first) AS first, max(jobs) AS jobs
              FROM pairs GROUP BY company) AS companies
    """  # noqa: S608 (the ORM's own SQL; values are parameters)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [
            (site, companies, first, int(jobs) if jobs is not None else None, reporting)
            for site, companies, first, jobs, reporting in cursor.fetchall()
            if companies
        ]


# --- Alumni ------------------------------------------------------------------------------


def _exits(user, *, sites: list[int], sector: str, program: str):
    return access.scope(
        CompanyExit.objects.filter(
            company_filter("company__", sector=sector, program=program), site__in=sites
        ),
        user,
    )


def exits_by_year(
    user, *, sites: list[int], until: dt.date, sector: str = "", program: str = ""
) -> dict[int, dict[str, int]]:
    """Exits per year (up to ``until``) and reason: {year: {reason: count}}. One query."""
    rows = (
        _exits(user, sites=sites, sector=sector, program=program)
        .filter(date__lte=until)
        .annotate(year=ExtractYear("date"))
        .values("year", "reason")
        .annotate(count=Count("pk"))
        .order_by("year")
    )
    years: dict[int, dict[str, int]] = {}
    for row in rows:
        years.setdefault(row["year"], dict.fromkeys(ExitReason.values, 0))[row["reason"]] = row[
            "count"
        ]
    return years


@dataclass
class Survival:
    years: int
    due: int = 0
    known: int = 0
    active: int = 0

    @property
    def unanswered(self) -> int:
        return self.due - self.known

    @property
    def rate(self) -> float | None:
        return self.active / self.known if self.known else None

    def __iadd__(self, other: Survival) -> Survival:
        self.due += other.due
        self.known += other.known
        self.active += other.active
        return self


def survival_by_site(
    user,
    *,
    sites: list[int],
    as_of: dt.date,
    sector: str = "",
    program: str = "",
    horizons: tuple[int, ...] = SURVIVAL_YEARS,
) -> dict[int | None, dict[int, Survival]]:
    """Survival ``N`` years after exit per site (and ``None``: the selection), as of ``as_of``.

    See the module's docstring for who counts. One query for every horizon.
    """
    answered = AlumniCheckIn.objects.filter(
        exit=OuterRef("pk"), answered_on__isnull=False, answered_on__lte=as_of
    )
    exits = _exits(user, sites=sites, sector=sector, program=program)
    aggregates = {}
    for years in horizons:
        at = Subquery(
            answered.filter(answered_on__gte=_PlusYears(OuterRef("date"), years))
            .order_by("answered_on")
            .values("still_active")[:1]
        )
        closed_before = Exists(
            answered.filter(answered_on__lt=_PlusYears(OuterRef("date"), years), still_active=False)
        )
        exits = exits.alias(**{f"at_{years}": at, f"closed_{years}": closed_before})
        due = Q(date__lte=years_before(as_of, years))
        closed_at_exit = Q(reason=ExitReason.CLOSED)
        known = due & (
            closed_at_exit | Q(**{f"at_{years}__isnull": False}) | Q(**{f"closed_{years}": True})
        )
        active = due & ~closed_at_exit & Q(**{f"at_{years}": True})
        aggregates |= {
            f"due_{years}": Count("pk", filter=due),
            f"known_{years}": Count("pk", filter=known),
            f"active_{years}": Count("pk", filter=active),
        }
    rows = exits.values("site").annotate(**aggregates).order_by()
    figures = {key: {n: Survival(n) for n in horizons} for key in [*sites, None]}
    for row in rows:
        for years in horizons:
            entry = Survival(
                years, row[f"due_{years}"], row[f"known_{years}"], row[f"active_{years}"]
            )
            figures[row["site"]][years] += entry
            figures[None][years] += entry
    return figures


def check_ins_summary(user, *, sites: list[int], year: int) -> dict[str, int]:
    """The check-ins sent in ``year`` and how many were answered. One query."""
    return access.scope(
        AlumniCheckIn.objects.filter(exit__site__in=sites, year=year), user
    ).aggregate(
        sent=Count("pk"),
        answered=Count("pk", filter=Q(answered_on__isnull=False)),
    )
