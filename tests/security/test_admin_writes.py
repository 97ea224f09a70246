"""No role writes through an admin URL it may not write to: every admin URL pattern, POSTed.

The permission matrix GETs every URL; here every admin URL pattern of the
matrix is POSTed by every role that may not write through it, with a payload
that would write (the form the superuser gets on that page, the changelist's
actions on site A's object, a confirmed delete), and the whole database must be
unchanged afterwards: every table's rows, history and admin log included.
Where the superuser may write, the same payload posted by the superuser must
change something, so that a payload the admin would reject anyway cannot make
this test pass.

A new admin URL pattern gets a row in the matrix (``test_permission_matrix``
fails otherwise), and with it a case here: model admins through
``admin_rows``, other admin pages by the roles their row lets in.
"""

import re
from html.parser import HTMLParser

import pytest
from django.db import connection

from tests.conftest import client_for
from tests.matrix import ADMIN_MODELS, LOGIN, READ, ROLES
from tests.matrix.world import World
from tests.technopark.test_permission_matrix import MATRIX

ADMIN_KEYS = sorted(key for key in MATRIX if key.startswith("admin"))

MODEL_VIEW = re.compile(
    r"^admin:(?P<app>[a-z]+)_(?P<model>[a-z]+)_"
    r"(?P<view>changelist|add|change|delete|history|simple_history)$"
)

#: Admin pages that only read, or redirect: a POST must change nothing, for anyone.
READ_ONLY_PAGES = {
    "admin:index",
    "admin:app_list",
    "admin:jsi18n",
    "admin:autocomplete",
    "admin:login",
    "admin:password_change_done",
    "admin:view_on_site",
    "admin:tenants_attestation_pdf",
    "admin:tenants_kpireport_late",
    "admin:tenants_officeapplication_document",
    "admin:tenants_servicerequest_attachment",
    "admin/(?P<url>.*)$",
}

#: Tables a POST may touch without writing anything of the product's.
IGNORED_TABLES = {"django_session"}


