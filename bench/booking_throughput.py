"""How many room bookings per second the booking service sustains with concurrent clients.

Usage (from the project's top folder):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/technopark \\
        .venv/bin/python bench/booking_throughput.py [--clients 8] [--seconds 10]

It never touches the database named in DATABASE_URL: it creates a scratch
database beside it (``<name>_bench``) on the same server, migrates it, seeds
a site with 10 rooms, 4 nomad members and 4 companies with free monthly
hours, then lets each client thread book random one-hour slots over the next
two years through ``coworking.services.room_booking_create`` (the real service:
rules, prices, allowance lock, exclusion constraint, the e-mail's job queued) until
the time is up. Slots already taken are refused, as they would be for people.
Then, on emptied tables, the same clients insert the same kind of rows with a
plain ``save()`` (history row and exclusion constraint included, no checks).

It prints the statements one booking takes, both rates and their ratio (the
goal is at least 0.5), and the fairness between the companies booking at the
one site: each company's share of the companies' attempts against its share
of their successful bookings (if companies waited for each other, the shares
would drift apart). Then it drops the scratch database.
"""

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
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


def served_as_in_production(static_root: str) -> dict[str, str]:
    """The settings' environment for DEBUG off over plain HTTP on 127.0.0.1, as the page
    benches serve (production's security settings, minus HTTPS), static files collected
    into ``static_root``."""
    import secrets

    return {
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "STATIC_ROOT": static_root,
    }


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


DAYS_AHEAD = 700  # weekdays over nearly two years: few random slots collide


def workload_days() -> list[dt.date]:
    first = dt.date(2026, 1, 12)
    return [
        first + dt.timedelta(days=n)
        for n in range(DAYS_AHEAD)
        if (first + dt.timedelta(days=n)).weekday() < 5
    ]


NOW = dt.datetime(2026, 1, 5, 8, tzinfo=dt.UTC)


def drive(clients: int, seconds: float, attempt, *, processes: bool) -> tuple[float, list[Counter]]:
    """Run ``clients`` clients calling ``attempt(index, rng)`` until the time is up.

    ``attempt`` returns "booked" or a refusal's code; each client's outcomes are kept
    apart. The clients are processes (as gunicorn's sync workers serve requests in
    production) or threads of this process (which then share one interpreter lock).
    """
    return (_drive_processes if processes else _drive_threads)(clients, seconds, attempt)


def _drive_threads(clients: int, seconds: float, attempt) -> tuple[float, list[Counter]]:
    from django.db import connection

    results = [Counter() for _ in range(clients)]
    barrier = threading.Barrier(clients + 1)
    stop = threading.Event()

    def client(index: int) -> None:
        rng = random.Random(index)  # noqa: S311 - a benchmark's workload
        mine = results[index]
        try:
            connection.ensure_connection()
            barrier.wait()
            while not stop.is_set():
                mine[attempt(index, rng)] += 1
        finally:
            connection.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, results


def _close_connections() -> None:
    """No connection (nor pool) crosses a fork: each process opens its own."""
    from django.db import connections

    connections.close_all()
    for conn in connections.all(initialized_only=True):
        if hasattr(conn, "close_pool"):
            conn.close_pool()


def _drive_processes(clients: int, seconds: float, attempt) -> tuple[float, list[Counter]]:
    import multiprocessing

    context = multiprocessing.get_context("fork")  # the children inherit ``attempt``
    outcomes = context.Queue()
    ready = context.Barrier(clients + 1)
    _close_connections()

    def client(index: int) -> None:
        from django.db import connection

        rng = random.Random(index)  # noqa: S311 - a benchmark's workload
        mine = Counter()
        connection.ensure_connection()
        ready.wait()
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            mine[attempt(index, rng)] += 1
        connection.close()
        outcomes.put((index, mine))

    children = [context.Process(target=client, args=(i,)) for i in range(clients)]
    for child in children:
        child.start()
    ready.wait()
    started = time.perf_counter()
    results = [Counter() for _ in range(clients)]
    for _ in children:
        index, mine = outcomes.get(timeout=seconds + 60)
        results[index] = mine
    elapsed = time.perf_counter() - started
    for child in children:
        child.join()
        if child.exitcode:
            sys.exit(f"A client process failed (exit code {child.exitcode}).")
    return elapsed, results


