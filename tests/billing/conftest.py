import datetime as dt
from decimal import Decimal

import pytest

from billing.models import IssuingEntity, TaxRate
from billing.services import invoice_issue, invoice_run
from tenants.models import CompanyStatus
from tenants.services.offices.rent import rent_rates_load
from tests.factories.offices import OfficeFactory, residency

MONTH = dt.date(2026, 5, 1)
ISSUED = dt.date(2026, 6, 2)


def entity_for(site, prefix):
    return IssuingEntity.objects.create(
        site=site,
        name=f"MITC {site.city}",
        address=f"Technopark {site.city}, Maroc",
        tax_id="1234567",
        tp_number="50012345",
        ice="001234567000089",
        rc_number="123456",
        rc_court="Casablanca",
        prefix=prefix,
    )


@pytest.fixture
def entity(site):
    return entity_for(site, "ESS")


@pytest.fixture
def other_entity(other_site):
    return entity_for(other_site, "RAB")


@pytest.fixture(autouse=True)
def vat(db):
    """The standard rate (migration 0002 seeds it; a transactional test's flush removes it)."""
    return TaxRate.objects.get_or_create(
        is_default=True, defaults={"name": "TVA 20 %", "rate": Decimal(20)}
    )[0]


@pytest.fixture
def lease(company, site, entity):
    """Company A rents 20 m² at site A since 2026-01-01 (1,000 MAD a month excl. TVA)."""
    rent_rates_load()
    company.status = CompanyStatus.RESIDENT
    company.save()
    office = OfficeFactory(site=site, area_m2=Decimal("20.00"))
    return residency(company=company, offices=[office], start=dt.date(2026, 1, 1))


@pytest.fixture
def draft(lease, site_staff):
    return invoice_run(actor=site_staff, site=lease.site, month=MONTH).invoices[0]


@pytest.fixture
def issued(draft, site_staff):
    return invoice_issue(actor=site_staff, invoice=draft, today=ISSUED)


# The events' fixtures, for the paid events the run bills.
from tests.events.conftest import agora, make_event  # noqa: E402, F401
