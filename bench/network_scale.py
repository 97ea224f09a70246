"""The network dashboard at demo size and at x10 network scale: server time and queries.

Usage (from the project's top folder):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/technopark \\
        .venv/bin/python bench/network_scale.py [--runs 7]

It never touches the database named in DATABASE_URL: it creates a scratch
database beside it (``<name>_scale``), migrates it and loads the demo. It
times the network dashboard (median of ``--runs`` GETs through Django's test
client, so the whole server side: middleware, queries, templates, charts;
DEBUG off, as production serves, unless ``--debug``)
next to a trivial authenticated page (the password-change form), then bulk
inserts, with ``INSERT ... SELECT generate_series`` SQL, the x10 network:
about 5,000 hosted companies with their offices and contracts, 8 quarters
of KPI reports each, 50,000 one-stop-shop requests, 250,000 room bookings
and 250,000 desk reservations; it times both pages again and prints the
two ratios the issue asks for (dashboard over the trivial page at x10;
dashboard at x10 over dashboard at demo size) and the query counts at both
sizes. The dashboard is timed three ways, because each section is kept until
a table it read is written (``technopark.dataversion``): with nothing written
between GETs (every section kept), after a room booking and after a KPI
report (each GET follows one such write: only the sections that read that
table are computed again), and after a write to every table (every section
computed). Before each timing it runs what the nightly job does (the snapshots
of the closed quarters the page reads) and prints how long that took. Then it
drops the scratch database.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from booking_throughput import recreate, scratch_url, served_as_in_production  # noqa: E402

COMPANIES = 4_850  # the demo's 150 plus these: about 5,000
REQUESTS = 50_000
ROOM_BOOKINGS = 250_000
DESK_RESERVATIONS = 250_000
DESKS = 1_000
ROOMS = 40

SCALE_SQL = [
    # Companies, spread over the operating sites, sectors and programs.
    """
    INSERT INTO tenants_company (legal_name, trade_name, legal_form, ice, rc_number, rc_court,
        tax_id, sector, stage, program, website, description, logo, status, public_profile,
        created_at, home_site_id)
    SELECT 'Bench ' || g || ' SARL', '', 'sarl', '0099' || lpad(g::text, 11, '0'), '', '', '',
        (ARRAY['digital','green_tech','cultural_creative','video_games','other'])[1 + g %% 5],
        'startup',
        (ARRAY['boost_up_lab','start','develop','accelerate','hosting'])[1 + g %% 5],
        '', '', '', 'resident', false, now(), s.ids[1 + g %% array_length(s.ids, 1)]
    FROM generate_series(1, %(companies)s) g,
        (SELECT array_agg(id ORDER BY id) AS ids FROM sites_site WHERE status = 'operating') s
    """,
    # One office each, let since June 2024 (no end).
    """
    INSERT INTO sites_space (kind, name, capacity, area_m2, bookable, hourly_rate, description,
        site_id)
    SELECT 'office', 'Bench office ' || c.id, 4, 20, false, NULL, '', c.home_site_id
    FROM tenants_company c WHERE c.legal_name LIKE 'Bench %%'
    """,
    """
    INSERT INTO tenants_residency (start, firm_end, "end", tier, status, termination_reason,
        created_at, company_id, site_id)
    SELECT date '2024-06-01', NULL, NULL, 'startup', 'active', '', now(), c.id, c.home_site_id
    FROM tenants_company c WHERE c.legal_name LIKE 'Bench %%'
    """,
    """
    INSERT INTO tenants_residencyoffice (period, office_id, residency_id, area_m2)
    SELECT daterange('2024-06-01', NULL, '[)'), o.id, r.id, 20
    FROM tenants_residency r
    JOIN tenants_company c ON c.id = r.company_id
    JOIN sites_space o ON o.name = 'Bench office ' || c.id
    WHERE c.legal_name LIKE 'Bench %%'
    """,
    # Eight quarters of KPI reports per company (the demo's quarters).
    """
    INSERT INTO tenants_kpireport (year, quarter, headcount_full_time, headcount_part_time,
        interns, revenue, funds_raised, export_share, submitted_at, company_id)
    SELECT q.year, q.quarter, 2 + c.id %% 9, c.id %% 3, c.id %% 2, 50000 + (c.id %% 40) * 10000,
        CASE WHEN c.id %% 17 = 0 THEN 500000 ELSE 0 END, (c.id %% 5) * 10, now(), c.id
    FROM tenants_company c,
        (SELECT DISTINCT year, quarter FROM tenants_kpireport) q
    WHERE c.legal_name LIKE 'Bench %%'
    """,
    # 50,000 closed requests over two years, each at a service of its company's site.
    """
    INSERT INTO tenants_servicerequest (description, status, created_at, deadline, closed_at,
        rejection_reason, company_id, service_id)
    SELECT 'Bench', 'resolved', t.filed, (t.filed + interval '5 days')::date,
        t.filed + (g %% 9 + 1) * interval '1 day', '', c.id,
        (SELECT s.id FROM tenants_service s WHERE s.site_id = c.home_site_id
         ORDER BY s.id OFFSET g %% 8 LIMIT 1)
    FROM generate_series(1, %(requests)s) g
    JOIN LATERAL (SELECT id, home_site_id FROM tenants_company
                  WHERE legal_name = 'Bench ' || (1 + g %% %(companies)s) || ' SARL') c ON true
    CROSS JOIN LATERAL (SELECT timestamptz '2024-10-01 09:00+00' + (g %% 720) * interval '1 day'
                        AS filed) t
    """,
    # 40 more meeting rooms, booked one hour after the other (no overlap, no clash with
    # the demo's own bookings).
    """
    INSERT INTO sites_space (kind, name, capacity, area_m2, bookable, hourly_rate, description,
        site_id)
    SELECT 'meeting_room', 'Bench room ' || g, 10, 20, true, 150, '',
        s.ids[1 + g %% array_length(s.ids, 1)]
    FROM generate_series(1, %(rooms)s) g,
        (SELECT array_agg(id ORDER BY id) AS ids FROM sites_site WHERE status = 'operating') s
    """,
    """
    INSERT INTO coworking_roombooking (during, status, title, attendees, price, free_minutes,
        created_at, holder_id, space_id)
    SELECT tstzrange(timestamptz '2024-10-01 00:00+00' + (g / r.n) * interval '1 hour',
                     timestamptz '2024-10-01 01:00+00' + (g / r.n) * interval '1 hour', '[)'),
        'confirmed', 'Bench', 2, 0, 0, now(), u.id, r.ids[1 + g %% r.n]
    FROM generate_series(0, %(bookings)s - 1) g,
        (SELECT array_agg(id ORDER BY id) AS ids, count(*) AS n FROM sites_space
         WHERE name LIKE 'Bench room %%') r,
        (SELECT min(id) AS id FROM technopark_user) u
    """,
    # Desks and their holders (one holder per desk: nobody holds two desks on a day).
    """
    INSERT INTO technopark_user (password, is_superuser, email, full_name, language, is_active,
        is_network_manager, date_joined, notification_mode, email_confirmed)
    SELECT '!', false, 'bench' || g || '@bench.test', 'Bench ' || g, 'fr', true, false, now(),
        'email', true
    FROM generate_series(1, %(desks)s) g
    """,
    """
    INSERT INTO coworking_desk (label, fixed, active, space_id)
    SELECT 'B' || g, false, true, s.ids[1 + g %% array_length(s.ids, 1)]
    FROM generate_series(1, %(desks)s) g,
        (SELECT array_agg(id ORDER BY id) AS ids FROM sites_space WHERE kind = 'coworking') s
    """,
    """
    INSERT INTO coworking_deskreservation (period, status, created_at, desk_id, holder_id)
    SELECT daterange(date '2024-10-01' + (g / %(desks)s)::int,
                     date '2024-10-02' + (g / %(desks)s)::int, '[)'),
        'active', now(), d.ids[1 + g %% %(desks)s], u.ids[1 + g %% %(desks)s]
    FROM generate_series(0, %(reservations)s - 1) g,
        (SELECT array_agg(id ORDER BY id) AS ids FROM coworking_desk WHERE label LIKE 'B%%') d,
        (SELECT array_agg(id ORDER BY id) AS ids FROM technopark_user
         WHERE email LIKE 'bench%%@bench.test') u
    """,
    "ANALYZE",
]


#: What is written before each GET of the dashboard (technopark.dataversion: a section is
#: computed again when a table it read was written).
WRITES = {
    "kept": None,  # nothing: every section as kept
    "after a booking": (
        "UPDATE coworking_roombooking SET title = title "
        "WHERE id = (SELECT min(id) FROM coworking_roombooking)"
    ),
    "after a KPI report": (
        "UPDATE tenants_kpireport SET revenue = revenue "
        "WHERE id = (SELECT min(id) FROM tenants_kpireport)"
    ),
    "computed": (  # every table written: every section computed
        "SELECT nextval(c.oid) FROM pg_class c WHERE c.relkind = 'S' AND c.relname LIKE 'tpv\\_%%'"
    ),
}


def measure(runs: int) -> dict:
    """Median server time and queries of each page: the dashboard with nothing written
    before each GET, after a room booking, and after a write to every table."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from technopark.models import User

    client = Client(HTTP_HOST="127.0.0.1")  # an ALLOWED_HOSTS name of the default settings
    client.force_login(User.objects.get(email="manager@technopark.test"))
    figures = {}
    pages = [(name, reverse("network:dashboard"), write) for name, write in WRITES.items()]
    for name, url, write in [*pages, ("trivial", reverse("password_change"), None)]:
        if client.get(url).status_code != 200:  # warm up (and check)
            sys.exit(f"{url} does not answer 200")
        times = []
        for _ in range(runs):
            if write:
                with connection.cursor() as cursor:
                    cursor.execute(write)
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = client.get(url)
                times.append(time.perf_counter() - start)
            if response.status_code != 200:
                sys.exit(f"{url} answered {response.status_code}")
        figures[name] = (statistics.median(times), len(queries))
    return figures


