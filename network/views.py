"""The network layer's pages: the role-based home and MITC management's dashboard."""

from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from coworking import selectors as coworking_selectors
from network.personal_data import personal_data
from sites import selectors as site_selectors
from technopark import access
from tenants.selectors import kpi as kpi_selectors
from tenants.selectors import offices as office_selectors


@login_required
def home(request):
    """Send each person to the surface of their role."""
    user = request.user
    if user.is_network_manager:
        return redirect("network:dashboard")
    if access.is_staff(user):
        return redirect("admin:index")
    if access.is_tenant(user):
        return redirect("portal:home")
    if coworking_selectors.nomad_profile_of(user) is not None:
        return redirect("coworking:my_bookings")
    return redirect("public:network")


@login_required
def dashboard(request):
    """MITC management's view of the network: one row per site, then totals."""
    access.require(access.is_network_manager(request.user))
    today = timezone.localdate()
    sites = list(site_selectors.site_list_for(request.user))
    occupancy = office_selectors.occupancy_by_site(sites, on=today)
    for site in sites:
        site.occupancy = occupancy[site.pk]
    quarter = kpi_selectors.last_due_quarter(today)
    return render(
        request,
        "network/dashboard.html",
        {
            "sites": sites,
            "totals": site_selectors.site_totals(sites),
            "pipeline": [s for s in sites if s.status in site_selectors.PIPELINE],
            "today": today,
            "quarter": quarter,
            "kpi": kpi_selectors.network_totals(request.user, quarter=quarter),
        },
    )


@login_required
def my_data(request):
    """Everything the platform holds about the person, as a JSON download (law 09-08)."""
    data = {
        "generated_at": timezone.now().isoformat(),
        "person": request.user.email,
        "data": personal_data(request.user),
    }
    response = JsonResponse(
        data, encoder=DjangoJSONEncoder, json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    response["Content-Disposition"] = 'attachment; filename="technopark-my-data.json"'
    response["Cache-Control"] = "no-store"
    return response
