"""Authentication by e-mail, with permissions granted by roles (see access.py)."""

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.db.models import Sum

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


def client_ip(request) -> str:
    """The client's address as the nearest trusted proxy saw it.

    With ``TRUSTED_PROXY_COUNT = n`` proxies (load balancers) in front, each
    appends the address it received from; the client's address is the n-th
    entry from the right of ``X-Forwarded-For``. Entries further left were
    written by the client and prove nothing. Without proxies, ``REMOTE_ADDR``.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    remote = request.META.get("REMOTE_ADDR", "")
    if not proxies:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [hop for hop in hops if hop]
    return hops[-proxies] if len(hops) >= proxies else remote  # type: ignore[index]  # an int setting


class ThrottleHandler(AxesDatabaseHandler):
    """django-axes counting failures by account *and* address first, by address alone later.

    With ``AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]``
    axes returns two counts: one account from one address, and one address on
    any accounts. The first locks at ``AXES_FAILURE_LIMIT``, so someone who
    mistypes is stopped, and nobody elsewhere can lock another person out by
    guessing their password. The second locks only at
    ``AXES_ADDRESS_FAILURE_LIMIT``, much higher, because a whole park can share
    one public address; it stops someone trying many accounts.
    """

    def get_failures(self, request, credentials=None) -> int:
        account_here, address = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        if address >= settings.AXES_ADDRESS_FAILURE_LIMIT:
            return max(account_here, settings.AXES_FAILURE_LIMIT)  # type: ignore[return-value]
        return account_here
