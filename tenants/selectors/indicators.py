"""Reads of the network dashboard: tenancy, impact (KPI reports) and the one-stop shop.

Each figure is a SQL aggregation grouped by site (or by service, agent, sector,
program), so the number of queries does not grow with the rows. A figure with
nothing behind it is ``None`` (shown as missing), never a 0 that totals would
silently count: a site without office surfaces has no occupancy rate, a
quarter nobody reported has no revenue.

Periods arrive as local first and last days (inclusive); instants are compared
with their UTC bounds from ``technopark.clock`` (the database converts no zone).
Companies are counted at their home site (``Company.home_site``) for the KPI
figures, at the site of their contract for tenancy.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    BooleanField,
    Count,
    DecimalField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from sites.models import Space, SpaceKind
from technopark import access
from technopark.clock import day_bounds, local_date_sql
from technopark.db import Epoch, Median
from tenants.models import (
    ApplicationStatus,
    Company,
    KPIReport,
    OfficeApplication,
    Residency,
    ResidencyOffice,
    ServiceRequest,
)
from tenants.models.requests import OPEN_REQUEST, RequestStatus
from tenants.selectors.kpi import Quarter

DAY_SECONDS = 86400.0

#: The committee's decisions counted by the dashboard (status as of today).
DECIDED = (ApplicationStatus.ACCEPTED, ApplicationStatus.WAITING_LIST, ApplicationStatus.REJECTED)


def company_filter(prefix: str = "", *, sector: str = "", program: str = "") -> Q:
    """Companies of ``sector`` and ``program`` (either empty: any), reached through ``prefix``."""
    condition = Q()
    if sector:
        condition &= Q(**{f"{prefix}sector": sector})
    if program:
        condition &= Q(**{f"{prefix}program": program})
    return condition


def period_bounds(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The UTC instants where local day ``first`` starts and the day after ``last`` starts."""
    return day_bounds(first)[0], day_bounds(last)[1]


def _rate(part, whole) -> float | None:
    return part / whole if whole else None


# --- Tenancy -------------------------------------------------------------------------------


@dataclass
class Tenancy:
    """How full a site is on a day, its waiting list, and its committee's work over a period."""

    companies: int = 0
    leased_m2: Decimal = Decimal(0)
    leasable_m2: Decimal = Decimal(0)
    offices: int = 0
    offices_leased: int = 0
    offices_without_area: int = 0
    waiting: int = 0
    median_wait_days: float | None = None
    received: int = 0
    accepted: int = 0
    waitlisted: int = 0
    rejected: int = 0
    median_days_to_decision: float | None = None

    @property
    def offices_free(self) -> int:
        return self.offices - self.offices_leased

    @property
    def area_rate(self) -> float | None:
        """Leased over leasable m² (None without a known surface)."""
        if not self.leasable_m2 or self.offices_without_area:
            return None
        return float(self.leased_m2 / self.leasable_m2)

    @property
    def surface_missing(self) -> bool:
        """Offices exist whose surface nobody entered: the rate would be wrong."""
        return self.offices_without_area > 0


def _leases_on(on: dt.date) -> QuerySet[ResidencyOffice]:
    return ResidencyOffice.objects.filter(period__contains=on)


def _history_before(moment: dt.datetime):
    """Each application's history records before ``moment``, the latest first."""
    return OfficeApplication.history.model.objects.filter(
        id=OuterRef("pk"), history_date__lt=moment
    ).order_by("-history_date", "-history_id")


def on_waiting_list_at(
    applications: QuerySet[OfficeApplication], moment: dt.datetime
) -> QuerySet[OfficeApplication]:
    """The ``applications`` on the waiting list at ``moment`` (not today's list: an
    application accepted since was waiting then; one put on the list since was not),
    with ``position_at`` their place in it then.

    Read from the history: the last record before ``moment``. Without one (rows
    loaded with past dates and no recorded change), the row as it is, if it was put
    on the list (``decided_at``) before ``moment``.
    """
    before = _history_before(moment)
    return (
        applications.filter(created_at__lt=moment)
        .alias(
            recorded=Exists(before),
            status_at=Coalesce(Subquery(before.values("status")[:1]), F("status")),
        )
        .filter(
            Q(recorded=True) | Q(decided_at__lt=moment),
            status_at=ApplicationStatus.WAITING_LIST,
        )
        .annotate(
            position_at=Coalesce(
                Subquery(before.values("waiting_position")[:1]), F("waiting_position")
            )
        )
    )


