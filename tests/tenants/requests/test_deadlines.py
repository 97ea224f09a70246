"""Deadlines count the site's working days from the local today; overdue is open and past it."""

import datetime as dt

import pytest
from django.urls import reverse

from sites.models import Closure
from technopark.clock import local_datetime
from tenants.models import RequestStatus
from tenants.selectors import requests as selectors
from tenants.services import requests as services
from tests.clock import NOW
from tests.factories.requests import ServiceRequestFactory

from .conftest import client_in_english

pytestmark = pytest.mark.django_db


def _working_days_after(start, count, closed=()):
    """Counted here by hand, day by day: Monday to Friday, minus the closed days."""
    day = start
    while count:
        day += dt.timedelta(days=1)
        if day.weekday() < 5 and day not in closed:
            count -= 1
    return day


@pytest.fixture(
    params=[
        pytest.param(NOW, id="wednesday"),
        pytest.param(local_datetime(dt.date(2026, 6, 13), dt.time(10)), id="saturday"),
        # Saturday night before Morocco's last clock change (01:00-02:00 comes twice).
        pytest.param(local_datetime(dt.date(2026, 9, 19), dt.time(23, 30)), id="switch_eve"),
    ]
)
def today(request, time_machine):
    """The one local date a test reasons about, handed to the services and selectors; the
    pages read the clock, so it is put there too."""
    time_machine.move_to(request.param, tick=True)
    return request.param.date()


def _file(tenant_member, company, service, today):
    return services.request_create(
        user=tenant_member, company=company, service=service, description="Attestation", today=today
    )


def test_the_deadline_is_the_services_time_in_working_days_from_today(
    tenant_member, company, service, today
):
    service_request = _file(tenant_member, company, service, today)
    assert service_request.deadline == _working_days_after(today, 3)
    assert service_request.deadline.weekday() < 5


def test_a_ten_day_service_spans_two_weekends(tenant_member, company, appointment_service, today):
    # Filed on a weekday (the next Monday): from a Saturday, ten working days take 13 days.
    today += dt.timedelta(days=-today.weekday() % 7)
    service_request = _file(tenant_member, company, appointment_service, today)
    assert service_request.deadline == _working_days_after(today, 10)
    assert (service_request.deadline - today).days >= 14


def test_the_sites_closures_and_the_networks_holidays_push_the_deadline(
    tenant_member, company, service, site, other_site, today
):
    first, second = _working_days_after(today, 1), _working_days_after(today, 2)
    Closure.objects.create(site=site, date=first, name="Travaux")
    Closure.objects.create(site=None, date=second, name="Fête du Trône")
    # Another site's closure changes nothing here.
    Closure.objects.create(site=other_site, date=_working_days_after(today, 3), name="Inventaire")
    service_request = _file(tenant_member, company, service, today)
    assert service_request.deadline == _working_days_after(today, 3, closed={first, second})
    assert service_request.deadline == _working_days_after(today, 5)


def _request(company, service, status, deadline, **fields):
    if status in (RequestStatus.RESOLVED, RequestStatus.REJECTED):
        fields["closed_at"] = NOW  # any instant: a closed request is dated (a constraint)
    if status == RequestStatus.REJECTED:
        fields["rejection_reason"] = "Doublon"
    return ServiceRequestFactory(
        company=company, service=service, status=status, deadline=deadline, **fields
    )


@pytest.fixture
def requests_around_today(company, service, agent, today):
    yesterday, tomorrow = today - dt.timedelta(days=1), today + dt.timedelta(days=1)
    return {
        "late": _request(company, service, RequestStatus.SUBMITTED, yesterday),
        "late_waiting": _request(
            company, service, RequestStatus.WAITING_FOR_TENANT, yesterday, assigned_to=agent
        ),
        "due_today": _request(
            company, service, RequestStatus.IN_PROGRESS, today, assigned_to=agent
        ),
        "on_time": _request(company, service, RequestStatus.SUBMITTED, tomorrow),
        "resolved_late": _request(company, service, RequestStatus.RESOLVED, yesterday),
        "rejected_late": _request(company, service, RequestStatus.REJECTED, yesterday),
    }


def test_open_requests_past_their_deadline_are_overdue(
    requests_around_today, tenant_member, company, today
):
    listed = selectors.request_list_for_company(user=tenant_member, company=company, today=today)
    overdue = {r.pk for r in listed if r.is_overdue}
    assert overdue == {requests_around_today["late"].pk, requests_around_today["late_waiting"].pk}


def test_the_overdue_filter_keeps_only_overdue_requests(
    requests_around_today, tenant_member, company, today
):
    listed = selectors.request_list_for_company(
        user=tenant_member, company=company, only_overdue=True, today=today
    )
    assert {r.pk for r in listed} == {
        requests_around_today["late"].pk,
        requests_around_today["late_waiting"].pk,
    }


def test_the_portal_list_shows_the_overdue_badge(requests_around_today, tenant_member):
    client = client_in_english(tenant_member)
    response = client.get(reverse("portal:request_list"))
    assert response.content.decode().count(">Overdue</span>") == 2
    response = client.get(reverse("portal:request_list"), {"overdue": "on"})
    assert [r.pk for r in response.context["page"].object_list] == [
        requests_around_today["late_waiting"].pk,
        requests_around_today["late"].pk,
    ]


def test_the_portal_list_filters_by_status(requests_around_today, tenant_member):
    response = client_in_english(tenant_member).get(
        reverse("portal:request_list"), {"status": RequestStatus.RESOLVED}
    )
    assert [r.pk for r in response.context["page"].object_list] == [
        requests_around_today["resolved_late"].pk
    ]


def test_the_staff_list_filters_overdue_requests(requests_around_today, site_staff):
    response = client_in_english(site_staff).get(
        reverse("admin:tenants_servicerequest_changelist"), {"overdue": "yes"}
    )
    assert {r.pk for r in response.context["cl"].result_list} == {
        requests_around_today["late"].pk,
        requests_around_today["late_waiting"].pk,
    }
    response = client_in_english(site_staff).get(
        reverse("admin:tenants_servicerequest_changelist"), {"overdue": "no"}
    )
    assert len(response.context["cl"].result_list) == 4
