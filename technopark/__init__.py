"""Technopark: the operating platform of Morocco's Technopark network.

Importing the project package pins Python's time-zone data to the maintained
``tzdata`` package. The operating system's copy can be years old (Debian
12 ships 2025b, which still puts Morocco at UTC+1 after 2026-09-20), and
``zoneinfo`` would otherwise prefer it. Every entry point (manage.py, WSGI,
pytest) imports the settings, hence this package, before any zone is built.
"""

import zoneinfo

zoneinfo.reset_tzpath(to=())
zoneinfo.ZoneInfo.clear_cache()
