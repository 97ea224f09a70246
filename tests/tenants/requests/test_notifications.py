"""E-mails: to the right people, in each one's language, only once the change is committed."""

import re

import pytest
from django.db import transaction
from django.utils import translation
from django.utils.formats import date_format

from tenants.models import CompanyRole
from tenants.services import requests as services
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def bystander(company):
    """A member of the company who neither filed the request nor administers the company."""
    return MembershipFactory(company=company, role=CompanyRole.MEMBER).user


@pytest.fixture
def people(tenant_admin, tenant_member, second_admin, bystander):
    tenant_admin.language = "fr"
    tenant_admin.save()
    tenant_member.language = "ar"
    tenant_member.save()
    return {"admin": tenant_admin, "filer": tenant_member, "second_admin": second_admin}


def _by_recipient(outbox):
    mails = {}
    for mail in outbox:
        (address,) = mail.to
        assert address not in mails, f"two mails to {address}"
        mails[address] = mail
    return mails


def _month(day, language):
    with translation.override(language):
        return date_format(day, "j F Y")


def test_a_status_change_reaches_the_filer_and_the_company_admins_in_their_languages(
    people, filed, agent, site_staff, bystander, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.request_assign(actor=site_staff, service_request=filed, agent=agent)
    mails = _by_recipient(mailoutbox)
    company_side = {p.email for p in people.values()}
    assert set(mails) == company_side | {agent.email}
    assert bystander.email not in mails
    assert site_staff.email not in mails
    deadline = filed.deadline
    for person in people.values():
        body = mails[person.email].body
        assert _month(deadline, person.language) in body
        # "#12" in English, "n° 12" in French, "رقم 12" in Arabic.
        assert re.search(rf"(?<!\d){filed.pk}(?!\d)", mails[person.email].subject)
        assert f"/portal/requests/{filed.pk}/" in body
    assert _month(deadline, "fr") != _month(deadline, "en")
    english = mails[people["second_admin"].email]
    assert english.subject == f"Your request #{filed.pk} is now: In progress"
    assert "Karim Alaoui of the one-stop shop handles it." in english.body
    # The agent hears that the request is theirs, with the admin link.
    assert f"/admin/tenants/servicerequest/{filed.pk}/change/" in mails[agent.email].body


def test_a_rejection_names_the_status_in_each_language(
    people, filed, site_staff, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.request_reject(actor=site_staff, service_request=filed, reason="Doublon.")
    mails = _by_recipient(mailoutbox)
    assert mails[people["admin"].email].subject.endswith("Refusée")
    assert mails[people["filer"].email].subject.endswith("مرفوضة")
    assert mails[people["second_admin"].email].subject.endswith("Rejected")
    assert all("Doublon." in mail.body for mail in mails.values())


def test_asking_the_company_sends_the_question(
    people, in_progress, agent, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.request_ask_company(
            actor=agent, service_request=in_progress, body="Merci d'envoyer le RC."
        )
    mails = _by_recipient(mailoutbox)
    assert set(mails) == {p.email for p in people.values()}
    assert all("Merci d'envoyer le RC." in mail.body for mail in mails.values())


def test_an_agent_reply_reaches_the_company_not_the_agent(
    people, in_progress, agent, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.request_reply_as_agent(
            author=agent, service_request=in_progress, body="Votre attestation est prête."
        )
    mails = _by_recipient(mailoutbox)
    assert set(mails) == {p.email for p in people.values()}
    english = mails[people["second_admin"].email]
    assert english.subject == f"New message on your request #{in_progress.pk}"
    assert "Votre attestation est prête." in english.body


def test_a_company_reply_reaches_the_assigned_agent_only(
    people, waiting, agent, site_staff, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.request_reply_as_company(
            author=people["filer"], service_request=waiting, body="Voici le RC."
        )
    mails = _by_recipient(mailoutbox)
    assert set(mails) == {agent.email}
    with translation.override("fr"):
        assert _month(waiting.deadline, "fr") in mails[agent.email].body
    assert "Voici le RC." in mails[agent.email].body


def test_while_nobody_is_assigned_the_sites_agents_hear_the_company(
    people, filed, agent, site_staff, other_agent, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.request_reply_as_company(
            author=people["admin"], service_request=filed, body="Une précision."
        )
    assert set(_by_recipient(mailoutbox)) == {agent.email, site_staff.email}


def test_a_new_request_reaches_the_sites_agents(
    tenant_member,
    company,
    service,
    agent,
    site_staff,
    other_agent,
    front_desk,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        services.request_create(
            user=tenant_member, company=company, service=service, description="Attestation"
        )
    assert set(_by_recipient(mailoutbox)) == {agent.email, site_staff.email}


def test_inactive_people_get_no_mail(
    people, filed, agent, site_staff, mailoutbox, django_capture_on_commit_callbacks
):
    people["second_admin"].is_active = False
    people["second_admin"].save()
    with django_capture_on_commit_callbacks(execute=True):
        services.request_reject(actor=site_staff, service_request=filed, reason="Doublon.")
    assert people["second_admin"].email not in _by_recipient(mailoutbox)


def test_nothing_is_sent_when_the_change_is_rolled_back(
    people, in_progress, agent, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            services.request_resolve(actor=agent, service_request=in_progress)
            raise RuntimeError("the page broke after the change")
    assert mailoutbox == []
    in_progress.refresh_from_db()
    assert in_progress.status == "in_progress"


def test_a_refused_change_sends_nothing(
    people, filed, agent, mailoutbox, django_capture_on_commit_callbacks
):
    from django.core.exceptions import ValidationError

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.request_resolve(actor=agent, service_request=filed)
    assert mailoutbox == []
