"""``{% site_hours site %}``: when a site's rooms are open, for the site's public page.

A template tag, so the sites app (a lower layer) need not import the coworking app.
"""

from django import template

from coworking import selectors
from coworking.models import Weekday

register = template.Library()


@register.inclusion_tag("coworking/_site_hours.html")
def site_hours(site):
    lines = [
        {
            "days": Weekday(line.first).label
            if line.first == line.last
            else f"{Weekday(line.first).label} – {Weekday(line.last).label}",
            "opens": line.opens,
            "closes": line.closes,
        }
        for line in selectors.site_opening_hours(site=site)
    ]
    return {"lines": lines}
