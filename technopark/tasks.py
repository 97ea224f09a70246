"""The floor's jobs: e-mail, the staff's daily digest, and the queue's own upkeep.

Schedules are cron lines in UTC (the database's and the workers' clock);
each job turns its tick into Morocco's local day with ``technopark.clock``.
"""

import datetime as dt
import smtplib

from asgiref.sync import sync_to_async
from django.conf import settings

from technopark import mail
from technopark.jobs import RetryStrategy, app, task

#: A mail server that fails is tried again after 2, 4, 8... seconds (``2 ** attempts``):
#: the fourteenth and last try comes about four and a half hours after the first,
#: so an afternoon's outage still delivers. Only the mail server's and the
#: network's errors are retried; a broken template fails at once, for staff to
#: see and retry in the admin.
EMAIL_RETRY = RetryStrategy(
    max_attempts=14, exponential_wait=2, retry_exceptions=[smtplib.SMTPException, OSError]
)

#: How long what the jobs remember is kept: failed jobs, deliveries, digested notices.
KEEP_DAYS = 30


def tick(timestamp: int) -> dt.datetime:
    """The moment a periodic job was scheduled for, as an aware datetime."""
    return dt.datetime.fromtimestamp(timestamp, tz=dt.UTC)


@task(name="email.send", queue="email", retry=EMAIL_RETRY)
def send_email(*, key: str, to: dict, template: str, context: dict, site_id=None) -> str:
    """One e-mail (queued by ``mail.send_to``); ``site_id`` is for the admin's scope."""
    return mail.deliver(key=key, to=to, template=template, context=context)


@app.periodic(cron="30 7 * * *", periodic_id="daily")
@task(name="email.digests", queueing_lock="email.digests")
def send_digests(timestamp: int) -> int:
    """Each morning, after the scans, one e-mail per person with the notices kept for them."""
    return mail.digests_queue(now=tick(timestamp))


@app.periodic(cron="* * * * *", periodic_id="every-minute")
@app.task(name="jobs.retry_stalled", queueing_lock="jobs.retry_stalled")
async def retry_stalled_jobs(timestamp: int) -> int:
    """Give the jobs of a worker that stopped sending heartbeats (killed, cut off) to another.

    The job runs again from the start, which is why every job is idempotent.
    """
    stalled = await app.job_manager.get_stalled_jobs(
        seconds_since_heartbeat=settings.JOBS_STALLED_AFTER
    )
    for job in stalled:
        await app.job_manager.retry_job(job)
    # A list at run time; procrastinate types it as an iterable.
    return len(stalled)  # type: ignore[arg-type]


@app.periodic(cron="30 2 * * *", periodic_id="daily")
@app.task(name="jobs.prune", queueing_lock="jobs.prune")
async def prune(timestamp: int) -> None:
    """Forget what is older than ``KEEP_DAYS``: ended jobs, deliveries, digested notices."""
    before = tick(timestamp) - dt.timedelta(days=KEEP_DAYS)
    await sync_to_async(mail.records_prune, thread_sensitive=True)(before=before)
    await app.job_manager.delete_old_jobs(
        nb_hours=KEEP_DAYS * 24, include_failed=True, include_cancelled=True, include_aborted=True
    )
