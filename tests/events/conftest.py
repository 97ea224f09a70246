"""Events fixtures: site A's agora, a fixed clock, an event maker.

``NOW`` is the moment the services are told it is: early January 2026, so the
days of 2026's clock changes (15 February, 22 March, 20 September) lie ahead.
"""

import datetime as dt
from decimal import Decimal

import pytest

from events import services
from events.models import EventKind
from sites.models import SpaceKind
from technopark.clock import local_datetime
from tests.factories import SpaceFactory

NOW = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)
DAY = dt.date(2026, 2, 4)


def local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return local_datetime(day, dt.time(hour, minute))


@pytest.fixture
def agora(site):
    return SpaceFactory(
        site=site, name="Agora", kind=SpaceKind.AGORA, capacity=200, hourly_rate=Decimal(500)
    )


@pytest.fixture
def other_agora(other_site):
    return SpaceFactory(
        site=other_site, name="Agora B", kind=SpaceKind.AGORA, capacity=200, hourly_rate=500
    )


@pytest.fixture
def make_event(agora, site_staff):
    """``make_event(capacity=30, publish=True, dates=[(start, end)], **fields)``."""

    def make(*, capacity=30, publish=True, dates=None, room=None, actor=None, **fields):
        actor = actor or site_staff
        event = services.event_create(
            actor=actor,
            room=room or agora,
            title=fields.pop("title", "Demo day"),
            kind=fields.pop("kind", EventKind.DEMO_DAY),
            dates=dates or [(local(DAY, 14), local(DAY, 18))],
            capacity=capacity,
            now=NOW,
            **fields,
        )
        if publish:
            event = services.event_publish(actor=actor, event=event, now=NOW)
        return event

    return make
