"""Every URL pattern against every role: the whole access policy in one table.

The rows live in ``tests/matrix/<area>.py`` (see ``tests/matrix/__init__.py``
for the world and the notation). A URL pattern with no row fails
``test_every_url_pattern_has_a_row``.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.conftest import client_for
from tests.matrix import (
    HIDES,
    LOGIN,
    READ,
    ROLES,
    SHOWS,
    WRITE,
    alumni,
    billing,
    companies,
    coworking,
    events,
    foundation,
    jobs,
    kpi,
    network,
    offices,
    requests,
)
from tests.matrix.world import World

#: Every area's rows; a new area's module is added here.
AREAS = (
    foundation, jobs, companies, offices, requests, kpi, alumni, coworking, events, billing, network
)  # fmt: skip


def _collect_rows():
    rows, owner = {}, {}
    for area in AREAS:
        for key, url in area.ROWS.items():
            assert key not in rows, f"{key} has rows in {owner[key]} and {area.__name__}"
            rows[key], owner[key] = url, area.__name__
    return rows


MATRIX = _collect_rows()


def _patterns(resolvers, prefix="", namespace=""):
    for entry in resolvers:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _patterns(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name}" if entry.name else prefix + str(entry.pattern)


def test_every_url_pattern_has_a_row():
    patterns = set(_patterns(get_resolver().url_patterns))
    assert patterns - MATRIX.keys() == set(), "URL patterns missing from the matrix"
    assert MATRIX.keys() - patterns == set(), "matrix rows for URLs that no longer exist"


def _answer(response, expected, obj):
    status = response.status_code
    if expected == LOGIN:
        to_login = status == 302 and response["Location"].startswith("/accounts/login/")
        return LOGIN if to_login else status
    if expected in (WRITE, READ) and status == 200:
        return WRITE if b'name="_save"' in response.content else READ
    if expected in (SHOWS, HIDES) and status == 200:
        return SHOWS if obj in response.context["cl"].result_list else HIDES
    return status


@pytest.mark.django_db
@pytest.mark.parametrize("key", sorted(MATRIX))
def test_each_role_gets_what_the_matrix_says(key, request):
    world = World(request)
    url = MATRIX[key]
    path = url.build(world)
    obj = url.obj(world) if url.obj else None
    answers = {}
    for role in ROLES:
        client = client_for(world.people[role])
        if url.method == "post":
            response = client.post(path, url.data(world) if url.data else {})
        else:
            response = client.get(path)
        answers[role] = _answer(response, url.expect[role], obj)
        if response.streaming:
            # Read downloads to the end, which closes their files (close() would
            # also send request_finished and drop the test's connection).
            b"".join(response.streaming_content)
    assert answers == url.expect, path


ADMIN_KEYS = sorted(key for key in MATRIX if key.startswith("admin"))


@pytest.mark.django_db
@pytest.mark.parametrize("key", ADMIN_KEYS)
def test_staff_who_also_run_a_company_get_nothing_more_in_the_admin(key, request):
    """Site B's manager who is also company A's admin is, in the admin, site B's manager."""
    from tenants.models import CompanyRole
    from tests.factories import MembershipFactory

    world = World(request)
    person = world.people["other_site_staff"]
    MembershipFactory(company=world.company, user=person, role=CompanyRole.ADMIN)
    url = MATRIX[key]
    obj = url.obj(world) if url.obj else None
    client = client_for(person)
    path = url.build(world)
    if url.method == "post":
        response = client.post(path, url.data(world) if url.data else {})
    else:
        response = client.get(path)
    expected = url.expect["other_site_staff"]
    assert _answer(response, expected, obj) == expected, path
