"""Factories of the coworking app: desks, rules, passes, nomads, bookings."""

import datetime as dt

import factory
from django.db.backends.postgresql.psycopg_any import DateRange
from django.utils import timezone

from coworking.models import (
    Allowance,
    Desk,
    IdentityDocument,
    NomadProfile,
    NomadStatus,
    OpeningHours,
    Pass,
    PassKind,
    PassPrice,
    PassStatus,
    RoomRules,
)
from sites.models import SpaceKind
from tests.factories import CompanyFactory, SiteFactory, SpaceFactory, UserFactory


class CoworkingAreaFactory(SpaceFactory):
    kind = SpaceKind.COWORKING
    name = factory.Sequence(lambda n: f"Coworking {n}")
    bookable = False
    hourly_rate = None
    capacity = 35


class DeskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Desk

    space = factory.SubFactory(CoworkingAreaFactory)
    label = factory.Sequence(lambda n: f"D{n:03d}")


class RoomRulesFactory(factory.django.DjangoModelFactory):
    """Rules of a room open 08:00-20:00 every weekday (Monday to Friday)."""

    class Meta:
        model = RoomRules
        skip_postgeneration_save = True

    space = factory.SubFactory(SpaceFactory)
    min_minutes = 30
    max_minutes = 8 * 60
    step_minutes = 30
    cancellation_notice_hours = 24
    horizon_days = 730

    @factory.post_generation
    def hours(self, create, extracted, **kwargs):
        """``hours=[(weekday, "08:00", "20:00"), ...]``; default Monday to Friday 08-20."""
        if not create:
            return
        rows = extracted if extracted is not None else [(d, "08:00", "20:00") for d in range(5)]
        for weekday, opens, closes in rows:
            OpeningHours.objects.create(
                rules=self,
                weekday=weekday,
                opens=dt.time.fromisoformat(opens),
                closes=dt.time.fromisoformat(closes),
            )


class PassPriceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PassPrice

    site = factory.SubFactory(SiteFactory)
    kind = PassKind.DAY
    price = 100


class NomadProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NomadProfile

    user = factory.SubFactory(UserFactory)
    site = factory.SubFactory(SiteFactory)
    nationality = "Marocaine"
    document_kind = IdentityDocument.CIN
    document_number = factory.Sequence(lambda n: f"BE{n:06d}")
    status = NomadStatus.APPROVED


class PassFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pass

    holder = factory.SubFactory(UserFactory)
    site = factory.SubFactory(SiteFactory)
    kind = PassKind.MONTH
    # A year from today: whatever the date the suite runs on, the pass is current.
    period = factory.LazyFunction(
        lambda: DateRange(timezone.localdate(), timezone.localdate() + dt.timedelta(days=365))
    )
    price = 800
    status = PassStatus.ACTIVE


class AllowanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Allowance

    company = factory.SubFactory(CompanyFactory)
    site = factory.SubFactory(SiteFactory)
    hours_per_month = 4
