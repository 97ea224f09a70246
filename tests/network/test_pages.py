"""The dashboard's pages: who sees which, filters in the URL, drill-down, exports, queries."""

import csv
import datetime as dt
import io
import re
from decimal import Decimal

import pytest
import time_machine
from django.db.backends.postgresql.psycopg_any import DateRange
from django.urls import reverse
from openpyxl import load_workbook

from coworking.models import DeskReservation
from network.dashboard import find_table
from sites.models import StaffRole
from technopark.clock import local_datetime
from tenants.models import KPIReport, RentRate, RentTier
from tenants.selectors.kpi import Quarter
from tests.clock import pinned
from tests.conftest import client_for
from tests.factories import CompanyFactory, StaffAssignmentFactory, UserFactory
from tests.factories.coworking import DeskFactory
from tests.factories.offices import OfficeFactory, residency
from tests.factories.requests import ServiceFactory, ServiceRequestFactory
from tests.queries import queries_to_get

pytestmark = [pytest.mark.django_db, pinned]

Q1 = Quarter(2026, 1)


@pytest.fixture
def rent_rates(db):
    for tier in RentTier.values:
        RentRate.objects.create(tier=tier, monthly_rate_per_m2=50, effective_from="2020-01-01")


def _hosted_company(site, *, revenue=100_000):
    company = CompanyFactory(home_site=site)
    residency(company=company, offices=[OfficeFactory(site=site)], start=dt.date(2025, 1, 1))
    KPIReport.objects.create(
        company=company,
        year=Q1.year,
        quarter=Q1.number,
        headcount_full_time=4,
        headcount_part_time=1,
        interns=0,
        revenue=revenue,
        funds_raised=0,
        export_share=20,
    )
    return company


def _site_url(site, query="period=2026-Q1"):
    return f"{reverse('network:site', args=[site.slug])}?{query}"


# --- Access --------------------------------------------------------------------------------


def test_a_site_manager_gets_the_dashboard_of_their_site_only(site, other_site, site_staff):
    client = client_for(site_staff)
    assert client.get(_site_url(site)).status_code == 200
    assert client.get(_site_url(other_site)).status_code == 404
    assert client.get(reverse("network:dashboard")).status_code == 404


def test_the_front_desk_and_the_companies_get_no_dashboard(site, tenant_admin):
    front_desk = StaffAssignmentFactory(site=site, role=StaffRole.FRONT_DESK).user
    for person in (front_desk, tenant_admin):
        client = client_for(person)
        assert client.get(_site_url(site)).status_code == 404
        rows = reverse("network:rows", args=["companies"])
        assert client.get(f"{rows}?site={site.slug}").status_code == 404


def test_a_site_manager_cannot_drill_into_another_site(site, other_site, site_staff):
    rows = reverse("network:rows", args=["companies"])
    client = client_for(site_staff)
    assert client.get(f"{rows}?site={other_site.slug}").status_code == 404
    assert client.get(f"{rows}?site={site.slug}&site={other_site.slug}").status_code == 404
    assert client.get(f"{rows}?site={site.slug}").status_code == 200


