"""The events app's access policy: events, their dates, registrations, promotions.

Registered with the gate (``technopark.access``) by ``EventsConfig.ready()``.

Staff of a site run its events and see who registered; a company's admin
proposes events for the company and reads them; a person reads and cancels
their own registrations. Registrants' personal data reach staff only through
the site scope: another site's staff see none of it. The public pages show
published (and past) events, never registrations.
"""

from django.db.models import Q

from events.models import VISIBLE
from sites.access import AGENT, FRONT_DESK, SITE_MANAGER
from technopark import access
from technopark.access import ALL, Scope, perms
from tenants.access import COMPANY_ADMIN, MEMBER

access.declare(
    "events",
    roles={
        SITE_MANAGER: perms("events.event", *ALL)
        | perms("events.eventdate", *ALL)
        | perms("events.registration", "view", "change")
        | perms("events.promotion", "view"),
        # The front desk checks people in.
        FRONT_DESK: perms("events.event", "view")
        | perms("events.eventdate", "view")
        | perms("events.registration", "view", "change")
        | perms("events.promotion", "view"),
        AGENT: perms("events.event", "view") | perms("events.eventdate", "view"),
        COMPANY_ADMIN: perms("events.event", "view", "add") | perms("events.eventdate", "view"),
        MEMBER: perms("events.event", "view") | perms("events.eventdate", "view"),
    },
    scopes={
        "events.event": Scope(
            site="site", company="organiser_company", public=Q(status__in=VISIBLE)
        ),
        "events.eventdate": Scope(
            site="event__site",
            company="event__organiser_company",
            public=Q(event__status__in=VISIBLE),
        ),
        "events.registration": Scope(site="event__site", owner="user"),
        "events.promotion": Scope(site="registration__event__site", owner="registration__user"),
    },
    owner={
        "events.registration": {"events.view_registration", "events.change_registration"},
        "events.promotion": {"events.view_promotion"},
    },
)
