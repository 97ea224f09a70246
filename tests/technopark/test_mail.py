"""E-mails: plain text in each recipient's language, sent after commit, failures logged."""

import pytest
from django.core import mail

from technopark import mail as technopark_mail
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
INVITATION = {"company": "A", "inviter": None, "link": "", "days": 7}


def test_names_with_apostrophes_and_ampersands_arrive_as_written(
    company, django_capture_on_commit_callbacks
):
    company.legal_name = "L'Atelier & <Fils>"
    invitee = UserFactory(language="fr")
    with django_capture_on_commit_callbacks(execute=True):
        technopark_mail.send_to(
            [invitee],
            "team_invitation",
            {"company": company.legal_name, "inviter": invitee, "link": "https://x", "days": 7},
        )
    (message,) = mail.outbox
    assert "L'Atelier & <Fils>" in message.subject
    assert "L'Atelier & <Fils>" in message.body


def test_each_recipient_reads_their_language(company, django_capture_on_commit_callbacks):
    people = [UserFactory(language=code) for code in ("fr", "ar", "en")]
    with django_capture_on_commit_callbacks(execute=True):
        technopark_mail.send_to(
            people,
            "team_invitation",
            {"company": "Atlas", "inviter": people[0], "link": "https://x", "days": 7},
        )
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert len(set(subjects.values())) == 3


def test_nothing_is_sent_when_the_transaction_rolls_back(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        technopark_mail.send_to(
            [UserFactory()],
            "team_invitation",
            {"company": "A", "inviter": None, "link": "", "days": 7},
        )
    assert len(callbacks) == 1 and mail.outbox == []


def test_a_mail_server_failure_is_logged_not_raised(
    settings, caplog, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 1
    with django_capture_on_commit_callbacks(execute=True):
        technopark_mail.send_to(
            [UserFactory()],
            "team_invitation",
            {"company": "A", "inviter": None, "link": "", "days": 7},
        )
    assert "Could not send" in caplog.text


def test_muted_blocks_nest():
    with technopark_mail.muted():
        with technopark_mail.muted():
            pass
        assert technopark_mail._state.muted == 1
    assert technopark_mail._state.muted == 0
