"""Settings for ``bench/page_speed.py`` only: the project's, plus the reference view's URL.

The reference view (``bench/page_speed_urls.py``) never ships: production's
``ROOT_URLCONF`` is ``technopark.urls``, which does not include it.
"""

from technopark.settings import *  # noqa: F403

ROOT_URLCONF = "page_speed_urls"
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BASE_DIR / "bench" / "templates"]  # noqa: F405
