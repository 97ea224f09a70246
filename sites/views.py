"""The public face of the network: every site, then one site and its spaces."""

from django.shortcuts import render
from django.utils import timezone

from sites import selectors


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
    spaces = selectors.space_list_public(site=site)
    return render(request, "sites/site_detail.html", {"site": site, "spaces": spaces})
