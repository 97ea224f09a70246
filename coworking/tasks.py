"""The coworking app's scheduled jobs (cron lines in UTC, see technopark/tasks.py)."""

from django.utils import timezone

from coworking.services.feeds import calendar_feed_purge
from coworking.services.nomads import nomad_documents_expire
from technopark.jobs import app, task
from technopark.tasks import tick


@app.periodic(cron="20 3 * * *", periodic_id="daily")
@task(name="coworking.purge_calendar_feeds", queueing_lock="coworking.purge_calendar_feeds")
def purge_calendar_feeds(timestamp: int) -> list[int]:
    """Revoke the feeds of deactivated accounts, delete those revoked long ago."""
    return list(calendar_feed_purge(now=tick(timestamp)))


@app.periodic(cron="40 3 * * *", periodic_id="daily")
@task(name="coworking.expire_nomad_documents", queueing_lock="coworking.expire_nomad_documents")
def expire_nomad_documents(timestamp: int) -> int:
    """Delete the nomads' identity document numbers kept past their site's retention period."""
    return nomad_documents_expire(today=timezone.localdate(tick(timestamp)))
