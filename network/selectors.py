"""Reads of the network layer: which dashboards a person may open."""

from sites import selectors as site_selectors
from sites.models import Site
from technopark import access

#: Who may open a site's dashboard: whoever may change the site (its managers).
MANAGES_SITE = "sites.change_site"


def dashboard_sites_for(user) -> list[Site]:
    """The sites whose dashboard ``user`` may open: every one for network managers,
    the sites they manage for site managers, none for anybody else."""
    sites = site_selectors.site_list_for(user, counted=False)
    if access.is_network_manager(user):
        return list(sites)
    return list(sites.filter(pk__in=access.site_ids(user, MANAGES_SITE)))
