from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    """The top layer: MITC management's dashboard, the home of each role, the demo.

    It reads every app through its selectors; no app imports it.
    """

    name = "network"
    verbose_name = _("Network dashboard")

    def ready(self):
        from network import workspace  # noqa: F401 (its panel on the staff's today page)
