"""Law 09-08: what is collected is said, identity numbers are masked, a person gets their data."""

import json

import pytest
from django.urls import reverse

from tests.conftest import client_for
from tests.factories import UserFactory
from tests.factories.coworking import NomadProfileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def nomad_profile(site):
    return NomadProfileFactory(
        site=site, user=UserFactory(email="lina@example.ma"), document_number="JB123456"
    )


@pytest.mark.parametrize("language", ["fr", "ar", "en"])
def test_the_privacy_page_says_what_is_collected_and_why_in_each_language(language, db):
    response = client_for(None).get(reverse("privacy"), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    assert "09-08" in response.content.decode()
    assert reverse("my_data") in response.content.decode()


def test_every_page_links_to_the_privacy_page(db):
    assert reverse("privacy") in client_for(None).get(reverse("public:network")).content.decode()


def test_a_person_downloads_everything_about_them_without_secrets(nomad_profile):
    response = client_for(nomad_profile.user).get(reverse("my_data"))
    data = json.loads(response.content)
    assert response["Content-Disposition"].startswith("attachment")
    assert data["person"] == "lina@example.ma"
    assert data["data"]["nomad_membership"][0]["fields"]["document_number"] == "JB123456"
    assert "password" not in data["data"]["account"][0]["fields"]


def test_the_download_holds_nobody_elses_data(nomad_profile, tenant_admin):
    data = json.loads(client_for(tenant_admin).get(reverse("my_data")).content)
    assert data["data"]["nomad_membership"] == []
    assert [row["pk"] for row in data["data"]["account"]] == [tenant_admin.pk]


def test_the_network_manager_reads_a_masked_document_number(nomad_profile, network_manager):
    url = reverse("admin:coworking_nomadprofile_change", args=[nomad_profile.pk])
    page = client_for(network_manager).get(url).content.decode()
    assert "JB123456" not in page
    assert "JB••••56" in page


def test_the_sites_staff_who_decide_read_the_full_number(nomad_profile, site_staff):
    url = reverse("admin:coworking_nomadprofile_change", args=[nomad_profile.pk])
    assert "JB123456" in client_for(site_staff).get(url).content.decode()


def test_a_reader_cannot_search_by_document_number(nomad_profile, network_manager):
    url = reverse("admin:coworking_nomadprofile_changelist") + "?q=JB123456"
    response = client_for(network_manager).get(url)
    assert nomad_profile not in response.context["cl"].result_list
