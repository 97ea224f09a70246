"""Every page of the URL conf, for each role that opens it, costs as many queries at 2 rows
of every kind as at 30.

The pages and who opens them come from the permission matrix (``tests/matrix``):
each GET row whose role answers 200 (or READ/WRITE/SHOWS/HIDES) is counted for
that role, in the matrix's world. The world is then grown (members, invitations,
companies, rooms, bookings, desks, passes, nomads, requests and their messages
and files, appointment slots and bookings, applications and documents,
attestations, invoices and their lines, payments and credit notes, events and
registrations, KPI reports, staff, closures, jobs, sites, versions of every
object with a history) and counted again: a page whose count moved fails,
named with its role and both counts.

A pattern that no role GETs as a page (POST only, redirects, pages nobody
opens) is listed in ``NOT_COUNTED`` with the reason; a new pattern neither
counted nor listed fails ``test_every_url_pattern_is_counted_or_listed``.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.db.backends.postgresql.psycopg_any import DateRange, DateTimeTZRange
from django.utils import timezone

from tests.conftest import client_for
from tests.matrix import ADMIN_MODELS, HIDES, READ, ROLES, SHOWS, WRITE
from tests.matrix import billing as billing_rows
from tests.matrix import coworking as coworking_rows
from tests.matrix import events as events_rows
from tests.matrix import kpi as kpi_rows
from tests.matrix import offices as offices_rows
from tests.matrix import requests as requests_rows
from tests.matrix.world import World
from tests.queries import counting_queries
from tests.technopark.test_permission_matrix import MATRIX

#: The answers of the matrix that mean "this role opens the page".
OPENS = {200, READ, WRITE, SHOWS, HIDES}
SMALL, LARGE = 2, 30

#: Patterns that are not pages any role GETs, and why.
NOT_COUNTED = {
    "logout": "POST only (a GET is 405)",
    "set_language": "POST only (a GET is 405)",
    "home": "redirects to the person's own home page",
    "erasure_request": "POST only",
    "admin:login": "redirects (everyone is already signed in or sent to the site's login)",
    "admin:logout": "POST only (a GET is 405)",
    "admin:view_on_site": "redirects to the object's public page",
    "admin/(?P<url>.*)$": "404 for every unknown admin address",
    "admin:technopark_job_retry": "POST only",
    "portal:switch_company": "POST only",
    "portal:team_invite": "POST only",
    "portal:invitation_revoke": "POST only",
    "portal:member_role": "POST only",
    "portal:member_remove": "POST only",
    "portal:application_withdraw": "POST only",
    "portal:application_documents_add": "POST only",
    "portal:attestation_issue": "POST only",
    "admin:tenants_attestation_revoke": "POST only",
    "portal:request_reply": "POST only (the form is on the request's page)",
    "portal:appointment_cancel": "POST only",
    "admin:tenants_servicerequest_assign": "POST only",
    "admin:tenants_servicerequest_reply": "POST only",
    "admin:tenants_servicerequest_ask": "POST only",
    "admin:tenants_servicerequest_resolve": "POST only",
    "admin:tenants_servicerequest_reject": "POST only",
    "coworking:feed_reset": "POST only",
    "coworking:room_cancel": "POST only",
    "coworking:desk_cancel": "POST only",
    "coworking:pass_cancel": "POST only",
    "coworking:checkin": "POST only",
    "coworking:no_show": "POST only",
    "coworking:booking_approve": "POST only",
    "coworking:booking_reject": "POST only",
    "coworking:nomad_approve": "POST only",
    "coworking:nomad_reject": "POST only",
    "coworking:pass_approve": "POST only",
    "coworking:pass_reject": "POST only",
    "events:cancel": "POST only",
    "admin:billing_invoice_issue": "POST only",
}
for _label, _admin in ADMIN_MODELS.items():
    _app, _model = _label.split(".")
    NOT_COUNTED[f"admin/{_app}/{_model}/<path:object_id>/"] = "redirects to the change page"
    for _index, _view in enumerate(("changelist", "add", "change", "delete", "history")):
        if not any(answers[_index] in OPENS for answers in _admin.by_role.values()):
            NOT_COUNTED[f"admin:{_app}_{_model}_{_view}"] = "no role opens it (see the matrix)"


def _opened_by(url) -> list[str]:
    if url.method != "get":
        return []
    return [role for role in ROLES if url.expect[role] in OPENS]


COUNTED = {key: _opened_by(url) for key, url in MATRIX.items() if _opened_by(url)}


def test_every_url_pattern_is_counted_or_listed():
    unclassified = MATRIX.keys() - COUNTED.keys() - NOT_COUNTED.keys()
    assert unclassified == set(), "patterns neither counted nor listed in NOT_COUNTED"
    assert NOT_COUNTED.keys() - MATRIX.keys() == set(), "NOT_COUNTED lists unknown patterns"
    assert NOT_COUNTED.keys() & COUNTED.keys() == set(), "counted patterns listed as not counted"
    pairs = sum(len(roles) for roles in COUNTED.values())
    print(f"{len(COUNTED)} patterns counted, {pairs} pattern-role pairs; {len(NOT_COUNTED)} not")


# --- Growing the world: one more row of every kind around site A and company A ------------


class Grower:
    def __init__(self, world):
        self.w = world
        self.n = 0

    def grow_to(self, total):
        while self.n < total:
            self.n += 1
            for build in self.builders():
                build(self.n)

    def builders(self):
        return [
            self.people,
            self.rooms_and_bookings,
            self.desks_and_passes,
            self.nomads,
            self.requests,
            self.appointments,
            self.offices,
            self.billing,
            self.events,
            self.kpi,
            self.network,
            self.versions,
        ]

    def people(self, n):
        from tenants.models import CompanyRole, Invitation
        from tests.factories import CompanyFactory, MembershipFactory, UserFactory

        w = self.w
        MembershipFactory(company=w.company, role=CompanyRole.MEMBER)
        Invitation.objects.create(
            company=w.company,
            email=f"guest{n}@example.ma",
            role="member",
            expires_at=timezone.now() + dt.timedelta(days=7),
        )
        other = CompanyFactory(home_site=w.site, public_profile=True)
        MembershipFactory(company=other)
        UserFactory()

    def rooms_and_bookings(self, n):
        from coworking.models import BookingStatus, RoomBooking
        from sites.models import Closure
        from tests.factories import SpaceFactory
        from tests.factories.coworking import RoomRulesFactory

        w = self.w
        coworking_rows._rules(w)
        room = SpaceFactory(site=w.site)
        RoomRulesFactory(space=room)
        # The first row lands today, so the calendars of this day and this week hold
        # bookings at either size whatever the weekday; the others in the days ahead.
        today = timezone.localdate()
        day = today if n == 1 else today + dt.timedelta(days=1 + n % 20)
        start = dt.datetime.combine(day, dt.time(8), tzinfo=timezone.get_default_timezone())
        for space, hour in ((w.space, n // 20), (room, 0)):
            at = start + dt.timedelta(hours=hour)
            RoomBooking.objects.create(
                space=space,
                during=DateTimeTZRange(at, at + dt.timedelta(minutes=30)),
                status=BookingStatus.CONFIRMED if n % 2 else BookingStatus.PENDING,
                holder=w.people["tenant_user"],
                company=w.company,
                booked_by=w.people["tenant_user"],
                title=f"Réunion {n}",
            )
        Closure.objects.create(
            site=w.site, date=timezone.localdate() + dt.timedelta(days=200 + n), name=f"Fermé {n}"
        )

    def desks_and_passes(self, n):
        from coworking.models import CheckInStatus, Desk, DeskCheckIn, DeskReservation
        from tests.factories import MembershipFactory
        from tests.factories.coworking import PassFactory

        w = self.w
        reservation = coworking_rows._reservation(w)
        DeskCheckIn.objects.create(
            reservation=reservation,
            day=reservation.period.lower + dt.timedelta(days=n - 1),
            status=CheckInStatus.PRESENT if n % 2 else CheckInStatus.NO_SHOW,
            recorded_by=w.people["site_staff"],
        )
        desk = Desk.objects.create(space=reservation.desk.space, label=f"G{n:02d}")
        member = MembershipFactory(company=w.company).user
        desk_pass = PassFactory(holder=member, site=w.site, company=w.company)
        DeskReservation.objects.create(
            desk=desk,
            holder=member,
            company=w.company,
            desk_pass=desk_pass,
            period=desk_pass.period,
        )

    def nomads(self, n):
        from coworking.models import NomadStatus, PassKind, PassStatus
        from tests.factories.coworking import NomadProfileFactory, PassFactory

        nomad = NomadProfileFactory(site=self.w.site, status=NomadStatus.PENDING)
        day = timezone.localdate() + dt.timedelta(days=n)
        PassFactory(
            holder=nomad.user,
            site=self.w.site,
            kind=PassKind.DAY,
            period=DateRange(day, day + dt.timedelta(days=1)),
            status=PassStatus.REQUESTED,
            price=100,
        )

    def requests(self, n):
        from tests.factories.requests import (
            RequestAttachmentFactory,
            RequestMessageFactory,
            ServiceRequestFactory,
        )

        w = self.w
        request = requests_rows.service_request(w)
        RequestMessageFactory(request=request, author=w.tenant_member)
        RequestAttachmentFactory(request=request, uploaded_by=w.tenant_member)
        ServiceRequestFactory(
            company=w.company, service=requests_rows.service(w), created_by=w.tenant_member
        )

    def appointments(self, n):
        from tests.factories.requests import AppointmentBookingFactory, AppointmentSlotFactory

        w = self.w
        service = requests_rows.service(w)
        AppointmentBookingFactory(
            slot=requests_rows.slot(w),
            company=w.company,
            booked_by=w.tenant_member,
            cancelled_at=timezone.now(),
        )
        AppointmentBookingFactory(
            slot=AppointmentSlotFactory(service=service),
            company=w.company,
            booked_by=w.tenant_member,
        )
        AppointmentSlotFactory(service=service)

    def offices(self, n):
        from tests.factories.offices import ApplicationDocumentFactory, OfficeApplicationFactory

        w = self.w
        ApplicationDocumentFactory(application=offices_rows.application(w))
        OfficeApplicationFactory(site=w.site)
        offices_rows.attestation(w)
        from tenants.services import offices as office_services

        office_services.attestation_issue(
            residency=offices_rows.contract(w), user=w.people["tenant_user"]
        )

    def billing(self, n):
        from billing.models import InvoiceLine
        from billing.services import credit_note_create, payment_record

        w = self.w
        invoice = billing_rows.invoice(w)
        billing_rows.credit_note(w)
        billing_rows.payment(w)
        draft = billing_rows.draft(w)
        month = billing_rows.MONTH
        InvoiceLine.objects.create(
            invoice=draft, description=f"Ligne {n}", quantity=1, unit_price=10, tva_rate=20,
            amount_ht=10, amount_tva=2, month=month, period_start=month, period_end=month,
        )  # fmt: skip
        billing_rows._draft(w, f"Frais {n}")
        payment_record(
            actor=w.people["superuser"], invoice=invoice, amount=Decimal(1), method="transfer",
            paid_on=dt.date(2026, 6, 5), today=dt.date(2026, 6, 5),
        )  # fmt: skip
        credit_note_create(
            actor=w.people["superuser"], invoice=invoice, reason=f"Geste {n}",
            amounts={invoice.lines.get().pk: Decimal(1)}, today=dt.date(2026, 6, 5),
        )  # fmt: skip

    def events(self, n):
        from events import services
        from events.models import EventKind
        from tests.factories import UserFactory

        w = self.w
        event = events_rows._event(w)
        events_rows._draft(w)
        services.registration_create(event=event, user=UserFactory())
        services.registration_create(event=event, name=f"Visiteur {n}", email=f"v{n}@example.ma")
        staff = w.people["site_staff"]
        other = services.event_create(
            actor=staff, room=w.space, title=f"Atelier {n}", kind=EventKind.WORKSHOP,
            dates=events_rows._dates(60 + n), capacity=8,
        )  # fmt: skip
        other = services.event_publish(actor=staff, event=other)
        services.registration_create(event=other, user=w.people["tenant_user"])

    def kpi(self, n):
        from tenants.models import KPIReport
        from tests.factories import CompanyFactory

        w = self.w
        kpi_rows._report(w)
        figures = dict(
            headcount_full_time=n, headcount_part_time=1, interns=0, revenue=1000 * n,
            funds_raised=0, export_share=5,
        )  # fmt: skip
        KPIReport.objects.create(company=w.company, year=2000 + n, quarter=1, **figures)
        late = CompanyFactory(home_site=w.site)
        KPIReport.objects.create(company=late, year=2025, quarter=3, **figures)

    def network(self, n):
        from sites.models import StaffRole
        from technopark import tasks
        from tests.factories import SiteFactory, SpaceFactory, StaffAssignmentFactory

        w = self.w
        StaffAssignmentFactory(site=w.site, role=StaffRole.FRONT_DESK)
        SpaceFactory(site=SiteFactory())
        tasks.send_email.defer(
            key=f"grow-{n}", to={"user": w.tenant_member.pk}, template="missing", context={},
            site_id=w.site.pk,
        )  # fmt: skip

    def versions(self, n):
        for admin in ADMIN_MODELS.values():
            if admin.simple_history:
                admin.get_obj(self.w).save()


# --- Counting ----------------------------------------------------------------------------


def _count(client, path) -> tuple[int, int]:
    connection.queries_log.clear()  # the log keeps 9,000 queries; this test runs more
    with counting_queries() as counted:
        response = client.get(path)
        if response.streaming:
            b"".join(response.streaming_content)
    return response.status_code, len(counted)


def _paths(world, keys):
    """Each row's address, built once (rows share this world: build in an order that works)."""
    events_rows._registration(world)  # before the visitor's registration makes it ambiguous
    return {key: MATRIX[key].build(world) for key in keys}


