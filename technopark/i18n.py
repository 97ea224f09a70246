"""The languages the network speaks."""

from django.conf import settings
from django.db.models import CharField, F, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import get_language


def current_language() -> str:
    """The language of the page being served (one of LANGUAGES): new accounts keep it."""
    language = get_language() or settings.LANGUAGE_CODE
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def translated(path: str) -> Coalesce:
    """The translated field at ``path`` (``"site__name"``) in the reader's language, else
    in the required one (French), as one SQL expression.

    For ``values()`` across a relation and for subqueries: modeltranslation rewrites
    neither (a related ``values("site__name")`` reads the column as last saved, and
    its rewriting of a model's own ``values("name")`` gives two columns in a language
    that falls back, which a subquery cannot hold).
    """
    required = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
    own = NullIf(F(f"{path}_{current_language()}"), Value(""))
    return Coalesce(own, F(f"{path}_{required}"), output_field=CharField())
