"""The network layer's pages: the role-based home and MITC management's dashboard."""

from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.http import require_GET

from coworking import selectors as coworking_selectors
from network import dashboard, drilldown, selectors, tables
from network.forms import DashboardFilterForm
from network.personal_data import personal_data
from sites.models import Site, SiteStatus
from technopark import access


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


# --- The dashboard ------------------------------------------------------------------------


def _export(request, sections, name: str):
    """``?export=csv|xlsx&table=<slug>``: that table as a file, else None."""
    kind = request.GET.get("export")
    if kind not in ("csv", "xlsx"):
        return None
    table = dashboard.find_table(sections, request.GET.get("table", ""))
    if table is None:
        raise Http404
    filename = f"technopark-{name}-{table.slug}"
    if kind == "csv":
        return tables.as_csv(table, filename)
    return tables.as_xlsx(table, filename, rtl=translation.get_language_bidi())


def _page(request, *, sites, offered, single_site: Site | None):
    today = timezone.localdate()
    form = DashboardFilterForm(
        request.GET, sites=offered, today=today, with_sites=single_site is None
    )
    asked = form.selection()
    selection = dashboard.Selection(
        period=asked["period"],
        sites=[single_site] if single_site else asked["sites"],
        sector=asked["sector"],
        program=asked["program"],
        single_site=single_site is not None,
    )
    sections = dashboard.build(request.user, selection, today=today)
    name = f"{single_site.slug if single_site else 'network'}-{selection.period.key}"
    exported = _export(request, sections, name)
    if exported is not None:
        return exported
    template = "network/board.html" if request.GET.get("report") == "board" else None
    return render(
        request,
        template or "network/dashboard.html",
        {
            "form": form,
            "selection": selection,
            "sections": sections,
            "site": single_site,
            "query": selection.query(),
            "today": today,
        },
    )


@login_required
@require_GET
def dashboard_view(request):
    """MITC management's view of the network: every figure by site, then totals."""
    access.require(access.is_network_manager(request.user))
    allowed = selectors.dashboard_sites_for(request.user)
    sites = [site for site in allowed if site.status == SiteStatus.OPERATING]
    return _page(request, sites=sites, offered=sites, single_site=None)


@login_required
@require_GET
def site_dashboard(request, slug):
    """The same page for one site: its managers and the network managers, nobody else."""
    allowed = {site.slug: site for site in selectors.dashboard_sites_for(request.user)}
    if slug not in allowed:
        raise Http404
    return _page(request, sites=[allowed[slug]], offered=[], single_site=allowed[slug])


@login_required
@require_GET
def rows(request, kind):
    """The rows behind a figure of the dashboard (``?site=`` the sites it covers)."""
    if kind not in drilldown.KINDS:
        raise Http404
    allowed = {site.slug: site for site in selectors.dashboard_sites_for(request.user)}
    if not allowed:
        raise Http404
    asked = request.GET.getlist("site")
    if any(slug not in allowed for slug in asked):
        raise Http404
    today = timezone.localdate()
    form = DashboardFilterForm(request.GET, sites=list(allowed.values()), today=today)
    chosen = form.selection()
    sites = [allowed[slug] for slug in asked] or list(allowed.values())
    selection = dashboard.Selection(chosen["period"], sites, chosen["sector"], chosen["program"])
    table = drilldown.table(request.user, kind, selection, today=today)
    exported = _export(
        request, [dashboard.Section("rows", "", [table])], f"{kind}-{selection.period.key}"
    )
    if exported is not None:
        return exported
    back = (
        dashboard.site_link(selection, sites[0])
        if len(sites) == 1
        else f"{reverse('network:dashboard')}?{selection.query()}"
    )
    return render(
        request,
        "network/rows.html",
        {"table": table, "selection": selection, "query": request.GET.urlencode(), "back": back},
    )
