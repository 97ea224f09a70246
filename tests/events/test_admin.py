"""The staff admin: drafts written there, published and cancelled through the services."""

import pytest
from django.urls import reverse

from coworking.models import RoomBooking
from events import services
from events.models import Event, EventStatus
from tests.conftest import client_for
from tests.events.conftest import NOW
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(NOW, tick=True)]


def _action(client, action, event):
    return client.post(
        reverse("admin:events_event_changelist"),
        {"action": action, "_selected_action": [event.pk]},
        follow=True,
    )


def test_staff_publish_then_cancel_an_event_from_the_list(make_event, site_staff, agora):
    event = make_event(publish=False)
    client = client_for(site_staff)

    _action(client, "publish", event)
    event.refresh_from_db()
    assert event.status == EventStatus.PUBLISHED
    assert RoomBooking.objects.filter(space=agora, status="confirmed").count() == 1

    _action(client, "cancel", event)
    event.refresh_from_db()
    assert event.status == EventStatus.CANCELLED
    assert not RoomBooking.objects.filter(space=agora, status="confirmed").exists()
    again = _action(client, "cancel", event)
    assert "already over" in again.content.decode() or "déjà terminé" in again.content.decode()


def test_seats_below_those_taken_are_refused_in_the_admin(make_event, site_staff):
    event = make_event(capacity=2)
    for _ in range(2):
        services.registration_create(event=event, user=UserFactory(), now=NOW)
    client = client_for(site_staff)
    url = reverse("admin:events_event_change", args=[event.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    values = {name: form[name].value() for name in form.fields if name != "cover"}
    data = {name: "" if value is None else value for name, value in values.items()}
    data.update(
        {
            "capacity": 1,
            "dates-TOTAL_FORMS": 0,
            "dates-INITIAL_FORMS": 0,
            "dates-MIN_NUM_FORMS": 0,
            "dates-MAX_NUM_FORMS": 52,
        }
    )

    refused = client.post(url, data)

    assert refused.status_code == 200
    assert list(refused.context["adminform"].form.errors) == ["capacity"]
    event.refresh_from_db()
    assert event.capacity == 2
    saved = client.post(url, data | {"capacity": 5})
    assert saved.status_code == 302, saved.context["adminform"].form.errors
    event.refresh_from_db()
    assert event.capacity == 5


def test_a_draft_added_in_the_admin_takes_its_site_from_its_room(site_staff, agora):
    client = client_for(site_staff)
    response = client.post(
        reverse("admin:events_event_add"),
        {
            "title": "Atelier UX",
            "kind": "workshop",
            "language": "fr",
            "room": agora.pk,
            "capacity": 20,
            "audience": "public",
            "program": "",
            "price": "0",
            "setup_minutes": 30,
            "teardown_minutes": 30,
            "dates-TOTAL_FORMS": 1,
            "dates-INITIAL_FORMS": 0,
            "dates-MIN_NUM_FORMS": 0,
            "dates-MAX_NUM_FORMS": 52,
            "dates-0-starts_at_0": "2026-02-10",
            "dates-0-starts_at_1": "10:00",
            "dates-0-ends_at_0": "2026-02-10",
            "dates-0-ends_at_1": "12:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    event = Event.objects.get()
    assert (event.site, event.status, event.created_by) == (agora.site, "draft", site_staff)
    assert event.starts_at is not None and event.slug
