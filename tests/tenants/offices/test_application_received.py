"""The applicant is told, in their own language, that the office application arrived."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from sites.models import SiteStatus
from tenants.services import offices as services
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def operating(site):
    site.status, site.opening_year = SiteStatus.OPERATING, 2023
    site.save()
    return site


@pytest.mark.parametrize(
    ("language", "subject", "phrase"),
    [
        ("fr", "Votre demande de bureau à Technopark Essaouira est bien reçue", "10 m²"),
        ("ar", "تم استلام طلبكم للحصول على مكتب في Technopark Essaouira", "10 م²"),
        ("en", "Your office application at Technopark Essaouira is received", "10 m²"),
    ],
)
def test_the_applicant_gets_an_acknowledgement_in_their_language(
    operating,
    applicant,
    site_staff,
    django_capture_on_commit_callbacks,
    outbox,
    language,
    subject,
    phrase,
):
    founder = MembershipFactory(company=applicant, user__language=language).user
    with django_capture_on_commit_callbacks(execute=True):
        application = services.application_submit(
            company=applicant,
            site=operating,
            user=founder,
            area_wanted_m2=Decimal(10),
            team_size=3,
            program_wanted="",
            pitch="Un studio de jeux vidéo.",
        )
    to_founder = [m for m in outbox if m.to == [founder.email]]
    assert len(to_founder) == 1
    message = to_founder[0]
    assert message.subject == subject
    assert phrase in message.body
    assert f"/portal/offices/applications/{application.pk}/" in message.body
    # The staff who decide are still told, separately.
    assert any(m.to == [site_staff.email] for m in outbox)


def test_a_refused_application_tells_nobody(
    site, applicant, applicant_admin, django_capture_on_commit_callbacks, outbox
):
    site.status = SiteStatus.PLANNED
    site.save()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.application_submit(
            company=applicant,
            site=site,
            user=applicant_admin,
            area_wanted_m2=Decimal(10),
            team_size=3,
            program_wanted="",
            pitch="",
        )
    assert outbox == []


def test_the_acknowledgement_keeps_the_names_as_written(
    site, django_capture_on_commit_callbacks, outbox
):
    from tests.factories import CompanyFactory

    site.name_fr = """Technopark d'Essaouira & <"Mogador">"""  # the French text, read in French
    site.save()
    name = """L'Atelier & Fils <"Studio">"""
    company = CompanyFactory(legal_name=name, home_site=site)
    founder = MembershipFactory(company=company, user__language="fr").user
    with django_capture_on_commit_callbacks(execute=True):
        services.application_submit(
            company=company, site=site, user=founder, area_wanted_m2=Decimal(20),
            team_size=1, program_wanted="", pitch="",
        )  # fmt: skip
    (message,) = [m for m in outbox if m.to == [founder.email]]
    assert site.name_fr in message.subject
    assert name in message.body and "1 personne." in message.body
    for escaped in ("&amp;", "&#x27;", "&lt;", "&quot;"):
        assert escaped not in message.subject and escaped not in message.body
