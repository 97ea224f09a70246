"""The coworking app's access policy: desks, passes, nomads, room bookings, feeds.

Registered with the gate (``technopark.access``) by ``CoworkingConfig.ready()``.
"""

from django.db.models import Q

from coworking.models.rooms import ACTIVE_BOOKING
from sites.access import AGENT, FRONT_DESK, SITE_MANAGER
from technopark import access
from technopark.access import ALL, Scope, perms
from tenants.access import COMPANY_ADMIN, MEMBER

_RULES = ("coworking.desk", "coworking.roomrules", "coworking.openinghours")
_DAILY = (
    "coworking.nomadprofile",
    "coworking.pass",
    "coworking.deskreservation",
    "coworking.deskcheckin",
    "coworking.roombooking",
)

access.declare(
    "coworking",
    roles={
        # Site staff run the site's desks and rooms: rules, prices, allowances, approvals.
        SITE_MANAGER: set().union(*(perms(m, *ALL) for m in _RULES))
        | perms("coworking.passprice", *ALL)
        | perms("coworking.documentretention", "view", "add", "change")
        | perms("coworking.allowance", *ALL)
        | set().union(*(perms(m, "view", "add", "change") for m in _DAILY)),
        FRONT_DESK: set().union(*(perms(m, "view") for m in _RULES))
        | perms("coworking.passprice", "view")
        | perms("coworking.documentretention", "view")
        | perms("coworking.allowance", "view")
        | set().union(*(perms(m, "view", "add", "change") for m in _DAILY)),
        AGENT: perms("coworking.roombooking", "view") | perms("coworking.desk", "view"),
        # A company admin books and cancels for the company; a member books, and
        # cancels their own bookings as their owner.
        COMPANY_ADMIN: perms("coworking.roombooking", "view", "add", "change")
        | perms("coworking.pass", "view", "add", "change")
        | perms("coworking.deskreservation", "view", "add", "change")
        | perms("coworking.allowance", "view"),
        MEMBER: perms("coworking.roombooking", "view", "add")
        | perms("coworking.pass", "view", "add")
        | perms("coworking.deskreservation", "view", "add")
        | perms("coworking.allowance", "view"),
    },
    scopes={
        "coworking.desk": Scope(site="space__site", public=Q(active=True)),
        "coworking.passprice": Scope(site="site", public=Q()),
        "coworking.documentretention": Scope(site="site"),
        "coworking.nomadprofile": Scope(site="site", owner="user"),
        "coworking.pass": Scope(site="site", company="company", owner="holder"),
        "coworking.deskreservation": Scope(
            site="desk__space__site", company="company", owner="holder"
        ),
        "coworking.deskcheckin": Scope(
            site="reservation__desk__space__site",
            company="reservation__company",
            owner="reservation__holder",
        ),
        "coworking.roomrules": Scope(site="space__site", public=Q()),
        "coworking.openinghours": Scope(site="rules__space__site", public=Q()),
        "coworking.allowance": Scope(site="site", company="company"),
        # The public calendar shows active bookings, without who booked them.
        "coworking.roombooking": Scope(
            site="space__site",
            company="company",
            owner="holder",
            public=Q(status__in=ACTIVE_BOOKING),
        ),
        "coworking.calendarfeed": Scope(owner="user"),
    },
    # Nomads have no company: their profile, passes and bookings are theirs.
    owner={
        "coworking.nomadprofile": {"coworking.view_nomadprofile"},
        "coworking.pass": {"coworking.view_pass", "coworking.change_pass"},
        "coworking.deskreservation": {
            "coworking.view_deskreservation",
            "coworking.change_deskreservation",
        },
        "coworking.deskcheckin": {"coworking.view_deskcheckin"},
        "coworking.roombooking": {"coworking.view_roombooking", "coworking.change_roombooking"},
        "coworking.calendarfeed": {
            "coworking.view_calendarfeed",
            "coworking.change_calendarfeed",
        },
    },
)
