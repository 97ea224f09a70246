"""Where a company books: its free hours left, the chosen site's rooms, what is due;
and the front desk's check-in button once someone is in."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db.backends.postgresql.psycopg_any import DateRange
from django.urls import reverse
from django.utils import timezone

from coworking import services
from coworking.models import BookingStatus, DeskReservation, RoomBooking
from tests.clock import TODAY, pinned
from tests.conftest import client_for
from tests.coworking.pages import booking_at, form_data
from tests.factories.coworking import AllowanceFactory
from tests.queries import queries_to_get

pytestmark = [pytest.mark.django_db, pinned]


def _book_page(user, language="en", **query):
    client = client_for(user)
    client.cookies["django_language"] = language
    return client.get(reverse("coworking:room_book"), query, HTTP_ACCEPT_LANGUAGE=language)


@pytest.fixture
def allowance(company, site):
    return AllowanceFactory(company=company, site=site, hours_per_month=Decimal(8))


def _this_month_day():
    """A working day of this month a week ahead (past the notice to cancel), counted this month."""
    day = TODAY + dt.timedelta(days=7)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    assert day.month == TODAY.month
    return day


def test_the_booking_page_shows_the_free_hours_left_this_month(
    tenant_admin, company, room, allowance
):
    page = _book_page(tenant_admin)
    assert [(f.site, f.total, f.left) for f in page.context["free_time"]] == [(room.site, 480, 480)]
    client_for(tenant_admin).post(
        reverse("coworking:room_book"),
        form_data(room, _this_month_day(), start="10:00", end="11:30"),
    )
    assert RoomBooking.objects.get().free_minutes == 90
    page = _book_page(tenant_admin)
    html = page.content.decode()
    assert [f.left for f in page.context["free_time"]] == [390]
    assert "<strong>6 h 30 min</strong> left of 8 h" in html


def test_a_cancelled_booking_gives_its_free_hours_back(tenant_admin, company, room, allowance):
    client_for(tenant_admin).post(
        reverse("coworking:room_book"), form_data(room, _this_month_day(), end="12:00")
    )
    booking = RoomBooking.objects.get()
    services.room_booking_cancel(booking=booking, actor=tenant_admin)
    assert [f.left for f in _book_page(tenant_admin).context["free_time"]] == [480]


def test_the_free_hours_read_in_french_and_arabic(tenant_admin, company, room, allowance):
    assert "<strong>8 h</strong> restantes sur 8 h" in _book_page(tenant_admin, "fr").text
    assert "<strong>8 ساعات</strong>" in _book_page(tenant_admin, "ar").text


def test_a_nomad_without_an_allowance_sees_no_free_hours(nomad, room):
    page = _book_page(nomad)
    assert page.status_code == 200
    assert page.context["free_time"] == []


def test_the_form_lists_the_rooms_of_the_chosen_site_only(
    tenant_admin, company, room, gaming_room, other_room
):
    # The company's home site first.
    form = _book_page(tenant_admin).context["form"]
    assert list(form.fields["space"].queryset) == [gaming_room, room]
    # Another site asked for in the address: its rooms only.
    form = _book_page(tenant_admin, site=other_room.site_id).context["form"]
    assert list(form.fields["space"].queryset) == [other_room]
    assert form.fields["site"].widget.attrs["data-reload-with"] == "site"
    # A posted site decides too; a room of another site is refused.
    response = client_for(tenant_admin).post(
        reverse("coworking:room_book"), form_data(room, _this_month_day(), site=other_room.site_id)
    )
    assert list(response.context["form"].fields["space"].queryset) == [other_room]
    assert "space" in response.context["form"].errors
    assert not RoomBooking.objects.exists()


def test_the_booking_page_costs_the_same_with_one_allowance_or_several(
    tenant_admin, company, room, other_room, site, other_site
):
    AllowanceFactory(company=company, site=site, hours_per_month=Decimal(8))
    one = queries_to_get(client_for(tenant_admin), reverse("coworking:room_book"))
    AllowanceFactory(company=company, site=other_site, hours_per_month=Decimal(4))
    booking_at(other_room, tenant_admin, _this_month_day(), company=company, free_minutes=60)
    assert queries_to_get(client_for(tenant_admin), reverse("coworking:room_book")) == one


def test_a_cancelled_booking_shows_nothing_due(nomad, room):
    kept = booking_at(room, nomad, _this_month_day(), hour=10, price=Decimal(200))
    gone = booking_at(room, nomad, _this_month_day(), hour=14, price=Decimal(200))
    gone.status = BookingStatus.CANCELLED
    gone.save()
    html = client_for(nomad).get(reverse("coworking:my_bookings")).content.decode()
    rows = [row for row in html.split("<tr") if "Salle Mogador" in row]
    by_start = {("10:00" in row): row for row in rows}
    assert "200" in by_start[True]
    assert kept.status == BookingStatus.CONFIRMED
    assert "200" not in by_start[False]
    assert "rien à payer" in by_start[False]  # the page speaks French, the default


def test_after_check_in_the_button_says_when_in_local_time(site, make_desks, site_staff, nomad):
    (desk,) = make_desks(1)
    reservation = DeskReservation.objects.create(
        desk=desk, holder=nomad, period=DateRange(TODAY, TODAY + dt.timedelta(days=1))
    )
    page = reverse("coworking:frontdesk", args=[site.slug])
    client = client_for(site_staff)
    client.cookies["django_language"] = "fr"
    assert "Enregistrer l’arrivée" in client.get(page).text
    client.post(reverse("coworking:checkin", args=[reservation.pk]), {"day": TODAY.isoformat()})
    checkin = reservation.checkins.get()
    local = timezone.localtime(checkin.recorded_at)  # Africa/Casablanca
    html = client.get(page).text
    assert f"{local:%H:%M}" in html
    button = html[html.index(reverse("coworking:checkin", args=[reservation.pk])) :]
    button = button[: button.index("</form>")]
    assert "disabled" in button
    assert f"{local:%H:%M}" in button
