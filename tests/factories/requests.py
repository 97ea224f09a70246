"""Factories of the one-stop shop: services, requests, threads, files, slots, bookings."""

import datetime as dt

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tenants.models import (
    AppointmentBooking,
    AppointmentSlot,
    RequestAttachment,
    RequestMessage,
    RequestStatus,
    Service,
    ServiceCategory,
    ServiceRequest,
)

from . import CompanyFactory, SiteFactory, UserFactory

#: The smallest file that PDF readers (and ``filetype``) recognise as a PDF.
PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
#: A 1x1 PNG.
PNG_BYTES = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def pdf(name: str = "statuts.pdf", *, padding: int = 0) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES + b"%" * padding, content_type="application/pdf")


def png(name: str = "photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG_BYTES, content_type="image/png")


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    site = factory.SubFactory(SiteFactory)
    name = factory.Sequence(lambda n: f"Attestation {n}")
    category = ServiceCategory.DOMICILIATION
    target_days = 3
    needs_appointment = False
    active = True


class ServiceRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceRequest

    company = factory.SubFactory(CompanyFactory)
    service = factory.SubFactory(ServiceFactory, site=factory.SelfAttribute("..company.home_site"))
    description = "Merci de préparer l'attestation de domiciliation."
    status = RequestStatus.SUBMITTED
    created_by = None
    deadline = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=7))


class RequestMessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RequestMessage

    request = factory.SubFactory(ServiceRequestFactory)
    author = factory.SubFactory(UserFactory)
    body = "Voici le document demandé."


class RequestAttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RequestAttachment

    request = factory.SubFactory(ServiceRequestFactory)
    file = factory.LazyFunction(pdf)
    original_name = "statuts.pdf"
    size = len(PDF_BYTES)


def _in_days(days: int, hour: int = 10) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_default_timezone())


def _slot_start(n: int) -> dt.datetime:
    """Twenty half-hours a day from 08:00, from day 3 to day 52: a thousand slots in a row
    that never overlap, all within the portal's 60-day booking horizon."""
    day, place = divmod(n % 1000, 20)
    return _in_days(3 + day, hour=8) + dt.timedelta(minutes=30 * place)


class AppointmentSlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AppointmentSlot

    service = factory.SubFactory(ServiceFactory, needs_appointment=True)
    site = factory.SelfAttribute("service.site")
    starts_at = factory.Sequence(_slot_start)
    ends_at = factory.LazyAttribute(lambda slot: slot.starts_at + dt.timedelta(minutes=30))


class AppointmentBookingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AppointmentBooking

    slot = factory.SubFactory(AppointmentSlotFactory)
    company = factory.SubFactory(CompanyFactory, home_site=factory.SelfAttribute("..slot.site"))
