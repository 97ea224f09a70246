"""``/healthz/workers``: whether workers are alive, and how long the oldest job has waited."""

import datetime as dt

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models import Min, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from procrastinate.contrib.django.models import (
    ProcrastinateEvent,
    ProcrastinateJob,
    ProcrastinateWorker,
)


def workers_alive(*, now: dt.datetime) -> int:
    """Workers whose last heartbeat is recent (they send one a third of ``JOBS_STALLED_AFTER``)."""
    since = now - dt.timedelta(seconds=settings.JOBS_STALLED_AFTER)
    return ProcrastinateWorker.objects.filter(last_heartbeat__gte=since).count()


def oldest_wait(*, now: dt.datetime) -> dt.timedelta | None:
    """How long the job waiting longest has been due: since it was queued, or its retry time."""
    queued_at = ProcrastinateEvent.objects.filter(job=OuterRef("pk"), type="deferred").values("at")
    waiting = ProcrastinateJob.objects.filter(status="todo").filter(
        Q(scheduled_at__isnull=True) | Q(scheduled_at__lte=now)
    )
    since = waiting.aggregate(since=Min(Coalesce("scheduled_at", Subquery(queued_at[:1]))))["since"]
    return None if since is None else max(now - since, dt.timedelta(0))


def database_now() -> dt.datetime:
    """The database's clock: the one procrastinate stamps heartbeats and events with."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT now()")
        return cursor.fetchone()[0]


@never_cache
def workers_health(request):
    """200 when a worker is alive and no job has waited past ``JOBS_MAX_WAIT``; else 503.

    Point a monitor at it (the load balancer keeps ``/healthz``, the web's own).
    """
    try:
        now = database_now()
        alive, wait = workers_alive(now=now), oldest_wait(now=now)
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    healthy = alive > 0 and (wait is None or wait.total_seconds() <= settings.JOBS_MAX_WAIT)
    waited = "none" if wait is None else f"{wait.total_seconds():.0f} s"
    body = (
        f"{'ok' if healthy else 'unhealthy'}\n"
        f"workers alive: {alive}\n"
        f"oldest waiting job: {waited}\n"
    )
    return HttpResponse(body, status=200 if healthy else 503, content_type="text/plain")
