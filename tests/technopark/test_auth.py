"""Logging in by e-mail, throttling, password reset in the person's language."""

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.conftest import client_for
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _login(client, email, password, **extra):
    return client.post(reverse("login"), {"username": email, "password": password}, **extra)


def test_passwords_are_hashed_with_argon2():
    user = UserFactory()
    assert identify_hasher(user.password).algorithm == "argon2"


def test_a_person_logs_in_with_their_email_in_any_case(network_manager):
    response = _login(Client(), "  Manager@Technopark.TEST ", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_login_sends_each_role_to_its_surface(network_manager, site_staff, tenant_admin):
    for user, surface in [
        (network_manager, reverse("network:dashboard")),
        (site_staff, reverse("admin:index")),
        (tenant_admin, reverse("portal:home")),
    ]:
        assert client_for(user).get(reverse("home"))["Location"] == surface


def test_a_wrong_password_says_so_and_keeps_the_email(network_manager):
    response = _login(Client(), "manager@technopark.test", "wrong")
    assert response.status_code == 200
    assert response.context["form"].errors["__all__"]
    assert response.context["form"]["username"].value() == "manager@technopark.test"


def test_repeated_failures_lock_the_account_with_a_429_page(settings, network_manager):
    settings.AXES_FAILURE_LIMIT = 3
    client = Client()
    answers = [_login(client, "manager@technopark.test", "wrong").status_code for _ in range(3)]
    assert answers == [200, 200, 429]
    response = _login(client, "manager@technopark.test", PASSWORD)
    assert response.status_code == 429
    assert "registration/locked.html" in [t.name for t in response.templates]
    assert response.context["cooloff_timedelta"].total_seconds() == 15 * 60


def test_failures_from_elsewhere_do_not_lock_the_owner_out(settings, network_manager):
    """Anyone could otherwise lock anyone out by guessing their password."""
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        _login(Client(), "manager@technopark.test", "wrong", REMOTE_ADDR="10.1.1.1")
    locked_there = _login(Client(), "manager@technopark.test", PASSWORD, REMOTE_ADDR="10.1.1.1")
    owner = _login(Client(), "manager@technopark.test", PASSWORD, REMOTE_ADDR="10.2.2.2")
    assert (locked_there.status_code, owner.status_code) == (429, 302)


def test_an_address_trying_many_accounts_is_locked_at_its_own_higher_limit(
    settings, network_manager
):
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_ADDRESS_FAILURE_LIMIT = 6
    for n in range(5):
        _login(Client(), f"guess{n}@technopark.test", "wrong", REMOTE_ADDR="10.9.9.9")
    below = _login(Client(), "manager@technopark.test", "wrong", REMOTE_ADDR="10.9.9.9")
    response = _login(Client(), "manager@technopark.test", PASSWORD, REMOTE_ADDR="10.9.9.9")
    assert below.status_code == 429  # the 6th failure from the address locks it
    assert response.status_code == 429
    response = _login(Client(), "manager@technopark.test", PASSWORD, REMOTE_ADDR="10.8.8.8")
    assert response.status_code == 302


def test_a_successful_login_before_the_limit_clears_the_failures(settings, network_manager):
    settings.AXES_FAILURE_LIMIT = 3
    client = Client()
    _login(client, "manager@technopark.test", "wrong")
    _login(client, "manager@technopark.test", "wrong")
    assert _login(client, "manager@technopark.test", PASSWORD).status_code == 302
    client.post(reverse("logout"))
    _login(client, "manager@technopark.test", "wrong")
    assert _login(client, "manager@technopark.test", PASSWORD).status_code == 302


def test_logout_is_a_post_and_ends_the_session(network_manager):
    client = client_for(network_manager)
    assert client.get(reverse("logout")).status_code == 405
    client.post(reverse("logout"))
    assert client.get(reverse("network:dashboard")).status_code == 302


def test_password_reset_mail_is_written_in_the_persons_language(
    django_capture_on_commit_callbacks,
):
    UserFactory(email="amal@example.ma", language="ar")
    UserFactory(email="paul@example.ma", language="en")
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    for email in ("amal@example.ma", "paul@example.ma", "nobody@example.ma"):
        with django_capture_on_commit_callbacks(execute=True):  # the e-mail is a job
            response = client.post(reverse("password_reset"), {"email": email})
        assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["amal@example.ma"], ["paul@example.ma"]]
    arabic, english = mail.outbox
    assert "Technopark" in english.subject and "password" in english.subject
    assert arabic.subject != english.subject


