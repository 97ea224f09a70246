"""Contracts: the rent tier rule, the firm period, ends, and one tenant per office at a time."""

import datetime as dt
from collections import Counter
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.db.backends.postgresql.psycopg_any import DateRange

from technopark.db import violated_constraint
from tenants import rent
from tenants.models import (
    CompanyStatus,
    RentRate,
    RentTier,
    Residency,
    ResidencyOffice,
    ResidencyStatus,
)
from tenants.selectors import offices as selectors
from tenants.services import offices as services
from tests.concurrency import run_concurrently
from tests.factories import CompanyFactory, SiteFactory
from tests.factories.offices import OfficeFactory, residency

pytestmark = pytest.mark.django_db

START = dt.date(2025, 1, 15)
#: The day the tests' contracts are recorded and ended: never the machine's date.
TODAY = dt.date(2026, 3, 1)


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


def test_the_startup_rate_doubles_from_the_month_after_the_18th(company, office, rates):
    # Started 15 January 2025: the 18th month ends on 14 July 2026; July is the last
    # month at the startup rate, whole, and August the first at the doubled rate.
    contract = residency(company=company, offices=[office], start=START)
    assert services.mature_from(contract) == dt.date(2026, 8, 1)
    assert services.monthly_rate(contract, on=dt.date(2026, 7, 15)) == Decimal("50.00")
    assert services.monthly_rate(contract, on=dt.date(2026, 7, 31)) == Decimal("50.00")
    assert services.monthly_rate(contract, on=dt.date(2026, 8, 1)) == Decimal("100.00")


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


def test_moving_offices_does_not_restart_a_startups_18_months(
    company, office, second_office, tenant_admin, rates
):
    first = residency(company=company, offices=[office], start=START)
    moved_on = rent.add_months(START, 12)
    services.residency_terminate(
        residency=first, user=None, reason="Déménagement", end=moved_on, today=moved_on
    )
    second = residency(company=company, offices=[second_office], start=moved_on)  # 30 m²
    month_19 = dt.date(2026, 8, 1)
    assert services.rent_tier_on(second, on=dt.date(2026, 7, 14)) == RentTier.STARTUP
    assert services.rent_tier_on(second, on=month_19) == RentTier.STARTUP_MATURE
    assert services.monthly_rent(second, on=month_19) == Decimal("3000.00")
    listed = selectors.residency_list_for_company(company, tenant_admin).get(pk=second.pk)
    assert listed.company_first_start == START
    assert rent.mature_from(listed) == dt.date(2026, 8, 1)


def test_another_companys_earlier_contract_does_not_count(company, other_company, office, rates):
    residency(company=other_company, offices=[office], start=dt.date(2020, 1, 1),
              end=dt.date(2021, 1, 1), today=TODAY)  # fmt: skip
    contract = residency(company=company, offices=[office], start=START)
    assert services.rent_tier_on(contract, on=dt.date(2026, 6, 1)) == RentTier.STARTUP


def test_the_rent_keeps_the_area_signed_when_an_office_is_resized(company, office, rates):
    contract = residency(company=company, offices=[office], start=START)
    office.area_m2 = Decimal("45.00")
    office.save()
    contract = Residency.objects.get(pk=contract.pk)
    assert contract.office_leases.get().area_m2 == Decimal("20.00")
    assert services.monthly_rent(contract, on=dt.date(2026, 6, 1)) == Decimal("1000.00")


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


def test_a_firm_period_ending_on_a_day_the_month_lacks_ends_on_the_next_first(company, office):
    contract = residency(company=company, offices=[office], start=dt.date(2025, 4, 30), tier="sme")
    assert contract.firm_end == dt.date(2027, 3, 1)  # no 30 February


