"""A database out of reach (restart, failover, an exhausted pool) is a 503 page, never a 500.

The outage is played by making every new cursor fail as psycopg does when the
server is gone (``OperationalError``); the real restart was measured by hand
(closing note).
"""

from unittest import mock

import pytest
from django.db import OperationalError, connections
from django.urls import reverse

from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def _database_down():
    return mock.patch.object(
        type(connections["default"]),
        "ensure_connection",
        side_effect=OperationalError("connection failed: server closed the connection"),
    )


def test_a_page_answers_503_with_retry_after_when_the_database_is_gone(site, caplog):
    client = client_for(None)
    with _database_down():
        response = client.get(reverse("public:site", args=[site.slug]), HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert "<h1" in response.content.decode()


def test_a_form_says_what_was_typed_is_still_there(tenant_admin):
    client = client_for(tenant_admin)
    client.get(reverse("portal:home"))  # the session exists before the outage
    with _database_down():
        response = client.post(reverse("portal:team_invite"), {"email": "x@y.ma"})
    assert response.status_code == 503
    assert b"form" in response.content


def test_the_503_page_is_in_the_reader_s_language(site):
    client = client_for(None)
    with _database_down():
        arabic = client.get(reverse("public:network"), HTTP_ACCEPT_LANGUAGE="ar")
    assert arabic.status_code == 503
    assert 'dir="rtl"' in arabic.content.decode()


def test_an_outage_is_logged_once_not_once_per_request(site, caplog):
    from technopark import unavailable

    unavailable._last_logged[0] = 0.0
    client = client_for(None)
    with _database_down(), caplog.at_level("ERROR", logger="technopark.unavailable"):
        for _ in range(5):
            client.get(reverse("public:network"))
    assert [r.name for r in caplog.records].count("technopark.unavailable") == 1