def tenancy_by_site(
    user,
    *,
    sites: list[int],
    first: dt.date,
    last: dt.date,
    today: dt.date,
    sector: str = "",
    program: str = "",
) -> dict[int | None, Tenancy]:
    """Each site's tenancy (key ``None``: all ``sites`` together), in eight queries.

    Occupancy and the waiting list are read at the end of the period's last day
    (today for the running period, see ``on_waiting_list_at``); applications count
    those received in the period and those decided in it, by their status today. The sector and
    program filters apply to companies, not to surfaces.
    """
    on = min(last, today)
    start, end = period_bounds(first, last)
    result: dict[int | None, Tenancy] = {pk: Tenancy() for pk in sites}
    total = Tenancy()
    result[None] = total

    offices = (
        access.scope(Space.objects.filter(site__in=sites, kind=SpaceKind.OFFICE), user)
        .annotate(leased=Exists(_leases_on(on).filter(office=OuterRef("pk"))))
        .values("site")
        .annotate(
            n=Count("pk"),
            n_leased=Count("pk", filter=Q(leased=True)),
            area=Sum("area_m2"),
            no_area=Count("pk", filter=Q(area_m2__isnull=True)),
        )
        .order_by()
    )
    for row in offices:
        for figures in (result[row["site"]], total):
            figures.offices += row["n"]
            figures.offices_leased += row["n_leased"]
            figures.leasable_m2 += row["area"] or Decimal(0)
            figures.offices_without_area += row["no_area"]

    leases = access.scope(
        _leases_on(on).filter(
            company_filter("residency__company__", sector=sector, program=program),
            residency__site__in=sites,
        ),
        user,
    )
    for row in (
        leases.values("residency__site")
        .annotate(area=Sum("area_m2"), companies=Count("residency__company", distinct=True))
        .order_by()
    ):
        figures = result[row["residency__site"]]
        figures.leased_m2, figures.companies = row["area"] or Decimal(0), row["companies"]
        total.leased_m2 += figures.leased_m2
    # A company renting at two sites is one company of the network.
    total.companies = leases.aggregate(n=Count("residency__company", distinct=True))["n"]

    applications = access.scope(
        OfficeApplication.objects.filter(
            company_filter("company__", sector=sector, program=program), site__in=sites
        ),
        user,
    )
    listed_at = day_bounds(on)[1]
    waiting = on_waiting_list_at(applications, listed_at)
    wait_days = Epoch(
        ExpressionWrapper(Value(listed_at) - F("created_at"), output_field=DurationField())
    )
    wait = {"n": Count("pk"), "median": Median(wait_days / DAY_SECONDS)}
    for row in waiting.values("site").annotate(**wait).order_by():
        result[row["site"]].waiting, result[row["site"]].median_wait_days = row["n"], row["median"]
    row = waiting.aggregate(**wait)
    total.waiting, total.median_wait_days = row["n"], row["median"]

    decided_in = Q(decided_at__gte=start, decided_at__lt=end)
    decision_days = Epoch(F("decided_at") - F("created_at")) / DAY_SECONDS
    work = {
        "received": Count("pk", filter=Q(created_at__gte=start, created_at__lt=end)),
        "accepted": Count("pk", filter=decided_in & Q(status=ApplicationStatus.ACCEPTED)),
        "waitlisted": Count("pk", filter=decided_in & Q(status=ApplicationStatus.WAITING_LIST)),
        "rejected": Count("pk", filter=decided_in & Q(status=ApplicationStatus.REJECTED)),
        "median": Median(decision_days, filter=decided_in & Q(status__in=DECIDED)),
    }

    def fill(figures: Tenancy, row: dict) -> None:
        figures.received, figures.accepted = row["received"], row["accepted"]
        figures.waitlisted, figures.rejected = row["waitlisted"], row["rejected"]
        figures.median_days_to_decision = row["median"]

    for row in applications.values("site").annotate(**work).order_by():
        fill(result[row["site"]], row)
    fill(total, applications.aggregate(**work))
    return result


@dataclass
class Breakdown:
    """Tenancy of one sector or program: companies hosted, applications received and accepted."""

    value: str
    companies: int = 0
    received: int = 0
    accepted: int = 0