def test_contracts_started_on_30_and_31_january_do_not_share_a_firm_end(site):
    ends = [
        residency(
            company=CompanyFactory(home_site=site),
            offices=[OfficeFactory(site=site)],
            start=dt.date(2025, 1, day),
            tier="sme",
        ).firm_end
        for day in (30, 31)
    ]
    assert ends == [dt.date(2026, 11, 30), dt.date(2026, 12, 1)]


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2025, 1, 31), 1, dt.date(2025, 3, 1)),
        (dt.date(2024, 1, 31), 1, dt.date(2024, 3, 1)),
        (dt.date(2024, 1, 29), 1, dt.date(2024, 2, 29)),
        (dt.date(2025, 1, 15), 18, dt.date(2026, 7, 15)),
        (dt.date(2025, 12, 31), 2, dt.date(2026, 3, 1)),
        (dt.date(2028, 2, 29), -60, dt.date(2023, 3, 1)),
        (dt.date(2026, 5, 31), -3, dt.date(2026, 3, 1)),
    ],
)
def test_add_months_rolls_a_missing_day_to_the_next_first(day, months, expected):
    assert rent.add_months(day, months) == expected


@pytest.mark.parametrize("tier", [RentTier.STARTUP, RentTier.STARTUP_MATURE])
def test_startups_have_no_firm_period(company, office, tier):
    assert residency(company=company, offices=[office], start=START, tier=tier).firm_end is None


def test_an_sme_contract_cannot_end_inside_its_firm_period(company, office):
    contract = residency(company=company, offices=[office], start=START, tier="sme")
    with pytest.raises(ValidationError, match="terminate it with a reason"):
        services.residency_end(residency=contract, user=None, end=dt.date(2026, 6, 1), today=TODAY)
    contract.refresh_from_db()
    assert contract.status == ResidencyStatus.ACTIVE and contract.end is None


def test_messages_write_dates_as_the_locale_does(company, office, settings):
    contract = residency(company=company, offices=[office], start=START, tier="sme")
    with pytest.raises(ValidationError) as refused:
        services.residency_end(residency=contract, user=None, end=dt.date(2026, 6, 1), today=TODAY)
    assert "11/15/2026" in refused.value.messages[0]  # English; never 2026-11-15
    assert "2026-11-15" not in refused.value.messages[0]
    contract.refresh_from_db()
    assert contract.status == ResidencyStatus.ACTIVE and contract.end is None


def test_an_sme_contract_can_be_terminated_inside_its_firm_period_with_a_reason(company, office):
    contract = residency(company=company, offices=[office], start=START, tier="sme")
    with pytest.raises(ValidationError, match="needs its reason"):
        services.residency_terminate(residency=contract, user=None, reason="  ", today=TODAY)
    services.residency_terminate(
        residency=contract, user=None, reason="Liquidation", end=dt.date(2026, 2, 1), today=TODAY
    )
    contract.refresh_from_db()
    assert contract.status == ResidencyStatus.TERMINATED
    assert contract.termination_reason == "Liquidation"


def test_a_fixed_end_inside_the_firm_period_is_refused_at_creation(company, office):
    with pytest.raises(ValidationError, match="22 months"):
        residency(
            company=company,
            offices=[office],
            start=START,
            tier="sme",
            end=dt.date(2026, 1, 1),
            today=TODAY,
        )
    assert not Residency.objects.exists()


# --- Creation rules -----------------------------------------------------------------------


def test_a_contract_ending_before_it_starts_is_refused_and_nothing_is_saved(company, office):
    with pytest.raises(ValidationError, match="end must come after the start"):
        residency(company=company, offices=[office], start=START, end=START, today=TODAY)
    assert not Residency.objects.exists()
    assert not ResidencyOffice.objects.exists()


def test_a_contract_whose_end_has_passed_is_recorded_as_ended(site, office):
    newcomer = CompanyFactory(home_site=site, status=CompanyStatus.APPLICANT)
    past = residency(
        company=newcomer, offices=[office], start=START, end=dt.date(2026, 1, 1), today=TODAY
    )
    past.refresh_from_db()
    assert past.status == ResidencyStatus.ENDED and past.end == dt.date(2026, 1, 1)
    assert past.office_leases.get().period == DateRange(START, dt.date(2026, 1, 1), "[)")
    newcomer.refresh_from_db()
    assert newcomer.status == CompanyStatus.ALUMNI


