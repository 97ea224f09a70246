"""Dates read as people write them in each language (technopark/formats)."""

import datetime as dt

import pytest
from django.template import Context, Template
from django.utils import formats, translation

from technopark.clock import local_datetime

DAY = local_datetime(dt.date(2026, 12, 1), dt.time(9, 12))


@pytest.mark.parametrize(
    ("language", "name", "expected"),
    [
        ("ar", "DATE_FORMAT", "1 ديسمبر 2026"),
        ("ar", "DATETIME_FORMAT", "1 ديسمبر 2026، 09:12"),
        ("ar", "SHORT_DATE_FORMAT", "01/12/2026"),
        ("ar", "SHORT_DATETIME_FORMAT", "01/12/2026 09:12"),
        ("ar", "TIME_FORMAT", "09:12"),
        ("ar", "YEAR_MONTH_FORMAT", "ديسمبر 2026"),
        ("fr", "DATE_FORMAT", "1 décembre 2026"),
        ("fr", "SHORT_DATE_FORMAT", "01/12/2026"),
        ("en", "DATE_FORMAT", "Dec. 1, 2026"),
    ],
)
def test_each_language_writes_dates_its_own_way(language, name, expected):
    with translation.override(language):
        assert formats.date_format(DAY, name) == expected


def test_no_arabic_date_puts_the_month_before_the_day():
    with translation.override("ar"):
        for name in ("DATE_FORMAT", "DATETIME_FORMAT", "SHORT_DATETIME_FORMAT"):
            text = formats.date_format(DAY, name)
            assert not text.startswith("ديسمبر"), (name, text)
            assert "," not in text, (name, text)


def test_templates_use_the_arabic_formats():
    with translation.override("ar"):
        html = Template("{{ day|date }} {{ day|date:'DATETIME_FORMAT' }}").render(
            Context({"day": DAY})
        )
    assert html == "1 ديسمبر 2026 1 ديسمبر 2026، 09:12"


def test_a_date_and_its_time_are_joined_as_each_language_does():
    template = Template('{% load technopark %}{{ day|day_time:"l j F Y" }}')
    with translation.override("ar"):
        assert template.render(Context({"day": DAY})) == "الثلاثاء 1 ديسمبر 2026، 09:12"
    with translation.override("fr"):
        assert template.render(Context({"day": DAY})) == "mardi 1 décembre 2026, 09:12"
