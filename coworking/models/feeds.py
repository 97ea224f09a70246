"""Private calendar feeds: a secret URL per person, revocable.

Only a SHA-256 hash of the secret token is stored, with its first characters
as a hint the person can recognise: the full address is shown once, when it
is issued, and whoever reads the database cannot rebuild it.
"""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

#: How many of the token's first characters are kept, to recognise an address.
HINT_LENGTH = 6
SHA256_HEX = r"^[0-9a-f]{64}$"


def new_token() -> str:
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """The hex SHA-256 of a token: what is stored, and what a feed is looked up by."""
    return hashlib.sha256(token.encode()).hexdigest()


class CalendarFeed(models.Model):
    """A secret token giving read access to one person's bookings as an iCalendar feed.

    Whoever knows the URL reads the feed without logging in, so the person can
    revoke it (a new token replaces it); a revoked or unknown token is 404.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_feeds",
        verbose_name=_("person"),
    )
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    token_hint = models.CharField(
        _("start of the token"), max_length=HINT_LENGTH, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(revoked_at__isnull=True),
                name="calendar_feed_one_live_per_person",
            ),
            models.CheckConstraint(
                condition=Q(token_hash__regex=SHA256_HEX),
                name="calendar_feed_token_hash_is_sha256",
            ),
        ]

    def __str__(self):
        return str(self.user)
