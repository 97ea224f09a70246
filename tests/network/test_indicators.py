"""Each dashboard indicator against figures computed by hand on a small fixture.

The period is Q1 2026 (1 January - 31 March); "today" is ``tests.clock.TODAY``
(10 June 2026). Network closures on 1 and 14 January (New Year, Yennayer).
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.db.backends.postgresql.psycopg_any import DateRange, DateTimeTZRange

from coworking.models import (
    BookingStatus,
    CheckInStatus,
    DeskCheckIn,
    DeskReservation,
    NomadProfile,
    Pass,
    PassStatus,
    ReservationStatus,
    RoomBooking,
)
from coworking.selectors import coworking_by_site
from sites.models import Closure, SiteStatus
from sites.selectors import pipeline_for
from technopark.clock import local_datetime
from tenants.models import (
    ApplicationStatus,
    KPIReport,
    OfficeApplication,
    Program,
    RentRate,
    RentTier,
    RequestStatus,
    Sector,
    ServiceRequest,
)
from tenants.selectors import indicators
from tenants.selectors.kpi import Quarter
from tests.clock import TODAY, pinned
from tests.factories import CompanyFactory, SiteFactory, UserFactory
from tests.factories.coworking import (
    DeskFactory,
    NomadProfileFactory,
    PassFactory,
    RoomRulesFactory,
)
from tests.factories.offices import OfficeApplicationFactory, OfficeFactory, residency
from tests.factories.requests import ServiceFactory, ServiceRequestFactory

pytestmark = [pytest.mark.django_db, pinned]

FIRST, LAST = dt.date(2026, 1, 1), dt.date(2026, 3, 31)
Q1 = Quarter(2026, 1)


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return local_datetime(day, dt.time(hour))


@pytest.fixture
def closures(db):
    Closure.objects.create(date=dt.date(2026, 1, 1), name="Nouvel an")
    Closure.objects.create(date=dt.date(2026, 1, 14), name="Yennayer")


@pytest.fixture
def rent_rates(db):
    for tier, rate in [
        (RentTier.STARTUP, 50),
        (RentTier.STARTUP_MATURE, 100),
        (RentTier.SME, 100),
        (RentTier.LARGE, 130),
    ]:
        RentRate.objects.create(tier=tier, monthly_rate_per_m2=rate, effective_from="2020-01-01")


@pytest.fixture
def root(db):
    return UserFactory(is_superuser=True)


# --- Tenancy ----------------------------------------------------------------------------------


def _application(site, status, created, decided=None, **extra):
    application = OfficeApplicationFactory(
        site=site,
        status=status,
        decision_reason="Dossier incomplet" if status == ApplicationStatus.REJECTED else "",
        **extra,
    )
    OfficeApplication.objects.filter(pk=application.pk).update(
        created_at=at(created), decided_at=at(decided) if decided else None
    )
    return application


def test_tenancy_counts_surfaces_companies_applications_and_medians(site, root, rent_rates):
    small, medium, _large = (
        OfficeFactory(site=site, area_m2=Decimal(area)) for area in (20, 30, 50)
    )
    hosted = CompanyFactory(home_site=site, sector=Sector.DIGITAL, program=Program.START)
    residency(company=hosted, offices=[small, medium], start=dt.date(2025, 6, 1))
    # Decisions in Q1: 10, 20, 30 and 20 days after the application.
    _application(site, ApplicationStatus.ACCEPTED, dt.date(2026, 1, 5), dt.date(2026, 1, 15))
    _application(site, ApplicationStatus.REJECTED, dt.date(2026, 1, 6), dt.date(2026, 1, 26))
    _application(
        site,
        ApplicationStatus.WAITING_LIST,
        dt.date(2026, 1, 10),
        dt.date(2026, 2, 9),
        waiting_position=1,
    )
    _application(site, ApplicationStatus.ACCEPTED, dt.date(2025, 12, 20), dt.date(2026, 1, 9))
    _application(site, ApplicationStatus.SUBMITTED, dt.date(2026, 4, 2))  # after the quarter

    figures = indicators.tenancy_by_site(root, sites=[site.pk], first=FIRST, last=LAST, today=TODAY)
    mine = figures[site.pk]
    assert (mine.companies, mine.leased_m2, mine.leasable_m2) == (1, 50, 100)
    assert mine.area_rate == 0.5
    assert (mine.offices, mine.offices_free) == (3, 1)
    assert (mine.received, mine.accepted, mine.waitlisted, mine.rejected) == (3, 2, 1, 1)
    assert mine.median_days_to_decision == 20
    assert mine.waiting == 1
    # From 10:00 on 10 January to the end of the period (the list at the period's end).
    assert mine.median_wait_days == pytest.approx(
        (dt.date(2026, 4, 1) - dt.date(2026, 1, 10)).days - 10 / 24
    )
    assert figures[None].companies == 1


def test_a_site_whose_office_surface_is_unknown_has_no_occupancy_rate(site, root):
    OfficeFactory(site=site, area_m2=Decimal(20))
    OfficeFactory(site=site, area_m2=None)
    mine = indicators.tenancy_by_site(root, sites=[site.pk], first=FIRST, last=LAST, today=TODAY)[
        site.pk
    ]
    assert mine.surface_missing and mine.area_rate is None


def test_a_site_without_offices_has_no_rate_rather_than_zero(site, root):
    mine = indicators.tenancy_by_site(root, sites=[site.pk], first=FIRST, last=LAST, today=TODAY)[
        site.pk
    ]
    assert mine.area_rate is None and mine.median_days_to_decision is None


def test_the_sector_filter_keeps_the_companies_of_that_sector(site, root, rent_rates):
    offices = [OfficeFactory(site=site) for _ in range(2)]
    games = CompanyFactory(home_site=site, sector=Sector.VIDEO_GAMES)
    green = CompanyFactory(home_site=site, sector=Sector.GREEN_TECH)
    residency(company=games, offices=[offices[0]], start=dt.date(2025, 6, 1))
    residency(company=green, offices=[offices[1]], start=dt.date(2025, 6, 1))
    common = {"sites": [site.pk], "first": FIRST, "last": LAST, "today": TODAY}
    only_games = indicators.tenancy_by_site(root, sector=Sector.VIDEO_GAMES, **common)
    assert only_games[site.pk].companies == 1
    breakdown = indicators.tenancy_breakdown(root, by="sector", **common)
    assert {key: entry.companies for key, entry in breakdown.items()} == {
        Sector.VIDEO_GAMES: 1,
        Sector.GREEN_TECH: 1,
    }
    on = LAST
    assert list(indicators.companies_hosted(root, sites=[site.pk], on=on)) == sorted(
        [games, green], key=lambda c: c.legal_name
    )


# --- Impact -----------------------------------------------------------------------------------


def _report(company, quarter, *, ft, pt, interns, revenue, funds=0, export=0):
    KPIReport.objects.create(
        company=company,
        year=quarter.year,
        quarter=quarter.number,
        headcount_full_time=ft,
        headcount_part_time=pt,
        interns=interns,
        revenue=revenue,
        funds_raised=funds,
        export_share=export,
    )


@pytest.fixture
def reporting_site(site, rent_rates):
    """Four companies hosted since 2025; three report Q1 2026, one reports the year before."""
    companies = []
    for _ in range(4):
        company = CompanyFactory(home_site=site)
        residency(company=company, offices=[OfficeFactory(site=site)], start=dt.date(2025, 1, 1))
        companies.append(company)
    first, second, third, _silent = companies
    _report(first, Q1, ft=5, pt=1, interns=1, revenue=100_000, export=10)
    _report(second, Q1, ft=3, pt=0, interns=1, revenue=200_000, funds=50_000, export=50)
    _report(third, Q1, ft=2, pt=1, interns=0, revenue=300_000)
    for quarter in (Quarter(2025, 2), Quarter(2025, 3), Quarter(2025, 4)):
        _report(first, quarter, ft=5, pt=1, interns=1, revenue=50_000)
    # Reports from companies that owed none do not count (the rate stays within 100%).
    _report(CompanyFactory(home_site=site), Q1, ft=100, pt=0, interns=0, revenue=9_999_999)
    arrived_later = CompanyFactory(home_site=site)
    residency(company=arrived_later, offices=[OfficeFactory(site=site)], start=dt.date(2026, 4, 1))
    _report(arrived_later, Q1, ft=50, pt=0, interns=0, revenue=1)
    return site


def _impact(user, sites, period):
    quarters = indicators.trailing_quarters(max(period), 4)
    figures = indicators.kpi_by_site_quarter(user, sites=sites, quarters=quarters)
    return indicators.impact_by_site(figures, sites=sites, period=period)


def test_impact_figures_carry_their_reporting_rate(reporting_site, root):
    impact = _impact(root, [reporting_site.pk], [Q1])[reporting_site.pk]
    assert (impact.last.expected, impact.last.reported) == (4, 3)
    assert impact.jobs_rate == 0.75
    assert (impact.full_time, impact.part_time, impact.interns) == (10, 2, 2)
    assert impact.revenue == 600_000
    assert impact.funds_raised == 50_000
    assert impact.export_share == pytest.approx((10_000 + 100_000) / 600_000)
    # Trailing 12 months: 4 companies x 4 quarters owed, 3 + 3 reports received.
    assert impact.revenue_12m == 600_000 + 3 * 50_000
    assert impact.trailing_rate == 6 / 16


def test_a_year_sums_its_quarters_and_reads_headcounts_from_the_last(reporting_site, root):
    year = [Quarter(2025, n) for n in range(1, 5)]
    impact = _impact(root, [reporting_site.pk], year)[reporting_site.pk]
    assert impact.revenue == 150_000
    assert impact.period_rate == 3 / 16
    assert impact.full_time == 5 and impact.jobs_rate == 1 / 4


def test_a_quarter_nobody_reported_is_missing_not_zero(reporting_site, other_site, root):
    company = CompanyFactory(home_site=other_site)
    residency(company=company, offices=[OfficeFactory(site=other_site)], start=dt.date(2025, 1, 1))
    impact = _impact(root, [reporting_site.pk, other_site.pk], [Q1])
    silent = impact[other_site.pk]
    assert silent.revenue is None and silent.full_time is None and silent.export_share is None
    assert silent.jobs_rate == 0
    assert impact[None].last.expected == 5 and impact[None].jobs_rate == 3 / 5
    assert impact[None].revenue == 600_000


def test_the_missing_reports_are_the_companies_that_owed_one(reporting_site, root):
    missing = indicators.companies_without_report(root, sites=[reporting_site.pk], quarter=Q1)
    assert missing.count() == 1
    assert indicators.reports_of(root, sites=[reporting_site.pk], quarter=Q1).count() == 5


# --- One-stop shop -----------------------------------------------------------------------------


def _request(service, created, *, status=RequestStatus.SUBMITTED, closed=None, deadline):
    request = ServiceRequestFactory(
        service=service,
        company=CompanyFactory(home_site=service.site),
        status=status,
        closed_at=at(closed, 16) if closed else None,
        deadline=deadline,
        rejection_reason="Pièce manquante" if status == RequestStatus.REJECTED else "",
    )
    ServiceRequest.objects.filter(pk=request.pk).update(created_at=at(created))
    return request


def test_the_one_stop_shop_counts_target_medians_backlog_and_overdue(site, root, closures):
    service = ServiceFactory(site=site, target_days=3, name="Domiciliation")
    # Monday 5 to Thursday 8 January: 3 working days, within the target.
    _request(service, dt.date(2026, 1, 5), status=RequestStatus.RESOLVED,
             closed=dt.date(2026, 1, 8), deadline=dt.date(2026, 1, 8))  # fmt: skip
    # Monday 12 to Monday 19 January, Yennayer (14th) closed: 4 working days, late.
    _request(service, dt.date(2026, 1, 12), status=RequestStatus.RESOLVED,
             closed=dt.date(2026, 1, 19), deadline=dt.date(2026, 1, 16))  # fmt: skip
    _request(service, dt.date(2026, 1, 20), deadline=dt.date(2026, 1, 23))  # still open
    _request(service, dt.date(2026, 3, 2), status=RequestStatus.REJECTED,
             closed=dt.date(2026, 3, 5), deadline=dt.date(2026, 3, 5))  # fmt: skip
    # Open at the quarter's end, resolved after it.
    _request(service, dt.date(2026, 2, 2), status=RequestStatus.RESOLVED,
             closed=dt.date(2026, 4, 10), deadline=dt.date(2026, 2, 5))  # fmt: skip
    common = {"sites": [site.pk], "first": FIRST, "last": LAST, "today": TODAY}
    (by_service,) = indicators.requests_by(root, by="service", **common)
    total = indicators.requests_total(root, **common)
    for figures in (by_service, total):
        assert (figures.received, figures.resolved, figures.within_target) == (5, 2, 1)
        assert figures.share_within_target == 0.5
        assert figures.median_working_days == 3.5
        assert (figures.backlog, figures.overdue) == (2, 2)
    assert by_service.label == "Domiciliation"
    backlog = indicators.requests_open_at_end(root, sites=[site.pk], last=LAST, today=TODAY)
    assert backlog.count() == 2
    # Today the one still open is the whole backlog, and overdue.
    now = indicators.requests_total(root, sites=[site.pk], first=TODAY, last=TODAY, today=TODAY)
    assert (now.backlog, now.overdue) == (1, 1)


# --- Coworking and rooms ------------------------------------------------------------------------


def test_coworking_counts_desk_days_room_hours_no_shows_nomads_passes(site, root, closures):
    desks = [DeskFactory(space__site=site) for _ in range(2)]
    DeskFactory(space=desks[0].space, active=False)
    holder, other = UserFactory(), UserFactory()
    week = DeskReservation.objects.create(
        desk=desks[0], holder=holder, period=DateRange(dt.date(2026, 1, 5), dt.date(2026, 1, 10))
    )
    DeskReservation.objects.create(  # 30 and 31 March inside the quarter
        desk=desks[1], holder=other, period=DateRange(dt.date(2026, 3, 30), dt.date(2026, 4, 4))
    )
    DeskReservation.objects.create(
        desk=desks[1],
        holder=holder,
        period=DateRange(dt.date(2026, 2, 2), dt.date(2026, 2, 5)),
        status=ReservationStatus.CANCELLED,
    )
    for day, status in [(5, CheckInStatus.PRESENT), (6, CheckInStatus.PRESENT),
                        (7, CheckInStatus.PRESENT), (8, CheckInStatus.NO_SHOW)]:  # fmt: skip
        DeskCheckIn.objects.create(reservation=week, day=dt.date(2026, 1, day), status=status)
    room = RoomRulesFactory(space__site=site, space__bookable=True).space  # Mon-Fri 08-20
    RoomBooking.objects.create(
        space=room,
        holder=holder,
        during=DateTimeTZRange(at(dt.date(2026, 1, 6), 9), at(dt.date(2026, 1, 6), 11)),
        status=BookingStatus.CONFIRMED,
    )
    RoomBooking.objects.create(
        space=room,
        holder=holder,
        during=DateTimeTZRange(at(dt.date(2026, 1, 7), 9), at(dt.date(2026, 1, 7), 11)),
        status=BookingStatus.CANCELLED,
    )
    NomadProfileFactory(site=site)
    sold = PassFactory(site=site, price=800)
    PassFactory(site=site, status=PassStatus.CANCELLED)
    Pass.objects.filter(site=site).update(created_at=at(dt.date(2026, 2, 1)))
    NomadProfile.objects.filter(site=site).update(created_at=at(dt.date(2026, 2, 1)))
    NomadProfileFactory(site=site)  # signed up after the quarter

    figures = coworking_by_site(root, sites=[site.pk], first=FIRST, last=LAST, today=TODAY)[site.pk]
    open_days = 64 - 2  # weekdays of Q1 2026, less two closures on weekdays
    assert figures.desks == 2
    assert (figures.desk_days_open, figures.desk_days_used) == (2 * open_days, 5 + 2)
    assert figures.desk_utilisation == 7 / (2 * open_days)
    assert figures.no_show_rate == 0.25
    assert figures.room_hours_open == 12 * open_days
    assert figures.room_hours_booked == 2
    assert (figures.nomads, figures.nomads_new) == (1, 1)
    assert (figures.passes, figures.pass_revenue) == (1, sold.price)


def test_coworking_without_desks_or_check_ins_is_missing(site, root):
    figures = coworking_by_site(root, sites=[site.pk], first=FIRST, last=LAST, today=TODAY)
    assert figures[site.pk].desk_utilisation is None
    assert figures[site.pk].no_show_rate is None
    assert figures[site.pk].room_utilisation is None


# --- Pipeline ---------------------------------------------------------------------------------


def test_a_planned_site_past_its_opening_is_late(root):
    late = SiteFactory(status=SiteStatus.PLANNED, planned_opening=dt.date(2025, 12, 1))
    on_time = SiteFactory(status=SiteStatus.UNDER_CONSTRUCTION, planned_opening=dt.date(2027, 1, 1))
    unknown = SiteFactory(status=SiteStatus.PLANNED, planned_opening=None)
    SiteFactory(status=SiteStatus.OPERATING)
    pipeline = {site.pk: site.late for site in pipeline_for(root, today=TODAY)}
    assert pipeline == {late.pk: True, on_time.pk: False, unknown.pk: False}
