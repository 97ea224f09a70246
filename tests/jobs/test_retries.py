"""A mail server that is down: the e-mail job waits with exponential backoff, then delivers once."""

import time

import pytest
from django.db import transaction
from django.db.models.functions import Now
from procrastinate.contrib.django.models import ProcrastinateJob

from technopark import mail as technopark_mail
from technopark.jobs import run_queued
from technopark.jobs_views import database_now
from technopark.models import MailDelivery
from technopark.tasks import EMAIL_RETRY
from tests.factories import UserFactory
from tests.jobs.conftest import free_port, wait_until

INVITATION = {"company": "Atlas Games", "inviter": None, "link": "", "days": 7}


def test_the_backoff_doubles_and_gives_up_after_an_afternoon():
    waits = [2 ** (attempt + 1) for attempt in range(EMAIL_RETRY.max_attempts - 1)]
    assert waits[:4] == [2, 4, 8, 16]
    assert 4 * 3600 < sum(waits) < 5 * 3600


@pytest.mark.django_db(transaction=True)
def test_an_email_queued_while_the_mail_server_is_down_arrives_once_it_is_back(
    settings, empty_queue, smtp_server, time_machine
):
    # procrastinate dates a retry by Python's clock and finds it due by the
    # database's: under TECHNOPARK_FAKE_NOW they differ, so run on the database's.
    time_machine.move_to(database_now(), tick=True)
    port = free_port()  # nothing listens there yet: the server is down
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 2
    person = UserFactory(language="fr")
    with transaction.atomic():
        technopark_mail.send_to([person], "team_invitation", INVITATION)
    # The commit ran the job (the tests' mode): refused, it waits for its retry.
    job = ProcrastinateJob.objects.get(task_name="email.send")
    assert (job.status, job.attempts) == ("todo", 1)
    assert not MailDelivery.objects.exists()

    inbox = smtp_server(port)  # the mail server is back
    wait_until(
        lambda: ProcrastinateJob.objects.filter(scheduled_at__lte=Now()).exists(),
        timeout=5,
        what="the retry to be due (by the database's clock)",
    )
    run_queued()
    (message,) = inbox.wait_for(1)
    assert message["To"] == person.email
    assert [part.get_content_type() for part in message.walk()][1:] == ["text/plain", "text/html"]
    run_queued()
    time.sleep(0.2)
    assert len(inbox.messages) == 1
    assert MailDelivery.objects.get().to == person.email
    assert not ProcrastinateJob.objects.filter(task_name="email.send").exists()  # done, deleted
