"""Alumni: the one exit service, the yearly check-in and its signed link, and the figures.

Survival is checked against a fixture counted by hand (see ``_survival_world``):
answered and unanswered alumni, answers before and after the anniversary,
closures at exit and in an earlier answer, exits too recent, an answer after
the day of the figures, and another site's alumni.
"""

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail, signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from technopark.refusals import codes
from tenants.models import (
    AlumniCheckIn,
    CompanyExit,
    CompanyRole,
    CompanyStatus,
    ExitReason,
    HistoricalBaseline,
    KPIReport,
)
from tenants.selectors import alumni as selectors
from tenants.services import alumni as services
from tenants.services import offices as office_services
from tests.conftest import client_for
from tests.factories import CompanyFactory, MembershipFactory
from tests.factories.offices import OfficeFactory, residency
from tests.queries import counting_queries

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 10)


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def rates(db):
    office_services.rent_rates_load()


def _exit(company, site, date, reason=ExitReason.GRADUATED):
    company.status = CompanyStatus.ALUMNI
    company.save(update_fields=["status"])
    return CompanyExit.objects.create(company=company, site=site, date=date, reason=reason)


def _answer(exit_, year, on, active):
    return AlumniCheckIn.objects.create(
        exit=exit_, year=year, sent_on=on, answered_on=on, still_active=active
    )


# --- The exit service --------------------------------------------------------------------


def test_a_contract_that_runs_to_its_end_records_a_graduation(rates, company, site):
    contract = residency(
        company=company, offices=[OfficeFactory(site=site)], start=dt.date(2025, 1, 15)
    )
    office_services.residency_end(
        residency=contract, user=None, end=dt.date(2027, 1, 15), today=dt.date(2027, 1, 15)
    )
    exit_ = CompanyExit.objects.get(company=company)
    assert (exit_.date, exit_.reason, exit_.site) == (
        dt.date(2027, 1, 15),
        ExitReason.GRADUATED,
        site,
    )
    company.refresh_from_db()
    assert company.status == CompanyStatus.ALUMNI


def test_a_terminated_contract_records_a_move_out(rates, company, site):
    contract = residency(
        company=company, offices=[OfficeFactory(site=site)], start=dt.date(2025, 1, 15)
    )
    office_services.residency_terminate(
        residency=contract, user=None, reason="Left for Paris", end=TODAY, today=TODAY
    )
    assert CompanyExit.objects.get(company=company).reason == ExitReason.MOVED_OUT


def test_staff_record_an_exit_and_correct_it_through_the_service(rates, company, site, site_staff):
    services.company_exit_record(
        company=company, user=site_staff, date=dt.date(2026, 1, 5), reason=ExitReason.ACQUIRED
    )
    services.company_exit_record(
        company=company, user=site_staff, date=dt.date(2026, 1, 6), reason=ExitReason.MERGED
    )
    exit_ = CompanyExit.objects.get(company=company)  # one exit per company: corrected
    assert (exit_.date, exit_.reason, exit_.recorded_by) == (
        dt.date(2026, 1, 6),
        ExitReason.MERGED,
        site_staff,
    )
    company.refresh_from_db()
    assert company.status == CompanyStatus.ALUMNI


def test_an_exit_is_refused_while_a_contract_runs_or_before_it_started(
    rates, company, site, site_staff
):
    contract = residency(
        company=company, offices=[OfficeFactory(site=site)], start=dt.date(2025, 1, 15)
    )
    with pytest.raises(ValidationError) as refused:
        services.company_exit_record(
            company=company, user=site_staff, date=TODAY, reason=ExitReason.CLOSED
        )
    assert codes(refused.value) == {"running_contract"}
    office_services.residency_terminate(
        residency=contract, user=None, reason="x", end=TODAY, today=TODAY
    )
    with pytest.raises(ValidationError) as refused:
        services.company_exit_record(
            company=company, user=site_staff, date=dt.date(2024, 1, 1), reason="closed"
        )
    assert codes(refused.value) == {"date"}


