"""Room bookings: rules, prices and allowances, approval, cancellation, series, bad input."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.utils import translation

from coworking import services
from coworking.models import BookingStatus, RoomBooking
from sites.models import Closure
from technopark.db import violated_constraint
from tests.coworking.conftest import NOW
from tests.factories import SpaceFactory
from tests.factories.coworking import AllowanceFactory, RoomRulesFactory
from tests.queries import counting_queries

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 2, 2)
T = dt.time.fromisoformat


def book(actor, space, day=MONDAY, start="10:00", end="12:00", **kwargs):
    return services.room_booking_create(
        actor=actor, space=space, day=day, start=T(start), end=T(end), now=NOW, **kwargs
    )


def refusal(actor, space, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        book(actor, space, **kwargs)
    return caught.value


def test_a_nomad_books_a_room_and_pays_its_hourly_rate(nomad, room):
    booking = book(nomad, room)
    assert booking.status == BookingStatus.CONFIRMED
    assert booking.price == Decimal("400.00")
    assert booking.holder == nomad and booking.company is None


def test_a_company_books_first_from_its_monthly_allowance_then_pays(tenant_admin, company, room):
    AllowanceFactory(company=company, site=room.site, hours_per_month=3)
    first = book(tenant_admin, room, company=company, start="09:00", end="11:00")
    second = book(tenant_admin, room, company=company, start="11:00", end="13:00")
    assert (first.free_minutes, first.price) == (120, Decimal("0.00"))
    assert (second.free_minutes, second.price) == (60, Decimal("200.00"))
    # A new month brings new free hours.
    march = book(tenant_admin, room, company=company, day=dt.date(2026, 3, 2))
    assert (march.free_minutes, march.price) == (120, Decimal("0.00"))


def test_a_cancelled_booking_gives_its_free_hours_back(tenant_admin, company, room):
    AllowanceFactory(company=company, site=room.site, hours_per_month=2)
    first = book(tenant_admin, room, company=company)
    services.room_booking_cancel(actor=tenant_admin, booking=first, now=NOW)
    again = book(tenant_admin, room, company=company, start="14:00", end="16:00")
    assert again.price == Decimal("0.00")


def test_a_company_without_allowance_pays_every_hour(tenant_admin, company, room):
    assert book(tenant_admin, room, company=company).price == Decimal("400.00")


def test_back_to_back_bookings_are_allowed(nomad, tenant_admin, company, room):
    book(nomad, room, start="10:00", end="12:00")
    book(tenant_admin, room, company=company, start="12:00", end="13:00")
    book(tenant_admin, room, company=company, start="09:00", end="10:00")
    assert RoomBooking.objects.filter(space=room).count() == 3


def test_it_refuses_a_booking_that_overlaps(nomad, tenant_admin, company, room):
    book(nomad, room, start="10:00", end="12:00")
    error = refusal(tenant_admin, room, company=company, start="11:30", end="13:00")
    assert error.code == "overlap"
    with translation.override("en"):
        assert error.messages == ["This room is already booked at that time."]
    assert RoomBooking.objects.count() == 1


def test_a_cancellation_frees_the_slot(nomad, tenant_admin, company, room):
    first = book(nomad, room)
    services.room_booking_cancel(actor=nomad, booking=first, now=NOW)
    second = book(tenant_admin, room, company=company)
    assert second.status == BookingStatus.CONFIRMED


def test_postgresql_itself_forbids_overlapping_active_bookings(nomad, room):
    booking = book(nomad, room)
    clash = RoomBooking(
        space=room,
        during=DateTimeTZRange(booking.starts_at + dt.timedelta(minutes=30), booking.ends_at),
        holder=nomad,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        clash.save()
    clash.status = BookingStatus.REJECTED
    clash.save()  # rejected (like cancelled) bookings block nothing


@pytest.mark.parametrize(
    ("kwargs", "code", "message"),
    [
        ({"day": dt.date(2026, 1, 2)}, "past", "This time is already past."),
        (
            {"start": "12:00", "end": "10:00"},
            "end_before_start",
            "The end must be after the start.",
        ),
        (
            {"start": "07:00", "end": "09:00"},
            "outside_hours",
            "On Feb. 2, 2026 this room is open from 08:00 to 20:00.",
        ),
        (
            {"start": "08:00", "end": "17:00"},
            "too_long",
            "A booking of this room lasts at most 480 minutes.",
        ),
        (
            {"start": "10:00", "end": "10:15"},
            "off_step",
            "Bookings of this room start and end on multiples of 30 minutes.",
        ),
        ({"day": dt.date(2026, 2, 7)}, "closed_weekday", "This room is closed on Saturday."),
        ({"attendees": 11}, "over_capacity", "This room holds at most 10 people."),
        (
            {"day": dt.date(2028, 2, 7)},
            "too_far",
            "This room can be booked at most 730 days ahead.",
        ),
    ],
)
def test_bad_input_gets_a_clear_message_and_nothing_is_saved(nomad, room, kwargs, code, message):
    with translation.override("en"):
        error = refusal(nomad, room, **kwargs)
        assert error.messages == [message]
    assert error.code == code
    assert not RoomBooking.objects.exists()


def test_a_closed_day_is_refused_whether_the_site_or_the_network_closes(nomad, room):
    Closure.objects.create(site=room.site, date=MONDAY, name="Inventaire")
    Closure.objects.create(site=None, date=dt.date(2026, 2, 9), name="Fête nationale")
    with translation.override("en"):
        site_closed = refusal(nomad, room)
        network_closed = refusal(nomad, room, day=dt.date(2026, 2, 9))
    assert site_closed.code == network_closed.code == "closed_day"
    assert "Inventaire" in site_closed.messages[0]
    assert "Fête nationale" in network_closed.messages[0]


def test_a_pending_nomad_cannot_book(pending_nomad, room):
    assert refusal(pending_nomad, room).code == "not_approved"


def test_a_tenant_cannot_book_for_another_company(tenant_admin, other_company, room):
    assert refusal(tenant_admin, room, company=other_company).code == "not_your_company"


def test_a_room_without_rules_cannot_be_booked(nomad, space):
    assert refusal(nomad, space).code == "not_bookable"


def test_the_agora_waits_for_approval_while_holding_its_slot(
    nomad, tenant_admin, company, agora, site_staff, django_capture_on_commit_callbacks
):
    pending = book(nomad, agora)
    assert pending.status == BookingStatus.PENDING
    assert refusal(tenant_admin, agora, company=company).code == "overlap"
    with django_capture_on_commit_callbacks(execute=True):
        services.room_booking_approve(actor=site_staff, booking=pending, now=NOW)
    pending.refresh_from_db()
    assert pending.status == BookingStatus.CONFIRMED
    assert mail.outbox[-1].to == [nomad.email]


def test_a_rejected_booking_frees_its_slot(nomad, tenant_admin, company, agora, site_staff):
    pending = book(nomad, agora)
    services.room_booking_reject(actor=site_staff, booking=pending, now=NOW)
    assert book(tenant_admin, agora, company=company).status == BookingStatus.PENDING


def test_staff_bookings_for_someone_are_confirmed_at_once(
    site_staff, tenant_member, company, agora
):
    booking = book(site_staff, agora, holder=tenant_member, company=company)
    assert booking.status == BookingStatus.CONFIRMED
    assert booking.holder == tenant_member and booking.booked_by == site_staff


def test_staff_of_another_site_cannot_decide(nomad, agora, other_site_staff):
    pending = book(nomad, agora)
    with pytest.raises(PermissionDenied):
        services.room_booking_approve(actor=other_site_staff, booking=pending, now=NOW)
    pending.refresh_from_db()
    assert pending.status == BookingStatus.PENDING


def test_cancellation_respects_the_rooms_notice(nomad, room, site_staff):
    booking = book(nomad, room)
    late = booking.starts_at - dt.timedelta(hours=23)
    with pytest.raises(ValidationError) as caught:
        services.room_booking_cancel(actor=nomad, booking=booking, now=late)
    assert caught.value.code == "too_late"
    services.room_booking_cancel(actor=site_staff, booking=booking, now=late)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED


def test_a_weekly_series_is_booked_whole(
    tenant_admin, company, room, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        bookings = services.room_booking_series_create(
            actor=tenant_admin,
            space=room,
            first_day=MONDAY,
            until=dt.date(2026, 3, 2),
            start=T("10:00"),
            end=T("11:00"),
            company=company,
            now=NOW,
        )
    assert [b.starts_at.date() for b in bookings] == [
        dt.date(2026, 2, 2),
        dt.date(2026, 2, 9),
        dt.date(2026, 2, 16),
        dt.date(2026, 2, 23),
        dt.date(2026, 3, 2),
    ]
    assert len({b.series for b in bookings}) == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].body.count("10:00–11:00") == 5


def test_a_series_with_conflicts_books_nothing_and_names_each_conflict(
    nomad, tenant_admin, company, room
):
    book(nomad, room, day=dt.date(2026, 2, 16), start="10:30", end="11:30")
    Closure.objects.create(site=None, date=dt.date(2026, 2, 23), name="Jour férié")
    with pytest.raises(services.SeriesConflictError) as caught:
        services.room_booking_series_create(
            actor=tenant_admin,
            space=room,
            first_day=MONDAY,
            until=dt.date(2026, 3, 2),
            start=T("10:00"),
            end=T("11:00"),
            company=company,
            now=NOW,
        )
    days = [day for day, _reasons in caught.value.conflicts]
    assert days == [dt.date(2026, 2, 16), dt.date(2026, 2, 23)]
    assert RoomBooking.objects.filter(company=company).count() == 0


def test_a_weekly_series_reads_rules_booker_and_closures_once(tenant_admin, company, room):
    """Each further date costs its savepoint, insert, history row and release, nothing more."""
    AllowanceFactory(company=company, site=room.site, hours_per_month=100)

    def queries(weeks, start):
        actor = type(tenant_admin).objects.get(pk=tenant_admin.pk)  # roles not read yet
        with counting_queries() as captured:
            services.room_booking_series_create(
                actor=actor,
                space=room,
                first_day=MONDAY,
                until=MONDAY + dt.timedelta(weeks=weeks - 1),
                start=T(start),
                end=(dt.datetime.combine(MONDAY, T(start)) + dt.timedelta(hours=1)).time(),
                company=company,
                now=NOW,
            )
        return len(captured)

    two, ten = queries(2, "09:00"), queries(10, "14:00")
    # 4 queries per date; ten weeks span three months: one sum of the allowance's use each.
    assert ten - two == 8 * 4 + 2


def test_a_series_by_someone_who_may_not_book_is_refused_once(pending_nomad, room):
    with pytest.raises(ValidationError) as caught:
        services.room_booking_series_create(
            actor=pending_nomad,
            space=room,
            first_day=MONDAY,
            until=dt.date(2026, 3, 30),
            start=T("10:00"),
            end=T("11:00"),
            now=NOW,
        )
    assert not isinstance(caught.value, services.SeriesConflictError)
    assert caught.value.code == "not_approved"
    assert not RoomBooking.objects.exists()


@pytest.mark.parametrize("until", [dt.date(2027, 2, 8), dt.date.max])
def test_a_series_too_long_is_refused_before_any_date_is_built(until):
    with pytest.raises(ValidationError) as caught:
        services.series_days(MONDAY, until)
    assert caught.value.code == "series_too_long"
    assert len(services.series_days(MONDAY, dt.date(2027, 1, 25))) == 52


def test_a_day_beyond_any_horizon_is_refused_not_an_overflow(nomad, room):
    assert refusal(nomad, room, day=dt.date(9999, 12, 31)).code == "too_far"


def test_a_subject_with_an_apostrophe_arrives_as_written(
    nomad, site, django_capture_on_commit_callbacks
):
    lagora = SpaceFactory(site=site, name="L'Agora", capacity=100, hourly_rate=300)
    RoomRulesFactory(space=lagora)
    with django_capture_on_commit_callbacks(execute=True):
        book(nomad, lagora)
    assert "L'Agora" in mail.outbox[-1].subject
    assert "&#x27;" not in mail.outbox[-1].subject


# --- What PostgreSQL itself guards --------------------------------------------------------


def test_postgresql_keeps_the_booking_limits_on_the_slot_step(room):
    rules = room.booking_rules
    rules.min_minutes = 45  # the step is 30
    with pytest.raises(IntegrityError), transaction.atomic():
        rules.save()
    rules.refresh_from_db()
    rules.horizon_days = 3650
    with pytest.raises(IntegrityError), transaction.atomic():
        rules.save()


@pytest.mark.parametrize(
    ("fields", "constraint"),
    [
        ({"attendees": 0}, "room_booking_attendees_at_least_one"),
        ({"free_minutes": 121}, "room_booking_free_minutes_within_duration"),
    ],
)
def test_postgresql_refuses_a_booking_for_nobody_or_freer_than_it_lasts(
    nomad, room, fields, constraint
):
    start = dt.datetime(2026, 2, 2, 10, tzinfo=dt.UTC)
    during = DateTimeTZRange(start, start + dt.timedelta(hours=2))
    RoomBooking.objects.create(space=room, during=during, holder=nomad, free_minutes=120)
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        RoomBooking.objects.create(
            space=room,
            during=DateTimeTZRange(during.upper, during.upper + dt.timedelta(hours=2)),
            holder=nomad,
            **fields,
        )
    assert violated_constraint(caught.value) == constraint


def test_the_admin_explains_limits_off_the_step_and_validates_a_booking(nomad, room):
    """Model validation runs the same checks in Python: a form error, never a 500."""
    rules = room.booking_rules
    rules.min_minutes = 45
    with pytest.raises(ValidationError) as caught, translation.override("en"):
        rules.full_clean()
    with translation.override("en"):
        assert caught.value.messages == [
            "The shortest and longest bookings must be multiples of the slot step."
        ]
    booking = book(nomad, room)
    booking.title = "Renamed"
    booking.full_clean()
    booking.free_minutes = 500
    with pytest.raises(ValidationError):
        booking.full_clean()


def test_a_nomad_books_only_at_the_site_that_approved_them(nomad, other_room):
    """An audit found a nomad approved at Essaouira booking a Rabat room."""
    error = refusal(nomad, other_room)
    assert error.code == "other_site"
    assert not RoomBooking.objects.filter(holder=nomad).exists()


def test_a_resident_books_at_another_site_priced_there_without_its_free_hours(
    tenant_admin, company, site, other_room
):
    AllowanceFactory(company=company, site=site, hours_per_month=10)
    booking = book(tenant_admin, other_room, company=company)
    assert booking.free_minutes == 0
    assert booking.price == Decimal("300.00")  # 2 hours at the other site's 150 MAD


def test_the_use_read_with_the_locks_is_the_selectors_use(
    tenant_admin, nomad, company, room, other_room
):
    """The booking's one round trip sums the month's free minutes in plain SQL: it must
    count what ``selectors.free_minutes_used`` counts (active bookings of the company, in
    the local month, at the site), nothing else."""
    from coworking import selectors
    from coworking.services.rooms import _FreeHours

    AllowanceFactory(company=company, site=room.site, hours_per_month=10)
    AllowanceFactory(company=company, site=other_room.site, hours_per_month=10)
    book(tenant_admin, room, company=company, start="09:00", end="11:00")
    cancelled = book(tenant_admin, room, company=company, start="14:00", end="15:00")
    services.room_booking_cancel(actor=tenant_admin, booking=cancelled, now=NOW)
    book(tenant_admin, room, company=company, day=dt.date(2026, 3, 2))  # next month
    book(tenant_admin, room, company=company, day=dt.date(2026, 2, 27), start="15:00", end="16:00")
    book(tenant_admin, other_room, company=company)  # another site
    book(nomad, room, start="16:00", end="17:00")  # not for the company
    for day in (MONDAY, dt.date(2026, 3, 2), dt.date(2026, 4, 6)):
        with transaction.atomic():
            hours, _ = _FreeHours.locked(
                company, room.site_id, room=room.pk, days=[day], month_of=day
            )
        expected = selectors.free_minutes_used(company=company, site_ids=[room.site_id], day=day)
        assert hours.total == 600
        assert hours.used == {day.replace(day=1): expected.get(room.site_id, 0)}
    assert hours.used == {dt.date(2026, 4, 1): 0}
    with transaction.atomic():
        hours, _ = _FreeHours.locked(
            company, room.site_id, room=room.pk, days=[MONDAY], month_of=MONDAY
        )
    assert hours.used == {dt.date(2026, 2, 1): 120 + 60}  # 27 February counts, not the rest


@pytest.mark.parametrize(
    ("day", "code"), [(dt.date(9999, 12, 31), "too_far"), (dt.date(1, 1, 1), "past")]
)
def test_a_day_at_the_ends_of_the_calendar_is_refused_not_an_error(
    nomad, tenant_admin, company, room, day, code
):
    AllowanceFactory(company=company, site=room.site, hours_per_month=3)
    assert refusal(nomad, room, day=day).code == code
    assert refusal(tenant_admin, room, day=day, company=company).code == code


def test_a_series_starting_at_the_end_of_the_calendar_is_refused_not_an_error(
    tenant_admin, company, room
):
    AllowanceFactory(company=company, site=room.site, hours_per_month=3)
    with pytest.raises(services.SeriesConflictError) as caught:
        services.room_booking_series_create(
            actor=tenant_admin, space=room, first_day=dt.date(9999, 12, 31),
            until=dt.date(9999, 12, 31), start=T("10:00"), end=T("11:00"), company=company,
            now=NOW,
        )  # fmt: skip
    assert [day for day, _ in caught.value.conflicts] == [dt.date(9999, 12, 31)]