def statements_per_booking(rooms, people) -> int:
    """The SQL statements one company booking takes through the service (then removed)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from coworking import services
    from coworking.models import RoomBooking

    person, company = people[-1]
    with CaptureQueriesContext(connection) as queries:
        booking = services.room_booking_create(
            actor=person, space=rooms[0], day=dt.date(2027, 12, 6), start=dt.time(8),
            end=dt.time(9), company=company, title="Bench", now=NOW,
        )  # fmt: skip
    RoomBooking.history.filter(id=booking.pk).delete()
    RoomBooking.objects.filter(pk=booking.pk).delete()
    return len(queries)


def empty_bookings() -> None:
    from django.db import connection

    from coworking.models import RoomBooking

    tables = (RoomBooking._meta.db_table, RoomBooking.history.model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")  # events' dates refer to bookings


def run(clients: int, seconds: float) -> dict:
    from django.core.exceptions import ValidationError
    from django.db import IntegrityError, transaction
    from django.db.backends.postgresql.psycopg_any import DateTimeTZRange

    from coworking import services
    from coworking.models import RoomBooking
    from coworking.timing import local_instant

    rooms, people = seed()
    days = workload_days()
    statements = statements_per_booking(rooms, people)

    def through_service(index, rng):
        person, company = people[index % len(people)]
        hour = rng.randint(8, 19)
        try:
            services.room_booking_create(
                actor=person, space=rng.choice(rooms), day=rng.choice(days),
                start=dt.time(hour), end=dt.time(hour + 1), company=company, title="Bench",
                now=NOW,
            )  # fmt: skip
        except ValidationError as exc:
            return exc.code
        return "booked"

    def plain_save(index, rng):
        person, company = people[index % len(people)]
        hour = rng.randint(8, 19)
        room, day = rng.choice(rooms), rng.choice(days)
        booking = RoomBooking(
            space=room,
            during=DateTimeTZRange(
                local_instant(day, dt.time(hour)), local_instant(day, dt.time(hour + 1)), "[)"
            ),
            holder=person, company=company, booked_by=person, title="Bench", price=150,
            created_at=NOW,
        )  # fmt: skip
        try:
            with transaction.atomic():
                booking.save(force_insert=True)
        except IntegrityError:
            return "overlap"
        return "booked"

    figures: dict = {"statements": statements, "people": people}
    for name, attempt, processes in (
        ("service", through_service, True),
        ("plain", plain_save, True),
        ("service in threads", through_service, False),
        ("plain in threads", plain_save, False),
    ):
        empty_bookings()
        elapsed, results = drive(clients, seconds, attempt, processes=processes)
        total = Counter()
        for counter in results:
            total.update(counter)
        booked = RoomBooking.objects.count()
        if booked != total["booked"]:
            sys.exit(f"The database holds {booked} bookings, the clients made {total['booked']}.")
        figures[name] = {
            "elapsed": elapsed,
            "attempts": sum(total.values()),
            "booked": booked,
            "rate": booked / elapsed,
            "refusals": {k: v for k, v in total.items() if k != "booked"},
            "per_client": results,
        }
    return figures


def fairness(people, per_client: list[Counter], clients: int) -> list[tuple[str, float, float]]:
    """Per company: (name, share of the companies' attempts, share of their bookings)."""
    attempts, booked = Counter(), Counter()
    for index, counter in enumerate(per_client):
        company = people[index % len(people)][1]
        if company is not None:
            attempts[company.legal_name] += sum(counter.values())
            booked[company.legal_name] += counter["booked"]
    all_attempts, all_booked = sum(attempts.values()) or 1, sum(booked.values()) or 1
    return [
        (name, attempts[name] / all_attempts, booked[name] / all_booked)
        for name in sorted(attempts)
    ]


def report(figures: dict, clients: int) -> None:
    people = figures["people"]
    print(f"clients: {clients}, PostgreSQL: {server_version()}")
    print(f"statements per company booking through the service: {figures['statements']}")
    for shape, suffix in (
        ("processes (as gunicorn's sync workers serve)", ""),
        ("threads of one process (one interpreter lock)", " in threads"),
    ):
        service, plain = figures[f"service{suffix}"], figures[f"plain{suffix}"]
        print(f"{clients} clients as {shape}:")
        for label, row in (("service", service), ("plain save()", plain)):
            print(
                f"  {label:>13}: {row['booked']} bookings in {row['elapsed']:.1f} s = "
                f"{row['rate']:.1f}/s (attempts {row['attempts']}, refusals {row['refusals']})"
            )
        ratio = service["rate"] / plain["rate"]
        print(f"  ratio service / plain save(): {ratio:.2f}" + ("" if suffix else " (goal >= 0.5)"))
    shares = fairness(people, figures["service"]["per_client"], clients)
    worst = max(abs(a - b) for _, a, b in shares)
    print("fairness at one site, processes (companies' share of attempts -> of bookings):")
    for name, attempted, won in shares:
        print(f"  {name}: {attempted:.1%} -> {won:.1%}")
    print(f"largest gap between the shares: {worst * 100:.1f} points")


def server_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return cursor.fetchone()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL")
    if not url:
        sys.exit(
            "Set DATABASE_URL to the PostgreSQL server to measure (a scratch database is used)."
        )
    bench_url, name, maintenance_url = scratch_url(url)
    recreate(maintenance_url, name)
    os.environ["DATABASE_URL"] = bench_url
    os.environ["EMAIL_URL"] = "dummymail://"  # mails are queued, not sent
    # DEBUG off, as in production (DEBUG records every statement).
    os.environ.update(served_as_in_production(static_root=tempfile.mkdtemp()))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "technopark.settings")
    os.environ.setdefault("DB_POOL_MAX_SIZE", str(args.clients + 4))
    try:
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0)
        report(run(args.clients, args.seconds), args.clients)
    finally:
        _close_connections()
        recreate(maintenance_url, name, drop_only=True)


if __name__ == "__main__":
    main()
