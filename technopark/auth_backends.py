"""Authentication by e-mail, with permissions granted by roles (see access.py)."""

from django.contrib.auth.backends import ModelBackend

from technopark import access


class RoleBackend(ModelBackend):
    """Django's model backend plus the permissions that roles grant in code.

    The rows those permissions apply to are decided by ``access.scope``.
    """

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        cache = getattr(user_obj, "_role_perm_cache", None)
        if cache is None:
            cache = super().get_all_permissions(user_obj) | access.role_permissions(user_obj)
            user_obj._role_perm_cache = cache
        return cache


def axes_username(request, credentials) -> str:
    """The login name as django-axes counts it: case and spaces do not matter."""
    raw = (credentials or {}).get("username") or request.POST.get("username", "")
    return raw.strip().lower()
