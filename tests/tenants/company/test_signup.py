"""A founder signs up with their company; bad input is refused whole."""

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from technopark.models import User
from tenants.models import Company, CompanyRole, CompanyStatus
from tests.factories import CompanyFactory, UserFactory

pytestmark = pytest.mark.django_db

STRONG = "un mot de passe solide 2026"


def _form(site, **overrides):
    return {
        "full_name": "Yasmine Alaoui",
        "email": "Yasmine@Example.MA",
        "password1": STRONG,
        "password2": STRONG,
        "legal_name": "Mogador Pixels SARL",
        "trade_name": "Mogador Pixels",
        "legal_form": "sarl",
        "ice": "001234567000089",
        "sector": "video_games",
        "stage": "startup",
        "home_site": site.pk,
    } | overrides


@pytest.fixture(autouse=True)
def _mail_on_commit(django_capture_on_commit_callbacks, monkeypatch):
    """Mail goes out when each request's transaction commits, as in production."""
    post = Client.post

    def post_and_commit(self, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return post(self, *args, **kwargs)

    monkeypatch.setattr(Client, "post", post_and_commit)


def _link_path(message) -> str:
    return re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)


def test_a_founder_signs_up_confirms_the_address_and_becomes_admin(site):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = client.post(reverse("portal:signup"), _form(site))
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:signup_sent")
    user = User.objects.get(email="yasmine@example.ma")
    company = Company.objects.get(legal_name="Mogador Pixels SARL")
    assert company.status == CompanyStatus.APPLICANT
    assert company.home_site == site
    assert user.memberships.get().role == CompanyRole.ADMIN
    # Closed until the address is confirmed: nobody logs in with it yet.
    assert not user.is_active and not user.email_confirmed
    client.post(reverse("login"), {"username": "yasmine@example.ma", "password": STRONG})
    assert "_auth_user_id" not in client.session
    assert "yasmine@example.ma" in client.get(reverse("portal:signup_sent")).text
    [message] = mail.outbox
    assert message.to == ["yasmine@example.ma"]
    path = _link_path(message)
    assert "Open my account" in client.get(path).text  # a GET (a mail scanner) changes nothing
    assert not User.objects.get(pk=user.pk).email_confirmed
    response = client.post(path)
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:office_apply")
    assert client.get(reverse("portal:home")).status_code == 200
    user.refresh_from_db()
    assert user.is_active and user.email_confirmed
    # The link works once.
    assert Client().post(path).status_code == 404


def test_a_forged_or_expired_confirmation_link_opens_nothing(site):
    Client().post(reverse("portal:signup"), _form(site))
    path = _link_path(mail.outbox[0])
    assert Client().post(path[:-4] + "abc/").status_code == 404
    assert Client().get(reverse("portal:signup_confirm", args=["zzz", "1-2"])).status_code == 404
    with time_machine.travel(timezone.now() + dt.timedelta(days=2)):
        assert Client().post(path).status_code == 404
    assert not User.objects.get().is_active


def test_a_company_without_ice_yet_can_sign_up(site):
    response = Client(HTTP_ACCEPT_LANGUAGE="en").post(reverse("portal:signup"), _form(site, ice=""))
    assert response.status_code == 302
    assert Company.objects.get(legal_name="Mogador Pixels SARL").ice is None


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("ice", "12345", "15 digits"),
        ("ice", "00123456700008A", "15 digits"),
        ("password2", "something else entirely", "differ"),
        ("password1", "123", "differ"),
        ("email", "not-an-email", "valid email"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_is_saved(site, field, value, message):
    response = Client(HTTP_ACCEPT_LANGUAGE="en").post(
        reverse("portal:signup"), _form(site, **{field: value})
    )
    assert response.status_code == 200
    errors = " ".join(str(e) for e in response.context["form"].errors.values())
    assert message in errors
    assert not User.objects.exists()
    assert not Company.objects.exists()


def test_an_address_with_an_account_gets_the_same_answer_and_its_owner_an_e_mail(site):
    owner = UserFactory(email="yasmine@example.ma", language="en")
    fresh = Client(HTTP_ACCEPT_LANGUAGE="en").post(
        reverse("portal:signup"), _form(site, email="new@example.ma", ice="")
    )
    taken = Client(HTTP_ACCEPT_LANGUAGE="en").post(
        reverse("portal:signup"), _form(site, legal_name="Autre SARL")
    )
    # The visitor cannot tell the two apart.
    assert (taken.status_code, taken["Location"]) == (fresh.status_code, fresh["Location"])
    assert not Company.objects.filter(legal_name="Autre SARL").exists()
    owner.refresh_from_db()
    assert owner.is_active and owner.email_confirmed  # untouched
    told = [m for m in mail.outbox if m.to == ["yasmine@example.ma"]]
    assert len(told) == 1
    assert "already has an account" in told[0].body
    assert reverse("login") in told[0].body


def test_signing_up_again_before_confirming_sends_the_link_again(site):
    Client().post(reverse("portal:signup"), _form(site))
    Client().post(reverse("portal:signup"), _form(site, ice=""))
    assert Company.objects.count() == 1
    first, second = mail.outbox
    assert _link_path(first).split("/")[:-2] == _link_path(second).split("/")[:-2]
    assert Client().post(_link_path(second)).status_code == 302


def test_a_sign_up_never_confirmed_is_deleted_after_a_week_with_its_company(site, company):
    from tenants.services.company import company_sign_up_purge_unconfirmed

    Client().post(reverse("portal:signup"), _form(site))
    now = timezone.now()
    assert company_sign_up_purge_unconfirmed(now=now + dt.timedelta(days=6)) == 0
    assert company_sign_up_purge_unconfirmed(now=now + dt.timedelta(days=8)) == 1
    assert not User.objects.filter(email="yasmine@example.ma").exists()
    assert not Company.objects.filter(ice="001234567000089").exists()
    assert Company.objects.filter(pk=company.pk).exists()  # others are untouched


def test_an_ice_already_registered_is_refused(site):
    CompanyFactory(ice="001234567000089")
    response = Client(HTTP_ACCEPT_LANGUAGE="en").post(reverse("portal:signup"), _form(site))
    assert "ICE" in str(response.context["form"].errors["ice"])
    assert not User.objects.filter(email="yasmine@example.ma").exists()


def test_only_operating_sites_can_be_chosen(site):
    from sites.models import SiteStatus
    from tests.factories import SiteFactory

    planned = SiteFactory(status=SiteStatus.PLANNED, opening_year=None)
    response = Client(HTTP_ACCEPT_LANGUAGE="en").post(
        reverse("portal:signup"), _form(site, home_site=planned.pk)
    )
    assert "home_site" in response.context["form"].errors
