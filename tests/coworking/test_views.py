"""The pages: booking forms, calendars and their privacy, feeds, sign-up, the front desk."""

import datetime as dt

import icalendar
import pytest
from django.core import mail
from django.db import connection
from django.db.backends.postgresql.psycopg_any import DateRange, DateTimeTZRange
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coworking import services
from coworking.models import (
    BookingStatus,
    CheckInStatus,
    DeskReservation,
    NomadProfile,
    NomadStatus,
    Pass,
    PassStatus,
    RoomBooking,
)
from tests.conftest import client_for
from tests.factories import SpaceFactory, UserFactory
from tests.factories.coworking import NomadProfileFactory, PassFactory, RoomRulesFactory

pytestmark = pytest.mark.django_db

# A Monday two or three weeks ahead: the pages use the real clock.
_TODAY = timezone.localdate()
FUTURE_MONDAY = _TODAY + dt.timedelta(days=14 - _TODAY.weekday() + 7)


def booking_at(room, holder, day=FUTURE_MONDAY, hour=10, hours=1, **fields):
    start = dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_default_timezone())
    return RoomBooking.objects.create(
        space=room,
        during=DateTimeTZRange(start, start + dt.timedelta(hours=hours)),
        holder=holder,
        booked_by=holder,
        **fields,
    )


def _queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(captured)


# --- Booking a room ---------------------------------------------------------------------


def form_data(room, **overrides):
    data = {
        "site": room.site_id,
        "space": room.pk,
        "day": FUTURE_MONDAY.isoformat(),
        "start": "10:00",
        "end": "11:30",
        "title": "Sprint review",
        "attendees": 4,
    }
    return data | overrides


def test_a_tenant_books_a_room_for_the_company_from_the_portal(tenant_admin, company, room):
    response = client_for(tenant_admin).post(reverse("coworking:room_book"), form_data(room))
    assert response.status_code == 302
    booking = RoomBooking.objects.get()
    assert (booking.company, booking.holder, booking.title) == (
        company,
        tenant_admin,
        "Sprint review",
    )
    assert booking.status == BookingStatus.CONFIRMED


def test_a_room_of_another_site_is_a_form_error(tenant_admin, room, other_room):
    response = client_for(tenant_admin).post(
        reverse("coworking:room_book"), form_data(other_room, site=room.site_id)
    )
    assert response.status_code == 200
    assert "space" in response.context["form"].errors
    assert not RoomBooking.objects.exists()


def test_a_refused_booking_is_a_form_error_never_a_500(tenant_admin, nomad, room):
    booking_at(room, nomad, hour=10, hours=2)
    response = client_for(tenant_admin).post(reverse("coworking:room_book"), form_data(room))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert RoomBooking.objects.count() == 1


def test_a_series_conflict_lists_each_refused_date(tenant_admin, nomad, room):
    booking_at(room, nomad, day=FUTURE_MONDAY + dt.timedelta(days=14))
    response = client_for(tenant_admin).post(
        reverse("coworking:room_book"),
        form_data(room, repeat_until=(FUTURE_MONDAY + dt.timedelta(days=28)).isoformat()),
    )
    assert response.status_code == 200
    assert [day for day, _ in response.context["conflicts"]] == [
        FUTURE_MONDAY + dt.timedelta(days=14)
    ]
    conflict = FUTURE_MONDAY + dt.timedelta(days=14)
    assert f'datetime="{conflict.isoformat()}"'.encode() in response.content
    assert RoomBooking.objects.count() == 1


def test_the_free_room_search_lists_only_rooms_free_and_big_enough(tenant_admin, room, agora, site):
    booking_at(room, tenant_admin, hour=9, hours=2)
    response = client_for(tenant_admin).get(
        reverse("coworking:room_search"),
        {"site": site.pk, "day": FUTURE_MONDAY, "start": "10:00", "end": "11:00", "people": 4},
    )
    assert response.context["rooms"] == [agora]
    response = client_for(tenant_admin).get(
        reverse("coworking:room_search"),
        {"site": site.pk, "day": FUTURE_MONDAY, "start": "11:00", "end": "12:00", "people": 4},
    )
    assert set(response.context["rooms"]) == {room, agora}


def test_a_member_cancels_their_booking_from_the_portal(nomad, room):
    booking = booking_at(room, nomad)
    response = client_for(nomad).post(reverse("coworking:room_cancel", args=[booking.pk]))
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED


def test_another_persons_booking_cannot_be_cancelled(nomad, other_company_user, room):
    booking = booking_at(room, nomad)
    response = client_for(other_company_user).post(
        reverse("coworking:room_cancel", args=[booking.pk])
    )
    assert response.status_code == 404


