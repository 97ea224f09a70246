"""Shared fixtures: two sites, two companies, and a person in every role.

Names say who they are (healthchecks' alice and bob): ``site_staff`` manages
site A (``site``), ``other_site_staff`` manages site B (``other_site``);
``tenant_admin`` and ``tenant_member`` work for ``company`` at site A,
``other_company_user`` for ``other_company`` at site B.
"""

import datetime as dt
import os

import pytest
import time_machine
from django.test import Client

from sites.models import StaffRole
from tenants.models import CompanyRole

from .factories import (
    CompanyFactory,
    MembershipFactory,
    SiteFactory,
    SpaceFactory,
    StaffAssignmentFactory,
    UserFactory,
)


def pytest_configure(config):
    # Production serves collected, hashed files; tests (and their live server)
    # find them in the apps instead, so that no `collectstatic` is needed.
    from django.conf import settings

    settings.WHITENOISE_AUTOREFRESH = True
    settings.WHITENOISE_USE_FINDERS = True
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Queued jobs run in the test's process when their transaction commits
    # (technopark.jobs.run_queued); tests/jobs/ also runs real workers.
    settings.JOBS_RUN_ON_COMMIT = True
    _travel_to_the_fake_now(config)


_FAKE_NOW = pytest.StashKey[dt.datetime]()


def _travel_to_the_fake_now(config):
    """``TECHNOPARK_FAKE_NOW=2026-09-19T23:30`` runs the suite as if started at that moment.

    A time without an offset is Morocco's. The clock ticks on from there, and tests
    that pin their own moment (tests/clock.py) still get theirs: what this finds is
    a test that depends on the day without saying which.
    """
    value = os.environ.get("TECHNOPARK_FAKE_NOW", "").strip()
    if not value:
        return
    from technopark.clock import local_zone

    moment = dt.datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=local_zone())
    travel = time_machine.travel(moment.timestamp(), tick=True)
    travel.start()
    config.add_cleanup(travel.stop)
    config.stash[_FAKE_NOW] = moment


def pytest_report_header(config):
    if _FAKE_NOW in config.stash:
        return f"TECHNOPARK_FAKE_NOW: the suite starts at {config.stash[_FAKE_NOW].isoformat()}"


@pytest.fixture(autouse=True)
def _uploads_in_a_temporary_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def site(db):
    return SiteFactory(name="Technopark Essaouira", slug="essaouira", city="Essaouira")


@pytest.fixture
def other_site(db):
    return SiteFactory(name="Technopark Rabat", slug="rabat", city="Rabat")


@pytest.fixture
def space(site):
    return SpaceFactory(site=site, name="Agora")


@pytest.fixture
def other_space(other_site):
    return SpaceFactory(site=other_site, name="Salle de réunion")


@pytest.fixture
def company(site):
    return CompanyFactory(legal_name="Atlas Games SARL", home_site=site)


@pytest.fixture
def other_company(other_site):
    return CompanyFactory(legal_name="Argan Analytics SA", home_site=other_site)


@pytest.fixture
def anonymous(db):
    return None


@pytest.fixture
def superuser(db):
    return UserFactory(email="root@technopark.test", is_superuser=True)


@pytest.fixture
def network_manager(db):
    return UserFactory(email="manager@technopark.test", is_network_manager=True)


@pytest.fixture
def site_staff(site):
    return StaffAssignmentFactory(site=site, role=StaffRole.SITE_MANAGER).user


@pytest.fixture
def other_site_staff(other_site):
    return StaffAssignmentFactory(site=other_site, role=StaffRole.SITE_MANAGER).user


@pytest.fixture
def tenant_admin(company):
    return MembershipFactory(company=company, role=CompanyRole.ADMIN).user


@pytest.fixture
def tenant_member(company):
    return MembershipFactory(company=company, role=CompanyRole.MEMBER).user


@pytest.fixture
def other_company_user(other_company):
    return MembershipFactory(company=other_company, role=CompanyRole.ADMIN).user


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client