def _counts(world, role, paths):
    client = client_for(world.people[role])
    return {key: _count(client, path) for key, path in paths.items()}


@pytest.mark.django_db
def test_no_page_grows_with_its_rows(request):
    """One world, grown once: every counted pattern for each role that opens it."""
    world = World(request)
    paths = _paths(world, sorted(COUNTED))
    # A first request fills caches (content types...) that are not the page's cost.
    for key, roles in COUNTED.items():
        _count(client_for(world.people[roles[-1]]), paths[key])
    by_role = {
        role: {key: paths[key] for key in sorted(COUNTED) if role in COUNTED[key]} for role in ROLES
    }
    grower = Grower(world)
    grower.grow_to(SMALL)
    few = {role: _counts(world, role, role_paths) for role, role_paths in by_role.items()}
    grower.grow_to(LARGE)
    many = {role: _counts(world, role, role_paths) for role, role_paths in by_role.items()}
    problems = [
        f"{paths[key]} ({key}) as {role}: {few[role][key][1]} queries at {SMALL} rows of "
        f"every kind, {many[role][key][1]} at {LARGE} "
        f"(answers {few[role][key][0]}, {many[role][key][0]})"
        for role, role_paths in by_role.items()
        for key in role_paths
        if few[role][key] != many[role][key] or few[role][key][0] != 200
    ]
    assert problems == [], "\n".join(problems)
