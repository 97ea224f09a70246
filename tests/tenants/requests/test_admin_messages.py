"""Each one-stop-shop action in the staff admin answers in the staff member's language.

"The request is assigned." used to show in English in the French admin: the
admin's confirmations were marked with an alias (``_g``) that the catalogues
never collected.
"""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from tests.conftest import client_for

pytestmark = pytest.mark.django_db

#: Each action in the order a request lives them, what it posts, its English confirmation.
ACTIONS = [
    ("assign", {"note": "Urgent"}, "The request is assigned."),
    ("ask", {"ask-body": "Merci d'envoyer le RC."}, "The request now waits for the company."),
    ("reply", {"body": "Nous attendons."}, "Your message is sent to the company."),
    ("resolve", {"note": "Fait."}, "The request is resolved."),
]


def _said(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def _client_in(language, user):
    user.language = language
    user.save(update_fields=["language"])
    client = client_for(user)
    client.cookies["django_language"] = language
    return client


def _translated(english, language):
    with translation.override(language):
        text = translation.gettext(english)
    assert text != english, f"{english!r} has no {language} translation"
    return text


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_each_request_action_confirms_in_the_staff_members_language(
    filed, agent, site_staff, language
):
    client = _client_in(language, site_staff)
    for action, data, english in ACTIONS:
        url = reverse(f"admin:tenants_servicerequest_{action}", args=[filed.pk])
        response = client.post(url, {**data, "agent": agent.pk})
        assert _said(response)[-1:] == [_translated(english, language)], action


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_the_rejection_confirms_in_the_staff_members_language(filed, site_staff, language):
    client = _client_in(language, site_staff)
    url = reverse("admin:tenants_servicerequest_reject", args=[filed.pk])
    response = client.post(url, {"reason": "Hors du catalogue."})
    assert _said(response) == [_translated("The request is rejected.", language)]