def tenancy_breakdown(
    user,
    *,
    by: str,
    sites: list[int],
    first: dt.date,
    last: dt.date,
    today: dt.date,
    sector: str = "",
    program: str = "",
) -> dict[str, Breakdown]:
    """Tenancy by company ``sector`` or ``program`` (``by``), in two queries."""
    if by not in ("sector", "program"):
        raise ValueError(by)
    on = min(last, today)
    start, end = period_bounds(first, last)
    rows: dict[str, Breakdown] = {}
    hosted = (
        access.scope(
            _leases_on(on).filter(
                company_filter("residency__company__", sector=sector, program=program),
                residency__site__in=sites,
            ),
            user,
        )
        .values(value=F(f"residency__company__{by}"))
        .annotate(n=Count("residency__company", distinct=True))
        .order_by()
    )
    for row in hosted:
        rows.setdefault(row["value"], Breakdown(row["value"])).companies = row["n"]
    applications = (
        access.scope(
            OfficeApplication.objects.filter(
                company_filter("company__", sector=sector, program=program), site__in=sites
            ),
            user,
        )
        .values(value=F(f"company__{by}"))
        .annotate(
            received=Count("pk", filter=Q(created_at__gte=start, created_at__lt=end)),
            accepted=Count(
                "pk",
                filter=Q(
                    decided_at__gte=start,
                    decided_at__lt=end,
                    status=ApplicationStatus.ACCEPTED,
                ),
            ),
        )
        .order_by()
    )
    for row in applications:
        entry = rows.setdefault(row["value"], Breakdown(row["value"]))
        entry.received, entry.accepted = row["received"], row["accepted"]
    return {key: entry for key, entry in rows.items() if entry.companies or entry.received}


def companies_hosted(
    user, *, sites: list[int], on: dt.date, sector: str = "", program: str = ""
) -> QuerySet[Company]:
    """The companies with a lease on ``on`` at one of ``sites``: the rows behind the figure."""
    leases = ResidencyOffice.objects.filter(
        period__contains=on, residency__site__in=sites, residency__company=OuterRef("pk")
    )
    return (
        access.scope(Company.objects.filter(company_filter(sector=sector, program=program)), user)
        .filter(Exists(leases))
        .select_related("home_site")
        .order_by("legal_name")
    )


def applications_received(
    user,
    *,
    sites: list[int],
    first: dt.date,
    last: dt.date,
    sector: str = "",
    program: str = "",
) -> QuerySet[OfficeApplication]:
    """The applications received at ``sites`` during the period, oldest first."""
    start, end = period_bounds(first, last)
    return (
        access.scope(
            OfficeApplication.objects.filter(
                company_filter("company__", sector=sector, program=program),
                site__in=sites,
                created_at__gte=start,
                created_at__lt=end,
            ),
            user,
        )
        .select_related("site", "company")
        .order_by("created_at")
    )


def waiting_list_of(
    user, *, sites: list[int], on: dt.date, sector: str = "", program: str = ""
) -> QuerySet[OfficeApplication]:
    """The waiting lists of ``sites`` at the end of day ``on``, each in its order then."""
    applications = access.scope(
        OfficeApplication.objects.filter(
            company_filter("company__", sector=sector, program=program), site__in=sites
        ),
        user,
    )
    return (
        on_waiting_list_at(applications, day_bounds(on)[1])
        .select_related("site", "company")
        .order_by("site__name", "position_at", "pk")
    )


# --- Impact: KPI reports -------------------------------------------------------------------


@dataclass
class KPIFigures:
    """One site's reports for one quarter, and how many companies owed one."""

    expected: int = 0
    reported: int = 0
    full_time: int = 0
    part_time: int = 0
    interns: int = 0
    revenue: Decimal = Decimal(0)
    funds_raised: Decimal = Decimal(0)
    export_revenue: Decimal = Decimal(0)

    def add(self, other: KPIFigures) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


def _hosted_in(quarter: Quarter, company: str) -> Q:
    """The company reached through ``company`` (an OuterRef path) had a contract in ``quarter``."""
    return Q(
        Exists(
            Residency.objects.filter(company=OuterRef(company), start__lte=quarter.last_day).filter(
                Q(end__isnull=True) | Q(end__gt=quarter.first_day)
            )
        )
    )


