"""The permission matrix: every URL pattern against every role.

Each module of this package holds the rows of one area in a dict named ``ROWS``
(URL pattern name, or route for an unnamed pattern -> ``Url``);
``tests/technopark/test_permission_matrix.py`` merges the modules listed in its
``AREAS`` (plain imports: add a new area's module there) and fails on a URL
pattern without a row, a row without a pattern, or a key in two modules.

The world: site A with its staff, company A (``tenant_user`` is its admin) and
a space; site B with its own staff and company B (``other_company_user``).
Each row says what each role gets on a page about site A's or company A's
objects:

* ``200``, ``302``, ``404``, ``405``: that status;
* ``LOGIN``: a redirect to the login page;
* ``WRITE`` / ``READ``: 200 with / without a save button (admin change forms);
* ``SHOWS`` / ``HIDES``: 200 with / without the object's row (admin lists).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse

ROLES = (
    "anonymous",
    "tenant_user",
    "other_company_user",
    "site_staff",
    "other_site_staff",
    "network_manager",
    "superuser",
)
LOGIN, WRITE, READ, SHOWS, HIDES = "LOGIN", "WRITE", "READ", "SHOWS", "HIDES"


def row(
    anonymous, tenant_user, other_company_user, site_staff, other_site_staff, network_manager,
    superuser,
):  # fmt: skip
    """What each role gets, in ROLES order."""
    answers = (
        anonymous,
        tenant_user,
        other_company_user,
        site_staff,
        other_site_staff,
        network_manager,
        superuser,
    )
    return dict(zip(ROLES, answers, strict=True))


def everyone(answer):
    return row(*[answer] * len(ROLES))


#: Pages of the tenant portal about company A: its people see them, nobody else.
PORTAL = row(LOGIN, 200, 404, 404, 404, 404, 404)


@dataclass
class Url:
    """How to build a row's URL from the world, and what each role gets.

    ``method`` is GET unless said; ``data`` is posted as a form for POST rows.
    The roles of a row share one world, in ROLES order: a POST that one role
    may do must not change what the next roles get (post something harmless,
    or cover the write in the area's own tests).
    ``obj``, for admin lists, returns the object the list must show or hide.
    """

    build: Callable
    expect: dict
    obj: Callable | None = None
    method: str = "get"
    data: Callable | None = None
    extra: dict = field(default_factory=dict)
    #: For admin pages: a POST that would write if the role were allowed to
    #: (``tests/security/test_admin_writes.py`` posts it as every other role).
    attack: Callable | None = None


def named(name: str, *args_from_world: Callable, query: str = "") -> Callable:
    """A builder: ``named("portal:request", lambda w: w.request.pk)``."""

    def build(world):
        url = reverse(name, args=[arg(world) for arg in args_from_world])
        return f"{url}?{query}" if query else url

    return build


# --- Model admins: one line per model and role ------------------------------------------
# (changelist, add, change, delete, history) for the object of site A / company A.

NONE = (404, 404, 404, 404, 404)
ANONYMOUS = (LOGIN,) * 5
EDIT = (SHOWS, 200, WRITE, 200, 200)
VIEW = (SHOWS, 404, READ, 404, 200)
HIDDEN_BUT_ADDS = (HIDES, 200, 404, 404, 404)
HIDDEN = (HIDES, 404, 404, 404, 404)


@dataclass(frozen=True)
class AdminModel:
    """One model admin of the matrix: its object of site A and each role's line."""

    label: str
    get_obj: Callable
    by_role: dict
    simple_history: bool

    def writers(self, view: str) -> set[str]:
        """The roles whose POST to this admin view may write (the others' must not)."""
        # Old versions are shown, never reverted (a revert would bypass the services).
        column = {"add": (1, 200), "change": (2, WRITE), "changelist": (2, WRITE),
                  "delete": (3, 200)}  # fmt: skip
        if view not in column:
            return set()
        index, allowed = column[view]
        return {role for role, answers in self.by_role.items() if answers[index] == allowed}


#: Every model admin that has matrix rows, by label (filled by ``admin_rows``).
ADMIN_MODELS: dict[str, AdminModel] = {}


def admin_rows(label: str, get_obj: Callable, by_role: dict, *, simple_history: bool = True):
    """The matrix rows of one model admin, from one line per role."""
    assert set(by_role) == set(ROLES), f"{label}: a line per role, please"
    assert label not in ADMIN_MODELS, f"{label}: two sets of admin rows"
    ADMIN_MODELS[label] = AdminModel(label, get_obj, by_role, simple_history)
    app, model = label.split(".")
    base = f"admin:{app}_{model}"

    def expect(index):
        return {role: answers[index] for role, answers in by_role.items()}

    def object_url(view):
        return lambda w: reverse(f"{base}_{view}", args=[get_obj(w).pk])

    rows = {
        f"{base}_changelist": Url(lambda w: reverse(f"{base}_changelist"), expect(0), obj=get_obj),
        f"{base}_add": Url(lambda w: reverse(f"{base}_add"), expect(1)),
        f"{base}_change": Url(object_url("change"), expect(2)),
        f"{base}_delete": Url(object_url("delete"), expect(3)),
        f"{base}_history": Url(object_url("history"), expect(4)),
        # admin/<app>/<model>/<id>/ sends any staff to the change form, which decides.
        f"admin/{app}/{model}/<path:object_id>/": Url(
            lambda w: f"/admin/{app}/{model}/{get_obj(w).pk}/",
            row(LOGIN, 404, 404, 302, 302, 302, 302),
        ),
    }
    if simple_history:
        rows[f"{base}_simple_history"] = Url(
            lambda w: reverse(
                f"{base}_simple_history",
                args=[get_obj(w).pk, get_obj(w).history.latest().history_id],
            ),
            expect(4),
        )
    return rows
