"""The public directory lists only companies that opted in, filterable and paged."""

import pytest
from django.test import Client
from django.urls import reverse

from tenants.models import CompanyStatus
from tests.factories import CompanyFactory
from tests.queries import get_counted

pytestmark = pytest.mark.django_db


def _names(response):
    return [c.legal_name for c in response.context["page"]]


def test_only_companies_that_opted_in_are_listed(site):
    CompanyFactory(legal_name="Listed SARL", home_site=site, public_profile=True)
    CompanyFactory(legal_name="Discreet SARL", home_site=site, public_profile=False)
    CompanyFactory(
        legal_name="Applicant SARL",
        home_site=site,
        public_profile=True,
        status=CompanyStatus.APPLICANT,
    )
    response = Client().get(reverse("directory:list"))
    assert _names(response) == ["Listed SARL"]


def test_the_directory_filters_by_site_and_sector(site, other_site):
    CompanyFactory(legal_name="A SARL", home_site=site, sector="video_games", public_profile=True)
    CompanyFactory(legal_name="B SARL", home_site=other_site, sector="digital", public_profile=True)
    CompanyFactory(legal_name="C SARL", home_site=site, sector="digital", public_profile=True)
    client = Client()
    assert _names(client.get(reverse("directory:list"), {"site": site.slug})) == [
        "A SARL",
        "C SARL",
    ]
    assert _names(client.get(reverse("directory:list"), {"sector": "digital"})) == [
        "B SARL",
        "C SARL",
    ]
    assert _names(client.get(reverse("directory:list"), {"q": "zz"})) == []
    assert _names(client.get(reverse("directory:list"), {"q": "B SA"})) == ["B SARL"]


def test_a_hidden_company_has_no_public_page(site):
    hidden = CompanyFactory(home_site=site, public_profile=False)
    assert Client().get(reverse("directory:detail", args=[hidden.pk])).status_code == 404
    assert Client().get(reverse("directory:logo", args=[hidden.pk])).status_code == 404


def test_the_directory_pages_by_24_with_constant_queries(site):
    CompanyFactory.create_batch(2, home_site=site, public_profile=True)
    _, few = get_counted(Client(), reverse("directory:list"))
    CompanyFactory.create_batch(60, home_site=site, public_profile=True)
    response, many = get_counted(Client(), reverse("directory:list"))
    assert few == many
    assert len(response.context["page"]) == 24
    assert Client().get(reverse("directory:list"), {"page": 3}).context["page"].number == 3
