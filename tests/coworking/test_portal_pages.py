"""The portal's pages: booking rooms, desks and passes, and cancelling them."""

import datetime as dt

import pytest
from django.db.backends.postgresql.psycopg_any import DateRange
from django.urls import reverse
from django.utils import translation

from coworking.forms import DeskBookingForm
from coworking.models import (
    BookingStatus,
    DeskReservation,
    Pass,
    PassStatus,
    ReservationStatus,
    RoomBooking,
)
from tests.clock import TODAY, pinned
from tests.conftest import client_for
from tests.coworking.pages import booking_at, form_data, next_monday
from tests.factories.coworking import (
    PassFactory,
)
from tests.queries import queries_to_get

# The pages read the clock: every test here runs at the pinned moment.
pytestmark = [pytest.mark.django_db, pinned]


@pytest.fixture
def monday():
    return next_monday()


# --- Booking a room ---------------------------------------------------------------------


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
