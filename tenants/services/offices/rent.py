"""The tariff's rows: the default rate of each tier, loaded once.

The rule that prices a contract (tiers, 18 months, rates in force) lives in
``tenants.rent``, which reads and never writes.
"""

import datetime as dt
from decimal import Decimal

from django.db import transaction

from tenants.models import RentRate, RentTier

#: The public tariff (challenge.ma, leconomiste): seed data for ``rent_rates_load``.
DEFAULT_RATES = {
    RentTier.STARTUP: Decimal("50.00"),
    RentTier.STARTUP_MATURE: Decimal("100.00"),
    RentTier.SME: Decimal("100.00"),
    RentTier.LARGE: Decimal("130.00"),
}
DEFAULT_RATES_FROM = dt.date(2000, 1, 1)


@transaction.atomic
def rent_rates_load() -> int:
    """Create the default rate of each tier, effective 2000-01-01, where the tier has none.

    A tier with any rate (staff may have changed it) is left alone. Returns how
    many rates were created.
    """
    existing = set(RentRate.objects.values_list("tier", flat=True))
    created = [
        RentRate(tier=tier, monthly_rate_per_m2=amount, effective_from=DEFAULT_RATES_FROM)
        for tier, amount in DEFAULT_RATES.items()
        if tier not in existing
    ]
    for rate in created:
        rate.save()
    return len(created)
