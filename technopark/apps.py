from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _


class TechnoparkConfig(AppConfig):
    name = "technopark"
    verbose_name = _("Network")

    def ready(self):
        from technopark import checks, jobs_access  # noqa: F401 (start-up checks, jobs' policy)


class TechnoparkAdminConfig(AdminConfig):
    """Django's admin, with the site that lets only staff in (technopark.admin_site)."""

    default_site = "technopark.admin_site.TechnoparkAdminSite"
