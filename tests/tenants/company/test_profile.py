"""A company's admin edits its profile; members read it; others never see it."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def _png(size=(40, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "teal").save(buffer, format="PNG")
    return buffer.getvalue()


def _profile(company, **overrides):
    data = {
        "legal_name": company.legal_name,
        "trade_name": "Atlas",
        "legal_form": "sarl",
        "ice": company.ice,
        "rc_number": "45678",
        "rc_court": "Essaouira",
        "tax_id": "40123456",
        "sector": "video_games",
        "stage": "startup",
        "founded_on": "2022-03-01",
        "website": "atlas-games.ma",
        "description": "Studio de jeux.",
        "public_profile": "on",
    }
    return data | overrides


def test_the_company_admin_updates_the_profile(company, tenant_admin):
    response = client_for(tenant_admin).post(reverse("portal:company_edit"), _profile(company))
    assert response.status_code == 302
    company.refresh_from_db()
    assert (company.trade_name, company.rc_court, company.tax_id) == (
        "Atlas",
        "Essaouira",
        "40123456",
    )
    assert company.website == "https://atlas-games.ma"
    assert company.history.latest().history_user == tenant_admin


def test_a_member_reads_the_profile_but_cannot_edit_it(company, tenant_member):
    client = client_for(tenant_member)
    assert client.get(reverse("portal:company")).status_code == 200
    assert client.get(reverse("portal:company_edit")).status_code == 404

    def state():
        company.refresh_from_db()
        return company.history.count(), company.trade_name, company.website, company.tax_id

    before = state()
    assert client.post(reverse("portal:company_edit"), _profile(company)).status_code == 404
    assert state() == before


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"ice": "1234"}, "ice"),
        ({"rc_number": "12A45"}, "rc_number"),
        ({"rc_court": ""}, None),
        ({"tax_id": "12"}, "tax_id"),
    ],
)
def test_bad_identifiers_are_refused_and_nothing_changes(company, tenant_admin, overrides, field):
    before = company.legal_name, company.ice
    response = client_for(tenant_admin).post(
        reverse("portal:company_edit"), _profile(company, **overrides)
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors if field is None else field in form.errors
    company.refresh_from_db()
    assert (company.legal_name, company.ice) == before
    assert company.trade_name != "Atlas"


def test_another_companys_ice_is_refused(company, other_company, tenant_admin):
    response = client_for(tenant_admin).post(
        reverse("portal:company_edit"), _profile(company, ice=other_company.ice)
    )
    assert "ice" in response.context["form"].errors


def test_a_logo_is_limited_by_type_and_size(company, tenant_admin):
    client = client_for(tenant_admin)
    fake = SimpleUploadedFile("logo.png", b"<html>not an image</html>", content_type="image/png")
    response = client.post(reverse("portal:company_edit"), _profile(company) | {"logo": fake})
    assert "logo" in response.context["form"].errors
    huge = SimpleUploadedFile("logo.png", _png((3000, 3000)) + b"\0" * (1024 * 1024))
    response = client.post(reverse("portal:company_edit"), _profile(company) | {"logo": huge})
    assert "logo" in response.context["form"].errors
    good_bytes = _png()
    good = SimpleUploadedFile("logo.png", good_bytes, content_type="image/png")
    response = client.post(reverse("portal:company_edit"), _profile(company) | {"logo": good})
    assert response.status_code == 302
    company.refresh_from_db()
    assert company.logo.name.startswith("logos/") and company.logo.name.endswith(".png")
    logo = client.get(reverse("portal:company_logo"))
    assert logo.status_code == 200 and logo["Content-Type"] == "image/png"
    assert b"".join(logo.streaming_content) == good_bytes


def test_staff_or_other_companies_never_reach_the_portal_profile(
    company, other_company_user, site_staff
):
    for user in (other_company_user, site_staff):
        page = client_for(user).get(reverse("portal:company"))
        assert company.legal_name.encode() not in page.content
