"""The portal's home: the company at a glance, at a constant query count."""

import datetime as dt

import pytest
from django.urls import reverse

from tenants.models import RentRate, RentTier, RequestStatus
from tests.clock import NOW, TODAY, pinned
from tests.conftest import client_for
from tests.factories.offices import OfficeFactory, residency
from tests.factories.requests import ServiceFactory, ServiceRequestFactory
from tests.queries import get_counted

# Today's rent and what is overdue depend on the day: the page's is the pinned one.
pytestmark = [pytest.mark.django_db, pinned]


@pytest.fixture
def rates(db):
    for tier, amount in [(RentTier.STARTUP, 50), (RentTier.STARTUP_MATURE, 100)]:
        RentRate.objects.create(tier=tier, monthly_rate_per_m2=amount, effective_from="2000-01-01")


def _home(user):
    return get_counted(client_for(user), reverse("portal:home"))


def test_the_home_shows_the_contract_with_todays_rent(company, tenant_admin, rates):
    office = OfficeFactory(site=company.home_site, name="Bureau B-12", area_m2=20)
    residency(company=company, offices=[office], start=TODAY - dt.timedelta(days=30))
    response, _ = _home(tenant_admin)
    (contract,) = response.context["residencies"]
    assert contract.rent_today == 1000
    assert "Bureau B-12" in response.content.decode()


def test_the_home_counts_open_and_overdue_requests(company, tenant_admin):
    service = ServiceFactory(site=company.home_site)
    yesterday = TODAY - dt.timedelta(days=1)
    ServiceRequestFactory.create_batch(2, company=company, service=service)
    ServiceRequestFactory(company=company, service=service, deadline=yesterday)
    ServiceRequestFactory(
        company=company,
        service=service,
        status=RequestStatus.RESOLVED,
        closed_at=NOW,
    )
    response, _ = _home(tenant_admin)
    assert (response.context["requests_open"], response.context["requests_overdue"]) == (3, 1)


def test_the_home_query_count_is_the_same_with_5_and_200_requests(company, tenant_admin, rates):
    service = ServiceFactory(site=company.home_site)
    office = OfficeFactory(site=company.home_site, area_m2=20)
    residency(company=company, offices=[office], start=TODAY - dt.timedelta(days=9))
    ServiceRequestFactory.create_batch(5, company=company, service=service)
    _, at_5 = _home(tenant_admin)
    ServiceRequestFactory.create_batch(195, company=company, service=service)
    _, at_200 = _home(tenant_admin)
    print(f"portal home: {at_5} queries with 5 requests, {at_200} with 200")
    assert at_5 == at_200


def test_another_companys_requests_never_show(company, other_company, tenant_admin):
    service = ServiceFactory(site=other_company.home_site, name="Badge B")
    ServiceRequestFactory(company=other_company, service=service)
    response, _ = _home(tenant_admin)
    assert response.context["requests_open"] == 0
    assert "Badge B" not in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_overview_is_kept_until_its_data_changes_or_its_first_appointment_starts(
    company, tenant_admin, time_machine
):
    """Seen again: fewer queries, the same figures. A new request shows at once; a
    booking elsewhere in the network keeps it; its first appointment leaves the
    list when it starts, with nothing written."""
    from django.utils import timezone

    from tenants.selectors import company as company_selectors
    from tests.factories import SpaceFactory
    from tests.factories.requests import AppointmentBookingFactory, AppointmentSlotFactory

    company_selectors._overviews.clear()
    service = ServiceFactory(site=company.home_site, needs_appointment=True)
    ServiceRequestFactory(company=company, service=service)
    soon = timezone.now() + dt.timedelta(hours=2)
    AppointmentBookingFactory(
        company=company,
        slot=AppointmentSlotFactory(
            service=service, starts_at=soon, ends_at=soon + dt.timedelta(minutes=30)
        ),
    )
    client = client_for(tenant_admin)  # one login: a login writes the person's last_login

    def home():
        return get_counted(client, reverse("portal:home"))

    first, computed = home()
    again, kept = home()
    assert kept < computed
    assert again.context["requests_open"] == first.context["requests_open"] == 1
    SpaceFactory(site=company.home_site)  # a table the overview does not read
    _, still_kept = home()
    assert still_kept == kept
    ServiceRequestFactory(company=company, service=service)
    changed, after_write = home()
    assert changed.context["requests_open"] == 2
    assert after_write == computed
    assert len(changed.context["appointments"]) == 1
    time_machine.move_to(soon + dt.timedelta(minutes=1))
    started, _ = home()
    assert started.context["appointments"] == []
    company_selectors._overviews.clear()
