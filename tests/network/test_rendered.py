"""Charts and tables drawn once per content and language, never served stale."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from network import charts, rendered
from network.tables import INT, TEXT, Cell, Column, Table
from tenants.models import KPIReport
from tests.clock import pinned
from tests.conftest import client_for
from tests.factories import CompanyFactory
from tests.factories.offices import OfficeFactory, residency


def _table(value):
    table = Table("t", "Companies", [Column("Site", TEXT), Column("Companies", INT)])
    table.add(Cell("Rabat", TEXT), Cell(value))
    return table


def test_the_same_content_is_drawn_once_and_other_content_afresh():
    rendered.forget()
    drawn = []

    def draw(text):
        drawn.append(text)
        return text

    with translation.override("fr"):
        first = rendered.drawn("table", _table(1200), lambda: draw("a"))
        again = rendered.drawn("table", _table(1200), lambda: draw("b"))
        changed = rendered.drawn("table", _table(1201), lambda: draw("c"))
    with translation.override("ar"):
        arabic = rendered.drawn("table", _table(1200), lambda: draw("d"))
    assert (first, again, changed, arabic) == ("a", "a", "c", "d")
    assert drawn == ["a", "c", "d"]


def test_the_store_keeps_the_most_recently_used(monkeypatch):
    rendered.forget()
    monkeypatch.setattr(rendered, "LIMIT", 20)  # characters: two pieces of ten
    for value in (1, 2, 1, 3):  # 1 is used again before 3 comes: 2 goes out
        rendered.drawn("table", _table(value), lambda value=value: str(value) * 10)
    assert rendered.drawn("table", _table(1), lambda: "redrawn") == "1" * 10
    assert rendered.drawn("table", _table(2), lambda: "redrawn") == "redrawn"


def test_a_chart_follows_its_figures():
    rendered.forget()
    table = _table(1)
    one = charts.bars("c", "Jobs", ["Rabat"], {"Jobs": [4]}, table=table)
    same = charts.bars("c", "Jobs", ["Rabat"], {"Jobs": [4]}, table=table)
    other = charts.bars("c", "Jobs", ["Rabat"], {"Jobs": [9]}, table=table)
    assert one.svg == same.svg
    assert other.svg != one.svg
    assert "<script" not in other.svg


@pytest.mark.django_db
@pinned
def test_the_page_shows_a_new_figure_at_once(site, network_manager):
    """The second visit reuses nothing the new report changed."""

    def report(revenue):
        company = CompanyFactory(home_site=site)
        residency(company=company, offices=[OfficeFactory(site=site)], start=dt.date(2025, 1, 1))
        KPIReport.objects.create(
            company=company, year=2026, quarter=1, headcount_full_time=4, headcount_part_time=0,
            interns=0, revenue=revenue, funds_raised=0, export_share=0,
        )  # fmt: skip

    client = client_for(network_manager)
    url = f"{reverse('network:dashboard')}?period=2026-Q1"

    def impact_html():
        page = client.get(url).content.decode()
        return re.search(r'id="table-impact".*?</table>', page, re.S).group(0)

    report(123_000)
    before = impact_html()
    assert "123" in before
    report(456_000)
    after = impact_html()
    assert after != before
    assert re.search(r"579\D?000", after)  # 123 000 + 456 000, drawn afresh


@pytest.mark.django_db(transaction=True)
@pinned
def test_a_page_is_kept_until_the_next_write(site, network_manager):
    """Seen again with nothing written between: one query for the figures, the same
    page; after a write: the sections that read its table computed afresh, the new
    figure in them, the others kept."""
    from network import dashboard

    dashboard.forget()
    company = CompanyFactory(home_site=site)
    residency(company=company, offices=[OfficeFactory(site=site)], start=dt.date(2025, 1, 1))
    client = client_for(network_manager)
    url = f"{reverse('network:dashboard')}?period=2026-Q1"
    with CaptureQueriesContext(connection) as computed:
        first = client.get(url).content.decode()
    with CaptureQueriesContext(connection) as kept:
        again = client.get(url).content.decode()
    assert len(kept) < len(computed) - 5
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
    assert strip.sub("", again) == strip.sub("", first)
    KPIReport.objects.create(
        company=company, year=2026, quarter=1, headcount_full_time=4, headcount_part_time=0,
        interns=0, revenue=777_000, funds_raised=0, export_share=0,
    )  # fmt: skip
    with CaptureQueriesContext(connection) as after_write:
        changed = client.get(url).content.decode()
    assert len(kept) < len(after_write) < len(computed)
    assert re.search(r"777\D?000", changed) and not re.search(r"777\D?000", first)
    dashboard.forget()


@pytest.mark.django_db(transaction=True)
@pinned
def test_a_baseline_entered_shows_on_the_kept_page(site, network_manager):
    """The historical baseline is data (not a history table): entering it recomputes the
    long view."""
    from network import dashboard
    from tenants.models import HistoricalBaseline

    dashboard.forget()
    client = client_for(network_manager)
    url = f"{reverse('network:dashboard')}?period=2026-Q1"
    client.get(url)
    assert "4321" not in client.get(url).content.decode().replace("\u202f", "").replace(" ", "")
    HistoricalBaseline.objects.create(site=site, year=2005, companies_supported=4321, source="S")
    page = client.get(url).content.decode()
    assert re.search(r"4\D?321", page)
    dashboard.forget()
