"""Real workers (``manage.py procrastinate worker`` processes) on the real PostgreSQL.

Production's setting: the web side queues in its transaction, and workers hear
of the job through LISTEN/NOTIFY. Each test starts its workers (a few seconds).
"""

import signal
import time

import pytest
from django.db import transaction
from procrastinate.contrib.django.models import ProcrastinateJob

from technopark import jobs, tasks
from technopark import mail as technopark_mail
from technopark.models import MailDelivery
from tests.factories import UserFactory
from tests.jobs.conftest import free_port, wait_until

pytestmark = [pytest.mark.workers, pytest.mark.django_db(transaction=True)]

INVITATION = {"company": "Atlas Games", "inviter": None, "link": "", "days": 7}


@pytest.fixture(autouse=True)
def production(settings):
    settings.JOBS_RUN_ON_COMMIT = False


def _email_job():
    return ProcrastinateJob.objects.filter(task_name="email.send").first()


def _queue_one_email(person):
    with transaction.atomic():
        technopark_mail.send_to([person], "team_invitation", INVITATION)


def test_a_worker_delivers_what_a_transaction_committed(worker, smtp_server):
    port = free_port()
    inbox = smtp_server(port)
    worker(EMAIL_URL=f"smtp://127.0.0.1:{port}")
    person = UserFactory(language="en")
    _queue_one_email(person)
    (message,) = inbox.wait_for(1)
    assert message["To"] == person.email and message["Subject"] == "Join Atlas Games on Technopark"
    wait_until(lambda: _email_job() is None, what="the job to be done")


def test_the_mail_server_down_then_up_delivers_the_message_once(worker, smtp_server):
    port = free_port()  # closed: nothing listens there
    worker(EMAIL_URL=f"smtp://127.0.0.1:{port}", EMAIL_TIMEOUT="2")
    person = UserFactory()
    _queue_one_email(person)
    wait_until(lambda: (_email_job() or ProcrastinateJob()).attempts >= 1, what="a refused try")
    assert not MailDelivery.objects.exists()
    inbox = smtp_server(port)  # the server is back; the next try is at most 4 s away
    (message,) = inbox.wait_for(1)
    assert message["To"] == person.email
    wait_until(lambda: _email_job() is None, what="the job to be done")
    time.sleep(0.5)
    assert len(inbox.messages) == 1
    assert MailDelivery.objects.count() == 1


def test_a_worker_killed_after_sending_but_before_the_ack_sends_nothing_twice(
    worker, smtp_server, tmp_path
):
    port = free_port()
    inbox = smtp_server(port)
    marker = tmp_path / "sent-not-acknowledged"
    first = worker(EMAIL_URL=f"smtp://127.0.0.1:{port}", TECHNOPARK_PAUSE_AFTER_JOB=str(marker))
    person = UserFactory()
    _queue_one_email(person)
    wait_until(marker.exists, what="the first worker to send")
    first.send_signal(signal.SIGKILL)  # no goodbye: its job stays "doing"
    first.wait(timeout=10)
    assert len(inbox.messages) == 1
    assert _email_job().status == "doing"

    worker(EMAIL_URL=f"smtp://127.0.0.1:{port}")
    time.sleep(3)  # the first worker's heartbeat is now older than JOBS_STALLED_AFTER (2 s)
    jobs.defer(tasks.retry_stalled_jobs, timestamp=int(time.time()))  # what the minute's run does
    wait_until(lambda: _email_job() is None, what="the stalled job to run again and end")
    time.sleep(0.5)
    assert len(inbox.messages) == 1  # the second run found the delivery and sent nothing
    assert MailDelivery.objects.count() == 1
