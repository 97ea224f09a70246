"""The sites' content in the three languages (django-modeltranslation).

Each field below gets ``_fr``, ``_ar`` and ``_en`` columns; reading ``site.name``
gives the current language's text, or the French one when it is empty.
French is the one staff must fill.
"""

from modeltranslation.translator import TranslationOptions, register, translator

from sites.models import Site, Space


@register(Site)
class SiteTranslation(TranslationOptions):
    fields = ("name", "description")
    required_languages = ("fr",)


@register(Space)
class SpaceTranslation(TranslationOptions):
    fields = ("name", "description")
    required_languages = ("fr",)


# The change history keeps the three languages too (django-simple-history copies
# every field of the row, translated ones included, into its historical row).
translator.register(Site.history.model, SiteTranslation)
translator.register(Space.history.model, SpaceTranslation)
