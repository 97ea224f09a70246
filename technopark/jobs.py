"""Background jobs: procrastinate, on the application's own PostgreSQL.

Each app declares its jobs in its ``tasks.py`` with :func:`task`, and their
schedule there too with ``@app.periodic(cron=...)``; procrastinate's Django
app imports every ``tasks.py`` at start. Workers (``python manage.py
procrastinate worker``) run the jobs: any number of them, on any number of
machines, share the queue through the database.

A job is queued with :func:`defer` inside the transaction of the change it
follows. Its row is written on Django's own connection, so the job exists if
and only if the change commits: a rolled-back change queues nothing, and a web
server that dies right after the commit loses nothing. The worker hears of it
through PostgreSQL's LISTEN/NOTIFY, which delivers on commit.

Job bodies are plain Django functions. :func:`task` runs them through
``sync_to_async(thread_sensitive=True)``: in a worker, in the one thread where
the jobs' Django connection lives (the one procrastinate's connection cleanup
uses too); in tests, in the test's own thread and transaction, which is what
lets :func:`run_queued` drive procrastinate's real worker inside a test.
"""

import functools
import json
import logging
import threading
from collections.abc import Callable
from typing import Any

from asgiref.sync import async_to_sync, sync_to_async
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from procrastinate import RetryStrategy, manager
from procrastinate import worker as procrastinate_worker
from procrastinate.contrib.django import app
from procrastinate.contrib.django.django_connector import DjangoConnector
from procrastinate.jobs import JobDeferrer
from procrastinate.tasks import Task

__all__ = ["RetryStrategy", "app", "defer", "defer_each", "run_queued", "task"]

logger = logging.getLogger(__name__)
_inline = threading.local()

#: Writes jobs through Django's connection, whatever connector the app runs on
#: (a worker swaps in a pool of its own for fetching jobs; a job that queues
#: another must still do it inside its own transaction).
_in_transaction = manager.JobManager(connector=DjangoConnector())


def task(**options) -> Callable[[Callable], Task]:
    """``app.task(**options)`` for a synchronous Django function (see the module's doc).

    Give each task a ``name``: queued jobs find their task by it, so a module
    can move without stranding them.
    """

    def decorator(func: Callable) -> Task:
        @functools.wraps(func)
        async def run(*args, **kwargs):
            return await sync_to_async(func, thread_sensitive=True)(*args, **kwargs)

        return app.task(**options)(run)

    return decorator


def defer(task: Task, /, *, schedule_in: dict | None = None, **kwargs) -> None:
    """Queue ``task`` with ``kwargs`` (JSON values) in the current transaction.

    ``schedule_in`` (``{"minutes": 5}``) delays the first run. A job of a task
    with a ``queueing_lock`` that is already waiting raises
    ``procrastinate.exceptions.AlreadyEnqueued``, and leaves the transaction usable.
    """
    options: dict[str, Any] = {"schedule_in": schedule_in} if schedule_in else {}
    _queue(JobDeferrer(job_manager=_in_transaction, job=task.configure(**options).job), [kwargs])


def defer_each(task: Task, each: list[dict]) -> None:
    """Queue one job of ``task`` per dict of arguments, in one query, in the current transaction."""
    if each:
        _queue(JobDeferrer(job_manager=_in_transaction, job=task.configure().job), each)


def _queue(deferrer: JobDeferrer, each: list[dict]) -> None:
    if settings.JOBS_RUN_ON_COMMIT:
        # Tests: a test's transaction never commits, so the jobs are written when
        # Django runs its commit callbacks (captureOnCommitCallbacks), and run then.
        transaction.on_commit(functools.partial(_write_and_run, deferrer, each))
    else:
        _write(deferrer, each)


#: One job for procrastinate's own function that queues jobs (the composite type it takes).
_JOB_ROW = "ROW(%s, %s, %s, %s, %s, %s::jsonb, %s::timestamptz)::procrastinate_job_to_defer_v1"


def _write(deferrer: JobDeferrer, each: list[dict]) -> None:
    if deferrer.job.queueing_lock:
        with transaction.atomic():  # a refused lock must not break the caller's transaction
            deferrer.batch_defer(*each)
        return
    # What ``batch_defer`` does, through the same SQL function, with each job's fields
    # passed one by one: psycopg's quoting of the array of composites batch_defer sends
    # took about 0.4 ms of Python per job, more than the rest of a booking's e-mail.
    # (A queueing lock's refusal needs procrastinate's own handling, above.)
    jobs = [deferrer.make_new_job(**kwargs) for kwargs in each]
    params: list[Any] = []
    for job in jobs:
        params += [job.queue, job.task_name, job.priority, job.lock, job.queueing_lock]
        params += [json.dumps(job.task_kwargs), job.scheduled_at]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT procrastinate_defer_jobs_v1(ARRAY[{', '.join(_JOB_ROW for _ in jobs)}])",
            params,
        )
    logger.debug("Deferred %s job(s) of %s", len(jobs), deferrer.job.task_name)


def _write_and_run(deferrer: JobDeferrer, each: list[dict]) -> None:
    _write(deferrer, each)
    run_queued()


class _InlineConnector(DjangoConnector):
    """Django's connection, for a worker: job arguments come back decoded.

    Django reads ``jsonb`` as text (its JSONField decodes it); procrastinate's
    worker expects the arguments as a dict.
    """

    def _dictfetch(self, cursor):
        for row in super()._dictfetch(cursor):
            if isinstance(row.get("args"), str):
                row["args"] = json.loads(row["args"])
            yield row


class _InlineWorker(procrastinate_worker.Worker):
    """procrastinate's worker without the schedule: deferring periodic jobs is for real workers."""

    async def _periodic_deferrer(self):
        return None


def run_queued(*, queues: list[str] | None = None) -> None:
    """Run, here and now, every job that is due, then return (tests; the bench's baseline).

    This is procrastinate's own worker (fetching, retries with their backoff,
    statuses) on Django's connection, so it sees what the current transaction
    sees. Jobs it queues on the way run too; retries scheduled later do not.
    """
    if getattr(_inline, "running", False):
        return  # a job queued by a job run here: the running worker picks it up
    app.perform_import_paths()
    _inline.running = True
    try:
        _run_inline(queues)
    finally:
        _inline.running = False


def _run_inline(queues: list[str] | None) -> None:
    with app.replace_connector(_InlineConnector()):
        options: dict[str, Any] = {
            **app.worker_defaults,
            "queues": queues,
            "wait": False,
            "listen_notify": False,
            "install_signal_handlers": False,
            # Django's per-job connection cleanup would close the test's connection.
            "task_middleware": [],
        }
        worker = _InlineWorker(app=app, **options)
        async_to_sync(worker.run)()


def job_retry(*, actor, job_id: int) -> None:
    """Queue a failed job again, to run now (staff's retry; who may is the admin's rule).

    The job keeps its arguments and counts one more attempt. A job that is not
    failed (waiting, running, or already retried) is refused.
    """
    from technopark.models import Job

    with transaction.atomic():
        status = Job.objects.select_for_update().filter(pk=job_id).values_list("status", flat=True)
        if list(status) != ["failed"]:
            raise ValidationError(_("Only a failed job can be retried."), code="not_failed")
        _in_transaction.retry_job_by_id(job_id=job_id, retry_at=timezone.now())
    logger.info("Job %s queued again by %s", job_id, actor)
