"""Writes of the network layer: people and their preferences."""

from django.conf import settings
from django.db import transaction

from technopark.models import User


@transaction.atomic
def user_set_language(*, user: User, language: str) -> None:
    """Remember the language a person chose; their e-mails go out in it."""
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"Unknown language {language!r}")
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
