"""Requests per second of four pages next to a one-query, one-template reference page.

Usage (from the project's top folder):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/technopark \\
        .venv/bin/python bench/page_speed.py [--seconds 8] [--connections 4] [--template DB]

It never touches the database named in DATABASE_URL: it creates a scratch
database beside it (``<name>_pages``) and loads the demo into it (or, with
``--template DB``, copies a database that already holds the demo). It
collects the static files into a scratch folder and starts gunicorn (2 sync
workers, DEBUG off) on the settings of ``bench/page_speed_settings.py``, whose
URL conf adds the reference page (TechEmpower's "fortunes" shape,
``bench/page_speed_urls.py``; production never serves it). Then wrk (Debian's
``wrk`` package) loads, one after the other:

- the reference page;
- the portal home, logged in as the demo's founder;
- a room calendar day at Essaouira, logged in as the founder;
- the public home, anonymous;
- the same calendar day after the site's rooms are multiplied by ten
  (each room copied nine times with its rules, opening hours and that day's
  bookings).

It prints each page's requests per second and its ratio to the reference
(goal: at least 0.1) and the calendar at x10 rooms against demo size (goal:
within 1.5x of its time), then stops gunicorn and drops the scratch database.
"""

# ruff: noqa: S603, S310 - it runs our own tools and fetches from our own server

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from booking_throughput import recreate, scratch_url, served_as_in_production  # noqa: E402

SITE = "essaouira"
DAY = "2026-12-02"  # a demo day with bookings in every room of the site
FOUNDER = "founder@atlas-games.test"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def copy_database(maintenance_url: str, name: str, template: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(maintenance_url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(name), sql.Identifier(template)
            )
        )


def session_cookie(email: str) -> str:
    from django.test import Client

    from technopark.models import User

    client = Client()
    client.force_login(User.objects.get(email=email))
    return client.cookies["sessionid"].value


def multiply_rooms(times: int) -> int:
    """Copy each bookable room of SITE ``times - 1`` times, with rules, hours and DAY's bookings."""
    import datetime as dt

    from coworking.models import OpeningHours, RoomBooking, RoomRules
    from sites.models import Space
    from technopark import clock

    rooms = list(Space.objects.filter(site__slug=SITE, bookable=True))
    start, end = clock.day_bounds(dt.date.fromisoformat(DAY))
    for room in rooms:
        rules = RoomRules.objects.get(space=room)
        hours = list(OpeningHours.objects.filter(rules=rules))
        bookings = list(
            RoomBooking.objects.filter(space=room, during__overlap=(start, end)).order_by()
        )
        for n in range(1, times):
            copy = Space.objects.get(pk=room.pk)
            copy.pk = None
            for language in ("fr", "ar", "en"):  # each language's name is unique per site
                name = getattr(room, f"name_{language}")
                setattr(copy, f"name_{language}", f"{name} ({n + 1})" if name else name)
            copy.save()
            new_rules = RoomRules.objects.get(pk=rules.pk)
            new_rules.pk, new_rules.space = None, copy
            new_rules.save()
            OpeningHours.objects.bulk_create(
                OpeningHours(rules=new_rules, weekday=h.weekday, opens=h.opens, closes=h.closes)
                for h in hours
            )
            for booking in bookings:
                booking.pk, booking.space = None, copy
                booking.save(force_insert=True)
    return Space.objects.filter(site__slug=SITE, bookable=True).count()


def wrk(url: str, *, seconds: float, connections: int, cookie: str | None) -> float:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds:g}s", "--latency", url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: sessionid={cookie}"]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    if "Non-2xx" in out:
        sys.exit(f"{url} answered errors under load:\n{out}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def check(url: str, cookie: str | None) -> None:
    request = urllib.request.Request(url)
    if cookie:
        request.add_header("Cookie", f"sessionid={cookie}")
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - our server
        if response.status != 200 or response.url != url:
            sys.exit(f"{url} answered {response.status} at {response.url}")


def start_server(env: dict, port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "--pythonpath",
            f"{ROOT},{ROOT / 'bench'}",
            "technopark.wsgi:application",
        ],  # fmt: skip
        env=env,
        cwd=ROOT,
    )
    for _ in range(200):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    sys.exit("gunicorn did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--template", help="a database holding the demo, copied instead")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL")
    if not url:
        sys.exit("Set DATABASE_URL to the PostgreSQL server to use (a scratch database is used).")
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install -y wrk")
    bench_url, name, maintenance_url = scratch_url(url)
    name = name.removesuffix("_bench") + "_pages"
    bench_url = bench_url.rsplit("/", 1)[0] + f"/{name}"
    static = tempfile.mkdtemp(prefix="page_speed_static_")
    env = dict(
        os.environ,
        DATABASE_URL=bench_url,
        DJANGO_SETTINGS_MODULE="page_speed_settings",
        PYTHONPATH=f"{ROOT}{os.pathsep}{ROOT / 'bench'}",
        **served_as_in_production(static),
        EMAIL_URL="dummymail://",
        DB_POOL_MAX_SIZE="4",
    )
    os.environ.update(env)
    server = None
    try:
        if args.template:
            copy_database(maintenance_url, name, args.template)
        else:
            recreate(maintenance_url, name)
        manage = [sys.executable, str(ROOT / "manage.py")]
        if not args.template:
            subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)
            subprocess.run([*manage, "demo"], env=env, check=True, stdout=subprocess.DEVNULL)
        subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], env=env, check=True)
        import django

        django.setup()
        cookie = session_cookie(FOUNDER)
        port = free_port()
        server = start_server(env, port)
        base = f"http://127.0.0.1:{port}"
        pages = [
            ("reference (fortunes)", "/bench/fortunes/", None),
            ("portal home (founder)", "/portal/", cookie),
            ("room calendar day (founder)", f"/calendar/{SITE}/day/?date={DAY}", cookie),
            ("public home", "/", None),
        ]
        rates = {}
        for label, path, who in pages:
            check(base + path, who)
            wrk(base + path, seconds=2, connections=args.connections, cookie=who)  # warm up
            rates[label] = wrk(
                base + path, seconds=args.seconds, connections=args.connections, cookie=who
            )
        from sites.models import Space

        demo_rooms = Space.objects.filter(site__slug=SITE, bookable=True).count()
        rooms = multiply_rooms(10)
        calendar = f"/calendar/{SITE}/day/?date={DAY}"
        check(base + calendar, cookie)
        wrk(base + calendar, seconds=2, connections=args.connections, cookie=cookie)
        big = wrk(
            base + calendar, seconds=args.seconds, connections=args.connections, cookie=cookie
        )
        reference = rates["reference (fortunes)"]
        print(f"gunicorn 2 workers, DEBUG off, wrk {args.connections} connections, "
              f"{args.seconds:g} s per page")  # fmt: skip
        for label, rate in rates.items():
            print(f"{label:>30}: {rate:8.1f} req/s  {rate / reference:5.3f}x reference")
        small = rates["room calendar day (founder)"]
        print(
            f"{'calendar at ' + str(rooms) + ' rooms':>30}: {big:8.1f} req/s  "
            f"{big / reference:5.3f}x reference; time {small / big:.2f}x that at "
            f"{demo_rooms} rooms (goal <= 1.5x)"
        )
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(60)
            except subprocess.TimeoutExpired:
                server.kill()
        from django.db import connections

        connections.close_all()
        for conn in connections.all(initialized_only=True):
            if hasattr(conn, "close_pool"):
                conn.close_pool()
        recreate(maintenance_url, name, drop_only=True)
        shutil.rmtree(static, ignore_errors=True)


if __name__ == "__main__":
    main()
