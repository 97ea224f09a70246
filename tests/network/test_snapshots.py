"""Snapshots of closed quarters give the live figures; the two review faults; query counts.

"Today" is ``tests.clock.TODAY`` (10 June 2026): Q1 2026 is closed, Q2 is running.
"""

import datetime as dt

import pytest
from django.urls import reverse

from network import dashboard, snapshots
from network.models import QuarterSnapshot
from network.periods import Period
from technopark.clock import local_datetime
from tenants.models import (
    ApplicationStatus,
    ExitReason,
    HistoricalBaseline,
    KPIReport,
    OfficeApplication,
    RequestStatus,
    ServiceRequest,
)
from tenants.selectors import indicators
from tenants.selectors.kpi import Quarter
from tests.clock import TODAY, pinned
from tests.conftest import client_for
from tests.factories import CompanyFactory, UserFactory
from tests.factories.offices import OfficeApplicationFactory
from tests.factories.requests import ServiceFactory, ServiceRequestFactory
from tests.network.test_long_view import _alumnus
from tests.network.test_pages import _grow, rent_rates  # noqa: F401 (a fixture)
from tests.queries import queries_to_get

pytestmark = [pytest.mark.django_db, pinned]

Q1 = Quarter(2026, 1)


def _values(sections) -> list:
    """Every figure of the page, as shown: headers, cells, rates and links, table by table."""
    return [
        (
            table.slug,
            [
                [(c.value, c.rate, c.link, c.note) for c in [row.header, *row.cells]]
                for row in [*table.rows, *([table.footer] if table.footer else [])]
            ],
        )
        for section in sections
        for table in [*section.tables, *(chart.table for chart in section.charts)]
    ]


def _data(site, other_site):
    _grow(site, 3)
    _grow(other_site, 2)
    # The long view: alumni with their answers, a closure at exit, a baseline.
    _alumnus(site, dt.date(2020, 3, 2), answers=[(dt.date(2022, 4, 1), True)])
    _alumnus(other_site, dt.date(2019, 6, 1), ExitReason.CLOSED)
    HistoricalBaseline.objects.create(site=site, year=2010, companies_supported=12, source="R")
    service = ServiceFactory(site=site, target_days=3)
    request = ServiceRequestFactory(
        service=service,
        company=CompanyFactory(home_site=site),
        status=RequestStatus.RESOLVED,
        closed_at=local_datetime(dt.date(2026, 1, 8), dt.time(16)),
        deadline=dt.date(2026, 1, 9),
    )
    ServiceRequest.objects.filter(pk=request.pk).update(
        created_at=local_datetime(dt.date(2026, 1, 5), dt.time(10))
    )
    application = OfficeApplicationFactory(
        site=site, status=ApplicationStatus.WAITING_LIST, waiting_position=1
    )
    OfficeApplication.objects.filter(pk=application.pk).update(
        created_at=local_datetime(dt.date(2026, 1, 10), dt.time(10)),
        decided_at=local_datetime(dt.date(2026, 2, 9), dt.time(10)),
    )


Q1_PERIOD = Period(2026, 1)


def _selection(sites, *, single=False, period=Q1_PERIOD):
    return dashboard.Selection(period, sites, single_site=single)


@pytest.mark.parametrize("single", [False, True])
def test_snapshots_give_exactly_the_live_figures(site, other_site, rent_rates, single):  # noqa: F811
    _data(site, other_site)
    manager = UserFactory(is_network_manager=True)
    sites = [site] if single else sorted([site, other_site], key=lambda s: s.pk)
    live = dashboard.build(manager, _selection(sites, single=single), today=TODAY)
    assert not QuarterSnapshot.objects.exists()
    assert all(section.computed_at is None for section in live)

    written = snapshots.quarter_snapshots_refresh(
        today=TODAY, quarters=indicators.trailing_quarters(Q1, dashboard.TREND_QUARTERS)
    )
    assert written == 8 * 3 * 5  # quarters x (network, two sites) x groups
    stored = dashboard.build(manager, _selection(sites, single=single), today=TODAY)
    assert _values(stored) == _values(live)
    dated = {section.slug for section in stored if section.computed_at}
    assert dated == {
        "tenancy", "impact", "since-beginning", "alumni", "one_stop_shop", "coworking"
    }  # fmt: skip


def test_the_running_quarter_a_year_and_filters_are_computed_live(site, other_site, rent_rates):  # noqa: F811
    _data(site, other_site)
    snapshots.quarter_snapshots_refresh(today=TODAY, quarters=[Q1, Quarter(2026, 2)])
    assert not QuarterSnapshot.objects.filter(year=2026, quarter=2).exists()  # still running
    manager = UserFactory(is_network_manager=True)
    sites = sorted([site, other_site], key=lambda s: s.pk)
    for selection in (
        _selection(sites, period=Period(2026)),
        dashboard.Selection(Period(2026, 1), sites, sector="digital"),
    ):
        tenancy = dashboard.build(manager, selection, today=TODAY)[0]
        assert tenancy.computed_at is None


