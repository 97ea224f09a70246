"""Passes, desk reservations, fixed desks and the front desk's check-ins."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.backends.postgresql.psycopg_any import DateRange

from coworking import services
from coworking.models import (
    CheckInStatus,
    DeskReservation,
    NomadStatus,
    Pass,
    PassKind,
    PassStatus,
    ReservationStatus,
)
from sites.models import Closure
from technopark.db import violated_constraint
from tests.coworking.conftest import NOW
from tests.factories.coworking import NomadProfileFactory, PassFactory

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 2, 2)


def reserve(actor, desk_pass, first=MONDAY, last=None):
    return services.desk_reservation_create(
        actor=actor, desk_pass=desk_pass, first_day=first, last_day=last, now=NOW
    )


# --- Passes -----------------------------------------------------------------------------


def test_a_tenants_pass_is_active_at_once_and_billed_to_the_company(
    tenant_member, company, site, prices, make_desks
):
    make_desks(3)
    desk_pass = services.pass_request(
        actor=tenant_member, site=site, kind=PassKind.DAY, start=MONDAY, company=company, now=NOW
    )
    assert desk_pass.status == PassStatus.ACTIVE
    assert desk_pass.price == Decimal("100.00") and desk_pass.company == company
    assert (desk_pass.first_day, desk_pass.last_day) == (MONDAY, MONDAY)


def test_a_nomads_pass_waits_for_the_front_desk(nomad, site, prices, make_desks, site_staff):
    make_desks(3)
    desk_pass = services.pass_request(
        actor=nomad, site=site, kind=PassKind.MONTH, start=dt.date(2026, 1, 31), now=NOW
    )
    assert desk_pass.status == PassStatus.REQUESTED
    assert (desk_pass.first_day, desk_pass.last_day) == (dt.date(2026, 1, 31), dt.date(2026, 2, 27))
    services.pass_approve(actor=site_staff, desk_pass=desk_pass, now=NOW)
    desk_pass.refresh_from_db()
    assert desk_pass.status == PassStatus.ACTIVE


def test_a_week_pass_is_five_working_days(nomad, site, prices, make_desks):
    make_desks(1)
    Closure.objects.create(site=None, date=dt.date(2026, 2, 4), name="Jour férié")
    desk_pass = services.pass_request(
        actor=nomad, site=site, kind=PassKind.WEEK, start=MONDAY, now=NOW
    )
    # Mon 2, Tue 3, (Wed 4 closed), Thu 5, Fri 6, (weekend), Mon 9.
    assert desk_pass.last_day == dt.date(2026, 2, 9)


def test_a_pass_of_a_pending_nomad_is_approved_only_after_the_member(
    pending_nomad, site, prices, make_desks, site_staff
):
    make_desks(1)
    desk_pass = services.pass_request(
        actor=pending_nomad, site=site, kind=PassKind.DAY, start=MONDAY, now=NOW
    )
    with pytest.raises(ValidationError) as caught:
        services.pass_approve(actor=site_staff, desk_pass=desk_pass, now=NOW)
    assert caught.value.code == "member_not_approved"
    desk_pass.refresh_from_db()
    assert desk_pass.status == PassStatus.REQUESTED
    services.nomad_approve(actor=site_staff, profile=pending_nomad.nomad_profile, now=NOW)
    services.pass_approve(actor=site_staff, desk_pass=desk_pass, now=NOW)


def test_a_pass_needs_a_price_desks_and_a_working_day(nomad, site, make_desks):
    with pytest.raises(ValidationError) as no_desks:
        services.pass_request(actor=nomad, site=site, kind=PassKind.DAY, start=MONDAY, now=NOW)
    make_desks(1)
    with pytest.raises(ValidationError) as no_price:
        services.pass_request(actor=nomad, site=site, kind=PassKind.DAY, start=MONDAY, now=NOW)
    assert (no_desks.value.code, no_price.value.code) == ("no_desks", "no_price")
    assert not Pass.objects.exists()


def test_one_person_holds_one_pass_per_site_and_day(nomad, site, prices, make_desks):
    make_desks(1)
    services.pass_request(actor=nomad, site=site, kind=PassKind.WEEK, start=MONDAY, now=NOW)
    with pytest.raises(ValidationError) as caught:
        services.pass_request(
            actor=nomad, site=site, kind=PassKind.DAY, start=dt.date(2026, 2, 4), now=NOW
        )
    assert caught.value.code == "overlap"
    assert Pass.objects.filter(holder=nomad).count() == 1


def test_a_rejected_member_cannot_ask_for_a_pass(site, prices, make_desks):
    make_desks(1)
    rejected = NomadProfileFactory(site=site, status=NomadStatus.REJECTED).user
    with pytest.raises(ValidationError):
        services.pass_request(actor=rejected, site=site, kind=PassKind.DAY, start=MONDAY, now=NOW)
    assert not Pass.objects.exists()


# --- Desk reservations ------------------------------------------------------------------


def test_a_pass_holder_gets_a_free_hot_desk(nomad, nomad_pass, make_desks):
    fixed, *hot = make_desks(3)
    fixed.fixed = True
    fixed.save()
    reservation = reserve(nomad, nomad_pass, MONDAY, dt.date(2026, 2, 6))
    assert reservation.desk in hot
    assert (reservation.first_day, reservation.last_day) == (MONDAY, dt.date(2026, 2, 6))


def test_the_coworking_answers_full_when_no_desk_is_free(nomad, nomad_pass, site, make_desks):
    make_desks(1)
    other = PassFactory(site=site, period=nomad_pass.period)
    reserve(other.holder, other)
    with pytest.raises(services.DeskFullError) as caught:
        reserve(nomad, nomad_pass)
    assert caught.value.code == "full"
    # Another day is free.
    assert reserve(nomad, nomad_pass, dt.date(2026, 2, 3)).first_day == dt.date(2026, 2, 3)


def test_one_person_holds_one_desk_a_day(nomad, nomad_pass, make_desks):
    make_desks(3)
    reserve(nomad, nomad_pass)
    with pytest.raises(ValidationError) as caught:
        reserve(nomad, nomad_pass)
    assert caught.value.code == "holder_taken"
    assert DeskReservation.objects.count() == 1


@pytest.mark.parametrize(
    ("first", "last", "code"),
    [
        (dt.date(2026, 1, 2), None, "past"),
        (dt.date(2026, 3, 2), None, "outside_pass"),
        (dt.date(2026, 2, 27), dt.date(2026, 3, 2), "outside_pass"),
        (dt.date(2026, 2, 7), None, "closed_day"),
        (dt.date(2026, 2, 6), dt.date(2026, 2, 5), "end_before_start"),
    ],
)
def test_bad_desk_days_are_refused_and_nothing_is_saved(
    nomad, nomad_pass, make_desks, first, last, code
):
    make_desks(2)
    with pytest.raises(ValidationError) as caught:
        reserve(nomad, nomad_pass, first, last)
    assert caught.value.code == code
    assert not DeskReservation.objects.exists()


def test_someone_elses_pass_cannot_be_used(tenant_admin, nomad_pass, make_desks):
    make_desks(2)
    with pytest.raises(PermissionDenied):
        reserve(tenant_admin, nomad_pass)
    assert not DeskReservation.objects.exists()


def test_a_requested_pass_does_not_reserve_yet(nomad, nomad_pass, make_desks):
    make_desks(2)
    nomad_pass.status = PassStatus.REQUESTED
    nomad_pass.save()
    with pytest.raises(ValidationError) as caught:
        reserve(nomad, nomad_pass)
    assert caught.value.code == "pass_not_active"
    assert not DeskReservation.objects.exists()


def test_postgresql_itself_forbids_two_reservations_of_a_desk_on_a_day(nomad, make_desks, site):
    (desk,) = make_desks(1)
    other = PassFactory(site=site).holder
    DeskReservation.objects.create(
        desk=desk, holder=nomad, period=DateRange(MONDAY, MONDAY + dt.timedelta(days=3))
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        DeskReservation.objects.create(
            desk=desk,
            holder=other,
            period=DateRange(MONDAY + dt.timedelta(days=2), MONDAY + dt.timedelta(days=4)),
        )
    # Back to back is fine; so is a cancelled reservation.
    DeskReservation.objects.create(
        desk=desk,
        holder=other,
        period=DateRange(MONDAY + dt.timedelta(days=3), MONDAY + dt.timedelta(days=4)),
    )
    DeskReservation.objects.create(
        desk=desk,
        holder=other,
        period=DateRange(MONDAY, MONDAY + dt.timedelta(days=1)),
        status=ReservationStatus.CANCELLED,
    )


def test_staff_assign_a_fixed_desk_for_a_period(site_staff, tenant_member, make_desks):
    desk, _other = make_desks(2)
    desk.fixed = True
    desk.save()
    reservation = services.desk_assign(
        actor=site_staff,
        desk=desk,
        holder=tenant_member,
        first_day=MONDAY,
        last_day=dt.date(2026, 6, 30),
        now=NOW,
    )
    assert reservation.desk == desk and reservation.desk_pass is None
    with pytest.raises(ValidationError) as caught:
        services.desk_assign(
            actor=site_staff,
            desk=desk,
            holder=site_staff,
            first_day=dt.date(2026, 3, 2),
            last_day=dt.date(2026, 3, 2),
            now=NOW,
        )
    assert caught.value.code == "taken"
    assert DeskReservation.objects.filter(desk=desk).count() == 1


def test_staff_of_another_site_cannot_assign_its_desks(other_site_staff, tenant_member, make_desks):
    (desk,) = make_desks(1)
    with pytest.raises(PermissionDenied):
        services.desk_assign(
            actor=other_site_staff,
            desk=desk,
            holder=tenant_member,
            first_day=MONDAY,
            last_day=MONDAY,
            now=NOW,
        )
    assert not DeskReservation.objects.exists()


def test_the_holder_cancels_before_the_first_day_only(nomad, nomad_pass, make_desks, site_staff):
    make_desks(1)
    reservation = reserve(nomad, nomad_pass)
    on_the_day = dt.datetime(2026, 2, 2, 9, tzinfo=dt.UTC)
    with pytest.raises(ValidationError):
        services.desk_reservation_cancel(actor=nomad, reservation=reservation, now=on_the_day)
    services.desk_reservation_cancel(actor=site_staff, reservation=reservation, now=on_the_day)
    reservation.refresh_from_db()
    assert reservation.status == ReservationStatus.CANCELLED


def test_cancelling_a_pass_gives_its_desks_back(nomad, nomad_pass, make_desks):
    make_desks(1)
    reservation = reserve(nomad, nomad_pass)
    services.pass_cancel(actor=nomad, desk_pass=nomad_pass, now=NOW)
    reservation.refresh_from_db()
    assert reservation.status == ReservationStatus.CANCELLED


# --- Check-ins --------------------------------------------------------------------------


def test_the_front_desk_records_arrivals_and_no_shows_on_the_day(
    nomad, nomad_pass, make_desks, site_staff
):
    make_desks(1)
    reservation = reserve(nomad, nomad_pass, MONDAY, dt.date(2026, 2, 3))
    monday_noon = dt.datetime(2026, 2, 2, 12, tzinfo=dt.UTC)
    with pytest.raises(ValidationError) as caught:
        services.desk_checkin_record(
            actor=site_staff,
            reservation=reservation,
            day=dt.date(2026, 2, 3),
            status=CheckInStatus.PRESENT,
            now=monday_noon,
        )
    assert caught.value.code == "future"
    services.desk_checkin_record(
        actor=site_staff,
        reservation=reservation,
        day=MONDAY,
        status=CheckInStatus.NO_SHOW,
        now=monday_noon,
    )
    checkin = services.desk_checkin_record(
        actor=site_staff,
        reservation=reservation,
        day=MONDAY,
        status=CheckInStatus.PRESENT,
        now=monday_noon,
    )
    assert checkin.status == CheckInStatus.PRESENT
    assert reservation.checkins.count() == 1


def test_staff_of_another_site_cannot_check_in(nomad, nomad_pass, make_desks, other_site_staff):
    make_desks(1)
    reservation = reserve(nomad, nomad_pass)
    with pytest.raises(PermissionDenied):
        services.desk_checkin_record(
            actor=other_site_staff,
            reservation=reservation,
            day=MONDAY,
            status=CheckInStatus.PRESENT,
            now=dt.datetime(2026, 2, 2, 12, tzinfo=dt.UTC),
        )
    assert not reservation.checkins.exists()


# --- Horizons: no date so far ahead that it overflows ---------------------------------------


@pytest.mark.parametrize("start", [dt.date(2027, 1, 11), dt.date(9999, 12, 1)])
def test_a_pass_starts_at_most_a_year_ahead(nomad, site, prices, make_desks, start):
    make_desks(1)
    with pytest.raises(ValidationError) as caught:
        services.pass_request(actor=nomad, site=site, kind=PassKind.MONTH, start=start, now=NOW)
    assert caught.value.code == "too_far"
    assert not Pass.objects.exists()
    year_ahead = dt.date(2027, 1, 4)  # a Monday, 364 days after NOW
    assert (
        services.pass_request(
            actor=nomad, site=site, kind=PassKind.DAY, start=year_ahead, now=NOW
        ).first_day
        == year_ahead
    )


def test_a_desk_is_assigned_at_most_two_years_ahead(site_staff, tenant_member, make_desks):
    (desk,) = make_desks(1)
    with pytest.raises(ValidationError) as caught:
        services.desk_assign(
            actor=site_staff,
            desk=desk,
            holder=tenant_member,
            first_day=MONDAY,
            last_day=dt.date(9999, 12, 31),
            now=NOW,
        )
    assert caught.value.code == "too_far"
    assert not DeskReservation.objects.exists()


# --- Isolation ------------------------------------------------------------------------------


def test_another_person_cannot_cancel_a_pass_or_its_desk(nomad, nomad_pass, make_desks, site):
    make_desks(1)
    reservation = reserve(nomad, nomad_pass)
    stranger = NomadProfileFactory(site=site).user
    with pytest.raises(PermissionDenied):
        services.desk_reservation_cancel(actor=stranger, reservation=reservation, now=NOW)
    with pytest.raises(PermissionDenied):
        services.pass_cancel(actor=stranger, desk_pass=nomad_pass, now=NOW)
    nomad_pass.refresh_from_db()
    reservation.refresh_from_db()
    assert (nomad_pass.status, reservation.status) == (PassStatus.ACTIVE, ReservationStatus.ACTIVE)


def test_another_sites_staff_cannot_decide_a_pass_or_a_nomad(
    pending_nomad, site, prices, make_desks, other_site_staff
):
    make_desks(1)
    desk_pass = services.pass_request(
        actor=pending_nomad, site=site, kind=PassKind.DAY, start=MONDAY, now=NOW
    )
    for decide in (services.pass_approve, services.pass_reject):
        with pytest.raises(PermissionDenied):
            decide(actor=other_site_staff, desk_pass=desk_pass, now=NOW)
    for decide in (services.nomad_approve, services.nomad_reject):
        with pytest.raises(PermissionDenied):
            decide(actor=other_site_staff, profile=pending_nomad.nomad_profile, now=NOW)
    desk_pass.refresh_from_db()
    pending_nomad.nomad_profile.refresh_from_db()
    assert (desk_pass.status, pending_nomad.nomad_profile.status) == (
        PassStatus.REQUESTED,
        NomadStatus.PENDING,
    )


# --- What PostgreSQL itself guards --------------------------------------------------------


def test_postgresql_refuses_a_passport_number_out_of_format(site):
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        NomadProfileFactory(site=site, document_kind="passport", document_number="ab-12")
    assert violated_constraint(caught.value) == "nomad_passport_format"
    NomadProfileFactory(site=site, document_kind="passport", document_number="19FR12345")
