"""The demo's one-stop shop, on a small world: every status, plausible times, run twice."""

import datetime as dt

import pytest

from sites.models import SiteStatus, StaffAssignment
from technopark.demo import DemoContext
from technopark.models import User
from tenants.demo import requests as demo
from tenants.models import (
    AppointmentBooking,
    AppointmentSlot,
    RequestEvent,
    RequestMessage,
    RequestStatus,
    Service,
    ServiceRequest,
)
from tenants.selectors.requests import overdue
from tests.clock import NOW, TODAY, frozen
from tests.factories import CompanyFactory, MembershipFactory, SiteFactory

# The demo dates its stories from the clock: here it stands still at NOW.
pytestmark = [pytest.mark.django_db, frozen]


@pytest.fixture
def world(site, company, tenant_admin, tenant_member, site_staff):
    """Site A with two companies; an operating site without companies; a planned site."""
    neighbour = CompanyFactory(home_site=site, legal_name="Mogador Solar SARL")
    MembershipFactory(company=neighbour)
    empty = SiteFactory(name="Technopark Tanger", slug="tanger")
    planned = SiteFactory(
        name="Technopark Fès", slug="fes", status=SiteStatus.PLANNED, opening_year=None
    )
    CompanyFactory(home_site=planned, status="applicant", ice=None)
    return {"site": site, "empty": empty, "planned": planned}


def _ctx():
    said = []
    return DemoContext(say=said.append, today=TODAY), said


def _counts():
    models = [
        Service,
        ServiceRequest,
        RequestEvent,
        RequestMessage,
        AppointmentSlot,
        AppointmentBooking,
        StaffAssignment,
        User,
    ]
    return {model.__name__: model.objects.count() for model in models}


def test_the_seed_builds_a_catalogue_and_requests_in_every_status(world):
    ctx, said = _ctx()
    demo.seed(ctx)
    site = world["site"]
    assert sorted(Service.objects.filter(site=site).values_list("name", flat=True)) == sorted(
        name for name, *_ in demo.CATALOGUE
    )
    assert not Service.objects.exclude(site=site).exists()
    assert "One-stop shop at Technopark Tanger: no company, skipped." in said
    requests = ServiceRequest.objects.filter(service__site=site)
    assert set(requests.values_list("status", flat=True)) == set(RequestStatus.values)
    # Overdue on the demo's own today, whatever the clock says by now.
    assert requests.filter(overdue(ctx.today)).exists()
    assert (
        requests.exclude(status__in=["resolved", "rejected"]).exclude(overdue(ctx.today)).exists()
    )
    assert StaffAssignment.objects.filter(
        site=site, role="one_stop_shop_agent", user__email="guichet-essaouira@technopark.test"
    ).exists()


def test_each_requests_story_is_told_in_order_and_in_the_past(world):
    demo.seed(_ctx()[0])
    now = NOW
    for service_request in ServiceRequest.objects.prefetch_related("events", "messages"):
        events = list(service_request.events.all())
        first = events[0]
        assert (first.from_status, first.to_status, first.actor) == (
            "",
            RequestStatus.SUBMITTED,
            service_request.created_by,
        )
        assert first.at == service_request.created_at
        assert [e.at for e in events] == sorted(e.at for e in events)
        assert all(e.at <= now for e in events)
        assert events[-1].to_status == service_request.status
        for before, after in zip(events, events[1:], strict=False):
            assert after.from_status == before.to_status
        assert all(m.created_at <= now for m in service_request.messages.all())
        if service_request.status == RequestStatus.WAITING_FOR_TENANT:
            assert service_request.messages.exists()
        if service_request.status == RequestStatus.REJECTED:
            assert service_request.rejection_reason
        if not service_request.is_open:
            assert service_request.closed_at == events[-1].at
        assert service_request.created_at.date() <= service_request.deadline


def test_slots_fill_the_next_two_weeks_and_some_are_booked(world, company):
    ctx, _ = _ctx()
    demo.seed(ctx)
    slots = AppointmentSlot.objects.select_related("service")
    assert slots.exists()
    horizon = NOW + dt.timedelta(days=15)
    assert all(NOW < s.starts_at < horizon for s in slots)
    assert all(s.service.needs_appointment and s.site == world["site"] for s in slots)
    bookings = AppointmentBooking.objects.select_related("company", "slot")
    assert bookings.exists()
    assert all(b.company.home_site == b.slot.site for b in bookings)
    assert all(b.cancelled_at is None for b in bookings)


def test_a_second_run_creates_nothing(world):
    demo.seed(_ctx()[0])
    first = _counts()
    demo.seed(_ctx()[0])
    assert _counts() == first
    assert first["ServiceRequest"] > 0
