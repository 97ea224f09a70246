"""A page's SQL count does not grow with its rows: 8 sites or 80, same queries."""

import pytest
from django.urls import reverse

from tests.conftest import client_for
from tests.factories import SiteFactory, SpaceFactory
from tests.queries import queries_to_get

pytestmark = pytest.mark.django_db


def _grow_network_to(count):
    from sites.models import Site, SiteStatus

    while Site.objects.count() < count:
        n = Site.objects.count()
        site = SiteFactory(status=SiteStatus.PLANNED if n % 3 == 0 else SiteStatus.OPERATING)
        SpaceFactory.create_batch(2, site=site)


@pytest.mark.parametrize(
    ("url", "who"),
    [
        (reverse("public:network"), "anonymous"),
        (reverse("network:dashboard"), "network_manager"),
        (reverse("admin:sites_site_changelist"), "superuser"),
        (reverse("admin:sites_site_changelist"), "network_manager"),
        (reverse("admin:sites_space_changelist"), "superuser"),
    ],
)
def test_the_query_count_is_the_same_for_8_and_80_sites(url, who, request):
    client = client_for(request.getfixturevalue(who))
    _grow_network_to(8)
    at_8 = queries_to_get(client, url)
    _grow_network_to(80)
    at_80 = queries_to_get(client, url)
    print(f"{url} as {who}: {at_8} queries at 8 sites, {at_80} at 80")
    assert at_8 == at_80


def test_the_site_page_query_count_does_not_grow_with_its_spaces(site):
    client = client_for(None)
    url = reverse("public:site", args=[site.slug])
    SpaceFactory.create_batch(2, site=site)
    few = queries_to_get(client, url)
    SpaceFactory.create_batch(40, site=site)
    assert queries_to_get(client, url) == few
