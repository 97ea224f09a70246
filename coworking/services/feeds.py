"""Private calendar feeds: issue and revoke a person's secret feed URL."""

from django.db import transaction
from django.utils import timezone

from coworking.models import CalendarFeed


@transaction.atomic
def calendar_feed_reset(*, actor) -> CalendarFeed:
    """Revoke ``actor``'s live feed URL, if any, and issue a new secret one."""
    calendar_feed_revoke(actor=actor)
    return CalendarFeed.objects.create(user=actor)


@transaction.atomic
def calendar_feed_revoke(*, actor) -> None:
    """Revoke ``actor``'s live feed URL: calendars subscribed to it get 404 from now on."""
    CalendarFeed.objects.select_for_update().filter(user=actor, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
