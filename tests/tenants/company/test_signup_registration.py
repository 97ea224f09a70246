"""Sign-up asks for the company's RC (with its court) and IF at once, both optional."""

import pytest
from django.test import Client
from django.urls import reverse

from tenants.models import Company
from tests.tenants.company.test_signup import _form

pytestmark = pytest.mark.django_db


def _post(site, **fields):
    return Client(HTTP_ACCEPT_LANGUAGE="fr").post(reverse("portal:signup"), _form(site, **fields))


def test_the_sign_up_form_asks_for_the_rc_its_court_and_the_if(site):
    html = Client(HTTP_ACCEPT_LANGUAGE="fr").get(reverse("portal:signup")).content.decode()
    for name in ("ice", "rc_number", "rc_court", "tax_id"):
        assert f'name="{name}"' in html


def test_the_rc_and_if_given_at_sign_up_are_the_companys(site):
    response = _post(site, rc_number="123456", rc_court=" Essaouira ", tax_id="40123456")
    assert response.status_code == 302
    company = Company.objects.get()
    assert (company.rc_number, company.rc_court, company.tax_id) == (
        "123456",
        "Essaouira",
        "40123456",
    )


def test_a_company_not_registered_yet_signs_up_without_them(site):
    response = _post(site, ice="", rc_number="", rc_court="Casablanca", tax_id="")
    assert response.status_code == 302
    company = Company.objects.get()
    # A court alone means nothing: it is not kept without its number.
    assert (company.ice, company.rc_number, company.rc_court, company.tax_id) == (
        None,
        "",
        "",
        "",
    )


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"rc_number": "RC 12345", "rc_court": "Essaouira"}, "rc_number"),
        ({"rc_number": "12345678901", "rc_court": "Essaouira"}, "rc_number"),
        ({"rc_number": "12345"}, "rc_court"),
        ({"tax_id": "12345"}, "tax_id"),
        ({"tax_id": "IF-4012345"}, "tax_id"),
    ],
)
def test_a_badly_formed_rc_or_if_is_a_form_error_and_nothing_is_created(site, fields, field):
    response = _post(site, **fields)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Company.objects.exists()
