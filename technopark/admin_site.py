"""The staff admin's door: superusers, network managers and site staff.

Anyone else signed in gets 404, as if the admin did not exist; anonymous
visitors go to the one login page, which django-axes throttles. Inside, a
refusal is 404 as well, so the admin never confirms that a row exists.
"""

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from technopark import access, workspace


class TechnoparkAdminSite(admin.AdminSite):
    site_header = _("Technopark staff")
    site_title = _("Technopark staff")
    index_title = _("Today at your sites")
    #: The today page lists every list; without the side menu a list has the
    #: whole width of a 1366 px screen, so its status and deadline show.
    enable_nav_sidebar = False

    def index(self, request, extra_context=None):
        """Each staff member's today page: what waits at their sites, then the lists."""
        context = {
            "today_panels": workspace.panels_for(request),
            "today_date": timezone.localdate(),
            **(extra_context or {}),
        }
        return super().index(request, context)

    def has_permission(self, request):
        return access.is_staff(request.user)

    def admin_view(self, view, cacheable=False):
        wrapped = super().admin_view(view, cacheable)

        def inner(request, *args, **kwargs):
            if not self.has_permission(request):
                if request.user.is_authenticated:
                    raise Http404
                if request.path != reverse("admin:logout", current_app=self.name):
                    return redirect_to_login(request.get_full_path())
            try:
                return wrapped(request, *args, **kwargs)
            except PermissionDenied:
                raise Http404 from None

        return inner

    def login(self, request, extra_context=None):
        """One login page for everybody, throttled by django-axes."""
        next_url = request.GET.get("next") or reverse("admin:index", current_app=self.name)
        return redirect_to_login(next_url)

    def get_urls(self):
        urls = [url for url in super().get_urls() if getattr(url, "name", None) != "view_on_site"]
        return [
            path(
                "r/<int:content_type_id>/<path:object_id>/",
                self.admin_view(self.view_on_site),
                name="view_on_site",
            ),
            *urls,
        ]

    def view_on_site(self, request, content_type_id, object_id):
        """Django's "view on site" shortcut, for rows in the person's scope only."""
        model = get_object_or_404(ContentType, pk=content_type_id).model_class()
        if model is None or model._meta.label_lower not in access.SCOPES:
            raise Http404
        obj = access.get_object_or_404(model._default_manager.all(), request.user, pk=object_id)
        if not hasattr(obj, "get_absolute_url"):
            raise Http404
        return redirect(obj.get_absolute_url())
