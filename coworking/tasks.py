"""The coworking app's scheduled jobs (cron lines in UTC, see technopark/tasks.py)."""

from coworking.services.feeds import calendar_feed_purge
from technopark.jobs import app, task
from technopark.tasks import tick


@app.periodic(cron="20 3 * * *", periodic_id="daily")
@task(name="coworking.purge_calendar_feeds", queueing_lock="coworking.purge_calendar_feeds")
def purge_calendar_feeds(timestamp: int) -> list[int]:
    """Revoke the feeds of deactivated accounts, delete those revoked long ago."""
    return list(calendar_feed_purge(now=tick(timestamp)))
