"""``/healthz/workers``: 200 while a worker is alive and the queue moves, 503 otherwise.

Heartbeats and job events carry the database's clock, so the tests move them
with SQL relative to ``now()`` (the test transaction's start).
"""

import pytest
from asgiref.sync import async_to_sync
from django.db import connection
from django.test import Client
from django.urls import reverse

from technopark import tasks
from technopark.jobs import app

pytestmark = pytest.mark.django_db


def _check():
    response = Client().get(reverse("healthz_workers"))
    return response.status_code, response.content.decode()


def _sql(query: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(query, params)


def _register_a_worker(*, heartbeat_age: int = 0) -> None:
    worker_id = async_to_sync(app.job_manager.register_worker)()
    _sql(
        "UPDATE procrastinate_workers SET last_heartbeat = now() - make_interval(secs => %s)"
        " WHERE id = %s",
        [heartbeat_age, worker_id],
    )


def test_without_a_worker_it_says_so():
    status, body = _check()
    assert status == 503 and "workers alive: 0" in body


def test_a_worker_with_a_recent_heartbeat_and_an_empty_queue_is_healthy():
    _register_a_worker()
    status, body = _check()
    assert status == 200
    assert "workers alive: 1" in body and "oldest waiting job: none" in body


def test_a_worker_that_stopped_beating_is_not_alive(settings):
    _register_a_worker(heartbeat_age=settings.JOBS_STALLED_AFTER + 1)
    assert _check()[0] == 503


def test_a_job_waiting_too_long_makes_it_unhealthy(settings):
    _register_a_worker()
    tasks.send_email.defer(key="k", to={"user": 1}, template="team_invitation", context={})
    _sql("UPDATE procrastinate_events SET at = now() - interval '10 minutes'")
    settings.JOBS_MAX_WAIT = 3600
    status, body = _check()
    assert status == 200 and "oldest waiting job: 600 s" in body
    settings.JOBS_MAX_WAIT = 300
    assert _check()[0] == 503


def test_a_retry_scheduled_later_is_not_waiting(settings):
    _register_a_worker()
    tasks.send_email.defer(key="k", to={"user": 1}, template="team_invitation", context={})
    _sql("UPDATE procrastinate_events SET at = now() - interval '10 minutes'")
    _sql("UPDATE procrastinate_jobs SET scheduled_at = now() + interval '1 hour'")
    status, body = _check()
    assert status == 200 and "oldest waiting job: none" in body
