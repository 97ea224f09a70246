"""Fixtures of the offices area: rates, offices at both sites, an applicant, contracts.

Uploaded files go to a temporary MEDIA_ROOT, never to the project's var/media;
pages speak English (the msgids) unless a test asks for another language.
"""

import datetime as dt

import pytest
from django.core import mail

from sites.models import StaffRole
from tenants.models import CompanyRole, CompanyStatus
from tenants.services import offices as services
from tests.factories import CompanyFactory, MembershipFactory, StaffAssignmentFactory
from tests.factories.offices import OfficeApplicationFactory, OfficeFactory, residency


@pytest.fixture(autouse=True)
def english(settings):
    """Pages in English, so that assertions read the msgids whatever the catalogs hold."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def rates(db):
    services.rent_rates_load()


@pytest.fixture
def office(site):
    return OfficeFactory(site=site, name="Bureau A-101")


@pytest.fixture
def second_office(site):
    return OfficeFactory(site=site, name="Bureau A-102", area_m2=30)


@pytest.fixture
def other_office(other_site):
    return OfficeFactory(site=other_site, name="Bureau R-201")


@pytest.fixture
def applicant(site):
    """A company that signed up and has not been hosted yet."""
    return CompanyFactory(
        legal_name="Mogador Films SARL", home_site=site, status=CompanyStatus.APPLICANT
    )


@pytest.fixture
def applicant_admin(applicant):
    return MembershipFactory(company=applicant, role=CompanyRole.ADMIN, user__language="en").user


@pytest.fixture
def application(site, applicant, applicant_admin):
    return OfficeApplicationFactory(site=site, company=applicant, applicant=applicant_admin)


@pytest.fixture
def other_application(other_site, other_company):
    return OfficeApplicationFactory(site=other_site, company=other_company)


@pytest.fixture
def front_desk(site):
    return StaffAssignmentFactory(site=site, role=StaffRole.FRONT_DESK).user


@pytest.fixture
def contract(company, office, rates):
    """Company A's running contract on office A-101 since 1 Sept 2025 (a startup)."""
    return residency(company=company, offices=[office], start=dt.date(2025, 9, 1))


@pytest.fixture
def outbox():
    mail.outbox.clear()
    return mail.outbox
