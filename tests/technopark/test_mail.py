"""E-mails: one job per recipient, carrying references; text and HTML in each one's language."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.utils.translation import gettext_lazy

from technopark import mail as technopark_mail
from technopark.models import MailDelivery, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
INVITATION = {"company": "A", "inviter": None, "link": "", "days": 7}


def _queued_args() -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT args FROM procrastinate_jobs WHERE task_name = 'email.send'")
        return [json.loads(args) if isinstance(args, str) else args for (args,) in cursor]


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
    html, kind = message.alternatives[0]
    assert kind == "text/html"
    assert "L&#x27;Atelier &amp; &lt;Fils&gt;" in html


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
    arabic = next(m for m in mail.outbox if m.to == [people[1].email])
    assert 'dir="rtl"' in arabic.alternatives[0][0]
    assert 'lang="ar"' in arabic.alternatives[0][0]


def test_nothing_is_queued_or_sent_when_the_transaction_rolls_back(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        technopark_mail.send_to([UserFactory()], "team_invitation", INVITATION)
    assert len(callbacks) == 1  # the job waits for the commit that never comes
    assert mail.outbox == [] and _queued_args() == []


def test_the_job_carries_references_not_objects_nor_text(company, site, settings):
    settings.JOBS_RUN_ON_COMMIT = False  # as in production: queued now, run by a worker
    admin = UserFactory(language="ar")
    technopark_mail.send_to(
        [admin],
        "team_invitation",
        {"company": company, "inviter": admin, "days": 7, "link": "https://x", "site": site},
    )
    (args,) = _queued_args()
    assert args["to"] == {"user": admin.pk}
    assert args["template"] == "team_invitation"
    assert args["context"]["company"] == {"$model": "tenants.company", "pk": company.pk}
    assert args["context"]["inviter"] == {"$model": "technopark.user", "pk": admin.pk}
    assert args["site_id"] == site.pk
    assert "Atlas" not in json.dumps(args)  # nothing rendered yet: the worker does it


def test_a_job_reads_the_objects_again_when_it_runs(company, django_capture_on_commit_callbacks):
    invitee = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        technopark_mail.send_to(
            [invitee], "team_invitation", {**INVITATION, "company": company, "inviter": invitee}
        )
        company.legal_name = "Renamed before the worker ran SARL"
        company.save()
    assert "Renamed before the worker ran SARL" in mail.outbox[0].subject


def test_an_invitee_without_an_account_is_written_to_in_the_inviters_language(
    django_capture_on_commit_callbacks,
):
    invitee = User(email="new@example.ma", language="en")
    with django_capture_on_commit_callbacks(execute=True):
        technopark_mail.send_to([invitee], "team_invitation", INVITATION)
    (message,) = mail.outbox
    assert message.to == ["new@example.ma"] and message.subject.startswith("Join")


def test_the_letterhead_is_the_sites_when_the_message_names_one(
    site, django_capture_on_commit_callbacks
):
    site.address = "Route de Marrakech\nEssaouira"
    site.save()
    person = UserFactory(language="fr")
    with django_capture_on_commit_callbacks(execute=True):
        technopark_mail.send_to(
            [person],
            "coworking_nomad_signup_existing",
            {"site": site, "url": "/coworking/essaouira/join/"},
        )
        technopark_mail.send_to([person], "team_invitation", INVITATION)
    about_the_site, about_nothing = (m.alternatives[0][0] for m in mail.outbox)
    assert "Technopark Essaouira" in about_the_site and "Route de Marrakech" in about_the_site
    assert "Technopark Essaouira" not in about_nothing
    assert "MITC" in about_nothing


def test_links_are_built_from_site_url(settings, site, django_capture_on_commit_callbacks):
    settings.SITE_URL = "http://127.0.0.1:8123"
    with django_capture_on_commit_callbacks(execute=True):
        technopark_mail.send_to(
            [UserFactory()],
            "coworking_nomad_signup_existing",
            {"site": site, "url": "/coworking/essaouira/join/"},
        )
    (message,) = mail.outbox
    assert "http://127.0.0.1:8123/coworking/essaouira/join/" in message.body
    assert 'href="http://127.0.0.1:8123/coworking/essaouira/join/"' in message.alternatives[0][0]


def test_a_job_run_twice_sends_once():
    person = UserFactory()
    arguments = {
        "key": "k-1",
        "to": {"user": person.pk},
        "template": "team_invitation",
        "context": INVITATION,
    }
    assert technopark_mail.deliver(**arguments) == "sent"
    assert technopark_mail.deliver(**arguments) == "already sent"
    assert len(mail.outbox) == 1
    assert MailDelivery.objects.get(key="k-1").to == person.email


def test_a_mail_server_that_refuses_leaves_no_delivery_so_the_job_can_try_again(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 1
    person = UserFactory()
    with pytest.raises(OSError):
        technopark_mail.deliver(
            key="k-2", to={"user": person.pk}, template="team_invitation", context=INVITATION
        )
    assert not MailDelivery.objects.filter(key="k-2").exists()


def test_a_message_about_something_deleted_since_is_dropped(company):
    person = UserFactory()
    context = technopark_mail.pack({**INVITATION, "company": company})
    company.delete()
    assert (
        technopark_mail.deliver(
            key="k-3", to={"user": person.pk}, template="team_invitation", context=context
        )
        == "gone"
    )
    assert mail.outbox == []


def test_values_travel_and_come_back(company):
    context = {
        "company": company,
        "days": [company, company],
        "when": dt.date(2026, 12, 1),
        "at": dt.datetime(2026, 12, 1, 10, tzinfo=dt.UTC),
        "price": Decimal("12.50"),
    }
    packed = technopark_mail.pack(context)
    assert json.loads(json.dumps(packed)) == packed
    assert technopark_mail.unpack(packed) == context


@pytest.mark.parametrize(
    "value", [User(email="unsaved@example.ma"), gettext_lazy("Hello"), object()]
)
def test_what_a_job_could_not_read_again_is_refused_at_once(value):
    with pytest.raises(TypeError):
        technopark_mail.pack({"value": value})


def test_an_unknown_template_is_refused_when_queued_not_in_the_worker():
    from django.template import TemplateDoesNotExist

    with pytest.raises(TemplateDoesNotExist):
        technopark_mail.send_to([UserFactory()], "no_such_template", {})


def test_muted_blocks_nest(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with technopark_mail.muted():
            with technopark_mail.muted():
                pass
            assert technopark_mail._state.muted == 1
            technopark_mail.send_to([UserFactory()], "team_invitation", INVITATION)
        assert technopark_mail._state.muted == 0
    assert mail.outbox == []
