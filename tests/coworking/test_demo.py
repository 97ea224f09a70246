"""The demo seeder on a small world: the network, two resident companies at Essaouira."""

import datetime as dt
import random

import pytest

from coworking.demo import seed
from coworking.models import (
    Desk,
    DeskReservation,
    NomadProfile,
    Pass,
    PassPrice,
    RoomBooking,
    RoomRules,
)
from sites.models import Site, SiteStatus
from sites.network import network_load
from technopark.demo import Accounts, DemoContext
from tests.factories import CompanyFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_world():
    network_load()
    essaouira = Site.objects.get(slug="essaouira")
    for n in range(6):
        MembershipFactory(company=CompanyFactory(home_site=essaouira, legal_name=f"Startup {n}"))
    return essaouira


def context():
    return DemoContext(
        accounts=Accounts(),
        rng=random.Random(7),  # noqa: S311 - demo data
        today=dt.date(2026, 11, 25),
        say=lambda line: None,
    )


def counts():
    models = (Desk, RoomRules, PassPrice, NomadProfile, Pass, DeskReservation, RoomBooking)
    return {model.__name__: model.objects.count() for model in models}


def test_the_demo_seeds_every_operating_site_once(small_world):
    seed(context())
    first = counts()
    seed(context())
    assert counts() == first

    essaouira = small_world
    assert Desk.objects.filter(space__site=essaouira).count() == 35
    operating = Site.objects.filter(status=SiteStatus.OPERATING)
    for site in operating:
        assert Desk.objects.filter(space__site=site).exists()
        assert RoomBooking.objects.filter(space__site=site).exists(), site
        assert PassPrice.objects.filter(site=site).count() == 3
    assert RoomRules.objects.get(space__site=essaouira, space__name="Agora").needs_approval
    assert DeskReservation.objects.filter(desk__space__site=essaouira).count() > 10
    window = (dt.date(2026, 11, 11), dt.date(2026, 12, 11))
    days = {b.starts_at.date() for b in RoomBooking.objects.all()}
    assert min(days) >= window[0] and max(days) <= window[1]
    assert NomadProfile.objects.filter(status="pending").count() == operating.count()
