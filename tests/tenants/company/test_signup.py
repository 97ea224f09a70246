"""A founder signs up with their company; bad input is refused whole."""

import pytest
from django.test import Client
from django.urls import reverse

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


def test_a_founder_signs_up_and_becomes_admin_of_an_applicant_company(site):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = client.post(reverse("portal:signup"), _form(site))
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:office_apply")
    user = User.objects.get(email="yasmine@example.ma")
    company = Company.objects.get(legal_name="Mogador Pixels SARL")
    assert company.status == CompanyStatus.APPLICANT
    assert company.home_site == site
    assert user.memberships.get().role == CompanyRole.ADMIN
    assert client.get(reverse("portal:home")).status_code == 200


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


def test_an_email_already_used_is_refused(site):
    UserFactory(email="yasmine@example.ma")
    response = Client(HTTP_ACCEPT_LANGUAGE="en").post(reverse("portal:signup"), _form(site))
    assert "already uses this address" in str(response.context["form"].errors["email"])
    assert not Company.objects.exists()


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
