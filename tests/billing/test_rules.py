"""The proration rule on its edges: 28/29/30/31-day months, a start on the 31st, the doubling."""

import datetime as dt
from decimal import Decimal

import pytest

from billing.rules import amount_in_words_fr, line_amounts, money, rent_pieces
from tenants.models import RentRate, RentTier, Residency, ResidencyOffice

D = Decimal
RATES = [
    RentRate(tier=RentTier.STARTUP, monthly_rate_per_m2=D(50), effective_from=dt.date(2000, 1, 1)),
    RentRate(
        tier=RentTier.STARTUP_MATURE, monthly_rate_per_m2=D(100), effective_from=dt.date(2000, 1, 1)
    ),
    RentRate(tier=RentTier.SME, monthly_rate_per_m2=D(100), effective_from=dt.date(2000, 1, 1)),
]


def contract(start, end=None, tier=RentTier.STARTUP, area="20.00", first_start=None):
    """A contract in memory: its leases and the company's first start given, no query."""
    residency = Residency(pk=1, start=start, end=end, tier=tier)
    residency.company_first_start = first_start or start
    residency._prefetched_objects_cache = {"office_leases": [ResidencyOffice(area_m2=D(area))]}
    return residency


def billed(residency, month):
    return sum((p.amount for p in rent_pieces(residency, month=month, rates=RATES)), D(0))


@pytest.mark.parametrize(
    ("month", "days"),
    [(dt.date(2026, 2, 1), 28), (dt.date(2028, 2, 1), 29), (dt.date(2026, 4, 1), 30),
     (dt.date(2026, 5, 1), 31)],
)  # fmt: skip
def test_a_whole_month_bills_the_monthly_rent_whatever_its_length(month, days):
    pieces = rent_pieces(contract(month), month=month, rates=RATES)
    assert len(pieces) == 1
    assert pieces[0].month_days == days
    assert (pieces[0].quantity, pieces[0].unit_price, pieces[0].amount) == (1, D(1000), D(1000))


@pytest.mark.parametrize(
    ("start", "days", "daily", "amount"),
    [
        (dt.date(2026, 2, 15), 14, D("35.71"), D("499.94")),  # 28 days: 1000 / 28 = 35.714...
        (dt.date(2028, 2, 15), 15, D("34.48"), D("517.20")),  # 29 days: 34.482...
        (dt.date(2026, 4, 16), 15, D("33.33"), D("499.95")),  # 30 days
        (dt.date(2026, 5, 31), 1, D("32.26"), D("32.26")),  # a start on the 31st: one day
    ],
)
def test_a_start_inside_the_month_bills_each_day_at_the_daily_rent(start, days, daily, amount):
    (piece,) = rent_pieces(contract(start), month=start.replace(day=1), rates=RATES)
    assert (piece.first, piece.days, piece.quantity, piece.unit_price) == (start, days, days, daily)
    assert piece.amount == amount


def test_the_end_day_is_not_billed():
    (piece,) = rent_pieces(
        contract(dt.date(2026, 1, 1), end=dt.date(2026, 4, 11)), month=dt.date(2026, 4, 1),
        rates=RATES,
    )  # fmt: skip
    assert (piece.first, piece.last, piece.days) == (dt.date(2026, 4, 1), dt.date(2026, 4, 10), 10)


def test_a_start_on_the_31st_then_bills_whole_months():
    residency = contract(dt.date(2026, 1, 31))
    assert billed(residency, dt.date(2026, 1, 1)) == D("32.26")
    assert billed(residency, dt.date(2026, 2, 1)) == D(1000)


def test_months_outside_the_contract_bill_nothing():
    residency = contract(dt.date(2026, 3, 1), end=dt.date(2026, 5, 1))
    assert rent_pieces(residency, month=dt.date(2026, 2, 1), rates=RATES) == []
    assert rent_pieces(residency, month=dt.date(2026, 5, 1), rates=RATES) == []


@pytest.mark.parametrize(
    ("first_start", "last_startup_month", "doubling_month"),
    [
        (dt.date(2024, 9, 16), dt.date(2026, 3, 1), dt.date(2026, 4, 1)),  # mid-month start
        (dt.date(2024, 9, 1), dt.date(2026, 2, 1), dt.date(2026, 3, 1)),  # on the 1st
        (dt.date(2024, 8, 31), dt.date(2026, 2, 1), dt.date(2026, 3, 1)),  # 31st, 28-day Feb
        (dt.date(2026, 8, 31), dt.date(2028, 2, 1), dt.date(2028, 3, 1)),  # 31st, 29-day Feb
        (dt.date(2025, 5, 31), dt.date(2026, 11, 1), dt.date(2026, 12, 1)),  # 31st, 30-day Nov
        (dt.date(2025, 1, 31), dt.date(2026, 7, 1), dt.date(2026, 8, 1)),  # 31st, 31-day Jul
        (dt.date(2025, 1, 30), dt.date(2026, 7, 1), dt.date(2026, 8, 1)),
    ],
)  # fmt: skip
def test_the_rate_doubles_from_the_first_calendar_month_after_the_18th(
    first_start, last_startup_month, doubling_month
):
    """Whole months: the month holding the 18th month's last day is billed whole at the
    startup rate, the next one whole at the doubled rate; no month is split by the doubling."""
    residency = contract(first_start)
    (last,) = rent_pieces(residency, month=last_startup_month, rates=RATES)
    (first,) = rent_pieces(residency, month=doubling_month, rates=RATES)
    assert (last.tier, last.whole_month, last.amount) == (RentTier.STARTUP, True, D(1000))
    assert (first.tier, first.whole_month, first.amount) == (
        RentTier.STARTUP_MATURE, True, D(2000)
    )  # fmt: skip
    assert first.first == doubling_month


def test_the_doubling_month_of_a_contract_ending_inside_it_is_prorated_at_the_doubled_rate():
    residency = contract(dt.date(2024, 9, 16), end=dt.date(2026, 4, 11))
    (piece,) = rent_pieces(residency, month=dt.date(2026, 4, 1), rates=RATES)
    assert (piece.tier, piece.days, piece.unit_price) == (RentTier.STARTUP_MATURE, 10, D("66.67"))
    assert piece.amount == D("666.70")


def test_the_eighteen_months_count_from_the_companys_first_contract():
    residency = contract(dt.date(2026, 1, 1), first_start=dt.date(2024, 7, 1))
    assert billed(residency, dt.date(2026, 1, 1)) == D(2000)


def test_other_tiers_never_double():
    residency = contract(dt.date(2020, 1, 1), tier=RentTier.SME)
    assert billed(residency, dt.date(2026, 3, 1)) == D(2000)


def test_amounts_round_half_up_to_the_centime():
    assert money(D("0.005")) == D("0.01")
    assert money(D("2.675")) == D("2.68")
    assert line_amounts(D(3), D("33.335"), D(20)) == (D("100.01"), D("20.00"))
    assert line_amounts(D(1), D("0.025"), D(20)) == (D("0.03"), D("0.01"))


def test_the_amount_in_words_is_french():
    assert amount_in_words_fr(D("1250.50")) == (
        "mille deux cent cinquante dirhams et cinquante centimes"
    )
    assert amount_in_words_fr(D("1")) == "un dirham"
