"""The billing rules that are arithmetic: money rounding, rent proration, amounts in words.

No writes and no queries of their own, so the run, the documents and the
tests price things the same way.
"""

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from tenants.models import RentRate, Residency
from tenants.rent import leased_area, monthly_rate, rent_tier_on

CENT = Decimal("0.01")


def money(value: Decimal) -> Decimal:
    """Rounded half-up to the centime (the rule of every line)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def line_amounts(
    quantity: Decimal, unit_price: Decimal, tva_rate: Decimal
) -> tuple[Decimal, Decimal]:
    """(amount excl. TVA, TVA) of one line, each rounded half-up to the centime."""
    amount_ht = money(quantity * unit_price)
    return amount_ht, money(amount_ht * tva_rate / 100)


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def days_in_month(month: dt.date) -> int:
    return calendar.monthrange(month.year, month.month)[1]


@dataclass(frozen=True)
class RentPiece:
    """Consecutive days of one month billed at one monthly rent.

    ``quantity`` × ``unit_price`` is the amount: 1 × the monthly rent for a
    whole month, else the days × the daily rent.
    """

    first: dt.date
    last: dt.date
    tier: str
    rate_per_m2: Decimal
    area_m2: Decimal
    monthly_rent: Decimal
    days: int
    month_days: int

    @property
    def whole_month(self) -> bool:
        return self.days == self.month_days

    @property
    def quantity(self) -> Decimal:
        return Decimal(1) if self.whole_month else Decimal(self.days)

    @property
    def unit_price(self) -> Decimal:
        if self.whole_month:
            return self.monthly_rent
        return money(self.monthly_rent / self.month_days)

    @property
    def amount(self) -> Decimal:
        return money(self.quantity * self.unit_price)


def rent_pieces(
    residency: Residency, *, month: dt.date, rates: Sequence[RentRate] | None = None
) -> list[RentPiece]:
    """The rent of ``residency`` for ``month``, as pieces of one rent each.

    The one proration rule: a month the contract covers whole bills its
    monthly rent (rate in force × leased m², ``tenants.rent``); a month it
    covers in part (a start or an end inside the month, a new rate row taking
    effect inside the month) bills each run of days at one rent
    as days × (that monthly rent ÷ the days of the month, rounded half-up to
    the centime). The contract covers ``[start, end)``: its end day is not
    billed. The tier on each day is ``tenants.rent.rent_tier_on``'s: a
    startup's rate doubles from the first calendar month after its 18th month
    (``tenants.rent.mature_from``), so the doubling month is billed whole at
    the doubled rate and the month before whole at the startup rate.
    """
    month = month_start(month)
    month_days = days_in_month(month)
    first = max(residency.start, month)
    stop = min(residency.end or next_month(month), next_month(month))
    area = leased_area(residency)
    pieces: list[RentPiece] = []
    day = first
    while day < stop:
        tier = rent_tier_on(residency, on=day)
        rate = monthly_rate(residency, on=day, rates=rates)
        if rate is None:  # no rate in force: nothing to bill that day
            day += dt.timedelta(days=1)
            continue
        if (
            pieces
            and pieces[-1].tier == tier
            and pieces[-1].rate_per_m2 == rate
            and (pieces[-1].last + dt.timedelta(days=1) == day)
        ):
            last = pieces[-1]
            pieces[-1] = RentPiece(
                last.first, day, tier, rate, area, last.monthly_rent, last.days + 1, month_days
            )
        else:
            pieces.append(RentPiece(day, day, tier, rate, area, money(rate * area), 1, month_days))
        day += dt.timedelta(days=1)
    return [piece for piece in pieces if piece.area_m2 > 0]


def amount_in_words_fr(amount: Decimal) -> str:
    """``1250.50`` -> "mille deux cent cinquante dirhams et cinquante centimes"."""
    amount = money(amount)
    dirhams = int(amount)
    centimes = int((amount - dirhams) * 100)
    from num2words import num2words  # its language tables load on first use, not at start-up

    words = f"{num2words(dirhams, lang='fr')} dirham{'s' if dirhams > 1 else ''}"
    if centimes:
        words += f" et {num2words(centimes, lang='fr')} centime{'s' if centimes > 1 else ''}"
    return words