def test_the_pages_answer_no_post(site, network_manager, site_staff):
    pages = [
        reverse("network:dashboard"),
        _site_url(site),
        reverse("network:rows", args=["companies"]),
    ]
    for url in pages:
        assert client_for(network_manager).post(url).status_code == 405
        response = client_for(None).post(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client_for(site_staff).post(_site_url(site)).status_code == 405


def test_an_unknown_kind_of_rows_does_not_exist(network_manager):
    assert client_for(network_manager).get("/network/rows/everything/").status_code == 404


# --- What the page shows ---------------------------------------------------------------------


def test_the_network_page_shows_each_site_and_the_total(
    site, other_site, network_manager, rent_rates
):
    _hosted_company(site, revenue=100_000)
    _hosted_company(other_site, revenue=50_000)
    response = client_for(network_manager).get(reverse("network:dashboard"), {"period": "2026-Q1"})
    impact = find_table(response.context["sections"], "impact")
    assert [row.header.value for row in impact.rows] == [site.name, other_site.name]
    assert impact.footer.cells[4].value == 150_000
    assert impact.footer.cells[4].rate == 1
    # The site's name opens its dashboard, never the public page.
    assert impact.rows[0].header.link.startswith(reverse("network:site", args=[site.slug]))
    assert f'href="{reverse("public:site", args=[site.slug])}' not in response.content.decode()


def test_the_sites_filter_narrows_the_page(site, other_site, network_manager, rent_rates):
    _hosted_company(site)
    _hosted_company(other_site)
    response = client_for(network_manager).get(
        reverse("network:dashboard"), {"period": "2026-Q1", "site": other_site.slug}
    )
    impact = find_table(response.context["sections"], "impact")
    assert [row.header.value for row in impact.rows] == [other_site.name]


def test_a_year_and_any_past_quarter_can_be_asked_for(network_manager):
    client = client_for(network_manager)
    assert (
        client.get(reverse("network:dashboard"), {"period": "2025"}).context["selection"].period.key
        == "2025"
    )
    assert (
        client.get(reverse("network:dashboard"), {"period": "2019-Q3"})
        .context["selection"]
        .period.key
        == "2019-Q3"
    )
    # A period still to come, or nonsense, falls back to the last due quarter.
    for bad in ("2027-Q1", "2 026", "1999", "abc"):
        selection = client.get(reverse("network:dashboard"), {"period": bad}).context["selection"]
        assert selection.period.key == "2026-Q1"


def _section_table(response, slug):
    sections = {section.slug: section for section in response.context["sections"]}
    assert sections[slug].available
    (table,) = sections[slug].tables
    return [(row.header.value, *[cell.value for cell in row.cells]) for row in table.rows]


def test_the_events_section_counts_the_periods_events_attendees_and_no_shows(
    make_event, site, site_staff, network_manager
):
    from events import services as event_services
    from tests.events.conftest import DAY, NOW, local

    event = make_event(capacity=4)  # on 4 February 2026: the first quarter
    people = [
        event_services.registration_create(event=event, user=UserFactory(), now=NOW)
        for _ in range(4)
    ]
    for person in people[:3]:
        event_services.registration_check_in(
            actor=site_staff, event=event, registration=person, now=local(DAY, 14)
        )
    client = client_for(network_manager)
    url = reverse("network:site", args=[site.slug])
    assert _section_table(client.get(url, {"period": "2026-Q1"}), "events") == [
        (site.name, 1, 4, 3, 0.25)
    ]
    # Another quarter held none (and a no-show rate over nobody is missing, not 0).
    assert _section_table(client.get(url, {"period": "2025-Q4"}), "events") == [
        (site.name, 0, 0, 0, None)
    ]


def test_the_billing_section_shows_invoiced_collected_and_overdue(
    issued, site, site_staff, network_manager
):
    from billing.services import payment_record
    from tests.billing.conftest import ISSUED

    payment_record(actor=site_staff, invoice=issued, amount=Decimal(200), method="cash",
                   paid_on=ISSUED, today=ISSUED)  # fmt: skip
    url = reverse("network:site", args=[site.slug])
    with time_machine.travel(local_datetime(issued.due_on + dt.timedelta(days=1), dt.time(12))):
        response = client_for(network_manager).get(url, {"period": "2026-Q2"})
        rows = _section_table(response, "billing")
    assert rows == [(site.name, Decimal(1200), Decimal(200), Decimal(1000))]


def test_the_site_page_lists_its_agents(site, site_staff):
    agent = StaffAssignmentFactory(site=site, role=StaffRole.ONE_STOP_SHOP_AGENT).user
    service = ServiceFactory(site=site)
    ServiceRequestFactory(
        service=service, company=CompanyFactory(home_site=site), assigned_to=agent
    )
    response = client_for(site_staff).get(_site_url(site, "period=2026-Q2"))
    agents = find_table(response.context["sections"], "requests_by_agent")
    assert [row.header.value for row in agents.rows] == [agent.full_name or agent.email]


def test_charts_are_svg_without_script_with_their_table_one_click_away(
    site, other_site, network_manager
):
    html = client_for(network_manager).get(reverse("network:dashboard")).content.decode()
    assert html.count("<svg") >= 3
    assert "window.pygal" not in html
    assert html.count("<details") >= 3


def test_the_sites_charts_name_each_site_in_the_readers_language(site, other_site, network_manager):
    site.name_ar, other_site.name_ar = "تكنوبارك الصويرة", "تكنوبارك الرباط"
    site.save()
    other_site.save()
    client = client_for(network_manager)
    client.post(reverse("set_language"), {"language": "ar"})
    response = client.get(reverse("network:dashboard"), {"period": "2026-Q1"})
    impact = next(s for s in response.context["sections"] if s.slug == "impact")
    chart = next(c for c in impact.charts if c.slug == "sites-jobs")
    assert "تكنوبارك الصويرة" in chart.svg and "تكنوبارك الرباط" in chart.svg


def test_no_year_or_quarter_carries_a_thousands_separator(site, network_manager, rent_rates):
    _hosted_company(site)
    for language in ("fr", "ar", "en"):
        client = client_for(network_manager)
        client.cookies["django_language"] = language
        for url in (
            reverse("network:dashboard"),
            _site_url(site),
            f"{_site_url(site)}&report=board",
        ):
            html = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
            # "2 026", "2.026", "2,026": a year (2000-2039) with a separator after its first digit.
            assert not re.search(r"\b2[\s\u00a0\u202f.,]0[0-3]\d\b", html), (language, url)
            assert "period=2026-Q1" in html


def test_the_board_report_prints_one_page_per_section(site, network_manager):
    response = client_for(network_manager).get(
        reverse("network:dashboard"), {"period": "2026-Q1", "report": "board"}
    )
    assert response.templates[0].name == "network/board.html"
    assert response.content.decode().count('class="board-page"') == len(
        response.context["sections"]
    )


# --- Drill-down ------------------------------------------------------------------------------


def test_the_rows_behind_a_figure_are_as_many_as_the_figure(site, network_manager, rent_rates):
    for _ in range(3):
        _hosted_company(site)
    response = client_for(network_manager).get(_site_url(site))
    occupancy = find_table(response.context["sections"], "occupancy")
    hosted = occupancy.rows[0].cells[0]
    assert hosted.value == 3
    rows = client_for(network_manager).get(hosted.link)
    assert len(rows.context["table"].rows) == 3
    assert all("/admin/tenants/company/" in row.header.link for row in rows.context["table"].rows)


@pytest.mark.parametrize(
    "kind", ["companies", "applications", "waiting", "reports", "missing_reports", "backlog",
             "overdue"],
)  # fmt: skip
def test_every_kind_of_rows_opens(kind, site, network_manager, rent_rates):
    _hosted_company(site)
    ServiceRequestFactory(service=ServiceFactory(site=site), company=CompanyFactory(home_site=site))
    url = f"{reverse('network:rows', args=[kind])}?site={site.slug}&period=2026-Q1"
    response = client_for(network_manager).get(url)
    assert response.status_code == 200
    assert client_for(network_manager).get(f"{url}&export=csv&table={kind}").status_code == 200


# --- Exports ---------------------------------------------------------------------------------


def test_a_table_exports_as_csv_with_its_reporting_rates(site, network_manager, rent_rates):
    _hosted_company(site, revenue=100_000)
    response = client_for(network_manager).get(
        reverse("network:dashboard"), {"period": "2026-Q1", "export": "csv", "table": "impact"}
    )
    assert response["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header, first = lines[0], lines[1]
    assert len(header) == len(first) == 16
    assert first[0] == site.name
    assert float(first[header.index(header[8])]) == 100_000
    assert float(first[9]) == 1.0  # the revenue's reporting rate


def test_a_table_exports_as_xlsx(site, network_manager, rent_rates):
    _hosted_company(site)
    response = client_for(network_manager).get(
        reverse("network:dashboard"), {"period": "2026-Q1", "export": "xlsx", "table": "occupancy"}
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == site.name and rows[1][1] == 1
    # A missing figure is an empty cell, not 0.
    assert rows[-1][0] is not None


def test_an_unknown_table_is_not_exported(network_manager):
    response = client_for(network_manager).get(
        reverse("network:dashboard"), {"export": "csv", "table": "nope"}
    )
    assert response.status_code == 404


# --- Queries -----------------------------------------------------------------------------------


def _grow(site, n):
    """``n`` more hosted, reporting companies, with requests and desk reservations."""
    desk = DeskFactory(space__site=site)
    for index in range(n):
        company = _hosted_company(site)
        ServiceRequestFactory(service=ServiceFactory(site=site), company=company)
        DeskReservation.objects.create(
            desk=desk,
            holder=UserFactory(),
            period=DateRange(
                dt.date(2026, 2, 2) + dt.timedelta(days=index),
                dt.date(2026, 2, 3) + dt.timedelta(days=index),
            ),
        )


def test_the_query_count_does_not_grow_with_the_data(site, other_site, network_manager, site_staff,
                                                     rent_rates):  # fmt: skip
    _grow(site, 1)
    network, own = client_for(network_manager), client_for(site_staff)
    urls = [
        (network, f"{reverse('network:dashboard')}?period=2026-Q1"),
        (own, _site_url(site)),
        (network, f"{reverse('network:rows', args=['reports'])}?period=2026-Q1"),
    ]
    small = [queries_to_get(client, url) for client, url in urls]
    _grow(site, 12)
    _grow(other_site, 5)
    assert [queries_to_get(client, url) for client, url in urls] == small


def test_the_today_page_links_each_person_to_the_dashboards_they_may_open(
    site, other_site, site_staff, network_manager
):
    from sites.models import StaffRole

    agent = StaffAssignmentFactory(site=site, role=StaffRole.ONE_STOP_SHOP_AGENT).user
    mine = reverse("network:site", args=[site.slug])
    theirs = reverse("network:site", args=[other_site.slug])
    page = client_for(site_staff).get(reverse("admin:index")).content.decode()
    assert mine in page and theirs not in page
    assert client_for(site_staff).get(mine).status_code == 200
    manager_page = client_for(network_manager).get(reverse("admin:index")).content.decode()
    assert reverse("network:dashboard") in manager_page
    agent_page = client_for(agent).get(reverse("admin:index")).content.decode()
    assert mine not in agent_page


def test_the_period_list_shows_the_period_the_page_shows(site, network_manager):
    """Without ?period=, the page shows the last due quarter; so does its period list."""
    from network.periods import Period
    from tests.clock import TODAY

    response = client_for(network_manager).get(reverse("network:dashboard"))
    expected = Period.default(today=TODAY)
    assert response.context["form"]["period"].value() == expected.key
    html = response.content.decode()
    assert re.search(rf'<option value="{re.escape(expected.key)}"[^>]*selected', html)
