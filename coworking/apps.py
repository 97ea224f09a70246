from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoworkingConfig(AppConfig):
    name = "coworking"
    verbose_name = _("Coworking")

    def ready(self):
        from coworking import (
            access,  # noqa: F401 (declares the app's access policy)
            workspace,  # noqa: F401 (its panels on the staff's today page)
        )
