"""The scheduled jobs: each finds what is due, acts once, and runs again without effect."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone

from coworking.models import CalendarFeed
from coworking.models.feeds import hash_token
from sites.models import StaffRole
from technopark import jobs
from technopark.clock import local_datetime
from technopark.tasks import tick
from tenants import tasks as tenants_tasks
from tenants.models import Invitation, KPIReport, RequestStatus, ResidencyStatus, ServiceRequest
from tenants.services import reminders
from tests.factories import StaffAssignmentFactory, UserFactory
from tests.factories.offices import OfficeFactory, residency
from tests.factories.requests import ServiceFactory, ServiceRequestFactory

pytestmark = pytest.mark.django_db

FRIDAY = dt.date(2026, 6, 5)
MONDAY = dt.date(2026, 6, 8)


@pytest.fixture
def agent(site):
    return StaffAssignmentFactory(site=site, role=StaffRole.ONE_STOP_SHOP_AGENT).user


@pytest.fixture
def filed_on_friday(company, site):
    request = ServiceRequestFactory(
        company=company,
        service=ServiceFactory(site=site, name="Domiciliation"),
        deadline=dt.date(2026, 6, 12),
    )
    ServiceRequest.objects.filter(pk=request.pk).update(
        created_at=local_datetime(FRIDAY, dt.time(16, 0))
    )
    return request


def _to(address):
    return [m for m in mail.outbox if m.to == [address]]


def _names(service_request, text) -> bool:
    """Whether ``text`` names the request's number ("#12" in English, "n° 12" in French)."""
    return re.search(rf"(?<!\d){service_request.pk}(?!\d)", text) is not None


def test_a_request_nobody_took_for_a_working_day_is_announced_to_the_site_once(
    filed_on_friday, agent, site_staff, other_site_staff, django_capture_on_commit_callbacks
):
    # Filed on Friday at 16:00: the weekend does not count, Monday 16:00 does.
    before = local_datetime(MONDAY, dt.time(15, 59))
    assert reminders.request_remind_unassigned(now=before) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.request_remind_unassigned(now=before + dt.timedelta(minutes=1)) == 1
        assert reminders.request_remind_unassigned(now=before + dt.timedelta(hours=5)) == 0
    (to_agent,) = _to(agent.email)
    assert _names(filed_on_friday, to_agent.subject) and "Domiciliation" in to_agent.subject
    assert f"/admin/tenants/servicerequest/{filed_on_friday.pk}/change/" in to_agent.body
    assert len(_to(site_staff.email)) == 1  # managers work requests too
    assert _to(other_site_staff.email) == []


def test_a_request_taken_in_time_is_not_announced(filed_on_friday, agent):
    ServiceRequest.objects.filter(pk=filed_on_friday.pk).update(
        assigned_to=agent, status=RequestStatus.IN_PROGRESS
    )
    assert reminders.request_remind_unassigned(now=local_datetime(MONDAY, dt.time(18))) == 0


