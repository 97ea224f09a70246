"""axe-core (bundled by axe-playwright-python) on each demo role's main page, in French,
Arabic and English: no serious or critical violation (contrast, names, labels...).

Runs Debian's chromium through Playwright, like test_smoke.py (``.ci/run``).
"""

import pytest

from technopark.demo import DEMO_PASSWORD

from .test_smoke import browser, demo  # noqa: F401 (fixtures: the demo first, then chromium)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = ["fr", "ar", "en"]

#: Each role's main page (and the public site page).
PAGES = [
    ("anonymous", "/"),
    ("anonymous", "/sites/essaouira/"),
    ("manager@technopark.test", "/network/"),
    ("staff-essaouira@technopark.test", "/admin/"),
    ("staff-essaouira@technopark.test", "/frontdesk/essaouira/"),
    ("founder@atlas-games.test", "/portal/"),
    ("nomad@technopark.test", "/portal/bookings/"),
]


def test_no_main_page_has_a_serious_accessibility_violation(
    demo,  # noqa: F811
    live_server,
    browser,  # noqa: F811
):
    """The three languages in one test: the demo loads once."""
    from axe_playwright_python.sync_playwright import Axe

    axe, found = Axe(), []
    for language, (email, path) in ((lang, page) for lang in LANGUAGES for page in PAGES):
        # axe is injected by the test, not the page: the page's own CSP stays strict.
        context = browser.new_context(locale=language, bypass_csp=True)
        cookie = {"name": "django_language", "value": language, "url": live_server.url}
        context.add_cookies([cookie])
        page = context.new_page()
        if email != "anonymous":
            page.goto(f"{live_server.url}/accounts/login/")
            page.fill("#id_username", email)
            page.fill("#id_password", DEMO_PASSWORD)
            page.press("#id_password", "Enter")
            page.wait_for_load_state("networkidle")
            context.add_cookies([cookie])  # the account's saved language won at login
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        assert page.get_attribute("html", "lang") == language
        assert page.get_attribute("html", "dir") == ("rtl" if language == "ar" else "ltr")
        for violation in axe.run(page).response["violations"]:
            if violation["impact"] in ("serious", "critical"):
                targets = [node["target"] for node in violation["nodes"][:3]]
                found.append(f"{language} {email} {path}: {violation['id']} {targets}")
        context.close()
    assert found == []
