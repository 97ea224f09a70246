from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = _("Tenants")

    def ready(self):
        from tenants import (
            access,  # noqa: F401 (declares the app's access policy)
            workspace,  # noqa: F401 (its panels on the staff's today page)
        )
