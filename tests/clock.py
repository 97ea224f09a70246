"""The moment tests that depend on today are pinned to, and the marker that pins it.

``NOW`` is an ordinary working moment: a Wednesday mid-morning in the middle of
a month and of a quarter, Morocco at UTC+1, far from a clock change and from
midnight. A test (or a module, with ``pytestmark = pinned``) marked ``pinned``
runs, fixtures and factories included, with the clock starting at ``NOW``; it
ticks on from there, so rows created one after the other keep their order.
A test that needs another moment says so with
``pytest.mark.time_machine(moment)``, or passes the services' ``now=``/``today=``.

``TECHNOPARK_FAKE_NOW`` (tests/conftest.py) runs the rest of the suite at a
chosen moment: a test that fails there depends on the day without saying which.
"""

import datetime as dt

import pytest

from technopark.clock import local_datetime

TODAY = dt.date(2026, 6, 10)
NOW = local_datetime(TODAY, dt.time(10, 0))

pinned = pytest.mark.time_machine(NOW, tick=True)
#: The clock stands still at ``NOW``: for tests that compare instants with ``NOW`` itself.
frozen = pytest.mark.time_machine(NOW, tick=False)


def days_from_today(days: int) -> dt.date:
    return TODAY + dt.timedelta(days=days)
