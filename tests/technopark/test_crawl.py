"""Every page each demo role reaches by clicking, in French, Arabic and English.

The demo's own data, loaded once for the module; each role's client follows
links from its home page (tests/crawl.py). On every page, no year, quarter or
id is written with a thousands separator ("T3 2 026", "2,023", "#1 204"), in
the text or in a URL ("?quarter=2 026-2" opened an empty form for the wrong
quarter); and no page a person can click to answers a server error.
"""

import io
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.test import Client

from technopark.models import User
from tests.crawl import crawl

#: Minutes of page reads: `make test` runs it (once in CI), the other passes skip it.
pytestmark = pytest.mark.crawl

#: Each demo role and the page it lands on after logging in.
ROLES = {
    "anonymous": "/",
    "manager@technopark.test": "/network/",
    "staff-essaouira@technopark.test": "/admin/",
    "guichet-essaouira@technopark.test": "/admin/",
    "admin@technopark.test": "/admin/",
    "founder@atlas-games.test": "/portal/",
    "nomad@technopark.test": "/portal/bookings/",
}
LANGUAGES = ("fr", "ar", "en")

_SEP = "[\u00a0\u202f,.]"
#: A year (1990-2039) cut by a separator, not the start of an amount ("2 026,00 MAD").
GROUPED_YEAR = re.compile(
    rf"(?<![\d\u00a0\u202f,.])(?:1{_SEP}99\d|2{_SEP}0[0-3]\d)(?!\d)(?!{_SEP}\d)"
    r"(?!\s*(?:MAD|DH|m²|درهم))"
)
#: An id written as a number: "#1 204".
GROUPED_ID = re.compile(rf"#\d{{1,3}}(?:{_SEP}\d{{3}})+(?!\d)")
#: Any grouped number inside a URL or a machine value (a separator, raw or escaped).
GROUPED_IN_URL = re.compile(r"\d(?:\u00a0|\u202f|%C2%A0|%E2%80%AF|&nbsp;)\d{3}|=\d{1,3},\d{3}\b")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo's data, committed for the module's tests, flushed afterwards."""
    with django_db_blocker.unblock():
        call_command("demo", stdout=io.StringIO())
        yield
        call_command("flush", interactive=False, verbosity=0)
        ContentType.objects.clear_cache()


def client_of(email: str, language: str) -> Client:
    client = Client()
    client.cookies["django_language"] = language
    if email != "anonymous":
        user = User.objects.get(email=email)
        if user.language != language:
            User.objects.filter(pk=user.pk).update(language=language)
        client.force_login(user)
    return client


def problems_on(page) -> list[str]:
    found = []
    for match in GROUPED_YEAR.finditer(page.text):
        found.append(f"year {match.group()!r}")
    for match in GROUPED_ID.finditer(page.text):
        found.append(f"id {match.group()!r}")
    for value in page.attributes:
        if GROUPED_IN_URL.search(value):
            found.append(f"value {value!r}")
    return found


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_no_page_writes_a_year_quarter_or_id_as_a_grouped_number(demo, language):
    failures, visited = [], 0
    for email, home in ROLES.items():
        pages = crawl(client_of(email, language), home)
        visited += len(pages)
        for url, page in pages.items():
            if page.status >= 500:
                failures.append(f"{email} {url}: answered {page.status}")
            failures.extend(f"{email} {url}: {problem}" for problem in problems_on(page))
    print(f"{language}: {visited} pages read")
    assert visited > 100
    assert failures == []


def test_the_detector_sees_what_the_issue_describes():
    from tests.crawl import Page

    bad = Page(url="/", status=200, text="T3 2\u00a0026 · créée en 2,023 · #1\u00a0204")
    bad.attributes = ["/portal/kpi/report/?quarter=2\u00a0026-2"]
    assert len(problems_on(bad)) == 4
    good = Page(
        url="/",
        status=200,
        text="T3 2026 · 2\u00a0026,00 MAD · 2,026.00 MAD · 1\u00a0998\u00a0112 · #1204",
    )
    good.attributes = ["/portal/kpi/report/?quarter=2026-2", "?o=1.2"]
    assert problems_on(good) == []


#: Pages each role must reach by clicking from its home (the issue found them
#: reachable only by typing their address).
MUST_REACH = {
    "anonymous": [
        "/companies/",
        "/portal/signup/",
        "/coworking/essaouira/join/",
        "/calendar/essaouira/day/",
        "/verify/",
    ],
    "staff-essaouira@technopark.test": ["/frontdesk/essaouira/", "/frontdesk/essaouira/approvals/"],
    "founder@atlas-games.test": ["/portal/offices/apply/", "/calendar/essaouira/day/"],
}


@pytest.mark.django_db
def test_each_role_reaches_its_pages_by_clicking_from_its_home(demo):
    missing = []
    for email, home in ROLES.items():
        pages = crawl(client_of(email, "fr"), home)
        reached = [url for url, page in pages.items() if page.status == 200]
        print(f"{email}: {len(reached)} pages reachable by clicking from {home}")
        reached = {url.split("?")[0] for url in reached}
        missing += [f"{email}: {path}" for path in MUST_REACH.get(email, []) if path not in reached]
    assert missing == []