def test_another_sites_staff_cannot_record_an_exit(company, other_site_staff, tenant_admin):
    for person in (other_site_staff, tenant_admin):
        with pytest.raises(PermissionDenied):
            services.company_exit_record(
                company=company, user=person, date=TODAY, reason=ExitReason.CLOSED
            )
    assert not CompanyExit.objects.exists()


# --- The yearly check-in -----------------------------------------------------------------


def test_the_job_sends_one_check_in_a_year_after_the_anniversary(
    site, company, tenant_admin, django_capture_on_commit_callbacks
):
    due = _exit(company, site, dt.date(2025, 3, 1))
    not_yet = _exit(CompanyFactory(home_site=site), site, dt.date(2025, 9, 1))
    MembershipFactory(company=not_yet.company, role=CompanyRole.ADMIN)
    closed = _exit(CompanyFactory(home_site=site), site, dt.date(2024, 1, 1), ExitReason.CLOSED)
    MembershipFactory(company=closed.company, role=CompanyRole.ADMIN)
    said_closed = _exit(CompanyFactory(home_site=site), site, dt.date(2023, 1, 1))
    MembershipFactory(company=said_closed.company, role=CompanyRole.ADMIN)
    _answer(said_closed, 2025, dt.date(2025, 1, 10), False)
    nobody = _exit(CompanyFactory(home_site=site), site, dt.date(2024, 1, 1))  # no admin
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert services.alumni_check_in_send_due(today=TODAY) == 1
        assert services.alumni_check_in_send_due(today=TODAY) == 0  # idempotent
    check_in = AlumniCheckIn.objects.get(exit=due)
    assert (check_in.year, check_in.sent_on) == (2026, TODAY)
    assert not AlumniCheckIn.objects.filter(exit__in=[not_yet, closed, nobody]).exists()
    (message,) = mail.outbox
    assert message.to == [tenant_admin.email]
    token = re.search(r"/alumni/check-in/([^/]+)/", message.body).group(1)
    assert services.check_in_from_token(token).check_in == check_in
    # The next anniversary of the other one comes in September.
    assert services.alumni_check_in_send_due(today=dt.date(2026, 9, 1)) == 1


def _link(check_in):
    return reverse("alumni:check_in", args=[services.check_in_token(check_in)])


ANSWER = {
    "still_active": "yes",
    "headcount_band": "6-20",
    "revenue_band": "<1m",
    "location": "Rabat",
}


def test_the_link_answers_once_without_an_account(site, company):
    check_in = AlumniCheckIn.objects.create(
        exit=_exit(company, site, dt.date(2025, 3, 1)), year=2026, sent_on=TODAY
    )
    client = client_for(None)
    page = client.get(_link(check_in))
    assert page.status_code == 200 and company.legal_name in page.content.decode()
    assert client.post(_link(check_in), ANSWER).status_code == 200
    check_in.refresh_from_db()
    assert (check_in.still_active, check_in.headcount_band, check_in.location) == (
        True,
        "6-20",
        "Rabat",
    )
    # Reused: the page says it was answered, and a second answer changes nothing.
    again = client.post(_link(check_in), {**ANSWER, "still_active": "no"})
    assert "was answered on" in again.content.decode()
    check_in.refresh_from_db()
    assert check_in.still_active is True
    with pytest.raises(ValidationError) as refused:
        services.alumni_check_in_answer(check_in=check_in, still_active=False)
    assert codes(refused.value) == {"answered"}


def test_a_forged_link_and_another_companys_are_refused(site, company, other_company):
    check_in = AlumniCheckIn.objects.create(
        exit=_exit(company, site, dt.date(2025, 3, 1)), year=2026, sent_on=TODAY
    )
    other = AlumniCheckIn.objects.create(
        exit=_exit(other_company, site, dt.date(2025, 3, 1)), year=2026, sent_on=TODAY
    )
    token = services.check_in_token(check_in)
    client = client_for(None)
    forged = client.post(reverse("alumni:check_in", args=[token[:-2] + "xx"]), ANSWER)
    assert forged.status_code == 404 and "altered" in forged.content.decode()
    # A link signed for one company's check-in never opens another company's.
    mixed = signing.dumps({"c": other.pk, "company": company.pk}, salt=services.CHECK_IN_SALT)
    assert client.post(reverse("alumni:check_in", args=[mixed]), ANSWER).status_code == 404
    unsigned = signing.dumps({"c": other.pk, "company": other_company.pk}, salt="other")
    assert client.post(reverse("alumni:check_in", args=[unsigned]), ANSWER).status_code == 404
    assert not AlumniCheckIn.objects.filter(answered_on__isnull=False).exists()


