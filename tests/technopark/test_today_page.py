"""The admin index is each staff member's today page: counts of their sites' work."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from psycopg.types.range import Range

from coworking.models import BookingStatus, NomadStatus, RoomBooking
from sites.models import SpaceKind
from technopark import clock
from tenants.models import RequestStatus
from tests.clock import TODAY, pinned
from tests.conftest import client_for
from tests.factories import CompanyFactory, SpaceFactory, UserFactory
from tests.factories.coworking import NomadProfileFactory, RoomRulesFactory
from tests.factories.offices import OfficeApplicationFactory
from tests.factories.requests import ServiceFactory, ServiceRequestFactory
from tests.queries import get_counted

pytestmark = [pytest.mark.django_db, pinned]

INDEX = reverse("admin:index")


def _english(user):
    client = client_for(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def _grow(site, n, *, start_hour=8):
    """``n`` rows of each kind the today page counts, at ``site``."""
    service = ServiceFactory(site=site)
    room = SpaceFactory(site=site, kind=SpaceKind.MEETING_ROOM, name=f"Salle {n}")
    RoomRulesFactory(space=room)
    for i in range(n):
        company = CompanyFactory(home_site=site)
        ServiceRequestFactory(company=company, service=service)
        ServiceRequestFactory(
            company=company, service=service, status=RequestStatus.WAITING_FOR_TENANT
        )
        OfficeApplicationFactory(site=site)
        NomadProfileFactory(site=site, status=NomadStatus.PENDING)
        start = clock.local_datetime(TODAY, dt.time(start_hour)) + dt.timedelta(minutes=10 * i)
        RoomBooking.objects.create(
            space=room,
            during=Range(start, start + dt.timedelta(minutes=10)),
            holder=UserFactory(),
            company=company,
            status=BookingStatus.PENDING,
        )


def _count(html, label):
    match = re.search(r'today-count">(\d+)</span> <span>' + re.escape(label), html)
    return int(match.group(1)) if match else None


def test_staff_see_their_sites_work_as_counts_that_link_to_the_lists(site, other_site, site_staff):
    _grow(site, 2)
    _grow(other_site, 3)
    response = _english(site_staff).get(INDEX)
    html = response.content.decode()
    assert response.status_code == 200
    assert _count(html, "Nobody assigned yet") == 4
    assert _count(html, "Waiting for the company") == 2
    assert _count(html, "Applications awaiting the committee") == 2
    assert _count(html, "Room bookings awaiting approval") == 2
    assert _count(html, "Nomads awaiting approval") == 2
    assert reverse("coworking:frontdesk", args=[site.slug]) in html
    assert reverse("coworking:approvals", args=[site.slug]) in html
    assert "status__in=submitted%2Cin_progress%2Cwaiting_for_tenant&amp;agent=none" in html
    assert "Recent actions" not in html


def test_each_count_links_to_a_list_of_that_many_rows(site, site_staff):
    _grow(site, 2)
    client = _english(site_staff)
    html = client.get(INDEX).content.decode()
    links = re.findall(r'href="(/admin/[^"]+\?[^"]+)"><span class="today-count">(\d+)', html)
    assert len(links) >= 6
    for href, count in links:
        response = client.get(href.replace("&amp;", "&"))
        assert response.status_code == 200, href  # an unknown filter redirects with ?e=1
        assert response.context["cl"].result_count == int(count), href


def test_the_today_page_costs_the_same_queries_at_2_and_30_rows_of_each_kind(
    site, site_staff, network_manager
):
    people = {"site_staff": site_staff, "network_manager": network_manager}
    _grow(site, 2)
    few = {name: get_counted(client_for(who), INDEX)[1] for name, who in people.items()}
    _grow(site, 28, start_hour=13)
    many = {name: get_counted(client_for(who), INDEX)[1] for name, who in people.items()}
    print(f"today page queries at 2 and 30 rows: {few} / {many}")
    assert few == many


def test_people_outside_the_staff_never_see_it(tenant_admin):
    assert client_for(tenant_admin).get(INDEX).status_code == 404