def counts() -> str:
    from coworking.models import DeskReservation, RoomBooking
    from tenants.models import Company, KPIReport, ServiceRequest

    return (
        f"{Company.objects.count()} companies, {KPIReport.objects.count()} KPI reports, "
        f"{ServiceRequest.objects.count()} requests, {RoomBooking.objects.count()} room "
        f"bookings, {DeskReservation.objects.count()} desk reservations"
    )


def refresh() -> None:
    """What the nightly job does (``network.refresh_snapshots``), for the default period's
    trend: the closed quarters the page reads from snapshots."""
    from django.utils import timezone

    from network.dashboard import TREND_QUARTERS
    from network.snapshots import closed_quarters, quarter_snapshots_refresh

    started = time.perf_counter()
    today = timezone.localdate()
    rows = quarter_snapshots_refresh(today=today, quarters=closed_quarters(today, TREND_QUARTERS))
    seconds = time.perf_counter() - started
    print(f"  snapshots refreshed: {rows} rows in {seconds:.0f} s", flush=True)


def run(runs: int) -> None:
    from django.core.management import call_command
    from django.db import connection

    call_command("demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    refresh()
    demo = measure(runs)
    print(f"demo size: {counts()}", flush=True)
    report(demo)
    started = time.perf_counter()
    params = {
        "companies": COMPANIES,
        "requests": REQUESTS,
        "bookings": ROOM_BOOKINGS,
        "desks": DESKS,
        "rooms": ROOMS,
        "reservations": DESK_RESERVATIONS,
    }
    with connection.cursor() as cursor:
        for statement in SCALE_SQL:
            if "%(" in statement:
                cursor.execute(statement, params)
            else:
                cursor.execute(statement.replace("%%", "%"))
    print(f"x10 data inserted in {time.perf_counter() - started:.0f} s", flush=True)
    refresh()
    scaled = measure(runs)
    print(f"x10 size: {counts()}", flush=True)
    report(scaled)
    trivial = scaled["trivial"][0]
    for name in WRITES:
        print(f"dashboard, {name}:")
        print(
            f"  ratio dashboard / trivial page at x10: "
            f"{scaled[name][0] / trivial:.1f} (target <= 3)"
        )
        print(
            f"  ratio dashboard at x10 / at demo size: "
            f"{scaled[name][0] / demo[name][0]:.2f} (target <= 1.5)"
        )
        print(
            f"  queries: {demo[name][1]} at demo size, {scaled[name][1]} at x10 "
            f"({'the same' if demo[name][1] == scaled[name][1] else 'DIFFERENT'})"
        )


def report(figures: dict) -> None:
    for name in WRITES:
        milliseconds, queries = figures[name]
        print(f"  dashboard, {name}: {milliseconds * 1000:.0f} ms ({queries} queries)")
    milliseconds, queries = figures["trivial"]
    print(f"  trivial page: {milliseconds * 1000:.1f} ms ({queries} queries)", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    parser.add_argument("--debug", action="store_true", help="DEBUG on (the default is off)")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL")
    if not url:
        sys.exit("Set DATABASE_URL to the PostgreSQL server to use (a scratch database is used).")
    bench_url, name, maintenance_url = scratch_url(url)
    name = name.removesuffix("_bench") + "_scale"
    bench_url = bench_url.rsplit("/", 1)[0] + f"/{name}"
    recreate(maintenance_url, name)
    os.environ["DATABASE_URL"] = bench_url
    os.environ["EMAIL_URL"] = "dummymail://"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "technopark.settings")
    if not args.debug:  # as production serves: DEBUG off, collected static files
        os.environ.update(served_as_in_production(tempfile.mkdtemp(prefix="network_scale_static_")))
    try:
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0)
        if not args.debug:
            call_command("collectstatic", interactive=False, verbosity=0)
        run(args.runs)
    finally:
        from django.db import connections

        connections.close_all()
        for conn in connections.all(initialized_only=True):
            if hasattr(conn, "close_pool"):
                conn.close_pool()
        if not args.keep:
            recreate(maintenance_url, name, drop_only=True)


if __name__ == "__main__":
    main()
