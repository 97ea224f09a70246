from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = _("Tenants")

    def ready(self):
        from tenants import (  # noqa: F401
            access,  # declares the app's access policy
            privacy,  # answers the erasure of a person's data
            workspace,  # its panels on the staff's today page
        )
