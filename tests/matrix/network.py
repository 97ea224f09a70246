"""Rows of the network layer: a site's dashboard and the rows behind a figure.

(The network dashboard's own row is in ``foundation``.) A site's dashboard is
for its managers and the network managers; the front desk, agents, companies
and other sites' managers get a 404, as if it did not exist.
"""

from tests.matrix import LOGIN, Url, named, row

SITE_MANAGERS = row(LOGIN, 404, 404, 200, 404, 200, 200)

ROWS = {
    "network:site": Url(
        named("network:site", lambda w: w.site.slug, query="period=2025-Q4"), SITE_MANAGERS
    ),
    "network:rows": Url(
        lambda w: named("network:rows", lambda _: "companies", query=f"site={w.site.slug}")(w),
        SITE_MANAGERS,
    ),
}
