"""The billing app's scheduled jobs (cron lines in UTC, see technopark/tasks.py).

Both are idempotent: a second run bills nothing and reminds nobody twice.
"""

import datetime as dt

from django.utils import timezone

from billing.services.reminders import reminders_send
from billing.services.run import invoice_run_all
from technopark.jobs import app, task
from technopark.tasks import tick


@app.periodic(cron="0 6 * * *", periodic_id="daily")
@task(name="billing.remind_overdue_invoices", queueing_lock="billing.remind_overdue_invoices")
def remind_overdue_invoices(timestamp: int) -> int:
    """Remind the buyers of overdue invoices, at each site's intervals."""
    return reminders_send(today=timezone.localdate(tick(timestamp)))


@app.periodic(cron="30 1 1 * *", periodic_id="monthly")
@task(name="billing.monthly_run", queueing_lock="billing.monthly_run")
def monthly_run(timestamp: int) -> int:
    """On the 1st, draft last month's invoices at every site that has an issuing entity."""
    today = timezone.localdate(tick(timestamp))
    last_month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    return sum(result.lines_added for result in invoice_run_all(month=last_month))
