from django.db import migrations

VERSIONS = """
    SELECT coalesce(jsonb_object_agg(substr(c.relname, 5), pg_sequence_last_value(c.oid))
                    FILTER (WHERE pg_sequence_last_value(c.oid) IS NOT NULL), '{}')
        INTO versions
        FROM pg_class c
        WHERE c.relkind = 'S' AND c.relname LIKE 'tpv\\_%'
          AND c.relnamespace = current_schema()::regnamespace;
"""

# Which tables other transactions are writing, rather than whether any is: a value
# computed from tables nobody is writing may be kept while the rest of the database
# is busy (under a steady flow of bookings, nothing was ever settled). And which
# database this is (its oid): one dropped and created again, or restored, under the
# same name starts its versions afresh, and must not match what was kept before.
CREATE = (
    """
DROP FUNCTION IF EXISTS technopark_data_version();
CREATE FUNCTION technopark_data_version(OUT versions jsonb, OUT busy text[], OUT db oid)
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    SELECT oid INTO db FROM pg_database WHERE datname = current_database();
"""
    + VERSIONS
    + """
    -- The caller's own transaction wrote: it could still roll back, nothing is kept.
    IF pg_current_xact_id_if_assigned() IS NOT NULL THEN
        busy := NULL;
        RETURN;
    END IF;
    -- Then the writers in flight, read afresh: a writer the versions count has its
    -- transaction id before it draws, so it is either seen here or committed.
    PERFORM pg_stat_clear_snapshot();
    IF NOT EXISTS (
        SELECT FROM pg_stat_activity
        WHERE backend_xid IS NOT NULL AND datname = current_database()
    ) AND NOT EXISTS (SELECT FROM pg_prepared_xacts WHERE database = current_database()) THEN
        busy := '{}';
        RETURN;
    END IF;
    -- Some are: the tables they hold a write lock on. Every change of a table's rows
    -- takes one (ROW EXCLUSIVE or stronger) before it draws, and keeps it until its
    -- transaction ends; a prepared transaction's locks have no process.
    SELECT coalesce(array_agg(DISTINCT c.relname::text), '{}')
        INTO busy
        FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
        WHERE l.locktype = 'relation' AND l.granted AND c.relkind IN ('r', 'p')
          AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
          AND l.mode IN ('RowExclusiveLock', 'ShareRowExclusiveLock', 'ExclusiveLock',
                         'AccessExclusiveLock')
          AND l.pid IS DISTINCT FROM pg_backend_pid();
END $$;
"""
)

PREVIOUS = (
    """
DROP FUNCTION IF EXISTS technopark_data_version();
CREATE FUNCTION technopark_data_version(OUT versions jsonb, OUT settled boolean)
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
"""
    + VERSIONS
    + """
    PERFORM pg_stat_clear_snapshot();
    SELECT pg_current_xact_id_if_assigned() IS NULL
        AND NOT EXISTS (
            SELECT FROM pg_stat_activity
            WHERE backend_xid IS NOT NULL AND datname = current_database()
        )
        AND NOT EXISTS (SELECT FROM pg_prepared_xacts WHERE database = current_database())
        INTO settled;
END $$;
"""
)


class Migration(migrations.Migration):
    """The data's versions say which tables are being written, not only whether any is."""

    dependencies = [
        ("technopark", "0005_data_version"),
    ]

    operations = [
        migrations.RunSQL(CREATE, PREVIOUS),
    ]
