"""Following links the way a person clicks: from a home page, every ``<a href>`` in the site.

``crawl(client, start)`` visits the pages reachable by clicking from ``start``
(GET only, never a form), one page per URL *shape*: ``/admin/tenants/company/12/change/``
and ``/admin/tenants/company/13/change/`` are one page, so is a list under two
sort orders. It returns the pages it read, each with its text and the values
of its attributes, so tests can look at what a person would see.
"""

import re
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

#: Links a person follows but that change state or leave the page's world.
SKIPPED = re.compile(r"^/(accounts/logout|admin/logout|i18n/|static/|media/|healthz)")
#: Attributes whose values are URLs or machine values a person never reads as a number.
URL_ATTRIBUTES = {"href", "action", "src", "value", "data-url", "formaction"}


@dataclass
class Page:
    url: str
    status: int
    text: str = ""
    attributes: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text, self.attributes, self.links = [], [], []
        self._hidden = 0
        self._figure = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._hidden += 1
        # A right-aligned table cell holds a figure (2 036 jobs), not a year or an id.
        if tag == "td" and "text-end" in (dict(attrs).get("class") or ""):
            self._figure += 1
        for name, value in attrs:
            if value and name in URL_ATTRIBUTES:
                self.attributes.append(value)
            if tag == "a" and name == "href" and value:
                self.links.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._hidden:
            self._hidden -= 1
        if tag == "td" and self._figure:
            self._figure -= 1

    def handle_data(self, data):
        if not self._hidden and not self._figure:
            self.text.append(data)


def shape(url: str) -> str:
    """The URL with its numbers blanked and its query reduced to its keys."""
    parts = urlsplit(url)
    keys = sorted({key for key, _ in parse_qsl(parts.query, keep_blank_values=True)})
    return re.sub(r"\d+", "0", parts.path) + ("?" + "&".join(keys) if keys else "")


def read(client, url: str) -> Page:
    response = client.get(url)
    page = Page(url=url, status=response.status_code)
    if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
        reader = _Reader()
        reader.feed(response.content.decode())
        page.text = " ".join(reader.text)
        page.attributes = reader.attributes
        page.links = reader.links
    return page


def crawl(
    client, start: str, *, limit: int = 400, queries: int = 3, admin_queries: int = 1
) -> dict[str, Page]:
    """The pages reachable by clicking from ``start``, one per URL shape, by their URL.

    A path is read under at most ``queries`` query shapes, an admin path under
    ``admin_queries`` (a changelist's filters and sort orders render the same
    template).
    """
    pages: dict[str, Page] = {}
    seen = {shape(start)}
    per_path = Counter({shape(start).split("?")[0]: 1})
    queue = [start]
    while queue and len(pages) < limit:
        url = queue.pop(0)
        page = read(client, url)
        pages[url] = page
        for href in page.links:
            target = urljoin(url, href)
            parts = urlsplit(target)
            if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
                continue
            local = parts.path + (f"?{parts.query}" if parts.query else "")
            if SKIPPED.match(parts.path) or shape(local) in seen:
                continue
            path_shape = shape(local).split("?")[0]
            most = admin_queries if path_shape.startswith("/admin/") else queries
            if per_path[path_shape] >= most:
                continue
            per_path[path_shape] += 1
            seen.add(shape(local))
            queue.append(local)
    return pages
