"""Each demo role logs in through a real browser and lands on its home page cleanly.

Runs Debian's chromium through Playwright (``.ci/run`` installs it); any console
error, failed script or Content-Security-Policy violation fails the test.
"""

import pytest
from django.core.management import call_command

from technopark.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ROLES = [
    ("manager@technopark.test", "/network/", "Technopark Essaouira"),
    ("staff-essaouira@technopark.test", "/admin/", "Technopark"),
    ("staff-rabat@technopark.test", "/admin/", "Technopark"),
    ("admin@technopark.test", "/admin/", "Technopark"),
    ("founder@atlas-games.test", "/portal/", "Atlas Games"),
    ("founder@argan-analytics.test", "/portal/", "Argan Analytics"),
    ("guichet-essaouira@technopark.test", "/admin/", "Technopark"),
    ("nomad@technopark.test", "/portal/bookings/", "Technopark"),
]
#: Pages each role opens after its home, checked for console errors too.
PAGES = {
    "founder@atlas-games.test": [
        "/portal/requests/",
        "/portal/offices/residency/",
        "/portal/team/",
        "/portal/kpi/",
        "/portal/bookings/rooms/new/",
        "/calendar/essaouira/week/",
    ],
    "staff-essaouira@technopark.test": ["/admin/tenants/servicerequest/", "/frontdesk/"],
    "manager@technopark.test": ["/admin/tenants/company/"],
}


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _watched_page(browser, errors, language="fr-FR"):
    page = browser.new_context(locale=language).new_page()
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("requestfailed", lambda req: errors.append(f"failed: {req.url}"))
    return page


@pytest.fixture
def demo(db):
    call_command("demo")


def test_each_demo_role_logs_in_and_sees_its_home_page(demo, live_server, browser):
    """Every role in one test: the demo loads once (a live server's test empties the
    database after it, and loading the demo took minutes per role in CI)."""
    problems = []
    for email, home, text in ROLES:
        errors = []
        page = _watched_page(browser, errors)
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", email)
        page.fill("#id_password", DEMO_PASSWORD)
        page.click("main form button[type=submit]")
        page.wait_for_url(f"{live_server.url}{home}")
        page.wait_for_load_state("networkidle")
        if text not in page.content():
            problems.append(f"{email}: {text!r} not on {home}")
        for path in PAGES.get(email, []):
            response = page.goto(f"{live_server.url}{path}")
            page.wait_for_load_state("networkidle")
            if response.status >= 400:
                problems.append(f"{email}: {path} answered {response.status}")
        problems += [f"{email}: {error}" for error in errors]
        page.context.close()
    assert problems == []


def test_the_public_pages_load_in_arabic_right_to_left(demo, live_server, browser):
    errors = []
    page = _watched_page(browser, errors, language="ar-MA")
    page.goto(f"{live_server.url}/")
    assert page.get_attribute("html", "dir") == "rtl"
    # In Arabic the site reads its Arabic name (translated content, not the French one).
    page.locator('a[href="/sites/essaouira/"]').first.click()
    page.wait_for_url(f"{live_server.url}/sites/essaouira/")
    assert "تكنوبارك الصويرة" in page.inner_text("h1")
    page.wait_for_load_state("networkidle")
    for path in ("/companies/", "/coworking/essaouira/join/"):
        response = page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        assert response.status == 200, path
        assert page.get_attribute("html", "dir") == "rtl"
    assert errors == []
