"""The one-stop shop's people and things, on top of the shared fixtures.

``agent`` works requests at site A (``site``), ``other_agent`` at site B;
``service`` is offered at site A, ``other_service`` at site B. Uploaded files
go to a temporary MEDIA_ROOT, and e-mails run their on-commit sending.
"""

import pytest
from django.utils import translation

from sites.models import StaffRole
from tenants.models import CompanyRole, ServiceCategory
from tenants.services import requests as services
from tests.conftest import client_for
from tests.factories import MembershipFactory, StaffAssignmentFactory, UserFactory
from tests.factories.requests import AppointmentSlotFactory, ServiceFactory


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English (the msgids), whatever the catalogs say."""
    with translation.override("en"):
        yield


def client_in_english(user):
    """A client whose pages come in English."""
    client = client_for(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def agent(site):
    user = UserFactory(full_name="Karim Alaoui", email="karim@technopark.test", language="fr")
    StaffAssignmentFactory(site=site, user=user, role=StaffRole.ONE_STOP_SHOP_AGENT)
    return user


@pytest.fixture
def other_agent(other_site):
    user = UserFactory(full_name="Leila Bennis", email="leila@technopark.test")
    StaffAssignmentFactory(site=other_site, user=user, role=StaffRole.ONE_STOP_SHOP_AGENT)
    return user


@pytest.fixture
def front_desk(site):
    return StaffAssignmentFactory(site=site, role=StaffRole.FRONT_DESK).user


@pytest.fixture
def service(site):
    return ServiceFactory(
        site=site,
        name="Attestation de domiciliation",
        category=ServiceCategory.DOMICILIATION,
        target_days=3,
    )


@pytest.fixture
def appointment_service(site):
    return ServiceFactory(
        site=site,
        name="Création d'entreprise (OMPIC)",
        category=ServiceCategory.COMPANY_CREATION,
        target_days=10,
        needs_appointment=True,
    )


@pytest.fixture
def other_service(other_site):
    return ServiceFactory(site=other_site, name="Badge d'accès", target_days=2)


@pytest.fixture
def slot(appointment_service):
    return AppointmentSlotFactory(service=appointment_service)


@pytest.fixture
def second_admin(company):
    return MembershipFactory(
        company=company,
        role=CompanyRole.ADMIN,
        user=UserFactory(full_name="Hind Tazi", language="en"),
    ).user


@pytest.fixture
def filed(tenant_member, company, service):
    """A request filed by company A's member (submitted)."""
    return services.request_create(
        user=tenant_member,
        company=company,
        service=service,
        description="Attestation pour la banque, s'il vous plaît.",
    )


@pytest.fixture
def in_progress(filed, agent, site_staff):
    return services.request_assign(actor=site_staff, service_request=filed, agent=agent)


@pytest.fixture
def waiting(in_progress, agent):
    services.request_ask_company(
        actor=agent, service_request=in_progress, body="Merci d'envoyer le RC."
    )
    in_progress.refresh_from_db()
    return in_progress
