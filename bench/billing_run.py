"""How long a monthly invoice run takes, for the demo network and for 5,000 residencies.

Usage (from the project's top folder):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/technopark \\
        .venv/bin/python bench/billing_run.py [--residencies 5000]

It never touches the database named in DATABASE_URL: it creates a scratch
database beside it (``<name>_billing_bench``), migrates it, and:

1. loads the demo network (``manage.py demo``'s seeders, billing left out),
   then times ``invoice_run`` of last month at every site, and a second run
   of the same month (which must bill nothing);
2. adds a site with N companies, each renting one 20 m² office, then times
   the run of one month at that site, issues every draft through
   ``invoice_issue`` and prints the queries per invoice issued.

Then it drops the scratch database.
"""

import datetime as dt
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.booking_throughput import recreate, scratch_url, server_version  # noqa: E402


def _demo_network(today: dt.date):
    from billing.services.run import invoice_run_all
    from coworking import demo as coworking_demo
    from network.demo import seed_people
    from sites.network import network_load
    from technopark.demo import DemoContext
    from tenants.demo import companies, kpi, offices, requests

    network_load()
    ctx = DemoContext(say=lambda *a: None, today=today)
    seed_people(ctx.accounts)
    for seed in (companies.seed, offices.seed, requests.seed, kpi.seed, coworking_demo.seed):
        seed(ctx)
    _entities()
    month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    started = time.perf_counter()
    results = invoice_run_all(month=month)
    first = time.perf_counter() - started
    started = time.perf_counter()
    again = invoice_run_all(month=month)
    second = time.perf_counter() - started
    lines = sum(r.lines_added for r in results)
    drafts = sum(len(r.invoices) for r in results)
    if sum(r.lines_added for r in again):
        sys.exit("A second run of the same month billed again.")
    print(f"demo network, {month:%Y-%m}: {len(results)} sites, {drafts} drafts, {lines} lines "
          f"in {first:.2f} s; the same month again: 0 lines in {second:.2f} s")  # fmt: skip


def _entities():
    from billing import demo
    from sites.models import Site

    for number, site in enumerate(Site.objects.order_by("pk"), start=1):
        demo._entity(site, number)


def _many(count: int, today: dt.date):
    from django.db import connection
    from django.db.backends.postgresql.psycopg_any import DateRange
    from django.test.utils import CaptureQueriesContext

    from billing.models import Invoice, IssuingEntity
    from billing.services import invoice_issue, invoice_run
    from sites.models import Site, SiteStatus, Space, SpaceKind
    from technopark.models import User
    from tenants.models import Company, CompanyStatus, RentTier, Residency, ResidencyOffice

    site = Site.objects.create(name="Technopark Bench", slug="bench", city="Oujda",
                               status=SiteStatus.OPERATING, opening_year=2024)  # fmt: skip
    IssuingEntity.objects.create(site=site, name="MITC Bench", address="Oujda", tax_id="1234567",
                                 tp_number="50012345", ice="001234567000089", rc_number="1",
                                 rc_court="Oujda", prefix="BEN")  # fmt: skip
    start = dt.date(2025, 1, 1)
    companies = Company.objects.bulk_create(
        Company(
            legal_name=f"Bench {n} SARL",
            ice=f"9{n:014d}",
            home_site=site,
            status=CompanyStatus.RESIDENT,
        )  # fmt: skip
        for n in range(count)
    )
    offices = Space.objects.bulk_create(
        Space(site=site, kind=SpaceKind.OFFICE, name=f"B-{n}", area_m2=20) for n in range(count)
    )
    residencies = Residency.objects.bulk_create(
        Residency(company=c, site=site, start=start, tier=RentTier.STARTUP) for c in companies
    )
    ResidencyOffice.objects.bulk_create(
        ResidencyOffice(residency=r, office=o, period=DateRange(start, None), area_m2=20)
        for r, o in zip(residencies, offices, strict=True)
    )
    staff = User.objects.filter(is_superuser=True).order_by("pk").first()
    month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    started = time.perf_counter()
    result = invoice_run(actor=None, site=site, month=month, system=True)
    elapsed = time.perf_counter() - started
    print(f"{count} residencies, {month:%Y-%m}: {len(result.invoices)} drafts, "
          f"{result.lines_added} lines in {elapsed:.2f} s "
          f"({elapsed / max(count, 1) * 1000:.2f} ms per residency)")  # fmt: skip
    drafts = list(Invoice.objects.filter(entity__site=site, number__isnull=True).order_by("pk"))
    counts = []
    started = time.perf_counter()
    for draft in drafts:
        connection.queries_log.clear()  # the log keeps 9,000 queries: count each issue alone
        with CaptureQueriesContext(connection) as captured:
            invoice_issue(actor=staff, invoice=draft, today=today)
        counts.append(len(captured))
    elapsed = time.perf_counter() - started
    print(f"issued {len(drafts)} invoices in {elapsed:.2f} s ({len(drafts) / elapsed:.0f}/s); "
          f"queries per invoice issued: first {counts[0]}, then min {min(counts[1:])} "
          f"max {max(counts[1:])}")  # fmt: skip


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--residencies", type=int, default=5000)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL")
    if not url:
        sys.exit(
            "Set DATABASE_URL to the PostgreSQL server to measure (a scratch database is used)."
        )
    bench_url, name, maintenance_url = scratch_url(url)
    name = name.replace("_bench", "_billing_bench")
    bench_url = bench_url.replace("_bench", "_billing_bench")
    recreate(maintenance_url, name)
    os.environ["DATABASE_URL"] = bench_url
    os.environ["EMAIL_URL"] = "dummymail://"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "technopark.settings")
    try:
        import django
        from django.core.management import call_command
        from django.utils import timezone

        django.setup()
        call_command("migrate", verbosity=0)
        print(f"PostgreSQL {server_version()}")
        today = timezone.localdate()
        _demo_network(today)
        _many(args.residencies, today)
    finally:
        from django.db import connections

        connections.close_all()
        for conn in connections.all(initialized_only=True):
            if hasattr(conn, "close_pool"):
                conn.close_pool()
        recreate(maintenance_url, name, drop_only=True)


if __name__ == "__main__":
    main()
