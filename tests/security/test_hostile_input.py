"""No server error, ever, on bad input: every URL of the matrix, hostile values everywhere.

Each URL pattern is opened with hostile query strings, and every POST form a
role is shown is submitted with hostile values in each of its fields, by the
roles that reach it. Any 5xx fails. Found by an outside audit: a non-numeric
autocomplete key (``?site=abc``), a 308-character e-mail, a relative link
under ``/history/``, all of which gave 500.
"""

import itertools

import pytest

from tests.conftest import client_for
from tests.matrix import ROLES
from tests.matrix.world import World
from tests.security.test_admin_writes import _drain, _read_page
from tests.technopark.test_permission_matrix import MATRIX

#: Values a careless or hostile client sends.
HOSTILE = [
    "x" * 10_000,
    "a\x00b",
    "\u202eevil\u202c",
    "-1",
    "99999999999999999999",
    "2026-02-30",
    "31/12/99999",
    "25:61",
    "abc",
    "",
    "<script>alert(1)</script>",
    "1e309",
    "0",
    "' OR 1=1 --",
]

QUERIES = [
    "page=-1&site=abc&space=%00&service=1x&day=2026-02-30&week=abc&quarter=2%20026-2",
    "page=abc&q=" + "x" * 5000 + "&date=garbage&from=31%2F12%2F99999&to=&status=%E2%80%AE",
    "page=99999999999999999999&month=13&year=-1&start=25%3A61&company=0&o=x.-9",
]

GET_KEYS = sorted(key for key, url in MATRIX.items() if url.method == "get")


@pytest.mark.django_db
@pytest.mark.parametrize("key", GET_KEYS)
def test_no_hostile_query_string_gives_a_server_error(key, request):
    world = World(request)
    path = MATRIX[key].build(world)
    joiner = "&" if "?" in path else "?"
    for role in ("anonymous", "tenant_user", "site_staff", "superuser"):
        client = client_for(world.people[role])
        for query in QUERIES:
            response = client.get(f"{path}{joiner}{query}")
            _drain(response)
            assert response.status_code < 500, (role, path, query)


def _forms_shown(client, path):
    page = _read_page(client, path)
    return page if page is not None and page.found else None


@pytest.mark.django_db
@pytest.mark.parametrize("key", GET_KEYS)
def test_no_hostile_form_submission_gives_a_server_error(key, request):
    world = World(request)
    url = MATRIX[key]
    path = url.build(world)
    for role in ROLES:
        if url.expect[role] in (404, 405, 302, "LOGIN"):
            continue
        client = client_for(world.people[role])
        form = _forms_shown(client, path)
        if form is None:
            continue
        names = sorted({name for name, _ in form.data if name != "csrfmiddlewaretoken"})
        values = itertools.cycle(HOSTILE)
        for _round in range(3):
            posted = {name: next(values) for name in names}
            response = client.post(path, posted)
            _drain(response)
            assert response.status_code < 500, (role, path, posted)
        # The same form twice in a row, as a double click sends it.
        honest = dict(form.data)
        for _ in range(2):
            response = client.post(path, honest)
            _drain(response)
            assert response.status_code < 500, (role, path, "repeated")
        break  # one role per page: the forms differ little between roles
