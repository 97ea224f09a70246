"""Rows of the coworking area: public sign-up and calendars, the person's bookings, the front desk.

Decisions: the day and week calendars are public (who booked shows only to
those who may read the booking); the private feed answers whoever holds its
secret token; the person's own pages open to tenants and nomad members; the
front desk opens to the site's staff (network managers read it; changes need
a staff role at the object's site).
"""

import datetime as dt

from django.db.backends.postgresql.psycopg_any import DateRange, DateTimeTZRange
from django.utils import timezone

from coworking.models import (
    Allowance,
    BookingStatus,
    Desk,
    DeskReservation,
    DocumentRetention,
    NomadProfile,
    NomadStatus,
    OpeningHours,
    Pass,
    PassKind,
    PassPrice,
    PassStatus,
    RoomBooking,
    RoomRules,
)
from coworking.services import calendar_feed_reset
from sites.models import SpaceKind
from tests.factories import SpaceFactory, UserFactory
from tests.matrix import (
    ANONYMOUS,
    EDIT,
    HIDDEN,
    HIDDEN_BUT_ADDS,
    LOGIN,
    NONE,
    SHOWS,
    VIEW,
    WRITE,
    Url,
    admin_rows,
    everyone,
    named,
    row,
)

MEMBERS = row(LOGIN, 200, 200, 404, 404, 404, 404)
OWN_POST = row(LOGIN, 302, 404, 404, 404, 404, 404)
STAFF_READ = row(LOGIN, 404, 404, 200, 404, 200, 200)
STAFF_WRITE = row(LOGIN, 404, 404, 200, 404, 404, 200)
STAFF_POST = row(LOGIN, 404, 404, 302, 404, 404, 302)


def _rules(w):
    def build(w):
        rules = RoomRules.objects.create(space=w.space)
        for weekday in range(7):
            OpeningHours.objects.create(
                rules=rules, weekday=weekday, opens=dt.time(8), closes=dt.time(20)
            )
        return rules

    return w.memo("cw_rules", build)


def _desk(w):
    def build(w):
        area = SpaceFactory(
            site=w.site,
            kind=SpaceKind.COWORKING,
            name="Coworking",
            bookable=False,
            hourly_rate=None,
        )
        return Desk.objects.create(space=area, label="P01")

    return w.memo("cw_desk", build)


def _booking(w):
    """A pending booking of company A's admin, a month ahead, in site A's room."""

    def build(w):
        _rules(w)
        day = timezone.localdate() + dt.timedelta(days=30)
        start = dt.datetime.combine(day, dt.time(10), tzinfo=timezone.get_default_timezone())
        return RoomBooking.objects.create(
            space=w.space,
            during=DateTimeTZRange(start, start + dt.timedelta(hours=2)),
            status=BookingStatus.PENDING,
            holder=w.people["tenant_user"],
            company=w.company,
            booked_by=w.people["tenant_user"],
            title="Board meeting",
        )

    return w.memo("cw_booking", build)


def _tenant_pass(w):
    def build(w):
        today = timezone.localdate()
        return Pass.objects.create(
            holder=w.people["tenant_user"],
            site=w.site,
            company=w.company,
            kind=PassKind.MONTH,
            period=DateRange(today, today + dt.timedelta(days=30)),
            price=1200,
            status=PassStatus.ACTIVE,
        )

    return w.memo("cw_tenant_pass", build)


def _reservation(w):
    """Company A's admin holds site A's desk from today."""

    def build(w):
        desk_pass = _tenant_pass(w)
        return DeskReservation.objects.create(
            desk=_desk(w),
            holder=desk_pass.holder,
            company=w.company,
            desk_pass=desk_pass,
            period=desk_pass.period,
        )

    return w.memo("cw_reservation", build)


def _nomad(w):
    def build(w):
        return NomadProfile.objects.create(
            user=UserFactory(full_name="Nomade A"),
            site=w.site,
            nationality="Française",
            document_kind="passport",
            document_number="19FR12345",
            status=NomadStatus.PENDING,
        )

    return w.memo("cw_nomad", build)


def _nomad_pass(w):
    def build(w):
        today = timezone.localdate() + dt.timedelta(days=7)
        return Pass.objects.create(
            holder=_nomad(w).user,
            site=w.site,
            kind=PassKind.DAY,
            period=DateRange(today, today + dt.timedelta(days=1)),
            price=100,
        )

    return w.memo("cw_nomad_pass", build)


def _price(w):
    return w.memo(
        "cw_price", lambda w: PassPrice.objects.create(site=w.site, kind=PassKind.DAY, price=100)
    )


def _retention(w):
    return w.memo("cw_retention", lambda w: DocumentRetention.objects.create(site=w.site, days=30))


def _allowance(w):
    return w.memo(
        "cw_allowance",
        lambda w: Allowance.objects.create(company=w.company, site=w.site, hours_per_month=10),
    )


def _feed_token(w):
    """The secret token of company A's admin's feed (only its hash is stored)."""
    return w.memo("cw_feed", lambda w: calendar_feed_reset(actor=w.people["tenant_user"])[1])


def _site_with_desks(w):
    _desk(w)
    return w.site.slug


def _today(w):
    return {"day": timezone.localdate().isoformat()}


