"""The project's date formats where Django's own read badly (``FORMAT_MODULE_PATH``).

Only the formats that differ are set; the rest fall back to Django's locale files.
"""
