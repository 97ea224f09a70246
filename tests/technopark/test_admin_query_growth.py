"""Admin pages keep a constant query count as their rows grow (2 then 52 of each kind)."""

import pytest
from django.urls import reverse

from tests.conftest import client_for
from tests.factories import MembershipFactory, SpaceFactory
from tests.matrix import ADMIN_MODELS
from tests.matrix.world import World
from tests.queries import counting_queries
from tests.technopark.test_permission_matrix import MATRIX  # noqa: F401 (fills ADMIN_MODELS)

pytestmark = pytest.mark.django_db


def _count(client, url) -> int:
    with counting_queries() as counted:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(counted)


def _new_versions(obj, count):
    for n in range(count):
        obj.name = f"{obj.name.split(' #')[0]} #{n}"
        obj.save()


@pytest.mark.parametrize("who", ["superuser", "site_staff"])
def test_a_history_page_does_not_grow_with_its_versions(site, who, request):
    client = client_for(request.getfixturevalue(who))
    space = SpaceFactory(site=site, name="Agora")
    url = reverse("admin:sites_space_history", args=[space.pk])
    _new_versions(space, 2)
    client.get(url)  # caches of the first request (content types) are not the page's cost
    few = _count(client, url)
    _new_versions(space, 50)
    assert _count(client, url) == few


HISTORY_MODELS = sorted(label for label, model in ADMIN_MODELS.items() if model.simple_history)


@pytest.mark.parametrize("label", HISTORY_MODELS)
def test_no_history_page_grows_with_its_versions(label, request):
    """Every model admin with versions: 3 versions, then 53, as the superuser and site staff."""
    world = World(request)
    obj = ADMIN_MODELS[label].get_obj(world)
    app, model = label.split(".")
    url = reverse(f"admin:{app}_{model}_history", args=[obj.pk])
    for who in ("superuser", "site_staff", "network_manager"):
        client = client_for(world.people[who])
        if client.get(url).status_code != 200:
            continue  # this role does not see the row; the matrix says so
        for _ in range(2):
            obj.save()
        few = _count(client, url)
        for _ in range(50):
            obj.save()
        many = _count(client, url)
        assert many == few, f"{url} as {who}: {few} queries at few versions, {many} at 50 more"


def _grow(build, count):
    for _ in range(count):
        build()


@pytest.mark.parametrize(
    ("page", "build"),
    [
        ("site_change", lambda w: SpaceFactory(site=w.site)),
        ("company_change", lambda w: MembershipFactory(company=w.company)),
        ("site_delete", lambda w: SpaceFactory(site=w.site)),
        ("company_delete", lambda w: MembershipFactory(company=w.company)),
    ],
)
def test_change_and_delete_pages_do_not_grow_with_their_related_rows(page, build, request):
    """As each role that opens the page (superuser, site staff, network manager)."""
    world = World(request)
    url = {
        "site_change": reverse("admin:sites_site_change", args=[world.site.pk]),
        "company_change": reverse("admin:tenants_company_change", args=[world.company.pk]),
        "site_delete": reverse("admin:sites_site_delete", args=[world.site.pk]),
        "company_delete": reverse("admin:tenants_company_delete", args=[world.company.pk]),
    }[page]
    opened = []
    for who in ("superuser", "site_staff", "network_manager"):
        client = client_for(world.people[who])
        if client.get(url).status_code != 200:
            continue  # this role does not open the page: the matrix says so
        opened.append(who)
        _grow(lambda: build(world), 2)
        few = _count(client, url)
        _grow(lambda: build(world), 50)
        many = _count(client, url)
        assert many == few, f"{url} as {who}: {few} queries with 2 more rows, {many} with 52"
    assert "superuser" in opened


def test_the_room_booking_list_and_its_room_filter_do_not_grow_with_the_rooms(request):
    import datetime as dt

    from django.db.backends.postgresql.psycopg_any import DateTimeTZRange

    from coworking.models import RoomBooking

    world = World(request)
    start = dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC)

    def room_with_a_booking(n=[0]):  # noqa: B006 (a counter across calls)
        n[0] += 1
        room = SpaceFactory(site=world.site)
        at = start + dt.timedelta(days=n[0])
        RoomBooking.objects.create(
            space=room,
            during=DateTimeTZRange(at, at + dt.timedelta(hours=1), "[)"),
            holder=world.tenant_member,
            booked_by=world.tenant_member,
            price=0,
        )

    url = reverse("admin:coworking_roombooking_changelist")
    for who in ("superuser", "site_staff", "network_manager"):
        client = client_for(world.people[who])
        _grow(room_with_a_booking, 2)
        few = _count(client, url), _count(client, url + "?status__exact=confirmed")
        _grow(room_with_a_booking, 50)
        many = _count(client, url), _count(client, url + "?status__exact=confirmed")
        assert many == few, f"{url} as {who}: {few} queries with 2 rooms, {many} with 52"