ROWS = {
    # Public pages.
    "coworking:join": Url(named("coworking:join", _site_with_desks), everyone(200)),
    "coworking:calendar_day": Url(
        named("coworking:calendar_day", lambda w: (_booking(w), w.site.slug)[1]), everyone(200)
    ),
    "coworking:calendar_week": Url(
        named("coworking:calendar_week", lambda w: (_booking(w), w.site.slug)[1]), everyone(200)
    ),
    # The secret token is the credential: whoever holds it reads the feed. A room's
    # feed names who booked: it stays behind the staff's login (see views/feeds.py).
    "coworking:user_feed": Url(named("coworking:user_feed", _feed_token), everyone(200)),
    "coworking:room_feed": Url(
        named("coworking:room_feed", lambda w: _rules(w).space_id), STAFF_READ
    ),
    # The person's own bookings: tenants (and nomad members) only.
    "coworking:my_bookings": Url(named("coworking:my_bookings"), MEMBERS),
    "coworking:room_book": Url(named("coworking:room_book"), MEMBERS),
    "coworking:room_search": Url(named("coworking:room_search"), MEMBERS),
    "coworking:desk_book": Url(named("coworking:desk_book"), MEMBERS),
    "coworking:pass_request": Url(named("coworking:pass_request"), MEMBERS),
    "coworking:feed": Url(named("coworking:feed"), MEMBERS),
    # Issuing an address answers with the page showing it, once (no redirect).
    "coworking:feed_reset": Url(
        named("coworking:feed_reset"), row(LOGIN, 200, 200, 404, 404, 404, 404), method="post"
    ),
    "coworking:room_cancel": Url(
        named("coworking:room_cancel", lambda w: _booking(w).pk), OWN_POST, method="post"
    ),
    "coworking:desk_cancel": Url(
        named("coworking:desk_cancel", lambda w: _reservation(w).pk), OWN_POST, method="post"
    ),
    "coworking:pass_cancel": Url(
        named("coworking:pass_cancel", lambda w: _tenant_pass(w).pk), OWN_POST, method="post"
    ),
    # The front desk.
    "coworking:frontdesk_home": Url(
        named("coworking:frontdesk_home"), row(LOGIN, 404, 404, 302, 302, 200, 200)
    ),
    "coworking:frontdesk": Url(
        named("coworking:frontdesk", lambda w: (_reservation(w), w.site.slug)[1]), STAFF_READ
    ),
    "coworking:approvals": Url(
        named("coworking:approvals", lambda w: (_booking(w), _nomad_pass(w), w.site.slug)[2]),
        STAFF_READ,
    ),
    "coworking:staff_book": Url(named("coworking:staff_book", lambda w: w.site.slug), STAFF_WRITE),
    "coworking:desk_assign": Url(
        named("coworking:desk_assign", lambda w: w.site.slug), STAFF_WRITE
    ),
    "coworking:checkin": Url(
        named("coworking:checkin", lambda w: _reservation(w).pk),
        STAFF_POST,
        method="post",
        data=_today,
    ),
    "coworking:no_show": Url(
        named("coworking:no_show", lambda w: _reservation(w).pk),
        STAFF_POST,
        method="post",
        data=_today,
    ),
    "coworking:booking_approve": Url(
        named("coworking:booking_approve", lambda w: _booking(w).pk), STAFF_POST, method="post"
    ),
    "coworking:booking_reject": Url(
        named("coworking:booking_reject", lambda w: _booking(w).pk), STAFF_POST, method="post"
    ),
    "coworking:nomad_approve": Url(
        named("coworking:nomad_approve", lambda w: _nomad(w).pk), STAFF_POST, method="post"
    ),
    "coworking:nomad_reject": Url(
        named("coworking:nomad_reject", lambda w: _nomad(w).pk), STAFF_POST, method="post"
    ),
    "coworking:pass_approve": Url(
        named("coworking:pass_approve", lambda w: _nomad_pass(w).pk), STAFF_POST, method="post"
    ),
    "coworking:pass_reject": Url(
        named("coworking:pass_reject", lambda w: _nomad_pass(w).pk), STAFF_POST, method="post"
    ),
}

# --- Model admins -----------------------------------------------------------------------

SETTINGS = {
    "anonymous": ANONYMOUS,
    "tenant_user": NONE,
    "other_company_user": NONE,
    "site_staff": EDIT,
    "other_site_staff": HIDDEN_BUT_ADDS,
    "network_manager": VIEW,
    "superuser": EDIT,
}
# Created by the services (portal, sign-up, front desk); the admin lists and reads them.
RECORDS = {
    "anonymous": ANONYMOUS,
    "tenant_user": NONE,
    "other_company_user": NONE,
    "site_staff": (SHOWS, 404, WRITE, 404, 200),
    "other_site_staff": HIDDEN,
    "network_manager": VIEW,
    "superuser": (SHOWS, 404, WRITE, 404, 200),
}

ROWS |= admin_rows("coworking.desk", _desk, SETTINGS)
ROWS |= admin_rows("coworking.roomrules", _rules, SETTINGS)
ROWS |= admin_rows("coworking.passprice", _price, SETTINGS)
# Site managers set it (front desk reads it); nobody deletes it (the default would come back).
ROWS |= admin_rows(
    "coworking.documentretention",
    _retention,
    SETTINGS | {"site_staff": (SHOWS, 200, WRITE, 404, 200)},
)
ROWS |= admin_rows("coworking.allowance", _allowance, SETTINGS)
ROWS |= admin_rows(
    "coworking.nomadprofile", _nomad, RECORDS | {"superuser": (SHOWS, 404, WRITE, 200, 200)}
)
ROWS |= admin_rows("coworking.pass", _tenant_pass, RECORDS)
ROWS |= admin_rows("coworking.deskreservation", _reservation, RECORDS)
ROWS |= admin_rows("coworking.roombooking", _booking, RECORDS)