def test_an_expired_link_is_refused_with_a_clear_page(site, company):
    check_in = AlumniCheckIn.objects.create(
        exit=_exit(company, site, dt.date(2025, 3, 1)), year=2026, sent_on=TODAY
    )
    with time_machine.travel(dt.datetime(2026, 6, 10, 9, tzinfo=dt.UTC), tick=False):
        link = _link(check_in)
    with time_machine.travel(dt.datetime(2026, 8, 10, 9, tzinfo=dt.UTC), tick=False):
        answer = client_for(None).post(link, ANSWER)
    assert answer.status_code == 410
    assert "expired" in answer.content.decode()
    check_in.refresh_from_db()
    assert check_in.answered_on is None


# --- Survival, counted by hand -----------------------------------------------------------


def _survival_world(site, other_site):
    def alumnus(date, reason=ExitReason.GRADUATED, at=site):
        return _exit(CompanyFactory(home_site=at), at, date, reason)

    a = alumnus(dt.date(2023, 1, 10))  # active in 2025: known and active at 2 years
    _answer(a, 2025, dt.date(2025, 2, 1), True)
    b = alumnus(dt.date(2020, 3, 1), ExitReason.MOVED_OUT)
    _answer(b, 2021, dt.date(2021, 3, 5), True)  # before the 2nd anniversary: not used
    AlumniCheckIn.objects.create(exit=b, year=2022, sent_on=dt.date(2022, 3, 1))  # unanswered
    _answer(b, 2025, dt.date(2025, 3, 10), False)  # first answer after both anniversaries
    alumnus(dt.date(2019, 5, 1), ExitReason.CLOSED)  # closed at exit: known, not active
    alumnus(dt.date(2020, 1, 15), ExitReason.ACQUIRED)  # never answered: unknown
    alumnus(dt.date(2025, 9, 1))  # too recent for either
    f = alumnus(dt.date(2021, 1, 1), ExitReason.MERGED)
    _answer(f, 2021, dt.date(2021, 12, 1), False)  # closed before its 2nd anniversary
    g = alumnus(dt.date(2020, 6, 1))
    _answer(g, 2026, dt.date(2026, 6, 1), True)  # active after 2 and 5 years
    h = alumnus(dt.date(2021, 2, 1), ExitReason.MOVED_OUT)
    _answer(h, 2026, dt.date(2026, 7, 1), True)  # answered after the day of the figures
    i = alumnus(dt.date(2019, 1, 1), at=other_site)
    _answer(i, 2025, dt.date(2025, 1, 5), True)


def test_survival_2_and_5_years_after_exit_against_hand_counted_figures(
    site, other_site, network_manager
):
    _survival_world(site, other_site)
    with counting_queries() as captured:
        figures = selectors.survival_by_site(
            network_manager, sites=[site.pk, other_site.pk], as_of=TODAY
        )
    assert len(captured) == 1
    two, five = figures[site.pk][2], figures[site.pk][5]
    # 2 years: due A B C D F G H (E too recent); known A B C F G; active A G.
    assert (two.due, two.known, two.active, two.unanswered) == (7, 5, 2, 2)
    assert two.rate == pytest.approx(2 / 5)
    # 5 years: due B C D F G H; known B C F G; active G.
    assert (five.due, five.known, five.active, five.unanswered) == (6, 4, 1, 2)
    assert five.rate == pytest.approx(1 / 4)
    other = figures[other_site.pk]
    assert (other[2].due, other[2].known, other[2].active) == (1, 1, 1)
    assert (other[5].due, other[5].known, other[5].active) == (1, 1, 1)
    total = figures[None]
    assert (total[2].due, total[2].known, total[2].active) == (8, 6, 3)
    assert (total[5].due, total[5].known, total[5].active) == (7, 5, 2)


