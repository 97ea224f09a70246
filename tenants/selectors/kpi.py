"""Reads of KPI reports: which quarters are due, who is late, network totals."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext

from technopark import access
from tenants.models import Company, KPIReport, Residency

#: Days after a quarter's end by which its report is expected.
DAYS_TO_REPORT = 30


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def of(cls, day: dt.date) -> "Quarter":
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, 3 * self.number - 2, 1)

    @property
    def last_day(self) -> dt.date:
        return self.next().first_day - dt.timedelta(days=1)

    @property
    def due(self) -> dt.date:
        return self.last_day + dt.timedelta(days=DAYS_TO_REPORT)

    def next(self) -> "Quarter":
        return (
            Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)
        )

    def previous(self) -> "Quarter":
        return (
            Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)
        )

    def __str__(self):
        return gettext("Q%(number)d %(year)d") % {"number": self.number, "year": self.year}


def last_due_quarter(today: dt.date) -> Quarter:
    """The latest quarter whose report is due by ``today``."""
    quarter = Quarter.of(today).previous()
    return quarter if quarter.due < today else quarter.previous()


def reportable_quarters(*, today: dt.date, count: int = 8) -> list[Quarter]:
    """The last ``count`` ended quarters, newest first: those a company may report."""
    quarters, quarter = [], Quarter.of(today).previous()
    while len(quarters) < count:
        quarters.append(quarter)
        quarter = quarter.previous()
    return quarters


def report_list_for(company: Company, user) -> QuerySet[KPIReport]:
    """A company's reports, newest first, as ``user`` may see them."""
    return access.scope(KPIReport.objects.filter(company=company), user).order_by(
        "-year", "-quarter"
    )


def hosted_during(quarter: Quarter) -> Q:
    """Companies that had a contract on at least one day of ``quarter``."""
    return Q(
        Exists(
            Residency.objects.filter(company=OuterRef("pk"), start__lte=quarter.last_day).filter(
                Q(end__isnull=True) | Q(end__gt=quarter.first_day)
            )
        )
    )


def companies_late(user, *, today: dt.date) -> QuerySet[Company]:
    """Companies in ``user``'s scope hosted during the last due quarter, without its report.

    Whoever rented an office during that quarter owes its figures, even if
    they have left since; a company that arrived after it owes nothing yet.
    """
    quarter = last_due_quarter(today)
    reported = KPIReport.objects.filter(
        company=OuterRef("pk"), year=quarter.year, quarter=quarter.number
    )
    return (
        access.scope(Company.objects.filter(hosted_during(quarter)), user)
        .filter(~Exists(reported))
        .select_related("home_site")
        .order_by("home_site__name", "legal_name")
    )


def report_missing(company: Company, user, *, today: dt.date) -> bool:
    """Whether ``company`` owes the report of the last due quarter."""
    return companies_late(user, today=today).filter(pk=company.pk).exists()


def network_totals(user, *, quarter: Quarter) -> dict:
    """Headcount, revenue and funds over the reports of ``quarter`` in ``user``'s scope."""
    return access.scope(
        KPIReport.objects.filter(year=quarter.year, quarter=quarter.number), user
    ).aggregate(
        companies=Count("id"),
        full_time=Coalesce(Sum("headcount_full_time"), 0),
        part_time=Coalesce(Sum("headcount_part_time"), 0),
        interns=Coalesce(Sum("interns"), 0),
        revenue=Coalesce(Sum("revenue"), Decimal(0)),
        funds_raised=Coalesce(Sum("funds_raised"), Decimal(0)),
    )
