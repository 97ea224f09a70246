"""The one-stop-shop catalogue in the three languages (django-modeltranslation).

A service's name, description and documents needed get ``_fr``, ``_ar`` and
``_en`` columns; an empty Arabic or English text reads as the French one.
"""

from modeltranslation.translator import TranslationOptions, register, translator

from tenants.models import Service


@register(Service)
class ServiceTranslation(TranslationOptions):
    fields = ("name", "description", "documents_needed")
    required_languages = ("fr",)


# The change history keeps the three languages too (django-simple-history copies
# every field of the row, translated ones included, into its historical row).
translator.register(Service.history.model, ServiceTranslation)
