"""Law 09-08: a nomad's identity document number goes after the site's retention period."""

import datetime as dt

import pytest
from django.db.backends.postgresql.psycopg_any import DateRange

from coworking.models import DocumentRetention, NomadProfile, PassStatus
from coworking.services.nomads import nomad_documents_expire
from tests.factories.coworking import NomadProfileFactory, PassFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 1)


def _pass(profile, first, last, status=PassStatus.ACTIVE):
    return PassFactory(
        holder=profile.user,
        site=profile.site,
        period=DateRange(first, last + dt.timedelta(days=1)),
        status=status,
    )


def _number(profile) -> str:
    return NomadProfile.objects.get(pk=profile.pk).document_number


def test_the_number_goes_the_day_after_the_period_since_the_last_pass(site):
    DocumentRetention.objects.create(site=site, days=30)
    profile = NomadProfileFactory(site=site, document_number="JB123456")
    _pass(profile, dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    assert nomad_documents_expire(today=dt.date(2026, 11, 30)) == 0  # day 30 after the last day
    assert _number(profile) == "JB123456"
    assert nomad_documents_expire(today=TODAY) == 1
    profile.refresh_from_db()
    assert profile.document_number == "" and profile.document_erased_at is not None
    assert not profile.history.filter(document_number="JB123456").exists()
    assert nomad_documents_expire(today=TODAY) == 0  # once


def test_a_running_or_requested_pass_keeps_the_number(site):
    DocumentRetention.objects.create(site=site, days=1)
    running = NomadProfileFactory(site=site)
    _pass(running, dt.date(2026, 1, 1), dt.date(2026, 1, 31))
    _pass(running, TODAY, TODAY + dt.timedelta(days=5))
    requested = NomadProfileFactory(site=site)
    _pass(
        requested, TODAY + dt.timedelta(days=3), TODAY + dt.timedelta(days=3), PassStatus.REQUESTED
    )
    assert nomad_documents_expire(today=TODAY) == 0
    assert _number(running) and _number(requested)


def test_without_a_pass_the_period_runs_from_the_sign_up_and_defaults_to_90_days(site, other_site):
    DocumentRetention.objects.create(site=other_site, days=10)
    here = NomadProfileFactory(site=site)
    there = NomadProfileFactory(site=other_site)
    signed_up = dt.datetime(2026, 9, 1, 12, tzinfo=dt.UTC)
    NomadProfile.objects.filter(pk__in=[here.pk, there.pk]).update(created_at=signed_up)
    # A cancelled or rejected pass is not a pass the member had.
    _pass(here, dt.date(2026, 11, 1), dt.date(2026, 11, 30), PassStatus.CANCELLED)
    assert nomad_documents_expire(today=dt.date(2026, 9, 12)) == 1  # 10 days at the other site
    assert _number(here) and not _number(there)
    assert nomad_documents_expire(today=dt.date(2026, 11, 30)) == 0  # day 90 at site
    assert nomad_documents_expire(today=TODAY) == 1
    assert not _number(here)


def test_the_daily_job_runs_the_rule_on_moroccos_day(site, django_capture_on_commit_callbacks):
    from coworking.tasks import expire_nomad_documents
    from technopark import jobs

    DocumentRetention.objects.create(site=site, days=30)
    profile = NomadProfileFactory(site=site)
    _pass(profile, dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    at = int(dt.datetime(2026, 11, 30, 23, 40, tzinfo=dt.UTC).timestamp())  # still the 30th
    with django_capture_on_commit_callbacks(execute=True):
        jobs.defer(expire_nomad_documents, timestamp=at)
    assert _number(profile)
    at = int(dt.datetime(2026, 12, 1, 3, 40, tzinfo=dt.UTC).timestamp())
    with django_capture_on_commit_callbacks(execute=True):
        jobs.defer(expire_nomad_documents, timestamp=at)
    assert not _number(profile)


def test_a_site_keeps_documents_between_1_and_3650_days(site):
    from django.core.exceptions import ValidationError
    from django.db import IntegrityError, transaction

    with pytest.raises(ValidationError):
        DocumentRetention(site=site, days=0).full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        DocumentRetention.objects.create(site=site, days=4000)
