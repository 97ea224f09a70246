"""The sites app's access policy: what staff roles grant on sites, and who holds them.

Registered with the gate (``technopark.access``) by ``SitesConfig.ready()``.
"""

from django.db.models import Q

from sites.models import StaffAssignment, StaffRole
from technopark import access
from technopark.access import ALL, Scope, perms

SITE_MANAGER = StaffRole.SITE_MANAGER
FRONT_DESK = StaffRole.FRONT_DESK
AGENT = StaffRole.ONE_STOP_SHOP_AGENT

_STAFF_READ = (
    perms("sites.site", "view")
    | perms("sites.space", "view")
    | perms("sites.staffassignment", "view")
    | perms("sites.closure", "view")
    | perms("sites.sitephoto", "view")
)


def _staff_roles(user) -> dict[int, str]:
    # One role per site (a constraint): no ordering needed, so no join for it.
    return dict(StaffAssignment.objects.filter(user=user).order_by().values_list("site_id", "role"))


access.declare_roles("site", _staff_roles)
access.declare(
    "sites",
    scopes={
        "sites.site": Scope(site="id", public=Q()),
        "sites.space": Scope(site="site", public=Q()),
        "sites.staffassignment": Scope(site="site"),
        "sites.closure": Scope(site="site", public=Q()),
        "sites.sitephoto": Scope(site="site", public=Q()),
    },
    roles={
        SITE_MANAGER: perms("sites.site", "view", "change")
        | perms("sites.space", *ALL)
        | perms("sites.staffassignment", "view")
        | perms("sites.closure", *ALL)
        | perms("sites.sitephoto", *ALL),
        FRONT_DESK: _STAFF_READ,
        AGENT: _STAFF_READ,
    },
)
