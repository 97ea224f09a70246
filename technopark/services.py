"""Writes of the network layer: people and their preferences."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from technopark import mail, signals
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


@transaction.atomic
def user_request_erasure(*, user: User, now: dt.datetime | None = None) -> bool:
    """A person asks for the deletion of their data; the superusers are told by e-mail.

    Returns False (and tells nobody again) when the request is already waiting.
    """
    locked = User.objects.select_for_update().get(pk=user.pk)
    if locked.erasure_requested_at is not None or locked.erased_at is not None:
        return False
    locked.erasure_requested_at = now or timezone.now()
    locked.save(update_fields=["erasure_requested_at"])
    deciders = User.objects.filter(is_superuser=True, is_active=True)
    path = reverse("admin:technopark_user_changelist") + "?erasure=requested"
    mail.send_to(deciders, "erasure_requested", {"person": locked, "path": path})
    return True


def erased_email(user: User) -> str:
    """What replaces an erased person's address: unique, and reaching nobody."""
    return f"erased-{user.pk}@erased.invalid"


@transaction.atomic
def user_erase(*, actor: User, user: User, now: dt.datetime | None = None) -> User:
    """Erase a person's personal data, keeping what accounting requires (law 09-08).

    The account stays, closed and anonymous, so that the bookings, contracts
    and invoices that point at it keep their history; its name and address,
    in the history too, are gone, and every app anonymises what it holds
    (``technopark.signals.person_erased``: a nomad's identity document, phone).
    Only a superuser erases, and nobody erases a superuser (demote them first).
    """
    if not (actor.is_superuser and actor.is_active):
        raise PermissionDenied
    locked = User.objects.select_for_update().get(pk=user.pk)
    if locked.is_superuser:
        raise ValidationError(_("Remove the superuser status before erasing."), code="superuser")
    if locked.erased_at is not None:
        return locked
    replacement = erased_email(locked)
    signals.person_erased.send(sender=User, user=locked, erased_email=replacement)
    locked.email = replacement
    locked.full_name = ""
    locked.is_active = False
    locked.is_network_manager = False
    locked.set_unusable_password()
    locked.erased_at = now or timezone.now()
    locked.save()
    User.history.filter(id=locked.pk).update(email=replacement, full_name="")
    # Its sessions end by themselves: the authentication backend refuses inactive accounts.
    return locked
