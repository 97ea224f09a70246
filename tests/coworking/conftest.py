"""Coworking fixtures: rooms with rules at site A and B, desks, nomads, a fixed clock.

``NOW`` is the moment the services are told it is (their ``now`` argument):
early January 2026, so that the days of 2026's clock changes lie ahead.
"""

import datetime as dt

import pytest
from django.db.backends.postgresql.psycopg_any import DateRange

from coworking.models import NomadStatus, PassKind
from sites.models import SpaceKind
from tests.factories import SpaceFactory, UserFactory
from tests.factories.coworking import (
    CoworkingAreaFactory,
    DeskFactory,
    NomadProfileFactory,
    PassFactory,
    PassPriceFactory,
    RoomRulesFactory,
)

NOW = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)
EVERY_DAY = [(d, "08:00", "22:00") for d in range(7)]


@pytest.fixture
def room(site):
    """A meeting room at site A: 10 people, 200 MAD an hour, Monday-Friday 08:00-20:00."""
    space = SpaceFactory(
        site=site, name="Salle Mogador", kind=SpaceKind.MEETING_ROOM, capacity=10, hourly_rate=200
    )
    RoomRulesFactory(space=space)
    return space


@pytest.fixture
def gaming_room(site):
    """Open every day 08:00-22:00 (the clock-change days of 2026 are Sundays)."""
    space = SpaceFactory(
        site=site, name="Espace gaming", kind=SpaceKind.GAMING_ROOM, capacity=20, hourly_rate=100
    )
    RoomRulesFactory(space=space, hours=EVERY_DAY)
    return space


@pytest.fixture
def agora(site):
    """Site A's agora: bookings need staff approval."""
    space = SpaceFactory(
        site=site, name="Agora A", kind=SpaceKind.AGORA, capacity=200, hourly_rate=500
    )
    RoomRulesFactory(space=space, needs_approval=True)
    return space


@pytest.fixture
def other_room(other_site):
    space = SpaceFactory(site=other_site, name="Salle Chellah", capacity=10, hourly_rate=150)
    RoomRulesFactory(space=space)
    return space


@pytest.fixture
def nomad(site):
    return NomadProfileFactory(site=site, user=UserFactory(full_name="Lina Haddad")).user


@pytest.fixture
def pending_nomad(site):
    return NomadProfileFactory(site=site, status=NomadStatus.PENDING).user


@pytest.fixture
def coworking_area(site):
    return CoworkingAreaFactory(site=site, name="Coworking A")


@pytest.fixture
def make_desks(coworking_area):
    def make(count, **kwargs):
        return [
            DeskFactory(space=coworking_area, label=f"P{n:02d}", **kwargs)
            for n in range(1, count + 1)
        ]

    return make


@pytest.fixture
def prices(site):
    return {
        kind: PassPriceFactory(site=site, kind=kind, price=price)
        for kind, price in [(PassKind.DAY, 100), (PassKind.WEEK, 400), (PassKind.MONTH, 1200)]
    }


@pytest.fixture
def nomad_pass(nomad, site):
    """An active month-long pass of ``nomad`` at site A covering February 2026."""
    return PassFactory(
        holder=nomad, site=site, period=DateRange(dt.date(2026, 2, 1), dt.date(2026, 3, 1))
    )
