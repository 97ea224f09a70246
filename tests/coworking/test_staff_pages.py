"""The staff's pages: the front desk, the approvals queue, booking for people."""

import datetime as dt

import pytest
from django.db.backends.postgresql.psycopg_any import DateRange
from django.urls import reverse

from coworking.models import (
    BookingStatus,
    CheckInStatus,
    DeskReservation,
    NomadStatus,
    PassStatus,
    RoomBooking,
)
from tests.clock import TODAY, pinned
from tests.conftest import client_for
from tests.coworking.pages import booking_at, form_data, next_monday
from tests.factories import UserFactory
from tests.factories.coworking import (
    CoworkingAreaFactory,
    DeskFactory,
    NomadProfileFactory,
    PassFactory,
)
from tests.queries import queries_to_get

# The pages read the clock: every test here runs at the pinned moment.
pytestmark = [pytest.mark.django_db, pinned]


@pytest.fixture
def monday():
    return next_monday()


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
