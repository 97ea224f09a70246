"""The network layer's pages: role-based home, network dashboard, health, login."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from coworking import selectors as coworking_selectors
from sites import selectors as site_selectors
from technopark import access, services
from technopark.forms import LoginForm
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


@never_cache
def healthz(request):
    """200 when the database answers a query, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


@require_POST
def set_language(request):
    """Django's language switch, also remembered on the person's account."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        services.user_set_language(user=request.user, language=language)
    return response


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        # Speak the person's language from the first page after login.
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            form.get_user().language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        )
        return response
