"""The tenants app's scheduled jobs: contracts that end, late requests and reports, alumni.

Cron lines are in UTC (see technopark/tasks.py); each job reads Morocco's local
day from its tick. All are idempotent: run twice, they change and tell nothing twice.
"""

from django.utils import timezone

from technopark.jobs import app, task
from technopark.tasks import tick
from tenants.services import alumni, reminders
from tenants.services.company import company_sign_up_purge_unconfirmed
from tenants.services.offices import residency_close_due


@app.periodic(cron="5 0 * * *", periodic_id="daily")
@task(name="tenants.close_due_residencies", queueing_lock="tenants.close_due_residencies")
def close_due_residencies(timestamp: int) -> int:
    """Close the contracts whose end date has come (after midnight in Morocco, UTC+0 or +1)."""
    return residency_close_due(today=timezone.localdate(tick(timestamp)))


@app.periodic(cron="15 * * * *", periodic_id="hourly")
@task(name="tenants.remind_unassigned_requests", queueing_lock="tenants.remind_unassigned_requests")
def remind_unassigned_requests(timestamp: int) -> int:
    """Tell a site's agents of the requests nobody took for more than a working day."""
    return reminders.request_remind_unassigned(now=tick(timestamp))


@app.periodic(cron="0 7 * * *", periodic_id="daily")
@task(name="tenants.escalate_overdue_requests", queueing_lock="tenants.escalate_overdue_requests")
def escalate_overdue_requests(timestamp: int) -> int:
    """Escalate the requests past their deadline to their site's managers."""
    return reminders.request_escalate_overdue(today=timezone.localdate(tick(timestamp)))


@app.periodic(cron="0 7 * * *", periodic_id="daily")
@task(name="tenants.remind_late_kpi_reports", queueing_lock="tenants.remind_late_kpi_reports")
def remind_late_kpi_reports(timestamp: int) -> int:
    """Remind the companies late with their quarter's figures, then their site's staff."""
    return reminders.kpi_remind_late(today=timezone.localdate(tick(timestamp)))


@app.periodic(cron="10 3 * * *", periodic_id="daily")
@task(name="tenants.purge_expired_invitations", queueing_lock="tenants.purge_expired_invitations")
def purge_expired_invitations(timestamp: int) -> int:
    """Delete the team invitations that expired unanswered."""
    return reminders.invitation_purge_expired(now=tick(timestamp))


@app.periodic(cron="20 3 * * *", periodic_id="daily")
@task(name="tenants.purge_unconfirmed_signups", queueing_lock="tenants.purge_unconfirmed_signups")
def purge_unconfirmed_signups(timestamp: int) -> int:
    """Delete the sign-ups whose address was not confirmed within a week, with their companies."""
    return company_sign_up_purge_unconfirmed(now=tick(timestamp))


@app.periodic(cron="0 8 * * *", periodic_id="daily")
@task(name="tenants.send_alumni_check_ins", queueing_lock="tenants.send_alumni_check_ins")
def send_alumni_check_ins(timestamp: int) -> int:
    """Send this year's check-in to the alumni past the anniversary of their exit, once."""
    return alumni.alumni_check_in_send_due(today=timezone.localdate(tick(timestamp)))
