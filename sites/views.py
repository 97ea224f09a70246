"""The public face of the network: every site, then one site and its spaces."""

from django.shortcuts import render
from django.utils import timezone

from sites import selectors
from sites.models import SiteStatus, SpaceKind
from technopark.uploads import file_response


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


def site_photo(request, slug, pk):
    """A photo of a site's public page, served inline with its sniffed type."""
    photo = selectors.site_photo_public(slug=slug, pk=pk)
    return file_response(photo.image, download_name=f"{slug}-{pk}", as_attachment=False)
