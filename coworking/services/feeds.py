"""Private calendar feeds: issue and revoke a person's secret feed URL."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from coworking.models import CalendarFeed
from coworking.models.feeds import HINT_LENGTH, hash_token, new_token
from technopark.models import User


def _lock_person(actor) -> None:
    """Serialise the feed changes of one person: two clicks at once queue here.

    Without it, two transactions both find no live feed and both insert one;
    the second insert breaks ``calendar_feed_one_live_per_person``.
    """
    list(User.objects.select_for_update().filter(pk=actor.pk).values_list("pk", flat=True))


@transaction.atomic
def calendar_feed_reset(*, actor) -> tuple[CalendarFeed, str]:
    """Revoke ``actor``'s live feed URL, if any, and issue a new secret one.

    Returns the feed and its secret token: only the token's hash is stored, so
    this is the one moment the full address can be shown.
    """
    _lock_person(actor)
    _revoke(actor)
    token = new_token()
    feed = CalendarFeed.objects.create(
        user=actor, token_hash=hash_token(token), token_hint=token[:HINT_LENGTH]
    )
    return feed, token


@transaction.atomic
def calendar_feed_revoke(*, actor) -> None:
    """Revoke ``actor``'s live feed URL: calendars subscribed to it get 404 from now on."""
    _lock_person(actor)
    _revoke(actor)


def _revoke(actor) -> None:
    CalendarFeed.objects.filter(user=actor, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


#: Days a revoked feed is kept (to tell a person "this address was revoked") before it goes.
REVOKED_FEEDS_KEPT_DAYS = 30


@transaction.atomic
def calendar_feed_purge(*, now: dt.datetime | None = None) -> tuple[int, int]:
    """Revoke the live feeds of deactivated accounts; delete feeds revoked long ago (daily).

    Returns (revoked, deleted).
    """
    now = now or timezone.now()
    revoked = CalendarFeed.objects.filter(revoked_at__isnull=True, user__is_active=False).update(
        revoked_at=now
    )
    deleted, _ = CalendarFeed.objects.filter(
        revoked_at__lt=now - dt.timedelta(days=REVOKED_FEEDS_KEPT_DAYS)
    ).delete()
    return revoked, deleted
