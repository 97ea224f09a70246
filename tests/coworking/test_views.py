"""The pages: booking forms, calendars and their privacy, feeds, sign-up, the front desk."""

import datetime as dt

import icalendar
import pytest
from django.core import mail
from django.db.backends.postgresql.psycopg_any import DateRange, DateTimeTZRange
from django.urls import reverse
from django.utils import timezone, translation

from coworking import services
from coworking.forms import DeskBookingForm
from coworking.models import (
    BookingStatus,
    CalendarFeed,
    CheckInStatus,
    DeskReservation,
    NomadProfile,
    NomadStatus,
    Pass,
    PassStatus,
    ReservationStatus,
    RoomBooking,
)
from coworking.models.feeds import hash_token
from tests.clock import TODAY, pinned
from tests.conftest import client_for
from tests.factories import SpaceFactory, UserFactory
from tests.factories.coworking import (
    CoworkingAreaFactory,
    DeskFactory,
    NomadProfileFactory,
    PassFactory,
    RoomRulesFactory,
)
from tests.queries import queries_to_get

# The pages read the clock: every test here runs at the pinned moment.
pytestmark = [pytest.mark.django_db, pinned]


@pytest.fixture
def monday():
    """The Monday of the third week after the pinned today."""
    return TODAY + dt.timedelta(days=21 - TODAY.weekday())


def booking_at(room, holder, day, hour=10, hours=1, **fields):
    start = dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_default_timezone())
    return RoomBooking.objects.create(
        space=room,
        during=DateTimeTZRange(start, start + dt.timedelta(hours=hours)),
        holder=holder,
        booked_by=holder,
        **fields,
    )


# --- Booking a room ---------------------------------------------------------------------


def form_data(room, day, **overrides):
    data = {
        "site": room.site_id,
        "space": room.pk,
        "day": day.isoformat(),
        "start": "10:00",
        "end": "11:30",
        "title": "Sprint review",
        "attendees": 4,
    }
    return data | overrides


def test_a_tenant_books_a_room_for_the_company_from_the_portal(tenant_admin, company, room, monday):
    response = client_for(tenant_admin).post(
        reverse("coworking:room_book"), form_data(room, monday)
    )
    assert response.status_code == 302
    booking = RoomBooking.objects.get()
    assert (booking.company, booking.holder, booking.title) == (
        company,
        tenant_admin,
        "Sprint review",
    )
    assert booking.status == BookingStatus.CONFIRMED


def test_a_room_of_another_site_is_a_form_error(tenant_admin, room, other_room, monday):
    response = client_for(tenant_admin).post(
        reverse("coworking:room_book"), form_data(other_room, monday, site=room.site_id)
    )
    assert response.status_code == 200
    assert "space" in response.context["form"].errors
    assert not RoomBooking.objects.exists()


