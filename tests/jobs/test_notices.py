"""Notices about work waiting: by e-mail or in the next morning's digest, as each person chose."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from coworking import services as coworking
from sites.models import SpaceKind, StaffRole
from technopark import mail as technopark_mail
from technopark.models import DigestEntry, Notice, NotificationMode
from tests.conftest import client_for
from tests.factories import SpaceFactory, StaffAssignmentFactory, UserFactory
from tests.factories.coworking import NomadProfileFactory, RoomRulesFactory

NOW = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)  # a Monday
WEDNESDAY = dt.date(2026, 1, 7)
MORNING = dt.datetime(2026, 1, 6, 7, 30, tzinfo=dt.UTC)  # the next digest

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(NOW, tick=True)]


@pytest.fixture
def agora(site):
    space = SpaceFactory(
        site=site, name="Agora", kind=SpaceKind.AGORA, capacity=200, hourly_rate=500
    )
    RoomRulesFactory(space=space, needs_approval=True)
    return space


@pytest.fixture
def front_desk(site):
    """Staff of site A who decides on bookings and chose the daily digest."""
    person = StaffAssignmentFactory(site=site, role=StaffRole.FRONT_DESK).user
    person.notification_mode = NotificationMode.DIGEST
    person.save()
    return person


def _book_the_agora(agora):
    nomad = NomadProfileFactory(site=agora.site, user=UserFactory(full_name="Lina Haddad")).user
    return coworking.room_booking_create(
        actor=nomad,
        space=agora,
        day=WEDNESDAY,
        start=dt.time(10),
        end=dt.time(12),
        now=NOW,
    )


def test_a_booking_waiting_for_approval_reaches_each_decider_as_they_chose(
    agora, site_staff, front_desk, other_site_staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        booking = _book_the_agora(agora)
    notices = [m for m in mail.outbox if m.to != [booking.holder.email]]
    (notice,) = notices  # the manager, by e-mail; the front desk waits for the digest
    assert notice.to == [site_staff.email]
    assert "Agora" in notice.subject and "Lina Haddad" in notice.body
    assert reverse("coworking:approvals", args=[agora.site.slug]) in notice.body
    (entry,) = DigestEntry.objects.all()
    assert entry.user == front_desk and entry.template == "coworking_booking_pending"

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert technopark_mail.digests_queue(now=MORNING) == 1
    (digest,) = mail.outbox
    assert digest.to == [front_desk.email]
    assert notice.subject in digest.body  # the same line, in the digest
    assert reverse("coworking:approvals", args=[agora.site.slug]) in digest.body
    assert 'href="' in digest.alternatives[0][0]


def test_a_notice_goes_in_one_digest_only(agora, front_desk, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _book_the_agora(agora)
        technopark_mail.digests_queue(now=MORNING)
    digests = [m for m in mail.outbox if m.to == [front_desk.email]]
    with django_capture_on_commit_callbacks(execute=True):
        assert technopark_mail.digests_queue(now=MORNING + dt.timedelta(days=1)) == 0
    assert [m for m in mail.outbox if m.to == [front_desk.email]] == digests
    assert len(digests) == 1


def test_a_digest_leaves_out_what_was_deleted_since(
    agora, front_desk, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        booking = _book_the_agora(agora)
    DigestEntry.objects.create(
        user=front_desk,
        template="request_overdue",
        context={"service_request": {"$model": "tenants.servicerequest", "pk": 0}},
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        technopark_mail.digests_queue(now=MORNING)
    (digest,) = mail.outbox
    assert booking.space.name in digest.body
    assert digest.body.count("\n- ") == 1


def test_a_notice_given_once_is_not_given_again(site_staff, django_capture_on_commit_callbacks):
    context = {"site": site_staff.staff_assignments.get().site, "url": "/"}
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            technopark_mail.notify(
                [site_staff], "coworking_nomad_signup_existing", context, once="test:1"
            )
            == 1
        )
        assert (
            technopark_mail.notify(
                [site_staff], "coworking_nomad_signup_existing", context, once="test:1"
            )
            == 0
        )
    assert len(mail.outbox) == 1


def test_with_nobody_to_tell_the_notice_waits_for_someone(django_capture_on_commit_callbacks):
    assert technopark_mail.notify([], "team_invitation", {}, once="test:2") == 0
    assert not Notice.objects.filter(key="test:2").exists()


def test_a_person_chooses_the_daily_digest_on_their_notices_page(site_staff):
    client = client_for(site_staff)
    page = client.get(reverse("notification_settings"))
    assert b'value="digest"' in page.content
    response = client.post(reverse("notification_settings"), {"mode": "digest"})
    assert response.status_code == 302
    site_staff.refresh_from_db()
    assert site_staff.notification_mode == NotificationMode.DIGEST


def test_a_mode_that_does_not_exist_changes_nothing(site_staff):
    response = client_for(site_staff).post(reverse("notification_settings"), {"mode": "pigeon"})
    assert response.status_code == 200
    site_staff.refresh_from_db()
    assert site_staff.notification_mode == NotificationMode.EMAIL


def test_the_service_refuses_an_unknown_mode_with_a_code(site_staff):
    from django.core.exceptions import ValidationError

    from technopark.services import user_set_notification_mode

    with pytest.raises(ValidationError) as refused:
        user_set_notification_mode(user=site_staff, mode="pigeon")
    assert refused.value.code == "unknown_mode"
    site_staff.refresh_from_db()
    assert site_staff.notification_mode == NotificationMode.EMAIL