def test_survival_with_nobody_known_is_missing_not_zero(site, network_manager):
    _exit(CompanyFactory(home_site=site), site, dt.date(2020, 1, 1))  # never answered
    _exit(CompanyFactory(home_site=site), site, dt.date(2026, 1, 1))  # too recent
    figures = selectors.survival_by_site(network_manager, sites=[site.pk], as_of=TODAY)
    assert (figures[site.pk][2].due, figures[site.pk][2].known) == (1, 0)
    assert figures[site.pk][2].rate is None and figures[site.pk][5].rate is None


def test_a_site_manager_counts_only_their_sites_alumni(site, other_site, site_staff):
    _survival_world(site, other_site)
    figures = selectors.survival_by_site(site_staff, sites=[site.pk, other_site.pk], as_of=TODAY)
    assert figures[other_site.pk][2].due == 0
    assert figures[None][2].due == 7
    assert selectors.exits_by_year(site_staff, sites=[other_site.pk], until=TODAY) == {}


def test_exits_per_year_and_reason(site, other_site, network_manager):
    _survival_world(site, other_site)
    years = selectors.exits_by_year(network_manager, sites=[site.pk], until=TODAY)
    assert list(years) == [2019, 2020, 2021, 2023, 2025]
    assert years[2019]["closed"] == 1 and sum(years[2019].values()) == 1
    assert (years[2020]["moved_out"], years[2020]["acquired"], years[2020]["graduated"]) == (
        1,
        1,
        1,
    )
    assert (years[2021]["merged"], years[2021]["moved_out"]) == (1, 1)
    assert sum(years[2025].values()) == 1
    assert 2025 not in selectors.exits_by_year(
        network_manager, sites=[site.pk], until=dt.date(2025, 8, 31)
    )


# --- Since the beginning -----------------------------------------------------------------


def _report(company, year, quarter, full, part):
    KPIReport.objects.create(
        company=company,
        year=year,
        quarter=quarter,
        headcount_full_time=full,
        headcount_part_time=part,
        interns=2,
        revenue=1000,
        funds_raised=0,
        export_share=0,
    )


def test_since_the_beginning_adds_the_baseline_to_the_platforms_records(
    rates, site, other_site, network_manager
):
    one, two = CompanyFactory(home_site=site), CompanyFactory(home_site=site)
    both = CompanyFactory(home_site=other_site)
    residency(company=one, offices=[OfficeFactory(site=site)], start=dt.date(2025, 1, 1))
    residency(company=two, offices=[OfficeFactory(site=site)], start=dt.date(2024, 3, 1))
    residency(company=both, offices=[OfficeFactory(site=other_site)], start=dt.date(2023, 2, 1))
    residency(company=both, offices=[OfficeFactory(site=site)], start=dt.date(2024, 5, 1))
    residency(  # starts after the day of the figures: not counted
        company=CompanyFactory(home_site=site),
        offices=[OfficeFactory(site=site)],
        start=dt.date(2026, 9, 1),
    )
    _report(one, 2025, 4, 4, 1)
    _report(one, 2026, 1, 6, 2)  # the latest: 8 jobs
    _report(both, 2026, 1, 3, 0)
    HistoricalBaseline.objects.create(
        site=site, year=2019, companies_supported=10, jobs_created=30, source="Report 2019"
    )
    HistoricalBaseline.objects.create(
        site=site, year=2020, companies_supported=12, source="Report 2020"
    )
    HistoricalBaseline.objects.create(
        site=None, year=2018, companies_supported=100, jobs_created=400, source="MITC 2018"
    )
    with counting_queries() as captured:
        figures, rows = selectors.since_beginning_by_site(
            network_manager, sites=[site.pk, other_site.pk], until=TODAY, network=True
        )
    assert len(captured) == 2
    mine, theirs, total = figures[site.pk], figures[other_site.pk], figures[None]
    assert (mine.companies, mine.jobs, mine.reporting) == (3, 11, 2)
    assert (mine.baseline_companies, mine.baseline_jobs) == (22, 30)
    assert (mine.total_companies, mine.total_jobs) == (25, 41)
    assert (mine.baseline_first_year, mine.baseline_last_year, mine.overlaps) == (
        2019,
        2020,
        False,
    )
    assert (theirs.companies, theirs.jobs, theirs.baseline_companies) == (1, 3, None)
    assert theirs.total_jobs == 3
    # A company at two sites counts once in the total; the network's row only there.
    assert (total.companies, total.jobs, total.reporting) == (3, 11, 2)
    assert (total.baseline_companies, total.baseline_jobs) == (122, 430)
    assert [row.source for row in rows] == ["MITC 2018", "Report 2019", "Report 2020"]


