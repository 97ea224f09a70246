"""Writes of the network layer: people and their preferences."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from technopark.models import NotificationMode, User


@transaction.atomic
def user_set_language(*, user: User, language: str) -> None:
    """Remember the language a person chose; their e-mails go out in it."""
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"Unknown language {language!r}")
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])


@transaction.atomic
def user_set_notification_mode(*, user: User, mode: str) -> None:
    """Remember how notices about work waiting reach a person: each by e-mail, or a daily digest."""
    if mode not in NotificationMode.values:
        raise ValidationError(_("Choose e-mail or the daily digest."), code="unknown_mode")
    if user.notification_mode != mode:
        user.notification_mode = mode
        user.save(update_fields=["notification_mode"])