def test_my_bookings_page_count_of_queries_does_not_grow(nomad, room, site):
    client = client_for(nomad)
    url = reverse("coworking:my_bookings")
    PassFactory(holder=nomad, site=site)
    booking_at(room, nomad)
    one = _queries(client, url)
    for n in range(1, 50):
        booking_at(room, nomad, day=FUTURE_MONDAY + dt.timedelta(days=n))
    assert _queries(client, url) == one


# --- Desks and passes --------------------------------------------------------------------


def test_a_member_reserves_a_desk_from_the_portal(nomad, site, make_desks):
    make_desks(2)
    desk_pass = PassFactory(holder=nomad, site=site)
    day = timezone.localdate() + dt.timedelta(days=7 - timezone.localdate().weekday())
    response = client_for(nomad).post(
        reverse("coworking:desk_book"), {"desk_pass": desk_pass.pk, "first_day": day.isoformat()}
    )
    assert response.status_code == 302
    assert DeskReservation.objects.get().holder == nomad


def test_another_persons_pass_is_not_a_choice(nomad, tenant_admin, site, make_desks):
    make_desks(2)
    desk_pass = PassFactory(holder=nomad, site=site)
    response = client_for(tenant_admin).post(
        reverse("coworking:desk_book"),
        {"desk_pass": desk_pass.pk, "first_day": FUTURE_MONDAY.isoformat()},
    )
    assert response.status_code == 200
    assert "desk_pass" in response.context["form"].errors


def test_a_tenant_gets_an_active_pass_from_the_portal(
    tenant_admin, company, site, prices, make_desks
):
    make_desks(1)
    response = client_for(tenant_admin).post(
        reverse("coworking:pass_request"),
        {"site": site.pk, "kind": "month", "start": FUTURE_MONDAY.isoformat()},
    )
    assert response.status_code == 302
    desk_pass = Pass.objects.get()
    assert (desk_pass.status, desk_pass.company) == (PassStatus.ACTIVE, company)


# --- Public sign-up ---------------------------------------------------------------------


def signup_data(**overrides):
    data = {
        "full_name": "Sara Martin",
        "email": "Sara.Martin@example.org",
        "password1": "un-mot-de-passe-long",
        "password2": "un-mot-de-passe-long",
        "nationality": "Française",
        "document_kind": "passport",
        "document_number": "19 fr 12345",
        "company_name": "",
        "phone": "+33 6 00 00 00 00",
        "pass_kind": "week",
        "pass_start": FUTURE_MONDAY.isoformat(),
    }
    return data | overrides


def test_a_nomad_signs_up_with_a_pass_request_and_staff_are_told(
    site, make_desks, prices, site_staff, django_capture_on_commit_callbacks
):
    make_desks(2)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(None).post(reverse("coworking:join", args=[site.slug]), signup_data())
    assert response.status_code == 302
    profile = NomadProfile.objects.select_related("user").get()
    assert profile.user.email == "sara.martin@example.org"
    assert (profile.status, profile.document_number) == (NomadStatus.PENDING, "19FR12345")
    assert Pass.objects.get().status == PassStatus.REQUESTED
    assert mail.outbox[0].to == [site_staff.email]


def test_a_bad_cin_and_a_taken_document_are_form_errors_and_nothing_is_saved(site, make_desks):
    make_desks(1)
    NomadProfileFactory(site=site, document_kind="passport", document_number="19FR12345")
    client = client_for(None)
    url = reverse("coworking:join", args=[site.slug])
    bad_cin = client.post(
        url, signup_data(document_kind="cin", document_number="123", pass_kind="")
    )
    taken = client.post(url, signup_data(pass_kind=""))
    assert "document_number" in bad_cin.context["form"].errors
    assert "document_number" in taken.context["form"].errors
    assert NomadProfile.objects.count() == 1
    assert (
        not type(NomadProfile.objects.get().user)
        .objects.filter(email="sara.martin@example.org")
        .exists()
    )


def test_a_site_without_coworking_has_no_sign_up(other_site):
    assert (
        client_for(None).get(reverse("coworking:join", args=[other_site.slug])).status_code == 404
    )


# --- Calendars --------------------------------------------------------------------------


def test_the_public_calendar_hides_who_booked(
    room, tenant_admin, company, site, other_company_user
):
    booking_at(room, tenant_admin, company=company, title="Levée de fonds secrète")
    url = reverse("coworking:calendar_day", args=[site.slug])
    for viewer in (None, other_company_user):
        page = client_for(viewer).get(url, {"date": FUTURE_MONDAY})
        assert "Levée de fonds secrète".encode() not in page.content
        assert tenant_admin.get_full_name().encode() not in page.content
    own = client_for(tenant_admin).get(url, {"date": FUTURE_MONDAY})
    assert "Levée de fonds secrète".encode() in own.content


