"""What the network layer puts on the staff's today page: the dashboards a person may open."""

from django.urls import reverse
from django.utils.translation import gettext as _

from network import selectors
from technopark import access, workspace


@workspace.panel(order=90)
def dashboards_panel(request) -> workspace.Panel | None:
    """The network dashboard for MITC management; each managed site's dashboard for its managers."""
    user = request.user
    if access.is_network_manager(user):
        return workspace.Panel(
            _("Dashboards"),
            items=[workspace.Item(_("The network's dashboard"), reverse("network:dashboard"))],
        )
    sites = selectors.dashboard_sites_for(user)
    if not sites:
        return None
    return workspace.Panel(
        _("Dashboards"),
        items=[
            workspace.Item(
                _("Dashboard of %(site)s") % {"site": site.name},
                reverse("network:site", args=[site.slug]),
            )
            for site in sites
        ],
    )
