"""French first, Arabic right-to-left, English; catalogs complete and compiled."""

import datetime as dt
import gettext
import re
from decimal import Decimal
from pathlib import Path

import polib
import pytest
from django.test import Client
from django.utils import translation
from django.utils.dateformat import format as date_format

from technopark.numbers import m2, mad

LOCALE = Path(__file__).resolve().parents[2] / "locale"
NBSP = "\xa0"


@pytest.mark.django_db
def test_pages_are_french_by_default():
    response = Client().get("/")
    assert '<html lang="fr" dir="ltr">' in response.content.decode()


@pytest.mark.django_db
def test_the_arabic_page_is_right_to_left_with_bootstraps_rtl_stylesheet():
    response = Client(HTTP_ACCEPT_LANGUAGE="ar").get("/")
    html = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "bootstrap.rtl.min.css" in html
    assert "شبكة" in html  # "network", from our Arabic catalog


@pytest.mark.django_db
def test_the_language_switcher_is_on_every_page(site):
    for path in ("/", f"/sites/{site.slug}/", "/accounts/login/"):
        html = Client().get(path).content.decode()
        assert 'action="/i18n/setlang/"' in html
        assert 'value="ar"' in html and 'value="en"' in html


def test_amounts_and_surfaces_are_formatted_by_locale():
    with translation.override("fr"):
        assert mad(Decimal("1250")) == f"1{NBSP}250,00{NBSP}MAD"  # reads "1 250,00 MAD"
        assert m2(2350) == f"2{NBSP}350 m²"
    with translation.override("en"):
        assert mad(Decimal("1250")) == "1,250.00 MAD"
    with translation.override("ar"):  # Django's Arabic groups nothing: "1250000,00"
        assert mad(Decimal("1250000")) == f"1{NBSP}250{NBSP}000,00 درهم"
        assert m2(2350) == f"2{NBSP}350 م²"


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_the_catalog_has_no_untranslated_or_fuzzy_entry(language):
    catalog = polib.pofile(LOCALE / language / "LC_MESSAGES" / "django.po")
    assert [e.msgid for e in catalog.untranslated_entries()] == []
    assert [e.msgid for e in catalog.fuzzy_entries()] == []
    assert len(catalog.translated_entries()) > 100


@pytest.mark.parametrize("language", ["fr", "ar", "en"])
def test_the_compiled_catalog_matches_its_source(language):
    folder = LOCALE / language / "LC_MESSAGES"
    catalog = polib.pofile(folder / "django.po")
    with open(folder / "django.mo", "rb") as compiled:
        translations = gettext.GNUTranslations(compiled)
    for entry in catalog.translated_entries():
        if entry.msgid_plural:
            continue
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        assert translations._catalog.get(key) == entry.msgstr, entry.msgid


def test_large_amounts_can_drop_the_centimes():
    with translation.override("fr"):
        assert mad(Decimal("442668764.16"), 0) == f"442{NBSP}668{NBSP}764{NBSP}MAD"


def test_no_template_abbreviates_months_with_django_s_three_letters():
    """``M`` gives "jui" for both juin and juillet in French; ``N`` gives "juin", "juil."."""
    root = LOCALE.parent
    pattern = re.compile(r"""(date|day_time):["'][^"']*\bM\b""")
    found = [
        f"{path.relative_to(root)}:{number}"
        for folder in ("templates", "technopark", "sites", "tenants", "coworking", "events")
        for glob in ("*.html", "*.txt")
        for path in (root / folder).rglob(glob)
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if pattern.search(line)
    ]
    assert found == []
    with translation.override("fr"):
        months = [date_format(dt.date(2026, month, 1), "N") for month in (6, 7)]
    assert months == ["juin", "juil."]
