"""The periods the dashboard shows: a quarter or a whole year, named in the URL.

``2026-Q2`` is a quarter, ``2025`` a year. Any past period may be asked for,
back to the first year of the network; the running period counts up to today.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext

from tenants.selectors.kpi import Quarter, last_due_quarter

#: The first year a period may name (Technopark Casablanca opened in 2001).
FIRST_YEAR = 2001
_PATTERN = re.compile(r"^(?P<year>\d{4})(?:-Q(?P<quarter>[1-4]))?$")


@dataclass(frozen=True)
class Period:
    """A quarter (``quarter`` 1..4) or a whole year (``quarter`` None)."""

    year: int
    quarter: int | None = None

    @classmethod
    def parse(cls, text: str, *, today: dt.date) -> Period | None:
        """The period ``text`` names, or None if it names none or one still to come."""
        match = _PATTERN.match(text or "")
        if not match:
            return None
        year = int(match["year"])
        quarter = int(match["quarter"]) if match["quarter"] else None
        period = cls(year, quarter)
        if year < FIRST_YEAR or period.first_day > today:
            return None
        return period

    @classmethod
    def default(cls, *, today: dt.date) -> Period:
        """The last quarter whose KPI reports are due: the one with figures to show."""
        quarter = last_due_quarter(today)
        return cls(quarter.year, quarter.number)

    @property
    def key(self) -> str:
        """How the URL names it (``2026-Q2``, ``2025``): never a localized number."""
        return f"{self.year}-Q{self.quarter}" if self.quarter else str(self.year)

    @property
    def quarters(self) -> list[Quarter]:
        """Its quarters, oldest first."""
        if self.quarter:
            return [Quarter(self.year, self.quarter)]
        return [Quarter(self.year, number) for number in range(1, 5)]

    @property
    def first_day(self) -> dt.date:
        return self.quarters[0].first_day

    @property
    def last_day(self) -> dt.date:
        return self.quarters[-1].last_day

    @property
    def is_year(self) -> bool:
        return self.quarter is None

    def __str__(self):
        if self.quarter:
            return str(Quarter(self.year, self.quarter))
        return gettext("Year %(year)s") % {"year": self.year}


def choices(*, today: dt.date, years: int = 3) -> list[tuple[str, str]]:
    """The periods offered in the filter's list: the quarters and years of the last
    ``years`` years, newest first (others are reached by typing them in the URL)."""
    options = []
    for year in range(today.year, today.year - years, -1):
        for number in range(4, 0, -1):
            period = Period(year, number)
            if period.first_day <= today:
                options.append((period.key, str(period)))
        options.append((str(year), str(Period(year))))
    return options
