"""The events demo on a small world: past events with check-ins, upcoming ones, a full one."""

import datetime as dt
import random

import pytest

from events.demo import seed
from events.models import Event, EventStatus, Registration, RegistrationStatus
from sites.models import Site, SiteStatus
from sites.network import network_load
from technopark.demo import Accounts, DemoContext
from tenants.models import CompanyStatus
from tests.factories import CompanyFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def context():
    return DemoContext(
        accounts=Accounts(),
        rng=random.Random(7),  # noqa: S311 - demo data
        today=dt.date(2026, 11, 25),
        say=lambda line: None,
    )


def test_the_demo_seeds_events_at_every_operating_site_once():
    network_load()
    essaouira = Site.objects.get(slug="essaouira")
    for n in range(8):
        company = CompanyFactory(
            home_site=essaouira, legal_name=f"Startup {n}", status=CompanyStatus.RESIDENT
        )
        MembershipFactory(company=company)

    seed(context())
    first = (Event.objects.count(), Registration.objects.count())
    seed(context())
    assert (Event.objects.count(), Registration.objects.count()) == first

    for site in Site.objects.filter(status=SiteStatus.OPERATING):
        events = Event.objects.filter(site=site)
        assert events.filter(status=EventStatus.DONE).exists(), site
        assert events.filter(status=EventStatus.PUBLISHED).exists(), site
    past = Registration.objects.filter(event__status=EventStatus.DONE)
    assert past.filter(checked_in_at__isnull=False).exists()
    assert Registration.objects.filter(status=RegistrationStatus.WAITING).exists()
    full = Event.objects.filter(registrations__status="waiting").distinct()
    assert all(event.seats_taken == event.capacity for event in full)
    assert Event.objects.filter(site=essaouira, room__name="Espace gaming").exists()
    assert not Registration.objects.filter(status=RegistrationStatus.PENDING).exists()