def test_a_person_resets_and_uses_a_new_password(django_capture_on_commit_callbacks):
    UserFactory(email="amal@example.ma")
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):  # the e-mail is a job
        client.post(reverse("password_reset"), {"email": "amal@example.ma"})
    link = next(line for line in mail.outbox[0].body.splitlines() if "/password/reset/" in line)
    path = link.split("://", 1)[1].split("/", 1)[1]
    response = client.get("/" + path, follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url,
        {"new_password1": "un mot de passe solide", "new_password2": "un mot de passe solide"},
    )
    assert response["Location"] == reverse("password_reset_complete")
    assert _login(Client(), "amal@example.ma", "un mot de passe solide").status_code == 302


def test_switching_language_is_remembered_on_the_account(tenant_admin):
    client = client_for(tenant_admin)
    response = client.post(reverse("set_language"), {"language": "ar", "next": "/"})
    assert response.status_code == 302
    tenant_admin.refresh_from_db()
    assert tenant_admin.language == "ar"


def test_login_speaks_the_language_of_the_account():
    UserFactory(email="amal@example.ma", language="ar")
    client = Client()
    _login(client, "amal@example.ma", PASSWORD)
    assert client.cookies["django_language"].value == "ar"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "remote", "client"),
    [
        (0, "6.6.6.6", "10.0.0.5", "10.0.0.5"),  # no proxy: the header is the client's lie
        (1, "192.0.2.7", "10.0.0.1", "192.0.2.7"),  # one balancer appended the client
        (1, "6.6.6.6, 192.0.2.7", "10.0.0.1", "192.0.2.7"),  # the client's own entry ignored
        (2, "6.6.6.6, 192.0.2.7, 10.1.0.9", "10.0.0.1", "192.0.2.7"),
        (2, "192.0.2.7", "10.0.0.1", "10.0.0.1"),  # fewer hops than proxies: the peer
    ],
)
def test_the_client_address_comes_from_the_trusted_proxies_only(
    settings, rf, proxies, forwarded, remote, client
):
    from technopark.auth_backends import client_ip

    settings.TRUSTED_PROXY_COUNT = proxies
    request = rf.get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR=remote)
    assert client_ip(request) == client


def test_behind_a_balancer_failures_lock_the_attacker_not_everyone(settings, network_manager):
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_ADDRESS_FAILURE_LIMIT = 3
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(3):
        _login(
            Client(),
            f"guess{n}@technopark.test",
            "wrong",
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR="203.0.113.9",
        )
    blocked = _login(
        Client(),
        "manager@technopark.test",
        PASSWORD,
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.9",
    )
    assert blocked.status_code == 429
    honest = _login(
        Client(),
        "manager@technopark.test",
        PASSWORD,
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.4",
    )
    assert honest.status_code == 302


def test_a_password_reset_lifts_the_lock_on_the_account(settings, network_manager):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    settings.AXES_FAILURE_LIMIT = 3
    client = Client()
    for _ in range(3):
        _login(client, "manager@technopark.test", "wrong")
    assert _login(client, "manager@technopark.test", PASSWORD).status_code == 429

    uid = urlsafe_base64_encode(force_bytes(network_manager.pk))
    token = default_token_generator.make_token(network_manager)
    form_url = client.get(reverse("password_reset_confirm", args=[uid, token]))["Location"]
    new = "a-new-long-password-2026"
    done = client.post(form_url, {"new_password1": new, "new_password2": new})

    assert done.status_code == 302
    assert _login(Client(), "manager@technopark.test", new).status_code == 302
