"""factory-boy factories: the core ones here, each area's in its own module.

Date defaults (a pass's period, a request's deadline, slots to come, an
attestation's validity, a decision's date) follow the clock on purpose, so a
row made with them is current whatever the day: the pinned one in tests that
pin it (tests/clock.py), and the permission matrix's world stays coherent under
TECHNOPARK_FAKE_NOW. A test that depends on the day pins it; it does not rely
on these defaults to say which day it is.
"""

import factory
from django.contrib.auth.hashers import make_password

from sites.models import Site, SiteStatus, Space, SpaceKind, StaffAssignment, StaffRole
from technopark.models import User
from tenants.models import Company, CompanyRole, CompanyStatus, Membership

PASSWORD = "correct horse battery staple"
_hashed = {}


def password_hash(raw: str = PASSWORD) -> str:
    """Argon2 is slow by design: hash the test password once per run."""
    if raw not in _hashed:
        _hashed[raw] = make_password(raw)
    return _hashed[raw]


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.ma")
    full_name = factory.Faker("name", locale="fr_FR")
    password = factory.LazyFunction(password_hash)


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site

    name = factory.Sequence(lambda n: f"Technopark {n}")
    slug = factory.Sequence(lambda n: f"site-{n}")
    city = factory.Faker("city", locale="fr_FR")
    status = SiteStatus.OPERATING
    opening_year = 2015
    usable_area_m2 = 5000
    capacity_companies = 50
    coworking_desks = 20


class SpaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Space

    site = factory.SubFactory(SiteFactory)
    kind = SpaceKind.MEETING_ROOM
    name = factory.Sequence(lambda n: f"Room {n}")
    capacity = 8
    bookable = True
    hourly_rate = 150


class StaffAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffAssignment

    site = factory.SubFactory(SiteFactory)
    user = factory.SubFactory(UserFactory)
    role = StaffRole.SITE_MANAGER


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    legal_name = factory.Sequence(lambda n: f"Startup {n} SARL")
    ice = factory.Sequence(lambda n: f"0015{n:011d}")
    home_site = factory.SubFactory(SiteFactory)
    status = CompanyStatus.RESIDENT


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    company = factory.SubFactory(CompanyFactory)
    user = factory.SubFactory(UserFactory)
    role = CompanyRole.ADMIN
