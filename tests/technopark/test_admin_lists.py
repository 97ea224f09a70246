"""Staff lists fit a 1366 px screen and link only to pages the person may open."""

import datetime as dt
import re

import pytest
from django.db.backends.postgresql.psycopg_any import DateRange
from django.urls import reverse

from sites.models import StaffRole
from tests.conftest import client_for
from tests.factories import StaffAssignmentFactory
from tests.factories.coworking import PassFactory
from tests.factories.offices import OfficeApplicationFactory

pytestmark = pytest.mark.django_db


def _english(client):
    client.cookies["django_language"] = "en"
    return client


def test_a_list_is_headed_by_its_plural_name_not_select_to_change(site_staff):
    html = _english(client_for(site_staff)).get(reverse("admin:coworking_pass_changelist"))
    page = html.content.decode()
    assert "<h1>Passes</h1>" in page
    assert "Select pass to change" not in page


def test_the_site_column_shows_only_to_people_of_several_sites(site, other_site, site_staff):
    OfficeApplicationFactory(site=site)
    url = reverse("admin:tenants_officeapplication_changelist")
    one_site = _english(client_for(site_staff)).get(url).content.decode()
    assert re.search(r'column-site[" ]', one_site) is None
    assert "column-status_and_rank" in one_site
    StaffAssignmentFactory(user=site_staff, site=other_site, role=StaffRole.SITE_MANAGER)
    two_sites = _english(client_for(site_staff)).get(url).content.decode()
    assert re.search(r'column-site[" ]', two_sites)


def test_a_read_only_person_is_a_link_only_for_who_may_open_their_page(site, site_staff, superuser):
    one = PassFactory(site=site, period=DateRange(dt.date(2026, 12, 1), dt.date(2027, 1, 1)))
    url = reverse("admin:coworking_pass_change", args=[one.pk])
    person_url = reverse("admin:technopark_user_change", args=[one.holder_id])
    staff_page = client_for(site_staff).get(url).content.decode()
    assert str(one.holder) in staff_page and person_url not in staff_page
    assert client_for(site_staff).get(person_url).status_code == 404  # what the link led to
    assert person_url in client_for(superuser).get(url).content.decode()


def test_an_agent_s_today_page_links_to_no_front_desk_pass_or_nomad_list(site):
    agent = StaffAssignmentFactory(site=site, role=StaffRole.ONE_STOP_SHOP_AGENT).user
    manager = StaffAssignmentFactory(site=site, role=StaffRole.SITE_MANAGER).user
    links = ("/frontdesk/", "/admin/coworking/pass/", "/admin/coworking/nomadprofile/")
    manager_page = client_for(manager).get(reverse("admin:index")).content.decode()
    assert all(link in manager_page for link in links)
    agent_client = client_for(agent)
    agent_page = agent_client.get(reverse("admin:index")).content.decode()
    assert not any(link in agent_page for link in links)
    for link in links:
        assert agent_client.get(link).status_code == 404
