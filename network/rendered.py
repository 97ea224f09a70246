"""The dashboard's charts and tables, drawn once per content and language.

Drawing a chart (pygal) and rendering a table of a thousand cells are most of
the dashboard's time, and their figures change only when the data does (the
closed quarters come from nightly snapshots). Each piece is kept here under a
digest of everything it is drawn from (its kind, the language, its figures,
labels and links), so a page whose figures changed draws afresh and one whose
figures did not reuses the same markup: nothing is ever served stale. The
store is this process's memory, bounded in size (least recently used first out), so a
new release starts empty.
"""

from __future__ import annotations

import hashlib
import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable

from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

#: How much markup one process keeps, in characters (a page's pieces take about 1 MB).
LIMIT = 32_000_000

_store: OrderedDict[str, str] = OrderedDict()
_size = 0
_lock = threading.Lock()


def digest(kind: str, content) -> str:
    """A key for ``content`` drawn as ``kind`` in the active language (and its formats)."""
    data = pickle.dumps((kind, translation.get_language(), content), protocol=5)
    return hashlib.blake2b(data, digest_size=20).hexdigest()


def drawn(kind: str, content, draw: Callable[[], str], *, key: str | None = None) -> SafeString:
    """The markup ``draw()`` gives for ``content``, drawn only the first time it is asked
    (``key``: its ``digest``, when the caller already has it)."""
    key = key or digest(kind, content)
    with _lock:
        markup = _store.get(key)
        if markup is not None:
            _store.move_to_end(key)
            return mark_safe(markup)  # noqa: S308 (markup this module drew from safe pieces)
    global _size
    markup = str(draw())
    with _lock:
        if key not in _store:
            _store[key] = markup
            _size += len(markup)
        while _size > LIMIT and _store:
            _size -= len(_store.popitem(last=False)[1])
    return mark_safe(markup)  # noqa: S308 (drawn by pygal or the table template, escaped there)


def forget() -> None:
    """Empty the store (tests that count the work of drawing)."""
    global _size
    with _lock:
        _store.clear()
        _size = 0
