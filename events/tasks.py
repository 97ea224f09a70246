"""The events app's scheduled jobs (cron lines in UTC, see technopark/tasks.py)."""

from events import services
from technopark.jobs import app, task
from technopark.tasks import tick


@app.periodic(cron="*/15 * * * *", periodic_id="quarter-hourly")
@task(name="events.expire_unconfirmed", queueing_lock="events.expire_unconfirmed")
def expire_unconfirmed(timestamp: int) -> int:
    """Visitors who did not confirm their address within 24 hours hold no seat any more."""
    return services.registrations_expire(now=tick(timestamp))


@app.periodic(cron="0 17 * * *", periodic_id="daily")
@task(name="events.send_reminders", queueing_lock="events.send_reminders")
def send_reminders(timestamp: int) -> int:
    """The day before an event, its confirmed attendees get a reminder (17:00 UTC)."""
    return services.reminders_send(now=tick(timestamp))


@app.periodic(cron="30 * * * *", periodic_id="hourly")
@task(name="events.finish", queueing_lock="events.finish")
def finish(timestamp: int) -> int:
    """Published events whose last date ended are done."""
    return services.event_finish(now=tick(timestamp))
