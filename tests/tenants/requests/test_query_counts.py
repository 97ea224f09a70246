"""The one-stop shop's lists run the same number of queries with 5 requests or with 200."""

import datetime as dt
import itertools

import pytest
from django.urls import reverse

from tenants.models import RequestStatus
from tests.clock import NOW, TODAY, pinned
from tests.factories.requests import (
    AppointmentBookingFactory,
    AppointmentSlotFactory,
    RequestAttachmentFactory,
    RequestMessageFactory,
    ServiceRequestFactory,
)
from tests.queries import counting_queries, queries_to_get

from .conftest import client_in_english

# Which requests are overdue, and which slots are to come, depend on the day.
pytestmark = [pytest.mark.django_db, pinned]


@pytest.fixture
def grow(company, service, appointment_service, agent, tenant_member):
    """Add requests to company A until it has ``count``, in every status, some overdue."""
    kinds = itertools.cycle(
        [
            {"status": RequestStatus.SUBMITTED},
            {"status": RequestStatus.IN_PROGRESS, "assigned_to": agent},
            {"status": RequestStatus.WAITING_FOR_TENANT, "assigned_to": agent},
            {"status": RequestStatus.RESOLVED, "closed_at": NOW},
            {
                "status": RequestStatus.REJECTED,
                "closed_at": NOW,
                "rejection_reason": "Doublon",
            },
            {
                "status": RequestStatus.SUBMITTED,
                "deadline": TODAY - dt.timedelta(days=2),
            },
        ]
    )
    services = itertools.cycle([service, appointment_service])

    def grow_to(count):
        while company.requests.count() < count:
            ServiceRequestFactory(
                company=company,
                service=next(services),
                created_by=tenant_member,
                **next(kinds),
            )

    return grow_to


@pytest.mark.parametrize(
    ("url", "who"),
    [
        (reverse("portal:request_list"), "tenant_admin"),
        (reverse("admin:tenants_servicerequest_changelist"), "site_staff"),
        (reverse("admin:tenants_servicerequest_changelist"), "superuser"),
        (reverse("admin:tenants_servicerequest_changelist"), "network_manager"),
    ],
)
def test_the_request_lists_cost_the_same_with_5_and_200_requests(url, who, grow, request):
    client = client_in_english(request.getfixturevalue(who))
    grow(5)
    at_5 = queries_to_get(client, url)
    grow(200)
    at_200 = queries_to_get(client, url)
    print(f"\n{url} as {who}: {at_5} queries with 5 requests, {at_200} with 200")
    assert at_5 == at_200


def test_the_filtered_portal_list_costs_the_same_too(grow, tenant_admin):
    client = client_in_english(tenant_admin)
    url = reverse("portal:request_list")
    filters = {"status": RequestStatus.SUBMITTED, "overdue": "on"}
    # From 12 requests on, some match the filters (an empty page skips one query).
    grow(12)
    at_12 = queries_to_get(client, url, filters)
    grow(200)
    at_200 = queries_to_get(client, url, filters)
    assert at_12 == at_200


def test_a_requests_page_costs_the_same_with_1_and_30_messages(
    in_progress, agent, tenant_member, site_staff
):
    def add_messages(count):
        while in_progress.messages.count() < count:
            author = agent if in_progress.messages.count() % 2 else tenant_member
            message = RequestMessageFactory(request=in_progress, author=author)
            RequestAttachmentFactory(request=in_progress, message=message, uploaded_by=author)

    for who, url in [
        (tenant_member, reverse("portal:request_detail", args=[in_progress.pk])),
        (site_staff, reverse("admin:tenants_servicerequest_change", args=[in_progress.pk])),
    ]:
        client = client_in_english(who)
        add_messages(1)
        queries_to_get(client, url)  # warms Django's content-type cache
        few = queries_to_get(client, url)
        add_messages(30)
        many = queries_to_get(client, url)
        assert few == many


def test_the_appointment_pages_cost_the_same_with_few_and_many_slots(
    appointment_service, company, tenant_admin, site_staff
):
    def add_slots(count):
        while appointment_service.slots.count() < count:
            slot = AppointmentSlotFactory(service=appointment_service)
            if appointment_service.slots.count() % 2:
                AppointmentBookingFactory(slot=slot, company=company, booked_by=tenant_admin)

    pages = [
        (tenant_admin, reverse("portal:appointment_list")),
        (tenant_admin, reverse("portal:appointment_book")),
        (site_staff, reverse("admin:tenants_appointmentslot_changelist")),
        (site_staff, reverse("admin:tenants_appointmentbooking_changelist")),
    ]
    add_slots(4)
    few = [queries_to_get(client_in_english(who), url) for who, url in pages]
    add_slots(80)
    many = [queries_to_get(client_in_english(who), url) for who, url in pages]
    assert few == many


def test_the_bulk_assign_page_costs_the_same_with_2_and_30_requests(grow, company, site_staff):
    client = client_in_english(site_staff)

    def assign_page(count) -> int:
        grow(count)
        selected = list(company.requests.values_list("pk", flat=True))
        with counting_queries() as captured:
            response = client.post(
                reverse("admin:tenants_servicerequest_changelist"),
                {"action": "assign_to_agent", "_selected_action": selected},
            )
        assert response.status_code == 200
        assert len(response.context["requests"]) == count
        return len(captured)

    assert assign_page(2) == assign_page(30)
