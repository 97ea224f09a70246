"""Technopark: the operating platform of Morocco's Technopark network.

Importing the project package pins Python's time-zone data to the maintained
``tzdata`` package. The operating system's copy can be years old (Debian
12 ships 2025b, which still puts Morocco at UTC+1 after 2026-09-20), and
``zoneinfo`` would otherwise prefer it. Every entry point (manage.py, WSGI,
pytest) imports the settings, hence this package, before any zone is built.

The C library reads zone files too: the dev server's and gunicorn's log
lines use ``time.localtime()``, which Django points at ``TIME_ZONE`` with
``time.tzset()`` when the settings load. ``TZDIR`` makes it read the same
``tzdata`` files, so those lines are not an hour off after 2026-09-20.
"""

import os
import time
import zoneinfo
from importlib import resources

zoneinfo.reset_tzpath(to=())
zoneinfo.ZoneInfo.clear_cache()

os.environ["TZDIR"] = str(resources.files("tzdata") / "zoneinfo")
if hasattr(time, "tzset"):
    time.tzset()
