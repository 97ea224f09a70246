"""A row's change history reads as a person writes it: labels, choices, names, local times."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import translation
from simple_history.models import DeletedObject

from sites.models import Space, SpaceKind
from technopark.clock import local_datetime
from technopark.history import EMPTY, readable_value
from technopark.models import User
from tenants.models import ApplicationStatus, OfficeApplication
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def _field(model, name):
    return model._meta.get_field(name)


def test_values_read_as_the_admin_shows_them():
    status = _field(OfficeApplication, "status")
    with translation.override("fr"):
        assert readable_value(status, ApplicationStatus.ACCEPTED) == "Acceptée"
        assert readable_value(_field(Space, "bookable"), True) == "oui"
        moment = local_datetime(dt.date(2026, 12, 1), dt.time(9, 5)).astimezone(dt.UTC)
        assert readable_value(_field(OfficeApplication, "decided_at"), moment).startswith(
            "1 décembre 2026 09:05"
        )
        # simple-history's name for an empty reference: "Deleted utilisateur (pk=None)".
        assert (
            readable_value(_field(OfficeApplication, "decided_by"), DeletedObject(User, None))
            == EMPTY
        )
        assert readable_value(_field(Space, "description"), "") == EMPTY
        assert readable_value(None, 2026) == "2026"


def test_the_history_page_names_fields_choices_people_and_local_times(site, site_staff):
    space = Space.objects.create(site=site, kind=SpaceKind.MEETING_ROOM, name="Salle Mogador")
    space.kind = SpaceKind.TRAINING_ROOM
    space.bookable, space.hourly_rate = True, 150
    space._history_user = site_staff
    space.save()
    client = client_for(site_staff)
    client.cookies["django_language"] = "fr"
    html = client.get(reverse("admin:sites_space_history", args=[space.pk])).content.decode()
    assert "<strong>Type</strong>" in html  # the field by its label
    assert str(site_staff) in html  # the person by name
    assert "meeting_room" not in html and "training_room" not in html
    assert "Salle de formation" in html  # the choice's label
    assert "pk=None" not in html
    # Times as the locale writes them; ISO only in the machine-read attribute.
    assert re.search(r">\s*\d{4}-\d{2}-\d{2}", html) is None
    assert re.search(r'<time datetime="[^"]+">\d{1,2} \w+ \d{4} \d{2}:\d{2}</time>', html)
