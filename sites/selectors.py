"""Reads of sites and spaces, each already shaped for its page."""

import datetime as dt
from collections.abc import Iterable

from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from sites.models import Closure, Site, SitePhoto, SiteStatus, Space
from technopark import access

#: The order in which the public page and the dashboard show sites.
STATUS_ORDER = [
    SiteStatus.OPERATING,
    SiteStatus.UNDER_CONSTRUCTION,
    SiteStatus.PLANNED,
    SiteStatus.CLOSED,
]
PIPELINE = (SiteStatus.PLANNED, SiteStatus.UNDER_CONSTRUCTION)


def _space_count(**where) -> Coalesce:
    """How many of a site's spaces match ``where``: a subquery per site, no join to group."""
    spaces = (
        Space.objects.filter(site=OuterRef("pk"), **where)
        .order_by()
        .values("site")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(spaces, output_field=IntegerField()), 0)


def _with_space_count(sites: QuerySet[Site]) -> QuerySet[Site]:
    return sites.annotate(space_count=_space_count(), bookable_count=_space_count(bookable=True))


def site_list_public() -> QuerySet[Site]:
    """Every site the public may see, with its number of spaces."""
    return _with_space_count(access.public(Site.objects.all())).order_by("name")


def site_get_public(*, slug: str) -> Site:
    """One public site by slug, or 404, with its photos in order (``site.photos.all()``)."""
    photos = access.public(SitePhoto.objects.order_by("position", "pk"))
    return get_object_or_404(
        access.public(Site.objects.prefetch_related(Prefetch("photos", queryset=photos))),
        slug=slug,
    )


def site_photo_public(*, slug: str, pk: int) -> SitePhoto:
    """One photo of a public site, or 404 (a photo of another site under this slug too)."""
    return get_object_or_404(
        access.public(SitePhoto.objects.filter(site__in=access.public(Site.objects.all()))),
        site__slug=slug,
        pk=pk,
    )


def space_list_public(*, site: Site) -> QuerySet[Space]:
    """The spaces of a public site, shown grouped by kind."""
    return access.public(Space.objects.filter(site=site)).order_by("kind", "name")


def site_list_for(user, *, counted: bool = True) -> QuerySet[Site]:
    """The sites ``user`` may read, with their number of spaces unless not ``counted``."""
    sites = access.scope(Site.objects.all(), user)
    return (_with_space_count(sites) if counted else sites).order_by("name")


def site_totals(sites: Iterable[Site]) -> dict:
    """Totals over sites already fetched with ``space_count`` (no further query).

    Surfaces, capacities, desks and spaces count operating sites only; the
    pipeline (planned and under construction) has its own surface total.
    """
    totals = dict.fromkeys(
        [
            "sites",
            "operating",
            "pipeline",
            "usable_area_m2",
            "capacity_companies",
            "coworking_desks",
            "spaces",
            "pipeline_area_m2",
        ],
        0,
    )
    for site in sites:
        totals["sites"] += 1
        if site.status == SiteStatus.OPERATING:
            totals["operating"] += 1
            totals["usable_area_m2"] += site.usable_area_m2 or 0
            totals["capacity_companies"] += site.capacity_companies or 0
            totals["coworking_desks"] += site.coworking_desks or 0
            totals["spaces"] += site.space_count
        elif site.status in PIPELINE:
            totals["pipeline"] += 1
            totals["pipeline_area_m2"] += site.usable_area_m2 or 0
    return totals


def group_by_status(sites) -> list[tuple[str, str, list[Site]]]:
    """Sites grouped in STATUS_ORDER as (status, label, sites), empty groups left out."""
    groups = {status: [] for status in STATUS_ORDER}
    for site in sites:
        groups[site.status].append(site)
    return [
        (status, SiteStatus(status).label, groups[status])
        for status in STATUS_ORDER
        if groups[status]
    ]


WEEKEND = frozenset({5, 6})  # Saturday and Sunday


def closures_between(*, site, start: dt.date, end: dt.date) -> QuerySet[Closure]:
    """The closures of ``site`` or of the whole network from ``start`` to ``end`` (inclusive).

    ``site`` may be a site, None (the network's only) or an ``OuterRef`` to a
    site, for a subquery that reads a room's rules and closures at once.
    """
    where = Q(site__isnull=True) | Q(site=site) if site is not None else Q(site__isnull=True)
    return Closure.objects.filter(where, date__range=(start, end))


def closed_days(*, site: Site | None, start: dt.date, end: dt.date) -> set[dt.date]:
    """Days between ``start`` and ``end`` (inclusive) when ``site`` or the network is closed."""
    return set(closures_between(site=site, start=start, end=end).values_list("date", flat=True))


def is_working_day(day: dt.date, closed: set[dt.date]) -> bool:
    return day.weekday() not in WEEKEND and day not in closed


def add_working_days(*, site: Site | None, start: dt.date, days: int) -> dt.date:
    """The day ``days`` working days after ``start`` at ``site``.

    Weekends, network holidays and the site's closures do not count; one query
    per three months of calendar searched.
    """
    day, remaining = start, days
    while remaining > 0:
        window_end = day + dt.timedelta(days=92)
        closed = closed_days(site=site, start=day, end=window_end)
        while remaining > 0 and day < window_end:
            day += dt.timedelta(days=1)
            if is_working_day(day, closed):
                remaining -= 1
    return day


def pipeline_for(user, *, today: dt.date) -> QuerySet[Site]:
    """Planned and under-construction sites in ``user``'s scope, soonest first, with ``late``:
    their planned opening is past (a site with no announced date is never late)."""
    return (
        access.scope(Site.objects.filter(status__in=PIPELINE), user)
        .annotate(
            late=ExpressionWrapper(
                Q(planned_opening__lt=today, planned_opening__isnull=False),
                output_field=BooleanField(),
            )
        )
        .order_by("planned_opening", "name")
    )
