"""When the database cannot be reached: a translated 503 page, never a 500.

During a PostgreSQL restart or a failover, or when every pooled connection is
busy for ``DB_POOL_TIMEOUT`` seconds, Django raises ``OperationalError`` (or
``InterfaceError`` on a connection that died). People get a page saying to
come back in a moment, with ``Retry-After``; a form's page says that what they
typed is still there to send again. The outage is logged once a minute per
process, not once per request.

Two ways in, because exceptions reach Django's handler by two roads: views'
exceptions through :class:`DatabaseUnavailableMiddleware` (also under DEBUG),
middleware's own (sessions, authentication) through :func:`server_error`,
the ``handler500``.
"""

import logging
import sys
import time

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.views.defaults import server_error as django_server_error

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 10
LOG_EVERY_SECONDS = 60
_last_logged = [0.0]


def is_unavailable(error: BaseException | None) -> bool:
    return isinstance(error, OperationalError | InterfaceError)


def unavailable_response(request, error: BaseException | None) -> HttpResponse:
    now = time.monotonic()
    if now - _last_logged[0] >= LOG_EVERY_SECONDS:
        _last_logged[0] = now
        logger.error("Database unavailable, answering 503: %s", error)
    page = render_to_string(
        "503.html",
        {
            "retry_after": RETRY_AFTER_SECONDS,
            "resubmit": request.method not in ("GET", "HEAD"),
            "path": request.get_full_path(),
        },
    )
    response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """Turns a view's lost database into the 503 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_unavailable(exception):
            return unavailable_response(request, exception)
        return None


def server_error(request, *args, **kwargs):
    """Django's 500 page, or the 503 page when what failed is the database."""
    error = sys.exc_info()[1]
    if is_unavailable(error):
        return unavailable_response(request, error)
    return django_server_error(request, *args, **kwargs)