def test_a_contract_ending_on_the_day_it_is_recorded_is_ended_and_tomorrow_is_running(
    company, office, second_office
):
    ends_today = residency(company=company, offices=[office], start=START, end=TODAY, today=TODAY)
    tomorrow = TODAY + dt.timedelta(days=1)
    runs = residency(
        company=company, offices=[second_office], start=START, end=tomorrow, today=TODAY
    )
    assert ends_today.status == ResidencyStatus.ENDED
    assert runs.status == ResidencyStatus.ACTIVE
    company.refresh_from_db()
    assert company.status == CompanyStatus.RESIDENT


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
    assert not Residency.objects.exists()


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


def test_leases_copy_the_contracts_dates_and_the_offices_areas(company, office, second_office):
    contract = residency(company=company, offices=[office, second_office], start=START)
    leases = list(contract.office_leases.order_by("office__name"))
    assert [lease.period for lease in leases] == [DateRange(START, None, "[)")] * 2
    assert [lease.area_m2 for lease in leases] == [Decimal("20.00"), Decimal("30.00")]
    assert services.leased_area(contract) == Decimal("50.00")


# --- Consistency in PostgreSQL --------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "constraint"),
    [
        ({"status": ResidencyStatus.ENDED}, "residency_closed_has_end"),
        ({"status": ResidencyStatus.TERMINATED, "end": dt.date(2026, 1, 1)},
         "residency_termination_has_reason"),
    ],
)  # fmt: skip
def test_the_database_refuses_a_closed_contract_without_its_end_or_reason(
    company, office, change, constraint
):
    contract = residency(company=company, offices=[office], start=START)
    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        Residency.objects.filter(pk=contract.pk).update(**change)
    assert violated_constraint(refused.value) == constraint


# --- One tenant per office at a time ----------------------------------------------------


def test_an_office_let_from_a_date_cannot_be_let_again_over_it(company, other_company, office):
    residency(company=company, offices=[office], start=START)
    with pytest.raises(ValidationError, match="Already let on these dates: Bureau A-101"):
        residency(company=other_company, offices=[office], start=dt.date(2030, 1, 1))
    assert Residency.objects.count() == 1


def test_back_to_back_contracts_on_one_office_are_allowed(company, other_company, office):
    end = dt.date(2026, 6, 1)
    residency(company=company, offices=[office], start=START, end=end, today=TODAY)
    second = residency(company=other_company, offices=[office], start=end, today=TODAY)
    assert second.office_leases.get().period == DateRange(end, None, "[)")


def test_a_contract_overlapping_the_last_day_of_another_is_refused(company, other_company, office):
    residency(company=company, offices=[office], start=START, end=dt.date(2026, 6, 1), today=TODAY)
    with pytest.raises(ValidationError, match="Already let"):
        residency(company=other_company, offices=[office], start=dt.date(2026, 5, 31), today=TODAY)
    assert not Residency.objects.filter(company=other_company).exists()


def test_an_ended_contract_frees_its_office_from_its_end(company, other_company, office):
    first = residency(company=company, offices=[office], start=START)
    services.residency_end(residency=first, user=None, end=dt.date(2026, 1, 1), today=TODAY)
    first.refresh_from_db()
    assert first.status == ResidencyStatus.ENDED
    lease = first.office_leases.get()
    assert lease.period == DateRange(START, dt.date(2026, 1, 1), "[)")
    residency(company=other_company, offices=[office], start=dt.date(2026, 1, 1))


def test_a_backdated_contract_over_an_ended_one_is_refused(company, other_company, office):
    first = residency(company=company, offices=[office], start=START)
    services.residency_end(residency=first, user=None, end=dt.date(2026, 1, 1), today=TODAY)
    with pytest.raises(ValidationError, match="Already let on these dates: Bureau A-101"):
        residency(
            company=other_company,
            offices=[office],
            start=dt.date(2025, 6, 1),
            end=dt.date(2025, 9, 1),
            today=TODAY,
        )
    assert Residency.objects.count() == 1


def test_the_database_itself_refuses_a_second_lease_on_an_ended_contracts_days(
    company, other_company, office
):
    first = residency(company=company, offices=[office], start=START)
    services.residency_end(residency=first, user=None, end=dt.date(2026, 1, 1), today=TODAY)
    second = Residency.objects.create(
        company=other_company, site=office.site, start=dt.date(2025, 6, 1), tier="startup"
    )
    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        ResidencyOffice.objects.create(
            residency=second,
            office=office,
            period=DateRange(dt.date(2025, 6, 1), dt.date(2025, 9, 1), "[)"),
            area_m2=office.area_m2,
        )
    assert violated_constraint(refused.value) == "office_one_residency_at_a_time"