def _fingerprint() -> dict[str, str]:
    """One checksum per table over all its rows: any insert, update or delete shows."""
    quote = connection.ops.quote_name
    tables = sorted(set(connection.introspection.table_names()) - IGNORED_TABLES)
    sql = " UNION ALL ".join(
        # Names from the database's own catalogue, not from input.
        f"SELECT '{table}', md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), ''))"  # noqa: S608
        f" FROM {quote(table)} t"
        for table in tables
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(cursor.fetchall())


def _changed(before, after) -> list[str]:
    return sorted(table for table in before if before[table] != after.get(table))


class _FormReader(HTMLParser):
    """The fields of the page's main POST form, as a browser would submit them."""

    def __init__(self, action_path):
        super().__init__()
        self.action_path = action_path
        self.in_form = self.done = False
        self.data: list[tuple[str, str]] = []
        self.found = False
        self._select = None
        self._select_value = None
        self._select_first = None
        self._textarea = None
        self.actions: list[str] = []
        self._in_action_select = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "select" and attrs.get("name") == "action":
            self._in_action_select = True
        if self._in_action_select and tag == "option" and attrs.get("value"):
            self.actions.append(attrs["value"])
        if self.done:
            return
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            action = attrs.get("action") or ""
            if "logout" not in action and action in ("", self.action_path):
                self.in_form = self.found = True
            return
        if not self.in_form:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "file", "reset"):
                if kind == "submit" and name == "_save":
                    self.data.append((name, attrs.get("value") or "Save"))
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.data.append((name, attrs.get("value") or ("on" if kind == "checkbox" else "")))
        elif tag == "select" and name and name != "action":
            self._select, self._select_value, self._select_first = name, [], None
            self._multiple = "multiple" in attrs
        elif tag == "option" and self._select:
            value = attrs.get("value", "")
            if value and self._select_first is None:
                self._select_first = value
            if "selected" in attrs:
                self._select_value.append(value)
        elif tag == "textarea" and name:
            self._textarea = [name, ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._in_action_select = False
        if not self.in_form:
            return
        if tag == "form":
            self.in_form, self.done = False, True
        elif tag == "select" and self._select:
            values = self._select_value
            if not values and self._select_first is not None and not self._multiple:
                values = [self._select_first]  # a choice where the form has none yet
            self.data.extend((self._select, value) for value in values)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.data.append((self._textarea[0], self._textarea[1].lstrip("\n")))
            self._textarea = None


def _read_page(client, path):
    response = client.get(path)
    if response.streaming:
        _drain(response)
        return None
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return None
    reader = _FormReader(path.split("?")[0])
    reader.feed(response.content.decode())
    return reader


def _as_post(pairs) -> dict:
    posted: dict[str, list[str]] = {}
    for name, value in pairs:
        posted.setdefault(name, []).append(value)
    return posted


def _escalating(pairs) -> dict:
    """The form as it stands, plus the one change the audit made: ``is_superuser=on``."""
    posted = _as_post(pairs)
    if "is_superuser" in posted or any(name == "email" for name, _ in pairs):
        posted["is_superuser"] = ["on"]
    return posted


def _payloads(key, url, world, path, superuser) -> list[dict]:
    """POSTs that would write through ``path`` if the poster were allowed to."""
    if url.attack:
        return [url.attack(world)]
    match = MODEL_VIEW.match(key)
    view = match["view"] if match else None
    if view == "delete":
        return [{"post": "yes"}]
    page = _read_page(superuser, path)
    if view == "changelist":
        obj = ADMIN_MODELS[f"{match['app']}.{match['model']}"].get_obj(world)
        actions = page.actions if page else []
        return [
            {"action": action, "_selected_action": [str(obj.pk)], "index": "0", "post": "yes"}
            for action in actions
        ] or [{}]
    if page is not None and page.found:
        return [_escalating(page.data)]
    return [url.data(world) if url.data else {}]


def _writers(key, url) -> set[str]:
    """The roles this page lets write; every other role's POST must change nothing."""
    if key == "admin:logout":
        return set(ROLES)  # anyone may end their own session (axes records when)
    if key in READ_ONLY_PAGES:
        return set()
    match = MODEL_VIEW.match(key)
    if match:
        return ADMIN_MODELS[f"{match['app']}.{match['model']}"].writers(match["view"])
    if key.startswith("admin/"):
        return set()  # admin/<app>/<model>/<id>/ only redirects to the change form
    return {role for role, answer in url.expect.items() if answer not in (404, 405, LOGIN, READ)}


def _drain(response):
    if response.streaming:
        b"".join(response.streaming_content)


def test_every_model_admin_of_the_matrix_is_an_admin_with_post_cases():
    from django.contrib import admin

    registered = {model._meta.label_lower for model in admin.site._registry}
    assert registered - ADMIN_MODELS.keys() == set(), "model admins without matrix rows"


@pytest.mark.django_db
@pytest.mark.parametrize("key", ADMIN_KEYS)
def test_no_role_writes_through_an_admin_url_it_may_not_write_to(key, request):
    world = World(request)
    url = MATRIX[key]
    path = url.build(world)
    writers = _writers(key, url)
    superuser = client_for(world.people["superuser"])
    payloads = _payloads(key, url, world, path, superuser)
    posters = {role: client_for(world.people[role]) for role in ROLES if role not in writers}

    before = _fingerprint()
    for role, client in posters.items():
        for payload in payloads:
            response = client.post(path, payload)
            _drain(response)
            assert response.status_code < 500, (role, path, payload)
            changed = _changed(before, _fingerprint())
            assert changed == [], f"{role} wrote {changed} by POST {path} {payload}"

    match = MODEL_VIEW.match(key)
    if (
        match
        and match["view"] in ("change", "simple_history", "delete")
        and ("superuser" in writers)
    ):
        # The payload is one that writes: the superuser's own POST of it does.
        response = superuser.post(path, payloads[0])
        _drain(response)
        if match["view"] == "delete" and response.status_code == 200:
            # Rows that others PROTECT cannot be deleted by anyone: the page says so.
            assert response.context["protected"] or response.context["perms_lacking"], path
        else:
            assert response.status_code == 302, path
            assert _changed(before, _fingerprint()) != [], f"the payload for {path} writes nothing"


def test_the_escalation_the_audit_found_is_among_the_payloads(request, db):
    world = World(request)
    url = MATRIX["admin:technopark_user_simple_history"]
    payload = _payloads(
        "admin:technopark_user_simple_history",
        url,
        world,
        url.build(world),
        client_for(world.people["superuser"]),
    )[0]
    assert payload["is_superuser"] == ["on"]
