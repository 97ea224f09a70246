"""The network app's scheduled job: the dashboard's snapshots of closed quarters.

Cron lines are in UTC (see technopark/tasks.py); the job reads Morocco's day from its tick.
Idempotent: run twice, it writes the same figures again (with a newer computing time).
"""

from django.utils import timezone

from network.snapshots import quarter_snapshots_refresh
from technopark.jobs import app, task
from technopark.tasks import tick


@app.periodic(cron="45 1 * * *", periodic_id="nightly")
@task(name="network.refresh_snapshots", queueing_lock="network.refresh_snapshots")
def refresh_snapshots(timestamp: int) -> int:
    """Recompute the dashboard's figures of the last closed quarters (changes since included)."""
    return quarter_snapshots_refresh(today=timezone.localdate(tick(timestamp)))
