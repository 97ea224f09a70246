"""The eight sites of the network, loaded as data staff can correct."""

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.test import Client

from sites.models import Site, SiteStatus, Space, SpaceKind
from sites.network import network_load
from tests.factories import SiteFactory, SpaceFactory

pytestmark = pytest.mark.django_db


def test_the_network_loads_its_eight_sites_with_their_figures():
    network_load()
    sites = {s.slug: s for s in Site.objects.all()}
    assert set(sites) == {
        "casablanca",
        "rabat",
        "tanger",
        "agadir",
        "essaouira",
        "fes",
        "oujda",
        "tiznit",
    }
    operating = {slug for slug, s in sites.items() if s.status == SiteStatus.OPERATING}
    assert operating == {"casablanca", "rabat", "tanger", "agadir", "essaouira"}
    essaouira = sites["essaouira"]
    assert (essaouira.usable_area_m2, essaouira.capacity_companies) == (2350, 40)
    assert essaouira.coworking_desks == 35
    assert essaouira.opening_year == 2023
    assert sorted(essaouira.spaces.values_list("kind", flat=True)) == sorted(
        [
            SpaceKind.COWORKING,
            SpaceKind.AGORA,
            SpaceKind.TRAINING_ROOM,
            SpaceKind.GAMING_ROOM,
            SpaceKind.ONE_STOP_SHOP,
        ]
    )
    assert sites["agadir"].spaces.filter(kind=SpaceKind.TRAINING_ROOM).count() == 6
    assert sites["tiznit"].planned_opening.isoformat() == "2025-12-01"
    assert sites["casablanca"].opening_year == 2001


def test_reloading_the_network_keeps_what_staff_corrected():
    network_load()
    Site.objects.filter(slug="essaouira").update(capacity_companies=70)
    Space.objects.filter(site__slug="essaouira", name="Agora").update(capacity=120)
    assert network_load() == (0, 0)
    assert Site.objects.get(slug="essaouira").capacity_companies == 70
    assert Space.objects.get(site__slug="essaouira", name="Agora").capacity == 120


def test_the_demo_command_runs_twice_and_the_second_run_adds_nothing(capsys):
    from django.apps import apps

    call_command("demo")
    models = [
        m
        for m in apps.get_models()
        if m._meta.app_label in ("sites", "tenants", "coworking", "billing")
    ]
    first = {m._meta.label: m._default_manager.count() for m in models}
    call_command("demo")
    second = {m._meta.label: m._default_manager.count() for m in models}
    assert second == first
    assert first["tenants.Company"] >= 150 and first["tenants.ServiceRequest"] > 0
    assert first["billing.Invoice"] > 0 and first["billing.CreditNote"] == 1
    output = capsys.readouterr().out
    assert "staff-essaouira@technopark.test" in output
    assert "founder@atlas-games.test" in output
    assert Site.objects.count() == 8


def test_the_public_pages_show_the_network_and_each_site():
    network_load()
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    home = client.get("/").content.decode()
    for name in ("Technopark Casablanca", "Technopark Essaouira", "Technopark Tiznit"):
        assert name in home
    page = client.get("/sites/essaouira/").content.decode()
    assert "Guichet unique" in page and "Espace gaming" in page
    assert "2\xa0350 m²" in page


def test_the_database_refuses_an_operating_site_without_an_opening():
    with pytest.raises(IntegrityError), transaction.atomic():
        SiteFactory(status=SiteStatus.OPERATING, opening_year=None, opened_on=None)


def test_the_database_refuses_a_bookable_space_without_a_rate():
    with pytest.raises(IntegrityError), transaction.atomic():
        SpaceFactory(bookable=True, hourly_rate=None)


def test_the_database_refuses_a_negative_rate():
    with pytest.raises(IntegrityError), transaction.atomic():
        SpaceFactory(hourly_rate=-1)