#: The report's company had a contract on one day of the report's quarter: the
#: SQL twin of ``_hosted_in``, read from the row itself (one subquery per report).
OWED_REPORT = RawSQL(
    """EXISTS (SELECT 1 FROM tenants_residency r
        WHERE r.company_id = tenants_kpireport.company_id
        AND r.start < make_date(tenants_kpireport.year, 3 * tenants_kpireport.quarter - 2, 1)
                      + interval '3 months'
        AND (r."end" IS NULL OR r."end" > make_date(
            tenants_kpireport.year, 3 * tenants_kpireport.quarter - 2, 1)))""",
    (),
    output_field=BooleanField(),
)


def kpi_by_site_quarter(
    user, *, sites: list[int], quarters: list[Quarter], sector: str = "", program: str = ""
) -> dict[tuple[int, Quarter], KPIFigures]:
    """Reports of each site and quarter, next to the companies that owed one: two queries.

    A company owes a quarter's report when it had a contract on one day of
    that quarter (``kpi.hosted_during``); only those reports count, so the
    reporting rate never passes 100%.
    """
    result = {(site, quarter): KPIFigures() for site in sites for quarter in quarters}
    if not quarters:
        return result
    companies = access.scope(
        Company.objects.filter(company_filter(sector=sector, program=program), home_site__in=sites),
        user,
    )
    owed = (
        companies.values("home_site")
        .annotate(
            **{
                f"q{index}": Count("pk", filter=_hosted_in(quarter, "pk"))
                for index, quarter in enumerate(quarters)
            }
        )
        .order_by()
    )
    for row in owed:
        for index, quarter in enumerate(quarters):
            result[row["home_site"], quarter].expected = row[f"q{index}"]
    asked = Q(pk__in=[])
    for quarter in quarters:
        asked |= Q(year=quarter.year, quarter=quarter.number)
    money = DecimalField(max_digits=16, decimal_places=2)
    reports = (
        access.scope(
            KPIReport.objects.filter(
                company_filter("company__", sector=sector, program=program),
                company__home_site__in=sites,
            ),
            user,
        )
        .filter(asked)
        .alias(owed=OWED_REPORT)
        .filter(owed=True)
        .values("company__home_site", "year", "quarter")
        .annotate(
            n=Count("pk"),
            full_time=Sum("headcount_full_time"),
            part_time=Sum("headcount_part_time"),
            n_interns=Sum("interns"),
            total_revenue=Sum("revenue"),
            funds=Sum("funds_raised"),
            exported=Sum(
                ExpressionWrapper(F("revenue") * F("export_share") / 100, output_field=money)
            ),
        )
        .order_by()
    )
    for row in reports:
        figures = result[row["company__home_site"], Quarter(row["year"], row["quarter"])]
        figures.reported = row["n"]
        figures.full_time, figures.part_time = row["full_time"], row["part_time"]
        figures.interns = row["n_interns"]
        figures.revenue, figures.funds_raised = row["total_revenue"], row["funds"]
        figures.export_revenue = row["exported"] or Decimal(0)
    return result


@dataclass
class Impact:
    """The impact figures of a period, each next to its reporting rate.

    Headcounts are a stock: read from the period's last quarter. Revenue and
    funds are flows: summed over the period's quarters (and the trailing 12
    months), their rate counted in company-quarters reported over owed.
    """

    last: KPIFigures = field(default_factory=KPIFigures)
    period: KPIFigures = field(default_factory=KPIFigures)
    trailing: KPIFigures = field(default_factory=KPIFigures)

    @property
    def jobs_rate(self) -> float | None:
        return _rate(self.last.reported, self.last.expected)

    @property
    def period_rate(self) -> float | None:
        return _rate(self.period.reported, self.period.expected)

    @property
    def trailing_rate(self) -> float | None:
        return _rate(self.trailing.reported, self.trailing.expected)

    def _or_missing(self, figures: KPIFigures, value):
        return value if figures.reported else None

    @property
    def full_time(self) -> int | None:
        return self._or_missing(self.last, self.last.full_time)

    @property
    def part_time(self) -> int | None:
        return self._or_missing(self.last, self.last.part_time)

    @property
    def interns(self) -> int | None:
        return self._or_missing(self.last, self.last.interns)

    @property
    def revenue(self) -> Decimal | None:
        return self._or_missing(self.period, self.period.revenue)

    @property
    def revenue_12m(self) -> Decimal | None:
        return self._or_missing(self.trailing, self.trailing.revenue)

    @property
    def funds_raised(self) -> Decimal | None:
        return self._or_missing(self.period, self.period.funds_raised)

    @property
    def export_share(self) -> float | None:
        """The share of the period's reported revenue made abroad, 0..1."""
        if not self.period.revenue:
            return None
        return float(self.period.export_revenue / self.period.revenue)