def test_a_request_past_its_deadline_escalates_to_the_site_managers_once(
    filed_on_friday, agent, site_staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.request_escalate_overdue(today=dt.date(2026, 6, 12)) == 0  # due today
        assert reminders.request_escalate_overdue(today=dt.date(2026, 6, 13)) == 1
        assert reminders.request_escalate_overdue(today=dt.date(2026, 6, 14)) == 0
    (escalation,) = _to(site_staff.email)
    assert _names(filed_on_friday, escalation.subject)
    assert _to(agent.email) == []  # the manager hears of it, not the agents


def test_a_resolved_request_is_never_late(filed_on_friday, site_staff):
    ServiceRequest.objects.filter(pk=filed_on_friday.pk).update(
        status=RequestStatus.RESOLVED, closed_at=timezone.now()
    )
    assert reminders.request_escalate_overdue(today=dt.date(2026, 7, 1)) == 0


@pytest.fixture
def hosted_in_q1(company, site):
    """Company A rents an office all of 2026's first quarter (its Q1 report was due 30 April)."""
    residency(
        company=company,
        offices=[OfficeFactory(site=site)],
        start=dt.date(2026, 1, 1),
        today=dt.date(2026, 1, 1),
    )
    return company


def test_a_late_kpi_report_reminds_the_company_then_the_sites_staff(
    hosted_in_q1, tenant_admin, tenant_member, site_staff, django_capture_on_commit_callbacks
):
    tenant_admin.language = "en"
    tenant_admin.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.kpi_remind_late(today=dt.date(2026, 4, 30)) == 0  # Q4 2025: not hosted
        assert reminders.kpi_remind_late(today=dt.date(2026, 5, 1)) == 1
        assert reminders.kpi_remind_late(today=dt.date(2026, 5, 7)) == 0
    (reminder,) = _to(tenant_admin.email)
    assert "Q1 2026" in reminder.subject
    assert "/portal/kpi/report/?quarter=2026-1" in reminder.body
    assert _to(tenant_member.email) == []  # members do not report
    assert _to(site_staff.email) == []
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.kpi_remind_late(today=dt.date(2026, 5, 8)) == 1
        assert reminders.kpi_remind_late(today=dt.date(2026, 5, 9)) == 0
    (to_staff,) = _to(site_staff.email)
    assert hosted_in_q1.legal_name in to_staff.body


def test_a_company_that_reported_is_not_reminded(hosted_in_q1, tenant_admin):
    KPIReport.objects.create(
        company=hosted_in_q1,
        year=2026,
        quarter=1,
        headcount_full_time=3,
        headcount_part_time=0,
        interns=0,
        revenue=0,
        funds_raised=0,
        export_share=0,
    )
    assert reminders.kpi_remind_late(today=dt.date(2026, 5, 20)) == 0


def test_expired_invitations_go_and_free_the_address(company, tenant_admin):
    now = timezone.now()
    expired = Invitation.objects.create(
        company=company,
        email="late@example.ma",
        invited_by=tenant_admin,
        expires_at=now - dt.timedelta(minutes=1),
    )
    pending = Invitation.objects.create(
        company=company,
        email="soon@example.ma",
        invited_by=tenant_admin,
        expires_at=now + dt.timedelta(days=1),
    )
    assert reminders.invitation_purge_expired(now=now) == 1
    assert list(Invitation.objects.all()) == [pending]
    assert expired.history.latest().history_type == "-"
    assert reminders.invitation_purge_expired(now=now) == 0
    Invitation.objects.create(
        company=company,
        email="late@example.ma",
        invited_by=tenant_admin,
        expires_at=now + dt.timedelta(days=7),
    )


def test_feeds_of_people_who_left_are_revoked_and_old_revoked_feeds_go():
    from coworking.services.feeds import calendar_feed_purge

    now = timezone.now()
    left = UserFactory(is_active=False)
    stays = UserFactory()
    live_of_someone_who_left = CalendarFeed.objects.create(user=left, token_hash=hash_token("a"))
    live = CalendarFeed.objects.create(user=stays, token_hash=hash_token("b"))
    CalendarFeed.objects.create(
        user=stays, token_hash=hash_token("c"), revoked_at=now - dt.timedelta(days=31)
    )
    assert calendar_feed_purge(now=now) == (1, 1)
    live_of_someone_who_left.refresh_from_db()
    assert live_of_someone_who_left.revoked_at == now
    assert set(CalendarFeed.objects.all()) == {live_of_someone_who_left, live}
    assert calendar_feed_purge(now=now) == (0, 0)


def test_the_daily_job_closes_due_contracts_once_on_the_local_day_of_its_tick(
    company, site, django_capture_on_commit_callbacks
):
    ending = residency(
        company=company,
        offices=[OfficeFactory(site=site)],
        start=dt.date(2025, 1, 1),
        end=dt.date(2026, 6, 11),
        today=dt.date(2025, 1, 1),
    )
    # 00:05 UTC on 11 June is 01:05 in Morocco (UTC+1): the 11th, the contract's last day.
    at = int(dt.datetime(2026, 6, 11, 0, 5, tzinfo=dt.UTC).timestamp())
    assert timezone.localdate(tick(at)) == dt.date(2026, 6, 11)
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            jobs.defer(tenants_tasks.close_due_residencies, timestamp=at)
    ending.refresh_from_db()
    assert ending.status == ResidencyStatus.ENDED
