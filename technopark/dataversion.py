"""Versions of the data, one per table, that change with every committed write.

What is computed from the data alone (the network dashboard's sections) can
be kept and served again until a table it read is written. After every
INSERT, UPDATE, DELETE or TRUNCATE statement on a table of the project (but
the sessions, the login throttle, the job queue, outgoing mail and the
history rows, which change with their own table), a statement trigger draws
the next value of that table's sequence (``tpv_<table>``). Sequences are
outside transactions, so no writer waits for another to draw, and PostgreSQL
sees every write: the admin's, the jobs', a bulk ``INSERT ... SELECT``.

A drawn value is visible before the transaction that drew it commits (or
rolls back). So ``current()`` reads the sequences first and only then looks
at the transactions in flight and the tables they hold a write lock on
(``busy``; every change of a table's rows takes one before it draws, and
keeps it until its transaction ends). A value computed from tables nobody is
writing (and while the caller's own transaction wrote nothing it could roll
back) sees every write the versions count, and may be kept under them. While
a table it read is being written, a value kept earlier under the same
versions is still right (that write has not drawn yet, or a version would be
higher), but what is computed now is not kept.

``Kept`` is such a store: each value remembers the tables its queries named
(recorded as they run) and their versions, and is computed again as soon as
one of them moved.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.backends.postgresql.psycopg_any import IsolationLevel
from django.utils import timezone

PREFIX = "tpv_"
FUNCTION = "technopark_data_changed"
TRIGGER = "technopark_data_changed"

#: Tables whose writes do not change what is computed from the data.
IGNORED_PREFIXES = ("django_session", "django_migrations", "axes_", "procrastinate_")
IGNORED_TABLES = {"technopark_maildelivery", "technopark_notice", "technopark_digestentry"}


def _history_tables() -> set[str]:
    """The tables of django-simple-history's history models (written with the row they
    record), known by their model, not their name: ``tenants_historicalbaseline`` is data."""
    from django.apps import apps

    return {model._meta.db_table for model in apps.get_models() if hasattr(model, "instance_type")}


def watched(table: str) -> bool:
    return not (
        table.startswith(IGNORED_PREFIXES) or table in IGNORED_TABLES or table in _history_tables()
    )


def install_triggers(using: str = "default") -> int:
    """Give every watched table its sequence and trigger (after each migrate)."""
    connection = connections[using]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regproc(%s) IS NOT NULL", [FUNCTION])
        if not cursor.fetchone()[0]:
            return 0  # before technopark's migration that creates it
        tables = [name for name in connection.introspection.table_names(cursor) if watched(name)]
        cursor.execute(
            "SELECT c.relname, pg_get_triggerdef(t.oid) FROM pg_trigger t "
            "JOIN pg_class c ON c.oid = t.tgrelid WHERE t.tgname = %s",
            [TRIGGER],
        )
        # A flush sends post_migrate again: a table whose trigger draws from its own
        # sequence is left as it is (a renamed table's trigger is put right).
        done = {
            table for table, definition in cursor.fetchall() if f"('{PREFIX}{table}')" in definition
        }
        for table in tables:
            sequence = f"{PREFIX}{table}"
            if not re.fullmatch(r"[a-z0-9_]+", sequence):  # it is written into the trigger
                raise ValueError(f"unexpected table name {table!r}")
            cursor.execute(f"CREATE SEQUENCE IF NOT EXISTS {quote(sequence)} AS bigint")
            if table in done:
                continue
            cursor.execute(
                f"CREATE OR REPLACE TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
                f"ON {quote(table)} FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}('{sequence}')"
            )
    return len(tables)


def on_post_migrate(sender, using="default", **kwargs) -> None:
    install_triggers(using)


@dataclass(frozen=True)
class State:
    """Each watched table's version now, and which tables other transactions are writing."""

    versions: dict[str, int]
    #: The tables being written elsewhere now; None when nothing computed now may be kept.
    busy: frozenset[str] | None
    database: str

    def of(self, tables: Iterable[str]) -> dict[str, int]:
        return {table: self.versions.get(table, 0) for table in tables}

    @property
    def settled(self) -> bool:
        """Whether nothing at all is being written (what is computed now may be kept)."""
        return self.busy is not None and not self.busy

    def keeps(self, tables: Iterable[str]) -> bool:
        """Whether a value computed now from ``tables`` may be kept under these versions."""
        return self.busy is not None and self.busy.isdisjoint(tables)


