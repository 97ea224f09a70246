"""Ranges read as sentences in the three languages (technopark.ranges), not `[2026-12-01, None)`."""

import datetime as dt

import pytest
from django.db.backends.postgresql.psycopg_any import DateRange, DateTimeTZRange
from django.urls import reverse
from django.utils import translation

from coworking.models import Pass
from technopark.clock import local_datetime
from technopark.ranges import format_range
from tests.conftest import client_for
from tests.factories.coworking import PassFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "value", "expected"),
    [
        ("en", DateRange(dt.date(2026, 12, 1), None), "from 1 December 2026, open-ended"),
        ("fr", DateRange(dt.date(2026, 12, 1), None), "à partir du 1 décembre 2026, sans fin"),
        ("en", DateRange(dt.date(2026, 12, 1), dt.date(2027, 1, 1)), "from 1 to 31 December 2026"),
        ("fr", DateRange(dt.date(2026, 12, 1), dt.date(2027, 1, 1)), "du 1 au 31 décembre 2026"),
        (
            "en",
            DateRange(dt.date(2026, 11, 15), dt.date(2026, 12, 16)),
            "from 15 November to 15 December 2026",
        ),
        (
            "en",
            DateRange(dt.date(2026, 12, 20), dt.date(2027, 1, 11)),
            "from 20 December 2026 to 10 January 2027",
        ),
        ("en", DateRange(dt.date(2026, 12, 1), dt.date(2026, 12, 2)), "1 December 2026"),
        ("ar", DateRange(dt.date(2026, 12, 1), None), "ابتداءً من 1 ديسمبر 2026، دون نهاية"),
    ],
)
def test_a_range_of_days_reads_as_a_sentence(language, value, expected):
    with translation.override(language):
        assert format_range(value) == expected


def test_a_range_of_times_reads_in_moroccos_clock():
    start = local_datetime(dt.date(2026, 12, 1), dt.time(9, 0)).astimezone(dt.UTC)
    during = DateTimeTZRange(start, start + dt.timedelta(hours=2))
    with translation.override("en"):
        assert format_range(during) == "1 December 2026, 09:00–11:00"
    with translation.override("fr"):
        assert format_range(during) == "1 décembre 2026, 09:00–11:00"
    with translation.override("en"):
        assert format_range(None) == ""


def test_the_pass_admin_shows_its_days_as_a_sentence(site, site_staff):
    staff = site_staff
    PassFactory(site=site, period=DateRange(dt.date(2026, 12, 1), dt.date(2027, 1, 1)))
    client = client_for(staff)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("admin:coworking_pass_changelist")).content.decode()
    assert "from 1 to 31 December 2026" in page and "2026-12-01" not in page
    one = Pass.objects.get()
    change = client.get(reverse("admin:coworking_pass_change", args=[one.pk])).content.decode()
    assert "from 1 to 31 December 2026" in change
