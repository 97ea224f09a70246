"""Site, space and one-stop-shop texts in French, Arabic and English (django-modeltranslation)."""

import pytest
from django.contrib import admin
from django.test import Client, RequestFactory
from django.utils import translation

from sites.models import Site
from tests.factories import SiteFactory, SpaceFactory
from tests.factories.requests import ServiceFactory
from tests.queries import get_counted

pytestmark = pytest.mark.django_db


def _page(path: str, language: str) -> tuple[str, int]:
    client = Client()
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    response, queries = get_counted(client, path)
    return response.content.decode(), queries


def test_a_site_page_shows_the_arabic_texts_on_an_arabic_page():
    site = SiteFactory(
        name="Technopark Essaouira", name_ar="تكنوبارك الصويرة", description="Site du vent."
    )
    site.description_ar = "تكنوبارك مدينة الرياح."
    site.save()
    SpaceFactory(site=site, name="Salle de formation", name_ar="قاعة التكوين")

    arabic, _ = _page(f"/sites/{site.slug}/", "ar")
    assert "تكنوبارك الصويرة" in arabic and "تكنوبارك مدينة الرياح." in arabic
    assert "قاعة التكوين" in arabic
    assert "Salle de formation" not in arabic

    french, _ = _page(f"/sites/{site.slug}/", "fr")
    assert "Technopark Essaouira" in french and "Salle de formation" in french
    assert "تكنوبارك" not in french


def test_an_empty_arabic_or_english_text_reads_as_the_french_one():
    site = SiteFactory(name="Technopark Oujda", description="Site de l'Oriental.")
    assert site.name_fr == "Technopark Oujda" and not site.name_ar and not site.name_en
    for language in ("ar", "en"):
        page, _ = _page(f"/sites/{site.slug}/", language)
        assert "Technopark Oujda" in page and "Site de l&#x27;Oriental." in page
    with translation.override("ar"):
        assert Site.objects.get(pk=site.pk).name == "Technopark Oujda"


def test_a_name_given_in_another_language_still_fills_the_french_one():
    with translation.override("ar"):
        site = SiteFactory(name="تكنوبارك تيزنيت")
    assert site.name_fr == "تكنوبارك تيزنيت"


def test_the_admin_form_requires_the_french_name_only(network_manager):
    request = RequestFactory().get("/admin/sites/site/add/")
    request.user = network_manager
    form = admin.site._registry[Site].get_form(request)
    assert form.base_fields["name_fr"].required
    assert not form.base_fields["name_ar"].required
    assert not form.base_fields["name_en"].required
    assert "name" not in form.base_fields


def test_the_admin_refuses_a_site_without_its_french_name(superuser):
    client = Client()
    client.force_login(superuser)
    client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    response = client.post(
        "/admin/sites/site/add/",
        {
            "name_fr": "",
            "name_ar": "تكنوبارك فاس",
            "slug": "fes-test",
            "city": "Fès",
            "status": "planned",
            "spaces-TOTAL_FORMS": "0",
            "spaces-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "name_fr" in response.context["adminform"].form.errors
    assert not Site.objects.filter(slug="fes-test").exists()


def test_the_catalogue_shows_the_services_in_the_reader_s_language(tenant_admin, company):
    ServiceFactory(
        site=company.home_site,
        name="Attestation de domiciliation",
        name_ar="شهادة التوطين",
        documents_needed="Contrat de résidence",
        documents_needed_ar="عقد الإقامة",
    )
    client = Client()
    client.force_login(tenant_admin)
    pages = {}
    for language in ("fr", "ar"):
        client.post("/i18n/setlang/", {"language": language, "next": "/"})
        response, pages[language] = get_counted(client, "/portal/services/")
        pages[language, "html"] = response.content.decode()
    assert "شهادة التوطين" in pages["ar", "html"] and "عقد الإقامة" in pages["ar", "html"]
    assert "Attestation de domiciliation" in pages["fr", "html"]
    assert "Contrat de résidence" in pages["fr", "html"]
    # The texts live in the row's own columns: reading them in Arabic costs nothing more.
    assert pages["ar"] == pages["fr"]


def test_a_site_page_costs_the_same_queries_in_every_language():
    site = SiteFactory(name_ar="تكنوبارك", name_en="Technopark")
    SpaceFactory.create_batch(3, site=site)
    counts = {
        language: _page(f"/sites/{site.slug}/", language)[1] for language in "fr ar en".split()
    }
    assert len(set(counts.values())) == 1, counts
