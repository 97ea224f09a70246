"""The public face of the network: every site, then one site and its spaces."""

from django.shortcuts import render
from django.utils import timezone

from sites import selectors
from sites.models import SiteStatus, SpaceKind


def network(request):
    sites = list(selectors.site_list_public())
    return render(
        request,
        "sites/network.html",
        {
            "groups": selectors.group_by_status(sites),
            "totals": selectors.site_totals(sites),
            "today": timezone.localdate(),
        },
    )


def site_detail(request, slug):
    site = selectors.site_get_public(slug=slug)
    spaces = list(selectors.space_list_public(site=site))
    return render(
        request,
        "sites/site_detail.html",
        {
            "site": site,
            "spaces": spaces,
            "operating": site.status == SiteStatus.OPERATING,
            "has_coworking": any(space.kind == SpaceKind.COWORKING for space in spaces),
            "has_rooms": any(space.bookable for space in spaces),
        },
    )
