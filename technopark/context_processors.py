from django.conf import settings
from django.utils.translation import get_language_info

from technopark import access


def navigation(request):
    """What the navigation bar needs: the person's surfaces and the languages."""
    user = getattr(request, "user", None)
    return {
        "nav": {
            "network": access.is_network_manager(user),
            "admin": access.is_staff(user),
            "portal": access.is_tenant(user),
        },
        "languages": [get_language_info(code) | {"code": code} for code, _ in settings.LANGUAGES],
    }
