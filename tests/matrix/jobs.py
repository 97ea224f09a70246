"""Rows of the background jobs: their admin, the workers' health check, a person's notices."""

from django.urls import reverse

from tests.matrix import (
    ANONYMOUS,
    HIDDEN,
    LOGIN,
    NONE,
    READ,
    SHOWS,
    VIEW,
    Url,
    admin_rows,
    everyone,
    named,
    row,
)


def failed_job(world):
    """An e-mail job about site A that failed for good (its template does not exist)."""

    def build(w):
        from technopark import tasks
        from technopark.jobs import run_queued
        from technopark.models import Job

        job_id = tasks.send_email.defer(
            key="matrix",
            to={"user": w.tenant_member.pk},
            template="missing",
            context={},
            site_id=w.site.pk,
        )
        run_queued()
        job = Job.objects.get(pk=job_id)
        assert job.status == "failed"
        return job

    return world.memo("failed_job", build)


def with_a_live_worker(world):
    """The address of the workers' check, in a world where a worker just sent its heartbeat."""

    def register(w):
        from asgiref.sync import async_to_sync

        from technopark.jobs import app

        return async_to_sync(app.job_manager.register_worker)()

    world.memo("live_worker", register)
    return reverse("healthz_workers")


ROWS = {
    # For monitors: anyone may ask (without a live worker it answers 503: tests/jobs).
    "healthz_workers": Url(with_a_live_worker, everyone(200)),
    "notification_settings": Url(named("notification_settings"), row(LOGIN, *[200] * 6)),
    # The managers of the job's site and superusers retry it; network managers only read.
    # The superuser comes last, when the job is already queued again: refused, back to it.
    "admin:technopark_job_retry": Url(
        lambda w: reverse("admin:technopark_job_retry", args=[failed_job(w).pk]),
        row(LOGIN, 404, 404, 302, 404, 404, 302),
        method="post",
    ),
}

ROWS |= admin_rows(
    "technopark.job",
    failed_job,
    {
        "anonymous": ANONYMOUS,
        "tenant_user": NONE,
        "other_company_user": NONE,
        "site_staff": (SHOWS, 404, READ, 404, 200),
        "other_site_staff": HIDDEN,
        "network_manager": VIEW,
        "superuser": (SHOWS, 404, READ, 404, 200),
    },
    simple_history=False,
)
