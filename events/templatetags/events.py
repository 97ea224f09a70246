"""``{% next_events site %}``: a site's next events, for the site's public page.

A template tag, so the sites app (a lower layer) need not import the events app.
"""

from django import template
from django.utils import timezone

from events import selectors

register = template.Library()


@register.inclusion_tag("events/_next_events.html")
def next_events(site):
    return {"site": site, "events": selectors.site_next_events(site=site, now=timezone.now())}
