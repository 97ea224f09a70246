"""The one way tests count SQL queries.

``counting_queries()`` records what a block runs (``len()`` is the count,
``.captured_queries`` the SQL); ``get_counted`` and ``queries_to_get`` count what
one page costs. A list page is counted at 1 row and at 50: the same.
"""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def counting_queries() -> CaptureQueriesContext:
    """A context manager that records the queries the block runs on the default database."""
    return CaptureQueriesContext(connection)


def get_counted(client, url, data=None, *, status=200):
    """GET ``url`` (which must answer ``status``): the response and how many queries it took."""
    with counting_queries() as captured:
        response = client.get(url, data or {})
    assert response.status_code == status, f"GET {url} answered {response.status_code}"
    return response, len(captured)


def queries_to_get(client, url, data=None, *, status=200) -> int:
    """How many queries a GET of ``url`` takes (the page must answer ``status``)."""
    return get_counted(client, url, data, status=status)[1]