def impact_by_site(
    figures: dict[tuple[int, Quarter], KPIFigures],
    *,
    sites: list[int],
    period: list[Quarter],
) -> dict[int | None, Impact]:
    """Each site's ``Impact`` over the ``period`` quarters (key ``None``: all sites), from
    ``kpi_by_site_quarter`` read over the trailing 12 months of the period's last quarter."""
    last = max(period)
    trailing = [last]
    while len(trailing) < 4:
        trailing.append(trailing[-1].previous())
    result: dict[int | None, Impact] = {pk: Impact() for pk in sites}
    result[None] = Impact()
    for site in sites:
        for impact in (result[site], result[None]):
            impact.last.add(figures[site, last])
            for quarter in period:
                impact.period.add(figures[site, quarter])
            for quarter in trailing:
                impact.trailing.add(figures[site, quarter])
    return result


def trailing_quarters(last: Quarter, count: int) -> list[Quarter]:
    """``count`` quarters ending with ``last``, oldest first."""
    quarters = [last]
    while len(quarters) < count:
        quarters.append(quarters[-1].previous())
    return sorted(quarters)


def reports_of(
    user, *, sites: list[int], quarter: Quarter, sector: str = "", program: str = ""
) -> QuerySet[KPIReport]:
    """The reports of ``quarter`` from companies of ``sites``: the rows behind the impact."""
    return (
        access.scope(
            KPIReport.objects.filter(
                company_filter("company__", sector=sector, program=program),
                company__home_site__in=sites,
                year=quarter.year,
                quarter=quarter.number,
            ),
            user,
        )
        .select_related("company__home_site")
        .order_by("company__legal_name")
    )


# --- The one-stop shop ----------------------------------------------------------------------


#: ``working_days``: from a request's filing day to its closing day: weekdays that are
#: no closure of the network or of the service's site. Days are Morocco's
#: (``technopark.clock.local_date_sql``): a request filed or closed between midnight and
#: 1:00 local while Morocco is on UTC+1 is counted on its local day.
def working_days() -> RawSQL:
    """The working days of each request (reads the outer row and its service, joined by
    the ``service__site__in`` filter)."""
    filed, filed_params = local_date_sql("tenants_servicerequest.created_at")
    closed, closed_params = local_date_sql("tenants_servicerequest.closed_at")
    sql = (
        "(SELECT count(*) FROM generate_series("  # noqa: S608 (SQL of this module and the clock)
        + f"{filed} + 1, {closed}, interval '1 day') AS d"
        + """ WHERE extract(isodow FROM d) < 6
            AND NOT EXISTS (SELECT 1 FROM sites_closure c WHERE c.date = d::date
                            AND (c.site_id IS NULL OR c.site_id = tenants_service.site_id)))"""
    )
    return RawSQL(sql, (*filed_params, *closed_params), output_field=FloatField())  # noqa: S611


@dataclass
class RequestFigures:
    """The one-stop shop's work over a period, for a service, an agent or a site."""

    key: object = None
    label: str = ""
    received: int = 0
    resolved: int = 0
    within_target: int = 0
    median_working_days: float | None = None
    backlog: int = 0
    overdue: int = 0

    @property
    def share_within_target(self) -> float | None:
        return _rate(self.within_target, self.resolved)


def _request_measures(first: dt.date, last: dt.date, today: dt.date) -> dict:
    start, end = period_bounds(first, last)
    # The backlog as it stood at the period's end (now, for the running period).
    end_at = min(end, day_bounds(today)[1])
    end_day = min(last + dt.timedelta(days=1), today)
    resolved = Q(status=RequestStatus.RESOLVED, closed_at__gte=start, closed_at__lt=end)
    open_at_end = Q(created_at__lt=end_at) & (Q(closed_at__isnull=True) | Q(closed_at__gte=end_at))
    open_at_end &= ~Q(status__in=OPEN_REQUEST, closed_at__isnull=False)
    return {
        "received": Count("pk", filter=Q(created_at__gte=start, created_at__lt=end)),
        "resolved": Count("pk", filter=resolved),
        "within_target": Count(
            "pk", filter=resolved & Q(working_days__lte=F("service__target_days"))
        ),
        "median": Median("working_days", filter=resolved),
        "backlog": Count("pk", filter=open_at_end),
        "overdue": Count("pk", filter=open_at_end & Q(deadline__lt=end_day)),
    }


