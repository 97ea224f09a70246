from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SitesConfig(AppConfig):
    name = "sites"
    verbose_name = _("Sites")

    def ready(self):
        from sites import access  # noqa: F401 (declares the app's access policy)
