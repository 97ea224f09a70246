"""How many room bookings per second the booking service sustains with concurrent clients.

Usage (from the project's top folder):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/technopark \\
        .venv/bin/python bench/booking_throughput.py [--clients 8] [--seconds 20]

It never touches the database named in DATABASE_URL: it creates a scratch
database beside it (``<name>_bench``) on the same server, migrates it, seeds
a site with 10 rooms, 4 nomad members and 4 companies with free monthly
hours, then lets each client thread book random one-hour slots over 12 weeks
through ``coworking.services.room_booking_create`` (the real service: rules,
prices, allowance lock, exclusion constraint, e-mail rendering) until the
time is up. Slots already taken are refused, as they would be for people.
It prints bookings per second and refusals, then drops the scratch database.
"""

import argparse
import datetime as dt
import os
import random
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def scratch_url(url: str) -> tuple[str, str, str]:
    """(scratch database URL, its name, the server's maintenance database URL)."""
    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/') or 'technopark'}_bench"
    return (
        urlunsplit(parts._replace(path=f"/{name}")),
        name,
        urlunsplit(parts._replace(path="/postgres")),
    )


def recreate(maintenance_url: str, name: str, *, drop_only: bool = False) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(maintenance_url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        if not drop_only:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def seed():
    """A site, 10 rooms open 08:00-20:00 on weekdays, 4 nomads, 4 companies with allowances."""
    from coworking.models import Allowance, NomadProfile, OpeningHours, RoomRules
    from sites.models import Site, SiteStatus, Space, SpaceKind
    from technopark.models import User
    from tenants.models import Company, CompanyStatus, Membership

    site = Site.objects.create(
        name="Technopark Bench", slug="bench", city="Essaouira", status=SiteStatus.OPERATING,
        opening_year=2023,
    )  # fmt: skip
    rooms = []
    for n in range(10):
        room = Space.objects.create(
            site=site, kind=SpaceKind.MEETING_ROOM, name=f"Salle {n}", capacity=12,
            bookable=True, hourly_rate=150,
        )  # fmt: skip
        rules = RoomRules.objects.create(space=room, horizon_days=730)
        OpeningHours.objects.bulk_create(
            OpeningHours(rules=rules, weekday=d, opens=dt.time(8), closes=dt.time(20))
            for d in range(5)
        )
        rooms.append(room)
    clients = []
    for n in range(4):
        user = User.objects.create_user(f"nomad{n}@bench.test", "x", full_name=f"Nomade {n}")
        NomadProfile.objects.create(
            user=user, site=site, nationality="Marocaine", document_kind="cin",
            document_number=f"BE{n:06d}", status="approved",
        )  # fmt: skip
        clients.append((user, None))
    for n in range(4):
        company = Company.objects.create(
            legal_name=f"Bench {n} SARL", ice=f"{n:015d}", home_site=site,
            status=CompanyStatus.RESIDENT,
        )  # fmt: skip
        Allowance.objects.create(company=company, site=site, hours_per_month=20)
        user = User.objects.create_user(f"founder{n}@bench.test", "x", full_name=f"Fondateur {n}")
        Membership.objects.create(company=company, user=user, role="admin")
        clients.append((user, company))
    return rooms, clients


def run(clients: int, seconds: float) -> None:
    from django.core.exceptions import ValidationError
    from django.db import connection

    from coworking import services

    rooms, people = seed()
    now = dt.datetime(2026, 1, 5, 8, tzinfo=dt.UTC)
    first = dt.date(2026, 1, 12)
    days = [
        first + dt.timedelta(days=n)
        for n in range(84)
        if (first + dt.timedelta(days=n)).weekday() < 5
    ]
    outcomes = Counter()
    lock = threading.Lock()
    barrier = threading.Barrier(clients + 1)
    stop = threading.Event()

    def client(index: int) -> None:
        rng = random.Random(index)  # noqa: S311 - a benchmark's workload
        person, company = people[index % len(people)]
        mine = Counter()
        try:
            connection.ensure_connection()
            barrier.wait()
            while not stop.is_set():
                hour = rng.randint(8, 19)
                try:
                    services.room_booking_create(
                        actor=person,
                        space=rng.choice(rooms),
                        day=rng.choice(days),
                        start=dt.time(hour),
                        end=dt.time(hour + 1),
                        company=company,
                        title="Bench",
                        now=now,
                    )
                    mine["booked"] += 1
                except ValidationError as exc:
                    mine[exc.code] += 1
        finally:
            connection.close()
            with lock:
                outcomes.update(mine)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started

    from coworking.models import RoomBooking

    booked = RoomBooking.objects.count()
    if booked != outcomes["booked"]:
        sys.exit(f"The database holds {booked} bookings, the clients made {outcomes['booked']}.")
    attempts = sum(outcomes.values())
    refused = attempts - outcomes["booked"]
    print(f"clients: {clients}, duration: {elapsed:.1f} s, PostgreSQL: {server_version()}")
    print(f"attempts: {attempts} ({attempts / elapsed:.0f}/s)")
    print(f"bookings: {booked} ({booked / elapsed:.0f} bookings per second)")
    print(f"refusals: {refused} ({dict((k, v) for k, v in outcomes.items() if k != 'booked')})")


def server_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return cursor.fetchone()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL")
    if not url:
        sys.exit(
            "Set DATABASE_URL to the PostgreSQL server to measure (a scratch database is used)."
        )
    bench_url, name, maintenance_url = scratch_url(url)
    recreate(maintenance_url, name)
    os.environ["DATABASE_URL"] = bench_url
    os.environ["EMAIL_URL"] = "dummymail://"  # mails are rendered, not sent
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "technopark.settings")
    os.environ.setdefault("DB_POOL_MAX_SIZE", str(args.clients + 4))
    try:
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0)
        run(args.clients, args.seconds)
    finally:
        from django.db import connections

        connections.close_all()
        for conn in connections.all(initialized_only=True):
            if hasattr(conn, "close_pool"):
                conn.close_pool()
        recreate(maintenance_url, name, drop_only=True)


if __name__ == "__main__":
    main()