def test_the_last_ended_contract_makes_the_company_alumni(company, office):
    first = residency(company=company, offices=[office], start=START)
    services.residency_end(residency=first, user=None, end=dt.date(2026, 1, 1), today=TODAY)
    company.refresh_from_db()
    assert company.status == CompanyStatus.ALUMNI


def test_a_future_end_keeps_the_contract_running_until_then(company, other_company, office):
    contract = residency(company=company, offices=[office], start=START)
    services.residency_end(residency=contract, user=None, end=dt.date(2026, 7, 1), today=TODAY)
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
    assert contract.office_leases.get().period == DateRange(START, dt.date(2026, 7, 1), "[)")


def test_a_contract_cannot_end_twice(company, office):
    contract = residency(company=company, offices=[office], start=START)
    services.residency_end(residency=contract, user=None, end=dt.date(2026, 1, 1), today=TODAY)
    with pytest.raises(ValidationError, match="already ended"):
        services.residency_end(residency=contract, user=None, end=dt.date(2026, 2, 1), today=TODAY)
    contract.refresh_from_db()
    assert (contract.status, contract.end) == (ResidencyStatus.ENDED, dt.date(2026, 1, 1))


def test_extending_a_fixed_end_over_the_next_tenant_is_refused(company, other_company, office):
    first = residency(
        company=company, offices=[office], start=START, end=dt.date(2026, 6, 1), today=TODAY
    )
    residency(company=other_company, offices=[office], start=dt.date(2026, 6, 1))
    with pytest.raises(ValidationError, match="let to someone else"):
        services.residency_end(residency=first, user=None, end=dt.date(2026, 9, 1), today=TODAY)
    first.refresh_from_db()
    assert first.end == dt.date(2026, 6, 1)


def test_changes_are_kept_in_history_with_who_made_them(company, office, site_staff):
    contract = residency(company=company, offices=[office], start=START, user=site_staff)
    services.residency_end(
        residency=contract, user=site_staff, end=dt.date(2026, 1, 1), today=TODAY
    )
    assert [h.status for h in contract.history.order_by("history_date")] == ["active", "ended"]
    assert {h.history_user for h in contract.history.all()} == {site_staff}


def test_the_current_contracts_are_read_from_their_dates(
    company, office, second_office, site, tenant_member
):
    running = residency(company=company, offices=[office], start=START)
    lagging = residency(company=company, offices=[second_office], start=START)
    # Its end has come but the nightly closing has not run yet: it is over all the same.
    services.residency_end(residency=lagging, user=None, end=dt.date(2026, 7, 1), today=TODAY)
    coming = residency(
        company=company, offices=[OfficeFactory(site=site)], start=dt.date(2027, 1, 1)
    )
    on = dt.date(2026, 8, 1)
    current = list(selectors.residencies_current(company, tenant_member, today=on))
    assert current == [running]
    assert [lease.office for lease in current[0].office_leases.all()] == [office]
    assert current[0].company_first_start == START
    for contract, expected in ((running, True), (lagging, False), (coming, False)):
        contract.refresh_from_db()
        assert selectors.residency_is_current(contract, on=on) is expected


@pytest.mark.django_db(transaction=True)
def test_ten_people_letting_one_office_at_once_give_one_contract_and_nine_refusals():
    site = SiteFactory()
    office = OfficeFactory(site=site)
    companies = [CompanyFactory(home_site=site) for _ in range(10)]

    outcomes = run_concurrently(
        [
            lambda company=company, n=n: residency(
                company=company, offices=[office], start=START + dt.timedelta(days=n), today=TODAY
            )
            for n, company in enumerate(companies)
        ]
    )

    taken = "Already let on these dates: " + office.name + "."
    assert Counter(outcome.message for outcome in outcomes) == {"ok": 1, taken: 9}
    assert ResidencyOffice.objects.filter(office=office).count() == 1
    assert Residency.objects.count() == 1
