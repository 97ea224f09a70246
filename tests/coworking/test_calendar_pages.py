"""Room calendars and their privacy, and the calendar feeds."""

import datetime as dt

import icalendar
import pytest
from django.db.backends.postgresql.psycopg_any import DateRange, DateTimeTZRange
from django.urls import reverse
from django.utils import timezone

from coworking import services
from coworking.models import (
    CalendarFeed,
    DeskReservation,
    RoomBooking,
)
from coworking.models.feeds import hash_token
from tests.clock import TODAY, pinned
from tests.conftest import client_for
from tests.coworking.pages import booking_at, next_monday
from tests.factories import SpaceFactory
from tests.factories.coworking import (
    RoomRulesFactory,
)
from tests.queries import queries_to_get

# The pages read the clock: every test here runs at the pinned moment.
pytestmark = [pytest.mark.django_db, pinned]


@pytest.fixture
def monday():
    return next_monday()


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


@pytest.mark.django_db(transaction=True)
def test_the_calendar_keeps_its_rooms_until_they_change_and_shows_new_bookings_at_once(
    room, tenant_admin, company, site, monday
):
    """Seen again, the rooms, hours and closures are not read again; a booking, a
    closure or a renamed room shows at the next look."""
    from coworking import calendars
    from sites.models import Closure, Space

    calendars._kept.clear()
    url = reverse("coworking:calendar_day", args=[site.slug])
    client = client_for(tenant_admin)
    first = queries_to_get(client, url, {"date": monday})
    again = queries_to_get(client, url, {"date": monday})
    assert again < first
    booking_at(room, tenant_admin, monday, company=company, title="Revue de code")
    assert b"Revue de code" in client.get(url, {"date": monday}).content
    Space.objects.filter(pk=room.pk).update(name_fr="Salle Mogador")
    assert "Salle Mogador" in client.get(url, {"date": monday}).content.decode()
    Closure.objects.create(site=site, date=monday, name="Fête du Trône")
    assert "Fête du Trône" in client.get(url, {"date": monday}).content.decode()
    calendars._kept.clear()