def test_a_baseline_reaching_into_the_platforms_years_is_flagged(rates, site, network_manager):
    company = CompanyFactory(home_site=site)
    residency(company=company, offices=[OfficeFactory(site=site)], start=dt.date(2024, 3, 1))
    HistoricalBaseline.objects.create(
        site=site, year=2024, companies_supported=5, source="Report 2024"
    )
    figures, _rows = selectors.since_beginning_by_site(
        network_manager, sites=[site.pk], until=TODAY, network=False
    )
    assert figures[site.pk].overlaps


def test_a_baseline_year_has_one_row_per_site_and_one_for_the_network(site):
    from django.db import IntegrityError, transaction

    HistoricalBaseline.objects.create(site=None, year=2018, companies_supported=1, source="a")
    HistoricalBaseline.objects.create(site=site, year=2018, companies_supported=1, source="a")
    for where in (None, site):
        with pytest.raises(IntegrityError), transaction.atomic():
            HistoricalBaseline.objects.create(
                site=where, year=2018, companies_supported=2, source="b"
            )
    with pytest.raises(IntegrityError), transaction.atomic():
        HistoricalBaseline.objects.create(site=site, year=2017, companies_supported=2, source="")


# --- The admin ---------------------------------------------------------------------------


def test_staff_record_an_exit_in_the_admin_through_the_service(rates, site, company, site_staff):
    contract = residency(
        company=company, offices=[OfficeFactory(site=site)], start=dt.date(2025, 1, 15)
    )
    url = reverse("admin:tenants_companyexit_add")
    data = {
        "company": company.pk,
        "site": site.pk,
        "date": "2026-06-01",
        "reason": ExitReason.ACQUIRED,
        "check_ins-TOTAL_FORMS": 0,
        "check_ins-INITIAL_FORMS": 0,
    }
    client = client_for(site_staff)
    refused = client.post(url, data)
    assert refused.status_code == 200 and "still has a running contract" in refused.text
    assert not CompanyExit.objects.exists()
    office_services.residency_terminate(
        residency=contract, user=None, reason="x", end=dt.date(2026, 5, 1), today=TODAY
    )
    exit_ = CompanyExit.objects.get(company=company)  # recorded as the contract closed
    assert (exit_.reason, exit_.date) == (ExitReason.MOVED_OUT, dt.date(2026, 5, 1))
    change = reverse("admin:tenants_companyexit_change", args=[exit_.pk])
    assert client.post(change, data).status_code == 302  # staff correct it
    exit_.refresh_from_db()
    assert (exit_.reason, exit_.date, exit_.recorded_by) == (
        ExitReason.ACQUIRED,
        dt.date(2026, 6, 1),
        site_staff,
    )


def test_only_network_managers_write_the_baseline(site, site_staff, network_manager):
    url = reverse("admin:tenants_historicalbaseline_add")
    data = {"site": site.pk, "year": 2010, "companies_supported": 5, "source": "Rapport 2010"}
    assert client_for(site_staff).post(url, data).status_code in (403, 404)
    assert not HistoricalBaseline.objects.exists()
    assert client_for(network_manager).post(url, data).status_code == 302
    row = HistoricalBaseline.objects.get()
    assert (row.site, row.entered_by, row.source) == (site, network_manager, "Rapport 2010")
