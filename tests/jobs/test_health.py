"""``/healthz/workers``: 200 while a worker is alive and the queue moves, 503 otherwise."""

import datetime as dt

import pytest
from asgiref.sync import async_to_sync
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from technopark import tasks
from technopark.jobs import app

pytestmark = pytest.mark.django_db


def _check():
    response = Client().get(reverse("healthz_workers"))
    return response.status_code, response.content.decode()


def _register_a_worker(*, heartbeat_age: dt.timedelta = dt.timedelta(0)) -> None:
    worker_id = async_to_sync(app.job_manager.register_worker)()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE procrastinate_workers SET last_heartbeat = %s WHERE id = %s",
            [timezone.now() - heartbeat_age, worker_id],
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
    _register_a_worker(heartbeat_age=dt.timedelta(seconds=settings.JOBS_STALLED_AFTER + 1))
    assert _check()[0] == 503


def test_a_job_waiting_too_long_makes_it_unhealthy(settings):
    _register_a_worker()
    tasks.send_email.defer(key="k", to={"user": 1}, template="team_invitation", context={})
    # The job was queued in this test's transaction: PostgreSQL dates it at its start.
    settings.JOBS_MAX_WAIT = 3600
    status, body = _check()
    assert status == 200 and "oldest waiting job: " in body and "none" not in body
    settings.JOBS_MAX_WAIT = -1
    assert _check()[0] == 503