def test_a_refused_booking_is_a_form_error_never_a_500(tenant_admin, nomad, room, monday):
    booking_at(room, nomad, monday, hour=10, hours=2)
    response = client_for(tenant_admin).post(
        reverse("coworking:room_book"), form_data(room, monday)
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert RoomBooking.objects.count() == 1


def test_a_series_conflict_lists_each_refused_date(tenant_admin, nomad, room, monday):
    conflict = monday + dt.timedelta(days=14)
    booking_at(room, nomad, conflict)
    response = client_for(tenant_admin).post(
        reverse("coworking:room_book"),
        form_data(room, monday, repeat_until=(monday + dt.timedelta(days=28)).isoformat()),
    )
    assert response.status_code == 200
    assert [day for day, _ in response.context["conflicts"]] == [conflict]
    assert f'datetime="{conflict.isoformat()}"'.encode() in response.content
    assert RoomBooking.objects.count() == 1


@pytest.mark.parametrize("field", ["day", "repeat_until"])
def test_a_date_out_of_reach_is_a_form_error_never_a_500(tenant_admin, room, monday, field):
    response = client_for(tenant_admin).post(
        reverse("coworking:room_book"), form_data(room, monday) | {field: "9999-12-31"}
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not RoomBooking.objects.exists()


def test_the_free_room_search_lists_only_rooms_free_and_big_enough(
    tenant_admin, room, agora, site, monday
):
    booking_at(room, tenant_admin, monday, hour=9, hours=2)
    response = client_for(tenant_admin).get(
        reverse("coworking:room_search"),
        {"site": site.pk, "day": monday, "start": "10:00", "end": "11:00", "people": 4},
    )
    assert response.context["rooms"] == [agora]
    response = client_for(tenant_admin).get(
        reverse("coworking:room_search"),
        {"site": site.pk, "day": monday, "start": "11:00", "end": "12:00", "people": 4},
    )
    assert set(response.context["rooms"]) == {room, agora}


def test_a_pending_booking_takes_its_room_out_of_the_free_rooms(
    tenant_admin, nomad, agora, site, monday
):
    booking_at(agora, nomad, monday, hour=10, status=BookingStatus.PENDING)
    booking_at(agora, nomad, monday, hour=14, status=BookingStatus.CANCELLED)
    url = reverse("coworking:room_search")
    search = {"site": site.pk, "day": monday, "people": 4}
    client = client_for(tenant_admin)
    taken = client.get(url, search | {"start": "10:00", "end": "11:00"})
    freed = client.get(url, search | {"start": "14:00", "end": "15:00"})
    assert (taken.context["rooms"], freed.context["rooms"]) == ([], [agora])


def test_a_member_cancels_their_booking_from_the_portal(nomad, room, monday):
    booking = booking_at(room, nomad, monday)
    response = client_for(nomad).post(reverse("coworking:room_cancel", args=[booking.pk]))
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED


def test_another_persons_booking_cannot_be_cancelled(nomad, other_company_user, room, monday):
    booking = booking_at(room, nomad, monday)
    response = client_for(other_company_user).post(
        reverse("coworking:room_cancel", args=[booking.pk])
    )
    assert response.status_code == 404
    assert RoomBooking.objects.get(pk=booking.pk).status == booking.status


def test_my_bookings_page_count_of_queries_does_not_grow(nomad, room, site, make_desks, monday):
    """One room booking, desk reservation and pass, then 50 of each: the same queries."""
    client = client_for(nomad)
    url = reverse("coworking:my_bookings")
    (desk,) = make_desks(1)

    def add(n):
        day = monday + dt.timedelta(days=n)
        booking_at(room, nomad, day)
        PassFactory(holder=nomad, site=site, period=DateRange(day, day + dt.timedelta(days=1)))
        DeskReservation.objects.create(
            desk=desk, holder=nomad, period=DateRange(day, day + dt.timedelta(days=1))
        )

    add(0)
    one = queries_to_get(client, url)
    for n in range(1, 50):
        add(n)
    assert queries_to_get(client, url) == one


def test_each_list_of_my_bookings_pages_on_its_own_and_keeps_the_others(nomad, room, monday):
    for n in range(30):
        booking_at(room, nomad, monday + dt.timedelta(days=n))
    page = client_for(nomad).get(reverse("coworking:my_bookings"), {"desks": 1, "passes": 1})
    assert b"?desks=1&amp;passes=1&amp;rooms=2" in page.content


# --- Desks and passes --------------------------------------------------------------------


def test_a_member_reserves_a_desk_from_the_portal(nomad, site, make_desks):
    make_desks(2)
    desk_pass = PassFactory(holder=nomad, site=site)
    day = TODAY + dt.timedelta(days=7 - TODAY.weekday())  # next Monday
    response = client_for(nomad).post(
        reverse("coworking:desk_book"), {"desk_pass": desk_pass.pk, "first_day": day.isoformat()}
    )
    assert response.status_code == 302
    assert DeskReservation.objects.get().holder == nomad


def test_another_persons_pass_is_not_a_choice(nomad, tenant_admin, site, make_desks, monday):
    make_desks(2)
    desk_pass = PassFactory(holder=nomad, site=site)
    response = client_for(tenant_admin).post(
        reverse("coworking:desk_book"),
        {"desk_pass": desk_pass.pk, "first_day": monday.isoformat()},
    )
    assert response.status_code == 200
    assert "desk_pass" in response.context["form"].errors
    assert not DeskReservation.objects.exists()


def test_a_pass_is_named_with_the_locales_short_dates(nomad, site):
    first = dt.date(2026, 3, 9)
    desk_pass = PassFactory(
        holder=nomad, site=site, period=DateRange(first, first + dt.timedelta(days=3))
    )
    field = DeskBookingForm(user=nomad, today=first).fields["desk_pass"]
    with translation.override("en"):
        assert "03/09/2026" in field.label_from_instance(desk_pass)
    with translation.override("fr"):
        assert "09/03/2026" in field.label_from_instance(desk_pass)


def test_a_tenant_gets_an_active_pass_from_the_portal(
    tenant_admin, company, site, prices, make_desks, monday
):
    make_desks(1)
    response = client_for(tenant_admin).post(
        reverse("coworking:pass_request"),
        {"site": site.pk, "kind": "month", "start": monday.isoformat()},
    )
    assert response.status_code == 302
    desk_pass = Pass.objects.get()
    assert (desk_pass.status, desk_pass.company) == (PassStatus.ACTIVE, company)


@pytest.fixture
def tenant_pass(tenant_member, company, site, monday):
    """Company A's member holds a pass from next month, billed to the company."""
    first = monday + dt.timedelta(days=7)
    return PassFactory(
        holder=tenant_member,
        company=company,
        site=site,
        period=DateRange(first, first + dt.timedelta(days=30)),
    )


@pytest.mark.parametrize("intruder", ["nomad", "other_company_user"])
def test_another_person_or_company_cannot_cancel_a_pass(tenant_pass, intruder, request):
    response = client_for(request.getfixturevalue(intruder)).post(
        reverse("coworking:pass_cancel", args=[tenant_pass.pk])
    )
    assert response.status_code == 404
    tenant_pass.refresh_from_db()
    assert tenant_pass.status == PassStatus.ACTIVE


@pytest.mark.parametrize("intruder", ["nomad", "other_company_user"])
def test_another_person_or_company_cannot_cancel_a_desk_reservation(
    tenant_pass, make_desks, intruder, request
):
    (desk,) = make_desks(1)
    reservation = DeskReservation.objects.create(
        desk=desk,
        holder=tenant_pass.holder,
        company=tenant_pass.company,
        desk_pass=tenant_pass,
        period=tenant_pass.period,
    )
    response = client_for(request.getfixturevalue(intruder)).post(
        reverse("coworking:desk_cancel", args=[reservation.pk])
    )
    assert response.status_code == 404
    reservation.refresh_from_db()
    assert reservation.status == ReservationStatus.ACTIVE


def test_the_company_admin_cancels_a_members_pass_but_another_companys_admin_cannot(
    tenant_pass, tenant_admin, other_company_user
):
    url = reverse("coworking:pass_cancel", args=[tenant_pass.pk])
    assert client_for(other_company_user).post(url).status_code == 404
    assert client_for(tenant_admin).post(url).status_code == 302
    tenant_pass.refresh_from_db()
    assert tenant_pass.status == PassStatus.CANCELLED


# --- Public sign-up ---------------------------------------------------------------------


def signup_data(day, **overrides):
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
        "pass_start": day.isoformat(),
    }
    return data | overrides


def test_a_nomad_signs_up_with_a_pass_request_and_staff_are_told(
    site, make_desks, prices, site_staff, monday, django_capture_on_commit_callbacks
):
    make_desks(2)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(None).post(
            reverse("coworking:join", args=[site.slug]), signup_data(monday)
        )
    assert response.status_code == 302
    profile = NomadProfile.objects.select_related("user").get()
    assert profile.user.email == "sara.martin@example.org"
    assert (profile.status, profile.document_number) == (NomadStatus.PENDING, "19FR12345")
    assert Pass.objects.get().status == PassStatus.REQUESTED
    assert mail.outbox[0].to == [site_staff.email]


def test_a_sign_up_with_an_address_that_has_an_account_answers_like_any_other(
    site, make_desks, monday, django_capture_on_commit_callbacks
):
    """The page never tells a visitor which addresses have accounts; their owner is told."""
    make_desks(1)
    owner = UserFactory(email="sara.martin@example.org")
    client = client_for(None)
    url = reverse("coworking:join", args=[site.slug])
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(url, signup_data(monday, pass_kind=""), follow=True)
    new = client.post(
        url,
        signup_data(monday, email="autre@example.org", document_number="19FR99999", pass_kind=""),
        follow=True,
    )
    assert known.redirect_chain == new.redirect_chain
    assert [str(m) for m in known.context["messages"]] == [str(m) for m in new.context["messages"]]
    assert not NomadProfile.objects.filter(user=owner).exists()
    assert mail.outbox[-1].to == [owner.email]
    assert reverse("coworking:join", args=[site.slug]) in mail.outbox[-1].body


def test_a_bad_cin_and_a_taken_document_are_form_errors_and_nothing_is_saved(
    site, make_desks, monday
):
    make_desks(1)
    NomadProfileFactory(site=site, document_kind="passport", document_number="19FR12345")
    client = client_for(None)
    url = reverse("coworking:join", args=[site.slug])
    bad_cin = client.post(
        url, signup_data(monday, document_kind="cin", document_number="123", pass_kind="")
    )
    taken = client.post(url, signup_data(monday, pass_kind=""))
    assert "document_number" in bad_cin.context["form"].errors
    assert "document_number" in taken.context["form"].errors
    assert NomadProfile.objects.count() == 1
    assert (
        not type(NomadProfile.objects.get().user)
        .objects.filter(email="sara.martin@example.org")
        .exists()
    )


def test_the_sign_up_page_sends_a_visitor_who_logs_in_back_to_it(site, make_desks):
    make_desks(1)
    url = reverse("coworking:join", args=[site.slug])
    page = client_for(None).get(url)
    assert f'?next={url}"'.encode() in page.content


def test_a_site_without_coworking_has_no_sign_up(other_site):
    assert (
        client_for(None).get(reverse("coworking:join", args=[other_site.slug])).status_code == 404
    )


# --- Calendars --------------------------------------------------------------------------


def test_the_public_calendar_hides_who_booked(
    room, tenant_admin, company, site, other_company_user, monday
):
    booking_at(room, tenant_admin, monday, company=company, title="Levée de fonds secrète")
    url = reverse("coworking:calendar_day", args=[site.slug])
    for viewer in (None, other_company_user):
        page = client_for(viewer).get(url, {"date": monday})
        assert "Levée de fonds secrète".encode() not in page.content
        assert tenant_admin.get_full_name().encode() not in page.content
    own = client_for(tenant_admin).get(url, {"date": monday})
    assert "Levée de fonds secrète".encode() in own.content


def test_site_staff_see_who_booked_but_not_at_another_site(
    room, nomad, site, site_staff, other_site_staff, monday
):
    booking_at(room, nomad, monday, title="Atelier")
    url = reverse("coworking:calendar_week", args=[site.slug])
    assert b"Atelier" in client_for(site_staff).get(url, {"date": monday}).content
    assert b"Atelier" not in client_for(other_site_staff).get(url, {"date": monday}).content


def test_the_calendar_is_right_to_left_in_arabic(room, site):
    client = client_for(None)
    client.cookies["django_language"] = "ar"
    page = client.get(reverse("coworking:calendar_day", args=[site.slug]))
    assert b'dir="rtl"' in page.content
    assert b"bootstrap.rtl.min.css" in page.content


@pytest.mark.parametrize("view", ["coworking:calendar_day", "coworking:calendar_week"])
@pytest.mark.parametrize("date", ["9999-12-31", "0001-01-01", "1999-12-31"])
def test_a_calendar_date_out_of_reach_is_404_not_500(room, site, view, date):
    response = client_for(None).get(reverse(view, args=[site.slug]), {"date": date})
    assert response.status_code == 404


def test_calendar_dates_reach_two_years_ahead_and_back_to_2000(room, site):
    url = reverse("coworking:calendar_week", args=[site.slug])
    ahead = TODAY + dt.timedelta(days=700)
    for day in (ahead, dt.date(2000, 1, 3)):
        assert client_for(None).get(url, {"date": day}).status_code == 200


@pytest.fixture
def many_rooms(site):
    """21 rooms at site A: room for 504 half-hour bookings on one day (08:00-20:00)."""
    return [RoomRulesFactory(space=SpaceFactory(site=site)).space for _ in range(21)]


def fill_day(rooms, holder, day, count):
    """Half-hour bookings on ``day`` until there are ``count`` of them."""
    slots = [(room, k) for k in range(24) for room in rooms]
    for room, k in slots[RoomBooking.objects.count() : count]:
        start = dt.datetime.combine(
            day, dt.time(8 + k // 2, 30 * (k % 2)), tzinfo=timezone.get_default_timezone()
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
    view, viewer, many_rooms, site, tenant_admin, monday, request
):
    client = client_for(request.getfixturevalue(viewer))
    url = reverse(view, args=[site.slug])
    fill_day(many_rooms, tenant_admin, monday, 10)
    at_10 = queries_to_get(client, url, {"date": monday})
    fill_day(many_rooms, tenant_admin, monday, 500)
    at_500 = queries_to_get(client, url, {"date": monday})
    print(f"{view} as {viewer}: {at_10} queries at 10 bookings, {at_500} at 500")
    assert at_10 == at_500


# --- Feeds ------------------------------------------------------------------------------


def test_the_private_feed_answers_its_token_until_revoked(nomad, room, make_desks, monday):
    booking = booking_at(room, nomad, monday, title="Atelier")
    (desk,) = make_desks(1)
    DeskReservation.objects.create(
        desk=desk,
        holder=nomad,
        period=DateRange(monday, monday + dt.timedelta(days=2)),
    )
    _feed, token = services.calendar_feed_reset(actor=nomad)
    url = reverse("coworking:user_feed", args=[token])
    response = client_for(None).get(url)
    assert response["Content-Type"].startswith("text/calendar")
    events = list(icalendar.Calendar.from_ical(response.content).walk("VEVENT"))
    assert {str(e["uid"]) for e in events} == {
        f"room-booking-{booking.pk}@technopark.ma",
        f"desk-reservation-{DeskReservation.objects.get().pk}@technopark.ma",
    }
    all_day = next(e for e in events if "desk" in str(e["uid"]))
    assert all_day.decoded("dtstart") == monday
    assert all_day.decoded("dtend") == monday + dt.timedelta(days=2)

    _renewed, renewed = services.calendar_feed_reset(actor=nomad)
    assert client_for(None).get(url).status_code == 404
    renewed_url = reverse("coworking:user_feed", args=[renewed])
    assert client_for(None).get(renewed_url).status_code == 200
    services.calendar_feed_revoke(actor=nomad)
    assert client_for(None).get(renewed_url).status_code == 404
    unknown = reverse("coworking:user_feed", args=["no-such-token"])
    assert client_for(None).get(unknown).status_code == 404


def test_only_a_hash_of_the_feed_token_is_stored(nomad):
    feed, token = services.calendar_feed_reset(actor=nomad)
    stored = CalendarFeed.objects.values().get(pk=feed.pk)
    assert stored["token_hash"] == hash_token(token)
    assert stored["token_hint"] == token[:6]
    assert token not in str(stored.values())


def test_the_feed_address_is_shown_once_when_issued(nomad):
    client = client_for(nomad)
    issued = client.post(reverse("coworking:feed_reset"), {"action": "renew"})
    assert issued.status_code == 200
    assert issued["Cache-Control"] == "no-store"
    url = issued.context["new_url"]
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    assert url.encode() in issued.content
    later = client.get(reverse("coworking:feed"))
    assert token.encode() not in later.content
    assert token[:6].encode() in later.content
    assert client_for(None).get(url).status_code == 200


def test_the_feed_holds_the_last_90_days_and_what_comes(nomad, room, make_desks, monday):
    today = TODAY
    old_day = today - dt.timedelta(days=120)
    recent_day = today - dt.timedelta(days=30)
    old = booking_at(room, nomad, old_day)
    recent = booking_at(room, nomad, recent_day)
    coming = booking_at(room, nomad, monday)
    (desk,) = make_desks(1)
    DeskReservation.objects.create(
        desk=desk, holder=nomad, period=DateRange(old_day, old_day + dt.timedelta(days=1))
    )
    _feed, token = services.calendar_feed_reset(actor=nomad)
    content = client_for(None).get(reverse("coworking:user_feed", args=[token])).content
    uids = {str(e["uid"]) for e in icalendar.Calendar.from_ical(content).walk("VEVENT")}
    assert uids == {f"room-booking-{b.pk}@technopark.ma" for b in (recent, coming)}
    assert f"room-booking-{old.pk}@technopark.ma" not in uids


def test_a_room_feed_shows_who_booked_to_the_sites_staff(
    room, nomad, site_staff, other_site_staff, monday
):
    booking_at(room, nomad, monday, title="Atelier")
    url = reverse("coworking:room_feed", args=[room.pk])
    response = client_for(site_staff).get(url)
    assert nomad.get_full_name().encode() in response.content.replace(b"\r\n ", b"")
    assert client_for(other_site_staff).get(url).status_code == 404


def test_the_front_desk_offers_each_rooms_file_and_says_it_needs_a_login(site, room, site_staff):
    page = client_for(site_staff).get(reverse("coworking:frontdesk", args=[site.slug]))
    assert reverse("coworking:room_feed", args=[room.pk]).encode() in page.content
    assert list(page.context["rooms"]) == [room]


# --- Front desk -------------------------------------------------------------------------


def test_the_front_desk_lists_todays_members_and_checks_them_in(
    site, make_desks, site_staff, other_site_staff
):
    today = TODAY
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


def test_a_holder_cannot_check_themselves_in(site, make_desks, nomad):
    """The front desk counts staff roles only: owning the reservation opens nothing there."""
    (desk,) = make_desks(1)
    today = TODAY
    reservation = DeskReservation.objects.create(
        desk=desk, holder=nomad, period=DateRange(today, today + dt.timedelta(days=1))
    )
    response = client_for(nomad).post(
        reverse("coworking:checkin", args=[reservation.pk]), {"day": today.isoformat()}
    )
    assert response.status_code == 404
    assert not reservation.checkins.exists()


def test_a_front_desk_date_out_of_reach_is_404_not_500(site, site_staff):
    url = reverse("coworking:frontdesk", args=[site.slug])
    assert client_for(site_staff).get(url, {"date": "9999-12-31"}).status_code == 404


def test_the_front_desk_query_count_does_not_grow(site, make_desks, site_staff):
    today = TODAY
    client = client_for(site_staff)
    url = reverse("coworking:frontdesk", args=[site.slug])
    desks = make_desks(50)

    def reserve(desk):
        DeskReservation.objects.create(
            desk=desk, holder=UserFactory(), period=DateRange(today, today + dt.timedelta(days=1))
        )

    reserve(desks[0])
    one = queries_to_get(client, url)
    for desk in desks[1:]:
        reserve(desk)
    assert queries_to_get(client, url) == one


def test_the_front_desk_pager_keeps_the_day(site, make_desks, site_staff):
    today = TODAY
    for desk in make_desks(51):
        DeskReservation.objects.create(
            desk=desk, holder=UserFactory(), period=DateRange(today, today + dt.timedelta(days=1))
        )
    page = client_for(site_staff).get(
        reverse("coworking:frontdesk", args=[site.slug]), {"date": today.isoformat()}
    )
    assert f"?date={today.isoformat()}&amp;page=2".encode() in page.content


def test_staff_approve_a_pending_booking_from_the_queue(
    agora, nomad, site, site_staff, other_site_staff, monday
):
    booking = booking_at(agora, nomad, monday, status=BookingStatus.PENDING)
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


def test_staff_book_a_room_for_a_tenant(site, room, site_staff, tenant_member, company, monday):
    response = client_for(site_staff).post(
        reverse("coworking:staff_book", args=[site.slug]),
        form_data(room, monday, person=tenant_member.pk, company=company.pk),
    )
    assert response.status_code == 302
    booking = RoomBooking.objects.get()
    assert (booking.holder, booking.company, booking.booked_by) == (
        tenant_member,
        company,
        site_staff,
    )


def test_staff_cannot_book_another_sites_room(site, room, other_room, site_staff, nomad, monday):
    response = client_for(site_staff).post(
        reverse("coworking:staff_book", args=[site.slug]),
        form_data(other_room, monday, site=site.pk, person=nomad.pk),
    )
    assert response.status_code == 200
    assert "space" in response.context["form"].errors
    assert not RoomBooking.objects.exists()


@pytest.fixture
def people_elsewhere(other_site, other_company_user):
    """People of site B: a member of its resident company, and an approved nomad."""
    nomad = NomadProfileFactory(site=other_site, status=NomadStatus.APPROVED).user
    return [other_company_user, nomad]


def test_staff_cannot_book_for_a_person_of_another_site(
    site, room, site_staff, people_elsewhere, monday
):
    for person in people_elsewhere:
        response = client_for(site_staff).post(
            reverse("coworking:staff_book", args=[site.slug]),
            form_data(room, monday, person=person.pk),
        )
        assert response.status_code == 200
        assert "person" in response.context["form"].errors
    assert not RoomBooking.objects.exists()


def test_staff_cannot_assign_a_desk_to_a_person_of_another_site(
    site, site_staff, make_desks, people_elsewhere, monday
):
    (desk,) = make_desks(1)
    for person in people_elsewhere:
        response = client_for(site_staff).post(
            reverse("coworking:desk_assign", args=[site.slug]),
            {
                "desk": desk.pk,
                "person": person.pk,
                "first_day": monday.isoformat(),
                "last_day": monday.isoformat(),
            },
        )
        assert response.status_code == 200
        assert "person" in response.context["form"].errors
    assert not DeskReservation.objects.exists()


def test_the_people_staff_book_for_are_the_sites_residents_and_approved_nomads(
    site, site_staff, tenant_member, nomad, pending_nomad, people_elsewhere
):
    page = client_for(site_staff).get(reverse("coworking:staff_book", args=[site.slug]))
    choices = set(page.context["form"].fields["person"].queryset)
    assert {tenant_member, nomad} <= choices
    assert not choices & {pending_nomad, *people_elsewhere}


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


@pytest.mark.parametrize("view", ["coworking:nomad_approve", "coworking:nomad_reject"])
def test_another_sites_staff_cannot_decide_a_nomad(pending_nomad, other_site_staff, view):
    profile = pending_nomad.nomad_profile
    response = client_for(other_site_staff).post(reverse(view, args=[profile.pk]))
    assert response.status_code == 404
    profile.refresh_from_db()
    assert profile.status == NomadStatus.PENDING


@pytest.mark.parametrize("view", ["coworking:pass_approve", "coworking:pass_reject"])
def test_another_sites_staff_cannot_decide_a_pass(site, nomad, other_site_staff, view):
    desk_pass = PassFactory(holder=nomad, site=site, status=PassStatus.REQUESTED)
    response = client_for(other_site_staff).post(reverse(view, args=[desk_pass.pk]))
    assert response.status_code == 404
    desk_pass.refresh_from_db()
    assert desk_pass.status == PassStatus.REQUESTED


def test_staff_cannot_assign_a_desk_of_another_site(site, other_site, site_staff, nomad, monday):
    elsewhere = DeskFactory(space=CoworkingAreaFactory(site=other_site))
    response = client_for(site_staff).post(
        reverse("coworking:desk_assign", args=[site.slug]),
        {
            "desk": elsewhere.pk,
            "person": nomad.pk,
            "first_day": monday.isoformat(),
            "last_day": monday.isoformat(),
        },
    )
    assert response.status_code == 200
    assert "desk" in response.context["form"].errors
    assert not DeskReservation.objects.exists()
