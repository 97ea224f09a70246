"""The data's version: every committed write makes a new one; in-flight writes are seen."""

import psycopg
import pytest
from django.db import connection, transaction

from sites.models import Site
from technopark import dataversion
from tests.factories import SiteFactory, SpaceFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _other_connection():
    settings = connection.settings_dict
    return psycopg.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        host=settings["HOST"],
        port=settings["PORT"] or 5432,
        password=settings["PASSWORD"] or None,
    )


def test_every_watched_table_has_its_sequence_and_trigger():
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname = %s",
            [dataversion.TRIGGER],
        )
        triggered = {row[0] for row in cursor.fetchall()}
        cursor.execute("SELECT relname FROM pg_class WHERE relkind = 'S' AND relname LIKE 'tpv%%'")
        sequences = {row[0] for row in cursor.fetchall()}
    watched = {table for table in tables if dataversion.watched(table)}
    assert watched == triggered
    assert {f"{dataversion.PREFIX}{table}" for table in watched} <= sequences
    assert {
        "tenants_company", "coworking_roombooking", "network_quartersnapshot",
        "tenants_historicalbaseline",  # data the network managers enter, not a history table
    } <= watched  # fmt: skip
    assert not {
        "django_session", "procrastinate_jobs", "tenants_historicalcompany",
        "tenants_historicalhistoricalbaseline",
    } & watched  # fmt: skip


def test_each_write_moves_its_table_only_and_a_read_moves_nothing():
    before = dataversion.current()
    assert before.settled
    assert dataversion.current().versions == before.versions  # reads change nothing
    site = SiteFactory()
    created = dataversion.current()
    assert created.versions["sites_site"] > before.versions.get("sites_site", 0)
    Site.objects.filter(pk=site.pk).update(city="Autre ville")
    updated = dataversion.current()
    assert updated.versions["sites_site"] > created.versions["sites_site"]
    assert updated.of(["tenants_company"]) == before.of(["tenants_company"])
    Site.objects.filter(pk=site.pk).delete()
    assert dataversion.current().versions["sites_site"] > updated.versions["sites_site"]


def test_a_transaction_that_wrote_does_not_settle_its_own_reads():
    with transaction.atomic():
        assert dataversion.current().settled  # nothing written yet
        SiteFactory()
        assert not dataversion.current().settled  # it could still roll back
    assert dataversion.current().settled


def test_a_write_in_flight_elsewhere_is_seen_until_it_commits():
    site = SiteFactory()
    before = dataversion.current()
    other = _other_connection()
    try:
        other.execute("UPDATE sites_site SET city = 'En cours' WHERE id = %s", [site.pk])
        during = dataversion.current()
        assert during.versions["sites_site"] > before.versions["sites_site"]  # drawn first...
        assert not during.settled  # ...so what is read now from that table is not kept
        assert "sites_site" in during.busy
        assert not during.keeps({"sites_site", "sites_space"})
        assert during.keeps({"tenants_company"})  # a table nobody is writing
        other.commit()
        after = dataversion.current()
        assert after.settled
        assert after.versions == during.versions
        assert Site.objects.get(pk=site.pk).city == "En cours"
    finally:
        other.close()


def test_the_tables_a_computation_reads_are_recorded():
    with dataversion.reading() as tables:
        list(Site.objects.filter(spaces__name__isnull=False)[:1])
    assert tables == {"sites_site", "sites_space"}


def test_a_kept_value_lasts_until_a_table_it_read_is_written():
    kept = dataversion.Kept(limit=10)
    calls = []

    def count_sites():
        calls.append(1)
        return Site.objects.count()

    SiteFactory()
    assert kept.get(("sites",), dataversion.current(), count_sites) == 1
    assert kept.get(("sites",), dataversion.current(), count_sites) == 1
    assert len(calls) == 1
    UserFactory()  # another table: still kept
    assert kept.get(("sites",), dataversion.current(), count_sites) == 1
    assert len(calls) == 1
    SiteFactory()
    assert kept.get(("sites",), dataversion.current(), count_sites) == 2
    assert len(calls) == 2
    with transaction.atomic():  # computed inside a transaction that wrote: not kept
        SiteFactory()
        assert kept.get(("sites",), dataversion.current(), count_sites) == 3
    assert kept.get(("sites",), dataversion.current(), count_sites) == 3
    assert len(calls) == 4


def test_installing_again_puts_back_a_missing_or_wrong_trigger_and_keeps_the_others():
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER {dataversion.TRIGGER} ON sites_site")
        cursor.execute(
            f"CREATE OR REPLACE TRIGGER {dataversion.TRIGGER} AFTER INSERT OR UPDATE OR DELETE "
            f"ON sites_space FOR EACH STATEMENT "
            f"EXECUTE FUNCTION {dataversion.FUNCTION}('tpv_sites_closure')"  # as after a rename
        )
    dataversion.install_triggers()
    before = dataversion.current()
    site = SiteFactory()
    SpaceFactory(site=site)
    after = dataversion.current()
    assert after.versions["sites_site"] > before.versions.get("sites_site", 0)
    assert after.versions["sites_space"] > before.versions.get("sites_space", 0)
    assert after.of(["sites_closure"]) == before.of(["sites_closure"])


def test_a_value_is_kept_while_other_tables_are_being_written_but_not_its_own():
    kept = dataversion.Kept(limit=10)
    calls = []

    def count_sites():
        calls.append(1)
        return Site.objects.count()

    SiteFactory()
    other = _other_connection()
    try:
        other.execute("UPDATE technopark_user SET full_name = full_name")  # in flight
        assert kept.get(("sites",), dataversion.current(), count_sites) == 1
        assert kept.get(("sites",), dataversion.current(), count_sites) == 1
        assert len(calls) == 1  # kept: nobody was writing the sites
        other.commit()
        site = SiteFactory()
        other.execute("UPDATE sites_site SET city = 'En cours' WHERE id = %s", [site.pk])
        kept.clear()
        assert kept.get(("sites",), dataversion.current(), count_sites) == 2
        assert kept.get(("sites",), dataversion.current(), count_sites) == 2
        assert len(calls) == 3  # the sites were being written: not kept
        other.rollback()
    finally:
        other.close()


def test_the_versions_name_the_database_by_its_oid():
    """A database dropped and created again under the same name (a restore) starts its
    sequences afresh: its versions must not match what was kept from the old one."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT oid FROM pg_database WHERE datname = current_database()")
        (oid,) = cursor.fetchone()
    assert dataversion.current().database == f"{connection.settings_dict['NAME']}#{oid}"