def test_site_staff_see_who_booked_but_not_at_another_site(
    room, nomad, site, site_staff, other_site_staff
):
    booking_at(room, nomad, title="Atelier")
    url = reverse("coworking:calendar_week", args=[site.slug])
    assert b"Atelier" in client_for(site_staff).get(url, {"date": FUTURE_MONDAY}).content
    assert b"Atelier" not in client_for(other_site_staff).get(url, {"date": FUTURE_MONDAY}).content


def test_the_calendar_is_right_to_left_in_arabic(room, site):
    client = client_for(None)
    client.cookies["django_language"] = "ar"
    page = client.get(reverse("coworking:calendar_day", args=[site.slug]))
    assert b'dir="rtl"' in page.content
    assert b"bootstrap.rtl.min.css" in page.content


@pytest.fixture
def many_rooms(site):
    """21 rooms at site A: room for 504 half-hour bookings on one day (08:00-20:00)."""
    return [RoomRulesFactory(space=SpaceFactory(site=site)).space for _ in range(21)]


def fill_day(rooms, holder, count):
    """Half-hour bookings on FUTURE_MONDAY until there are ``count`` of them."""
    slots = [(room, k) for k in range(24) for room in rooms]
    for room, k in slots[RoomBooking.objects.count() : count]:
        start = dt.datetime.combine(
            FUTURE_MONDAY, dt.time(8 + k // 2, 30 * (k % 2)), tzinfo=timezone.get_default_timezone()
        )
        RoomBooking.objects.create(
            space=room,
            during=DateTimeTZRange(start, start + dt.timedelta(minutes=30)),
            holder=holder,
            booked_by=holder,
        )


@pytest.mark.parametrize("view", ["coworking:calendar_day", "coworking:calendar_week"])
@pytest.mark.parametrize("viewer", ["anonymous", "tenant_admin", "site_staff"])
def test_the_calendar_query_count_is_the_same_at_10_and_500_bookings(
    view, viewer, many_rooms, site, tenant_admin, request
):
    client = client_for(request.getfixturevalue(viewer))
    url = reverse(view, args=[site.slug])
    fill_day(many_rooms, tenant_admin, 10)
    at_10 = _queries(client, url, {"date": FUTURE_MONDAY})
    fill_day(many_rooms, tenant_admin, 500)
    at_500 = _queries(client, url, {"date": FUTURE_MONDAY})
    print(f"{view} as {viewer}: {at_10} queries at 10 bookings, {at_500} at 500")
    assert at_10 == at_500


# --- Feeds ------------------------------------------------------------------------------


def test_the_private_feed_answers_its_token_until_revoked(nomad, room, make_desks, site):
    booking = booking_at(room, nomad, title="Atelier")
    (desk,) = make_desks(1)
    DeskReservation.objects.create(
        desk=desk,
        holder=nomad,
        period=DateRange(FUTURE_MONDAY, FUTURE_MONDAY + dt.timedelta(days=2)),
    )
    feed = services.calendar_feed_reset(actor=nomad)
    url = reverse("coworking:user_feed", args=[feed.token])
    response = client_for(None).get(url)
    assert response["Content-Type"].startswith("text/calendar")
    events = list(icalendar.Calendar.from_ical(response.content).walk("VEVENT"))
    assert {str(e["uid"]) for e in events} == {
        f"room-booking-{booking.pk}@technopark.ma",
        f"desk-reservation-{DeskReservation.objects.get().pk}@technopark.ma",
    }
    all_day = next(e for e in events if "desk" in str(e["uid"]))
    assert all_day.decoded("dtstart") == FUTURE_MONDAY
    assert all_day.decoded("dtend") == FUTURE_MONDAY + dt.timedelta(days=2)

    renewed = services.calendar_feed_reset(actor=nomad)
    assert client_for(None).get(url).status_code == 404
    assert (
        client_for(None).get(reverse("coworking:user_feed", args=[renewed.token])).status_code
        == 200
    )
    services.calendar_feed_revoke(actor=nomad)
    assert (
        client_for(None).get(reverse("coworking:user_feed", args=[renewed.token])).status_code
        == 404
    )
    assert (
        client_for(None).get(reverse("coworking:user_feed", args=["no-such-token"])).status_code
        == 404
    )


def test_a_room_feed_shows_who_booked_to_the_sites_staff(room, nomad, site_staff, other_site_staff):
    booking_at(room, nomad, title="Atelier")
    url = reverse("coworking:room_feed", args=[room.pk])
    response = client_for(site_staff).get(url)
    assert nomad.get_full_name().encode() in response.content.replace(b"\r\n ", b"")
    assert client_for(other_site_staff).get(url).status_code == 404


# --- Front desk -------------------------------------------------------------------------


def test_the_front_desk_lists_todays_members_and_checks_them_in(
    site, make_desks, site_staff, other_site_staff
):
    today = timezone.localdate()
    desks = make_desks(3)
    people = [UserFactory(full_name=f"Membre {n}") for n in range(3)]
    for desk, person in zip(desks, people, strict=True):
        DeskReservation.objects.create(
            desk=desk, holder=person, period=DateRange(today, today + dt.timedelta(days=1))
        )
    yesterday = DeskReservation.objects.create(
        desk=desks[0], holder=people[1], period=DateRange(today - dt.timedelta(days=3), today)
    )
    page = client_for(site_staff).get(reverse("coworking:frontdesk", args=[site.slug]))
    assert [r.holder for r in page.context["expected"]] == people
    assert yesterday not in page.context["expected"]

    reservation = page.context["expected"][0]
    response = client_for(site_staff).post(
        reverse("coworking:checkin", args=[reservation.pk]), {"day": today.isoformat()}
    )
    assert response.status_code == 302
    assert reservation.checkins.get().status == CheckInStatus.PRESENT
    assert (
        client_for(other_site_staff)
        .post(reverse("coworking:no_show", args=[reservation.pk]), {"day": today.isoformat()})
        .status_code
        == 404
    )
    assert (
        client_for(other_site_staff)
        .get(reverse("coworking:frontdesk", args=[site.slug]))
        .status_code
        == 404
    )


def test_the_front_desk_query_count_does_not_grow(site, make_desks, site_staff):
    today = timezone.localdate()
    client = client_for(site_staff)
    url = reverse("coworking:frontdesk", args=[site.slug])
    desks = make_desks(50)

    def reserve(desk):
        DeskReservation.objects.create(
            desk=desk, holder=UserFactory(), period=DateRange(today, today + dt.timedelta(days=1))
        )

    reserve(desks[0])
    one = _queries(client, url)
    for desk in desks[1:]:
        reserve(desk)
    assert _queries(client, url) == one


def test_staff_approve_a_pending_booking_from_the_queue(
    agora, nomad, site, site_staff, other_site_staff
):
    booking = booking_at(agora, nomad, status=BookingStatus.PENDING)
    queue = client_for(site_staff).get(reverse("coworking:approvals", args=[site.slug]))
    assert list(queue.context["bookings"]) == [booking]
    assert (
        client_for(other_site_staff)
        .post(reverse("coworking:booking_approve", args=[booking.pk]))
        .status_code
        == 404
    )
    client_for(site_staff).post(reverse("coworking:booking_approve", args=[booking.pk]))
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


def test_staff_book_a_room_for_a_tenant(site, room, site_staff, tenant_member, company):
    response = client_for(site_staff).post(
        reverse("coworking:staff_book", args=[site.slug]),
        form_data(room, person=tenant_member.pk, company=company.pk),
    )
    assert response.status_code == 302
    booking = RoomBooking.objects.get()
    assert (booking.holder, booking.company, booking.booked_by) == (
        tenant_member,
        company,
        site_staff,
    )


def test_staff_cannot_book_another_sites_room(site, room, other_room, site_staff, nomad):
    response = client_for(site_staff).post(
        reverse("coworking:staff_book", args=[site.slug]),
        form_data(other_room, site=site.pk, person=nomad.pk),
    )
    assert response.status_code == 200
    assert "space" in response.context["form"].errors
    assert not RoomBooking.objects.exists()


def test_staff_approve_a_nomad_then_their_pass(site, site_staff, pending_nomad):
    profile = pending_nomad.nomad_profile
    desk_pass = PassFactory(holder=pending_nomad, site=site, status=PassStatus.REQUESTED)
    client = client_for(site_staff)
    client.post(reverse("coworking:pass_approve", args=[desk_pass.pk]))
    desk_pass.refresh_from_db()
    assert desk_pass.status == PassStatus.REQUESTED  # the member comes first
    client.post(reverse("coworking:nomad_approve", args=[profile.pk]))
    client.post(reverse("coworking:pass_approve", args=[desk_pass.pk]))
    desk_pass.refresh_from_db()
    profile.refresh_from_db()
    assert (profile.status, desk_pass.status) == (NomadStatus.APPROVED, PassStatus.ACTIVE)


def test_staff_cannot_assign_a_desk_of_another_site(site, other_site, site_staff, nomad):
    from tests.factories.coworking import CoworkingAreaFactory, DeskFactory

    elsewhere = DeskFactory(space=CoworkingAreaFactory(site=other_site))
    response = client_for(site_staff).post(
        reverse("coworking:desk_assign", args=[site.slug]),
        {
            "desk": elsewhere.pk,
            "person": nomad.pk,
            "first_day": FUTURE_MONDAY.isoformat(),
            "last_day": FUTURE_MONDAY.isoformat(),
        },
    )
    assert response.status_code == 200
    assert "desk" in response.context["form"].errors
    assert not DeskReservation.objects.exists()