def test_a_stored_quarter_says_when_it_was_computed_and_the_refresh_catches_changes(
    site,
    other_site,
    network_manager,
    rent_rates,  # noqa: F811
):
    _data(site, other_site)
    snapshots.quarter_snapshots_refresh(today=TODAY, quarters=[Q1])
    url = f"{reverse('network:dashboard')}?period=2026-Q1"
    client = client_for(network_manager)
    response = client.get(url)
    tenancy = response.context["sections"][0]
    assert tenancy.computed_at is not None
    assert 'class="small text-body-secondary"' in response.content.decode()  # the date shown
    before = QuarterSnapshot.objects.get(site=None, year=2026, quarter=1, group="impact")
    KPIReport.objects.filter(company__home_site=site, year=2026, quarter=1).update(revenue=1)
    snapshots.quarter_snapshots_refresh(today=TODAY, quarters=[Q1])
    after = QuarterSnapshot.objects.get(site=None, year=2026, quarter=1, group="impact")
    assert after.figures != before.figures and after.computed_at >= before.computed_at
    assert QuarterSnapshot.objects.count() == 3 * 5  # refreshed in place, never twice


def test_the_page_read_from_snapshots_takes_the_same_queries_at_any_size(
    site,
    other_site,
    network_manager,
    site_staff,
    rent_rates,  # noqa: F811
):
    _grow(site, 1)
    urls = [
        (client_for(network_manager), f"{reverse('network:dashboard')}?period=2026-Q1"),
        (client_for(site_staff), f"{reverse('network:site', args=[site.slug])}?period=2026-Q1"),
    ]
    live = [queries_to_get(client, url) for client, url in urls]
    quarters = indicators.trailing_quarters(Q1, dashboard.TREND_QUARTERS)
    snapshots.quarter_snapshots_refresh(today=TODAY, quarters=quarters)
    small = [queries_to_get(client, url) for client, url in urls]
    _grow(site, 10)
    _grow(other_site, 4)
    snapshots.quarter_snapshots_refresh(today=TODAY, quarters=quarters)
    assert [queries_to_get(client, url) for client, url in urls] == small
    assert all(stored < computed for stored, computed in zip(small, live, strict=True))


# --- The waiting list at the period's end ------------------------------------------------------


def test_the_waiting_list_is_the_one_at_the_period_end_not_today(site):
    root = UserFactory(is_superuser=True)
    history = OfficeApplication.history.model
    # Put on the list on 9 February, accepted on 15 April: waiting at the end of Q1 only.
    left = OfficeApplicationFactory(site=site, status=ApplicationStatus.WAITING_LIST,
                                    waiting_position=1)  # fmt: skip
    OfficeApplication.objects.filter(pk=left.pk).update(
        created_at=local_datetime(dt.date(2026, 1, 10), dt.time(10)),
        decided_at=local_datetime(dt.date(2026, 2, 9), dt.time(10)),
    )
    history.objects.filter(id=left.pk).update(
        history_date=local_datetime(dt.date(2026, 2, 9), dt.time(10)),
        decided_at=local_datetime(dt.date(2026, 2, 9), dt.time(10)),
    )
    left.refresh_from_db()
    left.decide(status=ApplicationStatus.ACCEPTED, actor=root,
                now=local_datetime(dt.date(2026, 4, 15), dt.time(10)))  # fmt: skip
    left.waiting_position = None
    left.save()
    history.objects.filter(id=left.pk, status=ApplicationStatus.ACCEPTED).update(
        history_date=local_datetime(dt.date(2026, 4, 15), dt.time(10))
    )
    # Put on the list on 20 May: on today's list, not on Q1's.
    joined = OfficeApplicationFactory(site=site, status=ApplicationStatus.WAITING_LIST,
                                      waiting_position=2)  # fmt: skip
    OfficeApplication.objects.filter(pk=joined.pk).update(
        created_at=local_datetime(dt.date(2026, 5, 2), dt.time(10)),
        decided_at=local_datetime(dt.date(2026, 5, 20), dt.time(10)),
    )

    def waiting(first, last):
        return indicators.tenancy_by_site(
            root, sites=[site.pk], first=first, last=last, today=TODAY
        )[site.pk]

    q1 = waiting(dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    assert q1.waiting == 1
    assert q1.median_wait_days == pytest.approx(
        (dt.date(2026, 4, 1) - dt.date(2026, 1, 10)).days - 10 / 24
    )
    at_q1_end = indicators.waiting_list_of(root, sites=[site.pk], on=dt.date(2026, 3, 31))
    assert [application.pk for application in at_q1_end] == [left.pk]
    assert waiting(dt.date(2026, 4, 1), dt.date(2026, 6, 30)).waiting == 1  # today: `joined`
    assert [a.pk for a in indicators.waiting_list_of(root, sites=[site.pk], on=TODAY)] == [
        joined.pk
    ]


# --- Working days on Morocco's dates -----------------------------------------------------------


def test_working_days_are_counted_on_morocco_dates(site):
    root = UserFactory(is_superuser=True)
    service = ServiceFactory(site=site, target_days=1)
    # Filed at 00:30 on Monday 5 January 2026 in Morocco (UTC+1): Sunday 23:30 in UTC.
    filed = local_datetime(dt.date(2026, 1, 5), dt.time(0, 30))
    assert filed.astimezone(dt.UTC).date() == dt.date(2026, 1, 4)
    request = ServiceRequestFactory(
        service=service,
        company=CompanyFactory(home_site=site),
        status=RequestStatus.RESOLVED,
        closed_at=local_datetime(dt.date(2026, 1, 6), dt.time(10)),
        deadline=dt.date(2026, 1, 6),
    )
    ServiceRequest.objects.filter(pk=request.pk).update(created_at=filed)
    figures = indicators.requests_total(
        root, sites=[site.pk], first=dt.date(2026, 1, 1), last=dt.date(2026, 3, 31), today=TODAY
    )
    # Monday to Tuesday: one working day (UTC dates would say Sunday to Tuesday: two).
    assert figures.median_working_days == 1
    assert figures.within_target == 1
