"""Every URL pattern against every role: the whole access policy in one table.

The world: site A with its staff, a company and a space; site B with its own
staff. Each row says what each role gets on a page about site A's objects:

* ``200``, ``302``, ``404``, ``405``: that status;
* ``LOGIN``: a redirect to the login page;
* ``WRITE`` / ``READ``: 200 with / without a save button (admin change forms);
* ``SHOWS`` / ``HIDES``: 200 with / without site A's row (admin lists).

A URL pattern with no row fails ``test_every_url_pattern_has_a_row``.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import client_for

ROLES = (
    "anonymous",
    "tenant_user",
    "site_staff",
    "other_site_staff",
    "network_manager",
    "superuser",
)
LOGIN, WRITE, READ, SHOWS, HIDES = "LOGIN", "WRITE", "READ", "SHOWS", "HIDES"


def row(anonymous, tenant_user, site_staff, other_site_staff, network_manager, superuser):
    return dict(
        zip(
            ROLES,
            (anonymous, tenant_user, site_staff, other_site_staff, network_manager, superuser),
            strict=True,
        )
    )


def everyone(answer):
    return row(*[answer] * len(ROLES))


@dataclass
class Url:
    """How to build the URL of a row from the world, and what each role gets."""

    build: object  # world -> path
    expect: dict
    obj: object = None  # world -> the object a list must show or hide


# --- Pages outside the admin ----------------------------------------------------------

PAGES = {
    "public:network": Url(lambda w: reverse("public:network"), everyone(200)),
    "public:site": Url(lambda w: reverse("public:site", args=[w.site.slug]), everyone(200)),
    "network:dashboard": Url(
        lambda w: reverse("network:dashboard"), row(LOGIN, 404, 404, 404, 200, 200)
    ),
    "portal:home": Url(lambda w: reverse("portal:home"), row(LOGIN, 200, 404, 404, 404, 404)),
    "login": Url(lambda w: reverse("login"), row(200, 302, 302, 302, 302, 302)),
    "logout": Url(lambda w: reverse("logout"), everyone(405)),
    "home": Url(lambda w: reverse("home"), row(LOGIN, 302, 302, 302, 302, 302)),
    "password_change": Url(lambda w: reverse("password_change"), row(LOGIN, *[200] * 5)),
    "password_change_done": Url(lambda w: reverse("password_change_done"), row(LOGIN, *[200] * 5)),
    "password_reset": Url(lambda w: reverse("password_reset"), everyone(200)),
    "password_reset_done": Url(lambda w: reverse("password_reset_done"), everyone(200)),
    "password_reset_confirm": Url(
        lambda w: reverse("password_reset_confirm", args=["MQ", "not-a-token"]), everyone(200)
    ),
    "password_reset_complete": Url(lambda w: reverse("password_reset_complete"), everyone(200)),
    "set_language": Url(lambda w: reverse("set_language"), everyone(405)),
    "healthz": Url(lambda w: reverse("healthz"), everyone(200)),
    # The admin's own pages.
    "admin:index": Url(lambda w: reverse("admin:index"), row(LOGIN, 404, 200, 200, 200, 200)),
    "admin:login": Url(lambda w: reverse("admin:login"), everyone(302)),
    "admin:logout": Url(lambda w: reverse("admin:logout"), row(302, 404, 405, 405, 405, 405)),
    "admin:password_change": Url(
        lambda w: reverse("admin:password_change"), row(LOGIN, 404, 200, 200, 200, 200)
    ),
    "admin:password_change_done": Url(
        lambda w: reverse("admin:password_change_done"), row(LOGIN, 404, 200, 200, 200, 200)
    ),
    "admin:jsi18n": Url(lambda w: reverse("admin:jsi18n"), row(LOGIN, 404, 200, 200, 200, 200)),
    "admin:autocomplete": Url(
        lambda w: (
            reverse("admin:autocomplete")
            + "?"
            + urlencode({"app_label": "sites", "model_name": "space", "field_name": "site"})
        ),
        # Which sites each one is offered: tests/sites/test_admin_scoping.py.
        row(LOGIN, 404, 200, 200, 200, 200),
    ),
    "admin:view_on_site": Url(
        lambda w: reverse(
            "admin:view_on_site",
            args=[ContentType.objects.get_for_model(w.site).pk, w.site.pk],
        ),
        row(LOGIN, 404, 302, 404, 302, 302),
    ),
    "admin:app_list": Url(
        lambda w: reverse("admin:app_list", args=["sites"]), row(LOGIN, 404, 200, 200, 200, 200)
    ),
    "admin:auth_user_password_change": Url(
        lambda w: reverse("admin:auth_user_password_change", args=[w.tenant_member.pk]),
        row(LOGIN, 404, 404, 404, 404, 200),
    ),
}

# --- Model admins: one line per model and role ------------------------------------------
# (changelist, add, change, delete, history) for site A's object.

NONE = (404, 404, 404, 404, 404)
EDIT = (SHOWS, 200, WRITE, 200, 200)
VIEW = (SHOWS, 404, READ, 404, 200)
SUPERUSER_ONLY = {
    "anonymous": (LOGIN,) * 5,
    "tenant_user": NONE,
    "site_staff": NONE,
    "other_site_staff": NONE,
    "network_manager": NONE,
    # django-axes' own admins: records of login attempts cannot be added by hand.
    "superuser": (SHOWS, 404, WRITE, 200, 200),
}
ADMIN_MODELS = {
    "technopark.user": (
        lambda w: w.tenant_member,
        {
            "anonymous": (LOGIN,) * 5,
            "tenant_user": NONE,
            "site_staff": NONE,
            "other_site_staff": NONE,
            "network_manager": VIEW,
            "superuser": EDIT,
        },
    ),
    "sites.site": (
        lambda w: w.site,
        {
            "anonymous": (LOGIN,) * 5,
            "tenant_user": NONE,
            "site_staff": (SHOWS, 404, WRITE, 404, 200),
            "other_site_staff": (HIDES, 404, 404, 404, 404),
            "network_manager": VIEW,
            "superuser": EDIT,
        },
    ),
    "sites.space": (
        lambda w: w.space,
        {
            "anonymous": (LOGIN,) * 5,
            "tenant_user": NONE,
            "site_staff": EDIT,
            "other_site_staff": (HIDES, 200, 404, 404, 404),
            "network_manager": VIEW,
            "superuser": EDIT,
        },
    ),
    "sites.staffassignment": (
        lambda w: w.site_staff_assignment,
        {
            "anonymous": (LOGIN,) * 5,
            "tenant_user": NONE,
            "site_staff": VIEW,
            "other_site_staff": (HIDES, 404, 404, 404, 404),
            "network_manager": VIEW,
            "superuser": EDIT,
        },
    ),
    "tenants.company": (
        lambda w: w.company,
        {
            "anonymous": (LOGIN,) * 5,
            "tenant_user": NONE,
            "site_staff": EDIT[:3] + (404, 200),
            "other_site_staff": (HIDES, 200, 404, 404, 404),
            "network_manager": VIEW,
            "superuser": EDIT,
        },
    ),
    "axes.accessattempt": (lambda w: w.access_attempt, SUPERUSER_ONLY),
    "axes.accesslog": (lambda w: w.access_log, SUPERUSER_ONLY),
    "axes.accessfailurelog": (lambda w: w.access_failure_log, SUPERUSER_ONLY),
}
READ_ONLY_ADMINS = {"axes.accessattempt", "axes.accesslog", "axes.accessfailurelog"}


def _admin_rows():
    rows = {}
    for label, (get_obj, by_role) in ADMIN_MODELS.items():
        app, model = label.split(".")
        base = f"admin:{app}_{model}"

        def expect(index, by_role=by_role):
            return {role: answers[index] for role, answers in by_role.items()}

        def obj_url(view, get_obj=get_obj, base=base):
            return lambda w: reverse(f"{base}_{view}", args=[get_obj(w).pk])

        rows[f"{base}_changelist"] = Url(
            lambda w, base=base: reverse(f"{base}_changelist"), expect(0), obj=get_obj
        )
        rows[f"{base}_add"] = Url(lambda w, base=base: reverse(f"{base}_add"), expect(1))
        rows[f"{base}_change"] = Url(obj_url("change"), expect(2))
        rows[f"{base}_delete"] = Url(obj_url("delete"), expect(3))
        rows[f"{base}_history"] = Url(obj_url("history"), expect(4))
        # admin/<app>/<model>/<id>/ sends any staff to the change form, which decides.
        rows[f"admin/{app}/{model}/<path:object_id>/"] = Url(
            lambda w, get_obj=get_obj, app=app, model=model: (
                f"/admin/{app}/{model}/{get_obj(w).pk}/"
            ),
            row(LOGIN, 404, 302, 302, 302, 302),
        )
        if label not in READ_ONLY_ADMINS:
            rows[f"{base}_simple_history"] = Url(
                lambda w, get_obj=get_obj, base=base: reverse(
                    f"{base}_simple_history",
                    args=[get_obj(w).pk, get_obj(w).history.latest().history_id],
                ),
                expect(4),
            )
    return rows


MATRIX = {
    **PAGES,
    **_admin_rows(),
    # Anything else under /admin/ is 404 for staff, a login for the others.
    "admin/(?P<url>.*)$": Url(
        lambda w: "/admin/no-such-page/", row(LOGIN, 404, 404, 404, 404, 404)
    ),
}


# --- The checks ------------------------------------------------------------------------


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


class World:
    def __init__(self, request):
        fixture = request.getfixturevalue
        self.site = fixture("site")
        self.space = fixture("space")
        self.company = fixture("company")
        self.tenant_member = fixture("tenant_member")
        self.people = {
            "anonymous": None,
            "tenant_user": fixture("tenant_admin"),
            "site_staff": fixture("site_staff"),
            "other_site_staff": fixture("other_site_staff"),
            "network_manager": fixture("network_manager"),
            "superuser": fixture("superuser"),
        }
        self.site_staff_assignment = self.people["site_staff"].staff_assignments.get()
        self.access_attempt = AccessAttempt.objects.create(
            username="someone@example.ma", ip_address="10.0.0.1", failures_since_start=1
        )
        self.access_log = AccessLog.objects.create(
            username="someone@example.ma", ip_address="10.0.0.1"
        )
        self.access_failure_log = AccessFailureLog.objects.create(
            username="someone@example.ma", ip_address="10.0.0.1"
        )


def _answer(response, expected, obj):
    if expected == LOGIN:
        return (
            LOGIN
            if response.status_code == 302 and response["Location"].startswith("/accounts/login/")
            else response.status_code
        )
    if expected in (WRITE, READ):
        if response.status_code != 200:
            return response.status_code
        return WRITE if b'name="_save"' in response.content else READ
    if expected in (SHOWS, HIDES):
        if response.status_code != 200:
            return response.status_code
        return SHOWS if obj in response.context["cl"].result_list else HIDES
    return response.status_code


@pytest.mark.django_db
@pytest.mark.parametrize("key", sorted(MATRIX))
def test_each_role_gets_what_the_matrix_says(key, request):
    world = World(request)
    url = MATRIX[key]
    path = url.build(world)
    obj = url.obj(world) if url.obj else None
    answers = {}
    for role in ROLES:
        response = client_for(world.people[role]).get(path)
        answers[role] = _answer(response, url.expect[role], obj)
    assert answers == url.expect, path
