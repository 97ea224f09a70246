"""Factories of the offices area: offices, applications, documents, contracts, attestations."""

import datetime as dt
import secrets
from decimal import Decimal

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sites.models import SpaceKind
from tenants.models import (
    ApplicationDocument,
    ApplicationStatus,
    Attestation,
    CompanyStatus,
    OfficeApplication,
    Program,
    RentTier,
)
from tenants.models.offices import DECIDED_APPLICATION
from tenants.services import offices as services

from . import CompanyFactory, SiteFactory, SpaceFactory

#: The smallest bodies the type sniffer recognises.
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


def pdf_upload(name="business-plan.pdf", content=PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


class OfficeFactory(SpaceFactory):
    kind = SpaceKind.OFFICE
    name = factory.Sequence(lambda n: f"Bureau A-{100 + n}")
    area_m2 = Decimal("20.00")
    capacity = 4
    bookable = False
    hourly_rate = None


class OfficeApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OfficeApplication

    site = factory.SubFactory(SiteFactory)
    company = factory.SubFactory(
        CompanyFactory, home_site=factory.SelfAttribute("..site"), status=CompanyStatus.APPLICANT
    )
    area_wanted_m2 = Decimal("25.00")
    team_size = 4
    program_wanted = Program.START
    pitch = "Une plateforme de réservation de riads pour les voyageurs d'affaires."
    status = ApplicationStatus.SUBMITTED
    # The committee's decisions are dated (a database constraint).
    decided_at = factory.LazyAttribute(
        lambda application: timezone.now() if application.status in DECIDED_APPLICATION else None
    )


class ApplicationDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApplicationDocument

    application = factory.SubFactory(OfficeApplicationFactory)
    file = factory.django.FileField(filename="statuts.pdf", data=PDF_BYTES)
    original_name = "statuts.pdf"
    size = len(PDF_BYTES)


def residency(
    *,
    company,
    offices,
    start: dt.date,
    tier: str = RentTier.STARTUP,
    end: dt.date | None = None,
    user=None,
    today: dt.date | None = None,
):
    """A contract made by the real service, so its leases are what the rules say.

    ``today`` is the day it is recorded (a contract whose end has come by then
    is recorded as ended); tests that give an ``end`` give it too.
    """
    offices = list(offices)
    return services.residency_create(
        company=company,
        site=offices[0].site,
        offices=offices,
        start=start,
        tier=tier,
        end=end,
        user=user,
        today=today,
    )


class AttestationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attestation

    residency = None
    company = factory.SelfAttribute("residency.company")
    code = factory.LazyFunction(lambda: secrets.token_urlsafe(18))
    valid_until = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=90))
