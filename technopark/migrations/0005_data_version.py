from django.db import migrations

# Self-contained: technopark/dataversion.py names the same functions, and puts a
# sequence (tpv_<table>) and this trigger on every table after each migrate, so
# the tables later migrations create get theirs too.
CREATE = """
CREATE OR REPLACE FUNCTION technopark_data_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM nextval(TG_ARGV[0]::regclass);
    RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION technopark_data_version(OUT versions jsonb, OUT settled boolean)
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    SELECT coalesce(jsonb_object_agg(substr(c.relname, 5), pg_sequence_last_value(c.oid))
                    FILTER (WHERE pg_sequence_last_value(c.oid) IS NOT NULL), '{}')
        INTO versions
        FROM pg_class c
        WHERE c.relkind = 'S' AND c.relname LIKE 'tpv\\_%'
          AND c.relnamespace = current_schema()::regnamespace;
    -- Then the writers in flight, read afresh: a writer the versions count has its
    -- transaction id before it draws, so it is either seen here or committed.
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

DROP = """
DROP FUNCTION IF EXISTS technopark_data_version();
DROP FUNCTION IF EXISTS technopark_data_changed() CASCADE;
"""


class Migration(migrations.Migration):
    """The data's versions: a sequence per table that every write draws from."""

    dependencies = [
        ("technopark", "0004_user_erasure"),
    ]

    operations = [
        migrations.RunSQL(CREATE, DROP),
    ]