def _requests(user, sites, sector, program, first, last, today) -> QuerySet[ServiceRequest]:
    """The requests a period's figures read: filed before its end and not closed before its
    start (received, resolved or open in it); the working days are counted for those only."""
    start, end = period_bounds(first, last)
    end_at = min(end, day_bounds(today)[1])
    return access.scope(
        ServiceRequest.objects.filter(
            company_filter("company__", sector=sector, program=program),
            service__site__in=sites,
            created_at__lt=max(end, end_at),
        ).filter(Q(closed_at__isnull=True) | Q(closed_at__gte=start)),
        user,
    ).annotate(working_days=working_days())


def _figures(row: dict, key, label) -> RequestFigures:
    return RequestFigures(
        key=key,
        label=label,
        received=row["received"],
        resolved=row["resolved"],
        within_target=row["within_target"],
        median_working_days=row["median"],
        backlog=row["backlog"],
        overdue=row["overdue"],
    )


def requests_by(
    user,
    *,
    by: str,
    sites: list[int],
    first: dt.date,
    last: dt.date,
    today: dt.date,
    sector: str = "",
    program: str = "",
) -> list[RequestFigures]:
    """The one-stop shop's figures by ``service``, ``agent`` or ``site`` (``by``), one query.

    Resolved within target: in at most the service's target of working days.
    Backlog and overdue are counted at the period's end (now for the running one).
    """
    group = {
        # Each site has its own catalogue under the same names: a service is its name.
        "service": ("service__name", "service__name"),
        "agent": ("assigned_to", "assigned_to__full_name"),
        "site": ("service__site", "service__site__name"),
    }[by]
    measures = _request_measures(first, last, today)
    rows = (
        _requests(user, sites, sector, program, first, last, today)
        .values(*dict.fromkeys([*group, "assigned_to__email" if by == "agent" else group[1]]))
        .annotate(**measures)
        .order_by(group[1])
    )
    return [
        _figures(row, row[group[0]], row[group[1]] or row.get("assigned_to__email") or "")
        for row in rows
        if row["received"] or row["resolved"] or row["backlog"]
    ]


def requests_total(
    user,
    *,
    sites: list[int],
    first: dt.date,
    last: dt.date,
    today: dt.date,
    sector: str = "",
    program: str = "",
) -> RequestFigures:
    """The one-stop shop's figures over all ``sites`` (its median is the network's own)."""
    row = _requests(user, sites, sector, program, first, last, today).aggregate(
        **_request_measures(first, last, today)
    )
    return _figures(row, None, "")


def requests_open_at_end(
    user,
    *,
    sites: list[int],
    last: dt.date,
    today: dt.date,
    overdue_only: bool = False,
    sector: str = "",
    program: str = "",
) -> QuerySet[ServiceRequest]:
    """The requests of the backlog at the period's end (or its overdue part): the rows behind."""
    end_at = min(day_bounds(last)[1], day_bounds(today)[1])
    requests = access.scope(
        ServiceRequest.objects.filter(
            company_filter("company__", sector=sector, program=program),
            service__site__in=sites,
            created_at__lt=end_at,
        ).filter(Q(closed_at__isnull=True) | Q(closed_at__gte=end_at)),
        user,
    ).exclude(status__in=OPEN_REQUEST, closed_at__isnull=False)
    if overdue_only:
        requests = requests.filter(deadline__lt=min(last + dt.timedelta(days=1), today))
    return requests.select_related("service__site", "company", "assigned_to").order_by(
        "deadline", "pk"
    )


def companies_without_report(
    user, *, sites: list[int], quarter: Quarter, sector: str = "", program: str = ""
) -> QuerySet[Company]:
    """Companies of ``sites`` that owed ``quarter``'s report and sent none: the missing share."""
    reported = KPIReport.objects.filter(
        company=OuterRef("pk"), year=quarter.year, quarter=quarter.number
    )
    return (
        access.scope(
            Company.objects.filter(
                company_filter(sector=sector, program=program), home_site__in=sites
            ),
            user,
        )
        .filter(_hosted_in(quarter, "pk"))
        .exclude(Exists(reported))
        .select_related("home_site")
        .order_by("legal_name")
    )
