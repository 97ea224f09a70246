"""Contracts: the rent tier rule, the firm period, ends, and one tenant per office at a time."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.db.backends.postgresql.psycopg_any import DateRange

from tenants.models import (
    CompanyStatus,
    RentRate,
    RentTier,
    Residency,
    ResidencyOffice,
    ResidencyStatus,
)
from tenants.services import offices as services
from tests.factories import CompanyFactory, SiteFactory
from tests.factories.offices import OfficeFactory, residency

pytestmark = pytest.mark.django_db

START = dt.date(2025, 1, 15)


# --- The tier rule -----------------------------------------------------------------------


def test_a_startup_pays_the_startup_rate_in_its_17th_month(company, office, rates):
    contract = residency(company=company, offices=[office], start=START)
    month_17 = dt.date(2026, 6, 1)
    assert services.rent_tier_on(contract, on=month_17) == RentTier.STARTUP
    assert services.monthly_rate(contract, on=month_17) == Decimal("50.00")
    assert services.monthly_rent(contract, on=month_17) == Decimal("1000.00")  # 20 m²


def test_a_startup_pays_double_from_its_19th_month(company, office, rates):
    contract = residency(company=company, offices=[office], start=START)
    month_19 = dt.date(2026, 8, 1)
    assert services.rent_tier_on(contract, on=month_19) == RentTier.STARTUP_MATURE
    assert services.monthly_rate(contract, on=month_19) == Decimal("100.00")
    assert services.monthly_rent(contract, on=month_19) == Decimal("2000.00")


def test_the_startup_rate_doubles_exactly_18_months_after_the_start(company, office, rates):
    contract = residency(company=company, offices=[office], start=START)
    assert services.monthly_rate(contract, on=dt.date(2026, 7, 14)) == Decimal("50.00")
    assert services.monthly_rate(contract, on=dt.date(2026, 7, 15)) == Decimal("100.00")


def test_an_sme_pays_100_and_a_large_company_130_per_m2(site, rates):
    sme_office = OfficeFactory(site=site, area_m2=Decimal("40"))
    large_offices = [OfficeFactory(site=site, area_m2=Decimal("60")) for _ in range(2)]
    sme = residency(
        company=CompanyFactory(home_site=site), offices=[sme_office], start=START, tier="sme"
    )
    large = residency(
        company=CompanyFactory(home_site=site), offices=large_offices, start=START, tier="large"
    )
    day = dt.date(2026, 10, 1)
    assert services.monthly_rate(sme, on=day) == Decimal("100.00")
    assert services.monthly_rent(sme, on=day) == Decimal("4000.00")
    assert services.monthly_rate(large, on=day) == Decimal("130.00")
    assert services.monthly_rent(large, on=day) == Decimal("15600.00")  # 120 m² × 130


def test_a_new_rate_row_changes_the_rate_from_its_date(company, office, rates):
    contract = residency(company=company, offices=[office], start=START)
    RentRate.objects.create(
        tier=RentTier.STARTUP, monthly_rate_per_m2=Decimal("60"), effective_from=dt.date(2026, 1, 1)
    )
    assert services.monthly_rate(contract, on=dt.date(2025, 12, 31)) == Decimal("50.00")
    assert services.monthly_rate(contract, on=dt.date(2026, 1, 1)) == Decimal("60.00")


def test_rates_read_once_give_the_same_answer_as_the_query(company, office, rates):
    contract = residency(company=company, offices=[office], start=START)
    RentRate.objects.create(
        tier=RentTier.STARTUP_MATURE, monthly_rate_per_m2=Decimal("110"), effective_from=START
    )
    read_once = list(RentRate.objects.all())
    for day in (dt.date(2025, 3, 1), dt.date(2026, 9, 1)):
        assert services.monthly_rate(contract, on=day, rates=read_once) == services.monthly_rate(
            contract, on=day
        )


def test_without_any_rate_the_rent_is_unknown_rather_than_zero(company, office):
    contract = residency(company=company, offices=[office], start=START)
    assert services.monthly_rent(contract, on=dt.date(2026, 1, 1)) is None


def test_load_rent_rates_creates_the_four_default_rates_once():
    call_command("load_rent_rates")
    RentRate.objects.filter(tier=RentTier.SME).update(monthly_rate_per_m2=Decimal("105"))
    call_command("load_rent_rates")
    assert {r.tier: r.monthly_rate_per_m2 for r in RentRate.objects.all()} == {
        RentTier.STARTUP: Decimal("50.00"),
        RentTier.STARTUP_MATURE: Decimal("100.00"),
        RentTier.SME: Decimal("105.00"),  # staff's change is kept
        RentTier.LARGE: Decimal("130.00"),
    }
    assert set(RentRate.objects.values_list("effective_from", flat=True)) == {dt.date(2000, 1, 1)}


# --- The firm period ----------------------------------------------------------------------


@pytest.mark.parametrize("tier", [RentTier.SME, RentTier.LARGE])
def test_contracts_other_than_startups_are_firm_for_22_months(company, office, tier):
    contract = residency(company=company, offices=[office], start=START, tier=tier)
    assert contract.firm_end == dt.date(2026, 11, 15)


def test_the_firm_period_of_a_contract_started_on_the_31st_ends_on_the_months_last_day(
    company, office
):
    contract = residency(company=company, offices=[office], start=dt.date(2025, 4, 30), tier="sme")
    assert contract.firm_end == dt.date(2027, 2, 28)


@pytest.mark.parametrize("tier", [RentTier.STARTUP, RentTier.STARTUP_MATURE])
def test_startups_have_no_firm_period(company, office, tier):
    assert residency(company=company, offices=[office], start=START, tier=tier).firm_end is None


def test_an_sme_contract_cannot_end_inside_its_firm_period(company, office):
    contract = residency(company=company, offices=[office], start=START, tier="sme")
    with pytest.raises(ValidationError, match="terminate it with a reason"):
        services.residency_end(residency=contract, user=None, end=dt.date(2026, 6, 1))
    contract.refresh_from_db()
    assert contract.status == ResidencyStatus.ACTIVE and contract.end is None


def test_an_sme_contract_can_be_terminated_inside_its_firm_period_with_a_reason(company, office):
    contract = residency(company=company, offices=[office], start=START, tier="sme")
    with pytest.raises(ValidationError, match="needs its reason"):
        services.residency_terminate(residency=contract, user=None, reason="  ")
    services.residency_terminate(
        residency=contract, user=None, reason="Liquidation", end=dt.date(2026, 6, 1)
    )
    contract.refresh_from_db()
    assert contract.status == ResidencyStatus.TERMINATED
    assert contract.termination_reason == "Liquidation"


def test_a_fixed_end_inside_the_firm_period_is_refused_at_creation(company, office):
    with pytest.raises(ValidationError, match="22 months"):
        residency(
            company=company, offices=[office], start=START, tier="sme", end=dt.date(2026, 1, 1)
        )
    assert not Residency.objects.exists()


# --- Creation rules -----------------------------------------------------------------------


def test_a_contract_ending_before_it_starts_is_refused_and_nothing_is_saved(company, office):
    with pytest.raises(ValidationError, match="end must come after the start"):
        residency(company=company, offices=[office], start=START, end=START)
    assert not Residency.objects.exists()
    assert not ResidencyOffice.objects.exists()


def test_an_office_of_another_site_is_refused(company, office, other_office):
    with pytest.raises(ValidationError, match="Not an office of"):
        services.residency_create(
            company=company,
            site=office.site,
            offices=[office, other_office],
            start=START,
            tier="startup",
            user=None,
        )
    assert not Residency.objects.exists()


def test_a_meeting_room_is_not_an_office(company, space):
    with pytest.raises(ValidationError, match="Not an office"):
        residency(company=company, offices=[space], start=START)


def test_a_company_without_its_ice_cannot_sign(site, office):
    applicant = CompanyFactory(home_site=site, ice=None, status=CompanyStatus.APPLICANT)
    with pytest.raises(ValidationError, match="no ICE"):
        residency(company=applicant, offices=[office], start=START)
    applicant.refresh_from_db()
    assert applicant.status == CompanyStatus.APPLICANT
    assert not Residency.objects.exists()


def test_a_contract_makes_the_company_resident(site, office):
    applicant = CompanyFactory(home_site=site, status=CompanyStatus.APPLICANT)
    residency(company=applicant, offices=[office], start=START)
    applicant.refresh_from_db()
    assert applicant.status == CompanyStatus.RESIDENT


def test_leases_copy_the_contracts_dates_and_state(company, office, second_office):
    contract = residency(company=company, offices=[office, second_office], start=START)
    leases = list(contract.office_leases.all())
    assert [lease.period for lease in leases] == [DateRange(START, None, "[)")] * 2
    assert all(lease.active for lease in leases)


# --- One tenant per office at a time ----------------------------------------------------


def test_an_office_let_from_a_date_cannot_be_let_again_over_it(company, other_company, office):
    residency(company=company, offices=[office], start=START)
    with pytest.raises(ValidationError, match="Already let on these dates: Bureau A-101"):
        residency(company=other_company, offices=[office], start=dt.date(2030, 1, 1))
    assert Residency.objects.count() == 1


def test_back_to_back_contracts_on_one_office_are_allowed(company, other_company, office):
    end = dt.date(2026, 6, 1)
    residency(company=company, offices=[office], start=START, end=end)
    second = residency(company=other_company, offices=[office], start=end)
    assert second.office_leases.get().period == DateRange(end, None, "[)")


def test_a_contract_overlapping_the_last_day_of_another_is_refused(company, other_company, office):
    residency(company=company, offices=[office], start=START, end=dt.date(2026, 6, 1))
    with pytest.raises(ValidationError, match="Already let"):
        residency(company=other_company, offices=[office], start=dt.date(2026, 5, 31))


def test_an_ended_contract_frees_its_office(company, other_company, office):
    first = residency(company=company, offices=[office], start=START)
    services.residency_end(residency=first, user=None, end=dt.date(2026, 1, 1))
    first.refresh_from_db()
    assert first.status == ResidencyStatus.ENDED
    lease = first.office_leases.get()
    assert lease.period == DateRange(START, dt.date(2026, 1, 1), "[)") and not lease.active
    residency(company=other_company, offices=[office], start=dt.date(2026, 1, 1))


def test_the_last_ended_contract_makes_the_company_alumni(company, office):
    first = residency(company=company, offices=[office], start=START)
    services.residency_end(residency=first, user=None, end=dt.date(2026, 1, 1))
    company.refresh_from_db()
    assert company.status == CompanyStatus.ALUMNI


def test_a_future_end_keeps_the_contract_running_until_then(company, other_company, office):
    today = dt.date(2026, 3, 1)
    contract = residency(company=company, offices=[office], start=START)
    services.residency_end(residency=contract, user=None, end=dt.date(2026, 7, 1), today=today)
    contract.refresh_from_db()
    assert contract.status == ResidencyStatus.ACTIVE
    assert contract.office_leases.get().period == DateRange(START, dt.date(2026, 7, 1), "[)")
    with pytest.raises(ValidationError):
        residency(company=other_company, offices=[office], start=dt.date(2026, 6, 1))
    residency(company=other_company, offices=[office], start=dt.date(2026, 7, 1))

    assert services.residency_close_due(today=dt.date(2026, 6, 30)) == 0
    assert services.residency_close_due(today=dt.date(2026, 7, 1)) == 1
    contract.refresh_from_db()
    assert contract.status == ResidencyStatus.ENDED
    assert not contract.office_leases.get().active


def test_a_contract_cannot_end_twice(company, office):
    contract = residency(company=company, offices=[office], start=START)
    services.residency_end(residency=contract, user=None, end=dt.date(2026, 1, 1))
    with pytest.raises(ValidationError, match="already ended"):
        services.residency_end(residency=contract, user=None, end=dt.date(2026, 2, 1))


def test_extending_a_fixed_end_over_the_next_tenant_is_refused(company, other_company, office):
    first = residency(company=company, offices=[office], start=START, end=dt.date(2026, 6, 1))
    residency(company=other_company, offices=[office], start=dt.date(2026, 6, 1))
    with pytest.raises(ValidationError, match="let to someone else"):
        services.residency_end(
            residency=first, user=None, end=dt.date(2026, 9, 1), today=dt.date(2026, 3, 1)
        )
    first.refresh_from_db()
    assert first.end == dt.date(2026, 6, 1)


def test_changes_are_kept_in_history_with_who_made_them(company, office, site_staff):
    contract = residency(company=company, offices=[office], start=START, user=site_staff)
    services.residency_end(residency=contract, user=site_staff, end=dt.date(2026, 1, 1))
    assert [h.status for h in contract.history.order_by("history_date")] == ["active", "ended"]
    assert {h.history_user for h in contract.history.all()} == {site_staff}


@pytest.mark.django_db(transaction=True)
def test_ten_people_letting_one_office_at_once_give_one_contract_and_nine_refusals():
    site = SiteFactory()
    office = OfficeFactory(site=site)
    companies = [CompanyFactory(home_site=site) for _ in range(10)]
    barrier = threading.Barrier(len(companies))
    outcomes = []

    def let(company, start):
        try:
            barrier.wait()
            residency(company=company, offices=[office], start=start)
            outcomes.append("let")
        except ValidationError as error:
            outcomes.append(" ".join(error.messages))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=let, args=(company, START + dt.timedelta(days=n)))
        for n, company in enumerate(companies)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert outcomes.count("let") == 1
    assert sorted(set(outcomes) - {"let"}) == ["Already let on these dates: " + office.name + "."]
    assert outcomes.count("Already let on these dates: " + office.name + ".") == 9
    assert ResidencyOffice.objects.filter(office=office).count() == 1
    assert Residency.objects.count() == 1
