"""The daily command closes the contracts whose end has come, and only those."""

import datetime as dt

import pytest
from django.core.management import call_command

from technopark.clock import local_datetime
from tenants.models import ResidencyStatus
from tests.factories.offices import OfficeFactory, residency

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 11)


# Cron runs it at 00:05; half past midnight local is still the day before in UTC (UTC+1).
@pytest.mark.parametrize("at", [dt.time(0, 30), dt.time(10, 0), dt.time(23, 59)])
def test_the_daily_command_closes_contracts_whose_end_has_come(company, capsys, at, time_machine):
    time_machine.move_to(local_datetime(TODAY, at), tick=True)
    today = TODAY
    ending = residency(
        company=company,
        offices=[OfficeFactory(site=company.home_site)],
        start=today - dt.timedelta(days=400),
        end=today + dt.timedelta(days=3),
    )
    running = residency(
        company=company,
        offices=[OfficeFactory(site=company.home_site)],
        start=today - dt.timedelta(days=10),
    )
    type(ending).objects.filter(pk=ending.pk).update(end=today)
    call_command("close_due_residencies")
    ending.refresh_from_db()
    running.refresh_from_db()
    assert ending.status == ResidencyStatus.ENDED
    assert running.status == ResidencyStatus.ACTIVE
    assert "1 contracts closed." in capsys.readouterr().out
