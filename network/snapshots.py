"""The dashboard's figures for a quarter: computed live, or read from a stored snapshot.

``compute`` is the only place the figures of a group are computed; the
nightly job stores what it returns for closed quarters (``quarter_snapshots_refresh``) and the
dashboard reads those rows back (``load``, one query for the whole page), so a
snapshot holds exactly what the live computation gives. The running quarter,
years, sector and program filters and any quarter without a row are computed
live. Each snapshot says when it was computed; the page shows it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from functools import reduce
from operator import or_
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from coworking import selectors as coworking_selectors
from coworking.selectors import CoworkingFigures
from network.models import QuarterSnapshot, SnapshotGroup
from sites.models import Site, SiteStatus
from technopark.models import User
from tenants.selectors import alumni, indicators
from tenants.selectors.kpi import Quarter

#: Closed quarters the nightly job keeps: the trend of any quarter of the last two years.
KEPT_QUARTERS = 16

_CLASSES = {
    cls.__name__: cls
    for cls in (
        indicators.Tenancy,
        indicators.Breakdown,
        indicators.KPIFigures,
        indicators.RequestFigures,
        CoworkingFigures,
        alumni.SinceBeginning,
        alumni.Survival,
    )
}


# --- Figures as JSON, types kept (Decimal stays Decimal, keys keep their type) -------------


def encode(value):
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            "$type": type(value).__name__,
            **{f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)},
        }
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return {"$date": value.isoformat()}
    if isinstance(value, dict):
        return {"$map": [[encode(key), encode(item)] for key, item in value.items()]}
    if isinstance(value, list | tuple):
        return [encode(item) for item in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    raise TypeError(f"cannot store {type(value).__name__}")


def decode(value):
    if isinstance(value, list):
        return [decode(item) for item in value]
    if isinstance(value, dict):
        if "$decimal" in value:
            return Decimal(value["$decimal"])
        if "$date" in value:
            return dt.date.fromisoformat(value["$date"])
        if "$map" in value:
            return {decode(key): decode(item) for key, item in value["$map"]}
        cls = _CLASSES[value["$type"]]
        return cls(**{key: decode(item) for key, item in value.items() if key != "$type"})
    return value


# --- Computing a group ------------------------------------------------------------------


def compute(user, group: str, *, sites: list[int], quarter: Quarter, today: dt.date):
    """The figures of ``group`` for ``quarter`` at ``sites`` (no sector or program filter)."""
    common: dict[str, Any] = {"sites": sites, "first": quarter.first_day, "last": quarter.last_day}
    if group == SnapshotGroup.TENANCY:
        return {
            "sites": indicators.tenancy_by_site(user, today=today, **common),
            **{
                by: indicators.tenancy_breakdown(user, by=by, today=today, **common)
                for by in ("sector", "program")
            },
        }
    if group == SnapshotGroup.IMPACT:
        figures = indicators.kpi_by_site_quarter(user, sites=sites, quarters=[quarter])
        return {site: figures[site, quarter] for site in sites}
    if group == SnapshotGroup.REQUESTS:
        return {
            **{
                by: indicators.requests_by(user, by=by, today=today, **common)
                for by in ("site", "service", "agent")
            },
            "total": indicators.requests_total(user, today=today, **common),
        }
    if group == SnapshotGroup.COWORKING:
        return coworking_selectors.coworking_by_site(user, today=today, **common)
    if group == SnapshotGroup.LONG_VIEW:
        as_of = min(today, quarter.last_day)
        return {
            "platform": alumni.since_beginning_platform(user, sites=sites, until=as_of),
            "exits": alumni.exits_by_year(user, sites=sites, until=as_of),
            "survival": alumni.survival_by_site(user, sites=sites, as_of=as_of),
        }
    raise ValueError(group)


# --- What the page reads ----------------------------------------------------------------


@dataclasses.dataclass
class Stored:
    """The snapshots found for a page: ``(group, quarter) -> (figures, computed_at)``."""

    rows: dict[tuple[str, Quarter], tuple[object, dt.datetime]] = dataclasses.field(
        default_factory=dict
    )

    def get(self, group: str, quarter: Quarter):
        return self.rows.get((group, quarter))


def _scope(sites: list[int], single_site: bool) -> Q:
    return Q(site=sites[0]) if single_site else Q(site__isnull=True)


def load(
    *,
    sites: list[int],
    single_site: bool,
    quarters: list[Quarter],
    filtered: bool,
    today,
    trend: Sequence[Quarter] = (),
) -> Stored:
    """The snapshots of the closed ``quarters`` for the page of ``sites`` (one query), and
    the impact group's of the closed ``trend`` quarters too (the only group with a trend).

    None for a filtered page (sector, program): snapshots are for all companies.
    A network snapshot is read only if it covers exactly the page's sites.
    """
    stored = Stored()
    wanted = [
        Q(year=quarter.year, quarter=quarter.number) & (Q(group=group) if group else Q())
        for group, closed in ((None, quarters), (SnapshotGroup.IMPACT, trend))
        for quarter in closed
        if quarter.last_day < today
    ]
    if filtered or not sites or not wanted:
        return stored
    for row in QuarterSnapshot.objects.filter(_scope(sites, single_site), reduce(or_, wanted)):
        if sorted(row.site_ids) == sorted(sites):
            stored.rows[row.group, Quarter(row.year, row.quarter)] = (
                decode(row.figures),
                row.computed_at,
            )
    return stored


# --- The nightly refresh ------------------------------------------------------------------


def _reader() -> User:
    """Who the job reads as: a superuser kept in memory (the job acts for nobody)."""
    return User(email="snapshots@technopark.invalid", is_superuser=True, is_active=True)


def closed_quarters(today: dt.date, count: int = KEPT_QUARTERS) -> list[Quarter]:
    """The ``count`` last quarters that ended before ``today``, oldest first."""
    return indicators.trailing_quarters(Quarter.of(today).previous(), count)


def quarter_snapshots_refresh(*, today: dt.date, quarters: list[Quarter] | None = None) -> int:
    """Store every group's figures for the closed ``quarters`` (default: the kept ones), for
    the network's page (its operating sites) and each operating site's page; idempotent.
    Returns the number of rows written."""
    reader = _reader()
    quarters = quarters or closed_quarters(today)
    site_ids = sorted(Site.objects.filter(status=SiteStatus.OPERATING).values_list("pk", flat=True))
    scopes: list[tuple[int | None, list[int]]] = [(None, site_ids)]
    scopes += [(pk, [pk]) for pk in site_ids]
    written = 0
    for quarter in quarters:
        if quarter.last_day >= today:
            continue
        for site, sites in scopes:
            with transaction.atomic():
                for group in SnapshotGroup.values:
                    figures = compute(reader, group, sites=sites, quarter=quarter, today=today)
                    QuarterSnapshot.objects.update_or_create(
                        site_id=site,
                        year=quarter.year,
                        quarter=quarter.number,
                        group=group,
                        defaults={
                            "site_ids": sites,
                            "figures": encode(figures),
                            "computed_at": timezone.now(),
                        },
                    )
                    written += 1
    return written
