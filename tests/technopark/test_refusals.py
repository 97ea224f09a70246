"""One way to refuse: a service's ValidationError, with a code, shown on the form's field."""

import datetime as dt

import pytest
from django import forms
from django.core.exceptions import ValidationError

from technopark import refusals
from tenants.models import CompanyStatus, ResidencyStatus
from tenants.services import company as company_services
from tests.factories.offices import OfficeFactory, residency


class _SignUp(forms.Form):
    email = forms.EmailField()
    ice = forms.CharField()


def test_a_refusal_about_a_field_lands_on_that_field():
    form = _SignUp(data={"email": "a@b.ma", "ice": "1"})
    assert form.is_valid()

    refusals.add_to_form(form, refusals.refusal("Taken.", code="ice_taken", field="ice"))

    assert form.errors == {"ice": ["Taken."]}


def test_a_refusal_about_a_field_the_form_lacks_is_shown_for_the_whole_form():
    form = _SignUp(data={"email": "a@b.ma", "ice": "1"})
    form.is_valid()

    refusals.add_to_form(form, refusals.refusal("No.", code="x", field="rc_number"))

    assert form.non_field_errors() == ["No."]


def test_callers_branch_on_the_code_not_the_text():
    error = refusals.refusal("Taken.", code="email_taken", field="email")
    assert refusals.codes(error) == {"email_taken"}
    assert refusals.text(error) == "Taken."


@pytest.mark.django_db
def test_an_ice_taken_at_sign_up_is_refused_on_the_ice_field(company):
    company.ice = "001234567000089"
    company.save()
    with pytest.raises(ValidationError) as caught:
        company_services.company_sign_up(
            email="new@example.ma",
            full_name="X",
            password="a-long-password-1",
            language="fr",
            company_fields={"legal_name": "X SARL", "ice": "001234567000089"},
        )
    assert refusals.codes(caught.value) == {"ice_taken"}
    assert list(caught.value.error_dict) == ["ice"]


@pytest.mark.django_db
def test_a_company_with_a_running_contract_is_not_made_alumni(company, site_staff):
    company.status = CompanyStatus.RESIDENT
    company.ice = company.ice or "001234567000089"
    company.save()
    contract = residency(company=company, offices=[OfficeFactory(site=company.home_site)],
                         start=dt.date(2025, 1, 1))  # fmt: skip
    assert contract.status == ResidencyStatus.ACTIVE

    with pytest.raises(ValidationError) as caught:
        company_services.company_mark_alumni(company=company, actor=site_staff)

    company.refresh_from_db()
    assert refusals.codes(caught.value) == {"running_contract"}
    assert company.status == CompanyStatus.RESIDENT
