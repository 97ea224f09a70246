"""The failures an outside audit found, each reproduced: bad input, links, cookies, the clock."""

import datetime as dt
import time

import pytest
from django.urls import reverse
from django.utils import timezone

from tenants.models import Invitation
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "query",
    ["site=abc", "site=%00", "site=1%00", "site=-1", "site=99999999999999999999"],
)
def test_a_junk_key_in_an_autocomplete_field_of_an_add_form_is_ignored(query, superuser):
    response = client_for(superuser).get(f"{reverse('admin:sites_space_add')}?{query}")
    assert response.status_code == 200


def test_a_junk_key_posted_to_an_autocomplete_field_is_an_invalid_choice(site, superuser):
    response = client_for(superuser).post(
        reverse("admin:sites_space_add"), {"site": "a\x00b", "name": "Salle", "kind": "room"}
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["site"]


def test_an_invitation_to_a_308_character_address_is_refused_not_a_server_error(
    company, tenant_admin
):
    email = "a" * 296 + "@example.com"
    response = client_for(tenant_admin).post(
        reverse("portal:team_invite"), {"email": email, "role": "member"}, follow=True
    )
    assert response.status_code == 200
    assert not Invitation.objects.filter(company=company).exists()


def test_a_login_with_a_10000_character_address_is_refused_not_a_server_error(db):
    response = client_for(None).post(
        reverse("login"), {"username": "a" * 10_000 + "@x.ma", "password": "x"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors


def test_the_password_button_of_an_old_version_of_an_account_leads_to_the_password_page(
    superuser, tenant_member
):
    client = client_for(superuser)
    version = tenant_member.history.latest().history_id
    url = reverse("admin:technopark_user_simple_history", args=[tenant_member.pk, version])

    page = client.get(url).content.decode()
    stray = client.get(f"/admin/technopark/user/{tenant_member.pk}/history/password/")

    assert reverse("admin:auth_user_password_change", args=[tenant_member.pk]) in page
    assert stray.status_code == 404


def test_the_language_cookie_is_kept_like_the_session_cookie_in_production(settings):
    from django.conf import settings as live

    assert live.LANGUAGE_COOKIE_HTTPONLY is True
    assert live.LANGUAGE_COOKIE_SAMESITE == "Lax"
    assert live.LANGUAGE_COOKIE_SECURE == live.SESSION_COOKIE_SECURE


@pytest.mark.parametrize(
    "instant",
    [
        dt.datetime(2026, 2, 14, 23, 30, tzinfo=dt.UTC),  # the eve of Ramadan's UTC+0
        dt.datetime(2026, 3, 22, 12, 0, tzinfo=dt.UTC),  # back to UTC+1
        dt.datetime(2026, 10, 15, 12, 0, tzinfo=dt.UTC),  # after 2026-09-20: UTC+0 for good
    ],
)
def test_the_c_librarys_local_time_agrees_with_djangos(instant):
    """Log lines of runserver and gunicorn use time.localtime(); it must read tzdata too."""
    local = timezone.localtime(instant)
    libc = time.localtime(instant.timestamp())
    assert (libc.tm_mday, libc.tm_hour, libc.tm_min) == (local.day, local.hour, local.minute)
