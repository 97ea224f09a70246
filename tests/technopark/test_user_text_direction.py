"""Text people write (descriptions, messages, notes, reasons) keeps its own direction:
French inside an Arabic page keeps its punctuation where it belongs, and the reverse.

Each place a page prints such a field sits in an element with ``dir="auto"`` (or a
``<bdi>``), so the browser takes the direction from the text itself.
"""

import re
from pathlib import Path

from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "templates"
#: Fields whose content people type, by the end of their name.
WRITTEN = re.compile(
    r"{{\s*[\w.]+\.(description|summary|body|pitch|note|message|[a-z_]*reason|title)\b[^}]*}}"
)
#: Titles of pages and of the network dashboard's tables are the interface's, not people's.
NOT_WRITTEN = ("table.title", "section.title", "chart.title", "panel.title")


def _pages():
    for path in TEMPLATES.rglob("*.html"):
        # E-mails are plain text; the admin's history page is the admin's own layout.
        if "emails" in path.parts or "simple_history" in path.parts:
            continue
        yield path


def test_every_written_text_is_shown_with_its_own_direction():
    missing = []
    for path in _pages():
        for number, line in enumerate(path.read_text().splitlines(), 1):
            line = re.sub(r"{% block title %}.*?{% endblock %}", "", line)
            for match in WRITTEN.finditer(line):
                text = match.group(0)
                if any(name in text for name in NOT_WRITTEN):
                    continue
                before = line[: match.start()]
                opened = before.rfind("<")
                tag = before[opened:] if opened >= 0 else ""
                if 'dir="auto"' in tag or tag.startswith("<bdi"):
                    continue
                missing.append(f"{path.relative_to(TEMPLATES)}:{number}: {text}")
    assert missing == []


def test_the_site_page_shows_its_description_and_address_with_their_direction():
    page = (TEMPLATES / "sites" / "site_detail.html").read_text()
    assert '<p dir="auto">{{ site.description }}</p>' in page
    assert '<address dir="auto">{{ site.address|linebreaksbr }}</address>' in page
