"""The languages the network speaks."""

from django.conf import settings
from django.utils.translation import get_language


def current_language() -> str:
    """The language of the page being served (one of LANGUAGES): new accounts keep it."""
    language = get_language() or settings.LANGUAGE_CODE
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
