from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class TechnoparkConfig(AppConfig):
    name = "technopark"
    verbose_name = _("Network")

    def ready(self):
        from technopark import (  # noqa: F401 (start-up checks, jobs' policy)
            checks,
            dataversion,
            jobs_access,
        )

        # After every migrate, every table (new ones too) draws the data's version when written.
        post_migrate.connect(dataversion.on_post_migrate, sender=self)


class TechnoparkAdminConfig(AdminConfig):
    """Django's admin, with the site that lets only staff in (technopark.admin_site)."""

    default_site = "technopark.admin_site.TechnoparkAdminSite"