#: The statement ``current`` runs, for a caller that sends it with others (``read``).
STATEMENT = "SELECT versions, busy, db FROM technopark_data_version()"


def current(using: str = "default") -> State:
    """The data's versions now (one query)."""
    with connections[using].cursor() as cursor:
        cursor.execute(STATEMENT)
        return read(cursor.fetchone(), using)


def read(row: tuple, using: str = "default") -> State:
    """The ``State`` in a row of ``STATEMENT`` run on ``using`` (run it before the
    transaction writes or locks a row: either gives it an id, and nothing is kept)."""
    connection = connections[using]
    versions, busy, database = row
    # The reasoning above holds when each query sees what committed before it (READ
    # COMMITTED, Django's default); under a stricter level nothing is kept.
    isolation = getattr(connection, "isolation_level", IsolationLevel.READ_COMMITTED)
    if isolation != IsolationLevel.READ_COMMITTED:
        busy = None
    if isinstance(versions, str):  # a driver that does not decode jsonb
        import json

        versions = json.loads(versions)
    return State(
        versions or {},
        None if busy is None else frozenset(busy),
        # The database's oid: one created again under the same name starts afresh.
        f"{connection.settings_dict['NAME']}#{database}",
    )


# --- The tables a computation reads ----------------------------------------------------------

_pattern_lock = threading.Lock()
_patterns: dict[str, re.Pattern] = {}


def _table_names(using: str) -> re.Pattern:
    """A pattern matching the name of any watched table (the models' tables)."""
    with _pattern_lock:
        if using not in _patterns:
            from django.apps import apps

            names = sorted(
                {
                    model._meta.db_table
                    for model in apps.get_models()
                    if watched(model._meta.db_table)
                }
                | {
                    field.m2m_db_table()
                    for model in apps.get_models()
                    for field in model._meta.local_many_to_many
                },
                key=len,
                reverse=True,
            )
            _patterns[using] = re.compile(r"\b(" + "|".join(map(re.escape, names)) + r")\b")
        return _patterns[using]


@contextmanager
def reading(using: str = "default"):
    """Record the watched tables named by the queries run inside: ``with reading() as tables``."""
    tables: set[str] = set()
    pattern = _table_names(using)

    def record(execute, sql, params, many, context):
        tables.update(pattern.findall(sql))
        return execute(sql, params, many, context)

    with connections[using].execute_wrapper(record):
        yield tables


# --- A store of values kept per version ------------------------------------------------------


@dataclass(frozen=True)
class _Entry:
    versions: dict[str, int]
    value: Any
    #: When the value stops being right whatever is written (it depends on the time).
    expires: dt.datetime | None = None


class Kept:
    """Values computed from the data, each kept until a table its queries read is written.

    Bounded in number (least recently used first out), in this process's memory.
    """

    def __init__(self, limit: int):
        self.limit = limit
        self._entries: OrderedDict[tuple, _Entry] = OrderedDict()
        self._lock = threading.Lock()

    def valid(self, key: tuple, state: State):
        """The value kept under ``key`` if none of its tables moved since, else None."""
        with self._lock:
            entry = self._entries.get((state.database, *key))
            if entry is None or state.of(entry.versions) != entry.versions:
                return None
            if entry.expires is not None and timezone.now() >= entry.expires:
                return None
            self._entries.move_to_end((state.database, *key))
            return entry.value

    def compute(
        self,
        key: tuple,
        state: State,
        compute: Callable[[], Any],
        *,
        also: Iterable[str] = (),
        expires: Callable[[Any], dt.datetime | None] | None = None,
    ):
        """``compute()``, kept under ``key`` with the tables it read (and ``also``), until
        ``expires(value)`` if given (the moment the value changes by itself)."""
        with reading() as tables:
            value = compute()
        tables |= set(also)
        if state.keeps(tables):
            entry = _Entry(state.of(tables), value, expires(value) if expires else None)
            with self._lock:
                self._entries[(state.database, *key)] = entry
                while len(self._entries) > self.limit:
                    self._entries.popitem(last=False)
        return value

    def get(self, key: tuple, state: State, compute: Callable[[], Any], **kwargs):
        value = self.valid(key, state)
        return value if value is not None else self.compute(key, state, compute, **kwargs)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
