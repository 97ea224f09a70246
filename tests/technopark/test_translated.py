"""``technopark.i18n.translated``: a translated field in the reader's language, in SQL."""

import pytest
from django.utils import translation

from sites.models import Site, Space
from technopark.i18n import translated
from tests.factories import SiteFactory, SpaceFactory

pytestmark = pytest.mark.django_db


def test_a_translated_field_reads_in_the_readers_language_else_in_french():
    site = SiteFactory(name="Technopark Agadir")
    site.name_ar = "تكنوبارك أكادير"
    site.save()
    SpaceFactory(site=site)
    shown = {}
    for language in ("fr", "ar", "en"):
        with translation.override(language):
            own = Site.objects.filter(pk=site.pk).values_list(translated("name"), flat=True)
            across = Space.objects.filter(site=site).values_list(
                translated("site__name"), flat=True
            )
            shown[language] = (own.get(), across.get())
    assert shown == {
        "fr": ("Technopark Agadir", "Technopark Agadir"),
        "ar": ("تكنوبارك أكادير", "تكنوبارك أكادير"),
        "en": ("Technopark Agadir", "Technopark Agadir"),  # no English name: the French one
    }


def test_an_empty_translation_falls_back_too():
    site = SiteFactory(name="Technopark Rabat")
    Site.objects.filter(pk=site.pk).update(name_ar="")
    with translation.override("ar"):
        assert Site.objects.values_list(translated("name"), flat=True).get(pk=site.pk) == (
            "Technopark Rabat"
        )
