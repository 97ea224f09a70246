"""A job exists if and only if the transaction that queued it commits (production's rule).

These tests commit for real (``transaction=True``) with the production setting
(``JOBS_RUN_ON_COMMIT`` off): the job's row is written in the transaction, and
another connection, a worker's, sees it only after the commit.
"""

import psycopg
import pytest
from django.core import mail
from django.db import connection, transaction

from technopark import mail as technopark_mail
from technopark.jobs import run_queued
from tests.factories import UserFactory
from tests.jobs.conftest import clear_queue

INVITATION = {"company": "A", "inviter": None, "link": "", "days": 7}


@pytest.fixture
def production(settings, empty_queue):
    settings.JOBS_RUN_ON_COMMIT = False


def _jobs_seen_by_another_connection() -> int:
    """What a worker would see: a second connection, outside the test's transactions."""
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as other:
        return other.execute("SELECT count(*) FROM procrastinate_jobs").fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_a_job_queued_in_a_transaction_is_seen_by_workers_only_once_it_commits(production):
    person = UserFactory()
    with transaction.atomic():
        technopark_mail.send_to([person], "team_invitation", INVITATION)
        assert _jobs_seen_by_another_connection() == 0
    assert _jobs_seen_by_another_connection() == 1
    run_queued()
    assert [m.to for m in mail.outbox] == [[person.email]]


@pytest.mark.django_db(transaction=True)
def test_a_job_queued_in_a_transaction_that_rolls_back_never_exists(production):
    person = UserFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        technopark_mail.send_to([person], "team_invitation", INVITATION)
        raise RuntimeError("the change fails after the e-mail was queued")
    assert _jobs_seen_by_another_connection() == 0
    run_queued()
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_in_the_tests_mode_jobs_run_when_their_transaction_commits(empty_queue):
    person = UserFactory()
    with transaction.atomic():
        technopark_mail.send_to([person], "team_invitation", INVITATION)
        assert mail.outbox == []
    assert [m.to for m in mail.outbox] == [[person.email]]
    with pytest.raises(RuntimeError), transaction.atomic():
        technopark_mail.send_to([person], "team_invitation", INVITATION)
        raise RuntimeError
    assert len(mail.outbox) == 1
    clear_queue()


@pytest.mark.django_db
def test_in_the_tests_mode_a_rolled_back_savepoint_takes_its_jobs_with_it(
    django_capture_on_commit_callbacks,
):
    person = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            technopark_mail.send_to([person], "team_invitation", {**INVITATION, "company": "Alpha"})
            raise RuntimeError
        technopark_mail.send_to([person], "team_invitation", {**INVITATION, "company": "Beta"})
    (message,) = mail.outbox
    assert "Beta" in message.subject
