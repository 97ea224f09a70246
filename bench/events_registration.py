"""Registrations per second over HTTP on gunicorn, 16 clients at once, and the seats they leave.

Usage (from the project's top folder):

    .venv/bin/python bench/events_registration.py [--clients 16] [--each 40] [--seats 300]

DATABASE_URL names the PostgreSQL server only; the script creates a scratch
database beside it (``technopark_events_bench``), migrates it, loads the
network, publishes one event (``--seats`` seats) in an operating site's
agora, then starts gunicorn (2 workers x 8 threads, DEBUG=false, as
bench/booking_race.py does). Each of the ``--clients`` clients (its own
cookies) fetches the event page for its CSRF token, then the clients post
``--each`` visitor registrations each, all at once (a barrier releases
them), every one with its own address. It prints the registrations per
second, the status codes, and what PostgreSQL holds: the seats taken must be
``min(seats, registrations)``, the registrations holding a seat the same
number, and every other registration on the waiting list. The exit status is
1 if any of that is not so; the scratch database is dropped at the end.
"""

import argparse
import datetime as dt
import http.client
import os
import re
import secrets
import sys
import tempfile
import threading
import time
import urllib.error
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.booking_race import (  # noqa: E402 - the path above first
    Client,
    free_port,
    manage,
    recreate,
    scratch_urls,
    start_server,
    stop_server,
)


def seed(seats: int):
    from events import services
    from events.models import EventKind
    from sites.models import Site, SiteStatus, Space, SpaceKind
    from technopark.clock import local_datetime
    from technopark.models import User

    site = Site.objects.filter(status=SiteStatus.OPERATING).order_by("pk").first()
    room = Space.objects.create(
        site=site, kind=SpaceKind.AGORA, name="Agora du banc d'essai", capacity=seats,
        bookable=True, hourly_rate=0,
    )  # fmt: skip
    staff = User.objects.create_user("bench@events.test", secrets.token_urlsafe(12))
    staff.is_superuser = True
    staff.save()
    from django.utils import timezone

    day = timezone.localdate() + dt.timedelta(days=20)
    event = services.event_create(
        actor=staff, room=room, title="Banc d'essai", kind=EventKind.TALK,
        dates=[(local_datetime(day, dt.time(18)), local_datetime(day, dt.time(20)))],
        capacity=seats,
    )  # fmt: skip
    return services.event_publish(actor=staff, event=event)


def run(base: str, path: str, clients: int, each: int) -> dict:
    people = [Client(base) for _ in range(clients)]
    tokens = []
    for person in people:
        status, html = person.request(path)
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        if status != 200 or not found:
            raise RuntimeError(f"the event page answered {status} without a CSRF token")
        tokens.append(found.group(1))
    outcomes: Counter = Counter()
    lock = threading.Lock()
    barrier = threading.Barrier(clients)

    def register(index: int) -> None:
        barrier.wait()
        for n in range(each):
            data = {
                "csrfmiddlewaretoken": tokens[index], "name": f"Visiteur {index}-{n}",
                "email": f"v{index}-{n}@bench.test", "organisation": "Banc", "consent": "on",
            }  # fmt: skip
            try:
                status, _ = people[index].request(path, data)
                outcome = str(status)
            except (ConnectionError, http.client.HTTPException, urllib.error.URLError) as exc:
                outcome = type(exc).__name__
            with lock:
                outcomes[outcome] += 1

    threads = [threading.Thread(target=register, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"outcomes": outcomes, "elapsed": time.perf_counter() - started}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--each", type=int, default=40)
    parser.add_argument("--seats", type=int, default=300)
    parser.add_argument("--scratch", default="technopark_events_bench")
    args = parser.parse_args()
    server_url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/technopark")
    bench_url, maintenance_url = scratch_urls(server_url, args.scratch)
    recreate(maintenance_url, args.scratch)
    static_root = tempfile.TemporaryDirectory(prefix="events_bench_static_")
    env = {
        **os.environ,
        "DATABASE_URL": bench_url,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "EMAIL_URL": "dummymail://",
        "DJANGO_SETTINGS_MODULE": "technopark.settings",
        "STATIC_ROOT": static_root.name,
    }
    os.environ.update(env)
    (ROOT / "var").mkdir(exist_ok=True)  # the server's log goes there
    ok = False
    try:
        manage(env, "migrate", "--verbosity", "0")
        manage(env, "load_network")
        manage(env, "collectstatic", "--noinput", "--verbosity", "0")
        import django

        django.setup()
        from django.urls import reverse

        from events.models import Event, Registration

        event = seed(args.seats)
        path = reverse("events:detail", args=[event.slug])
        port = free_port()
        server = start_server("gunicorn", env, port)
        try:
            result = run(f"http://127.0.0.1:{port}", path, args.clients, args.each)
        finally:
            stop_server(server)
        event = Event.objects.get(pk=event.pk)
        total = args.clients * args.each
        made = Registration.objects.filter(event=event).count()
        holding = Registration.objects.filter(event=event, holds_seat=True).count()
        waiting = Registration.objects.filter(event=event, holds_seat=False).count()
        done = result["outcomes"]["302"]
        rate = done / result["elapsed"]
        print(f"\n{args.clients} clients x {args.each} registrations on gunicorn (2x8 threads)")
        print(f"  answers: {dict(result['outcomes'])} in {result['elapsed']:.2f} s")
        print(f"  registrations per second: {rate:.1f}")
        print(
            f"  PostgreSQL: {made} registrations, seats taken {event.seats_taken}/{event.capacity},"
            f" {holding} holding a seat, {waiting} waiting"
        )
        ok = (
            done == total == made
            and event.seats_taken == holding == min(args.seats, total)
            and waiting == total - holding
        )
        print(f"  verdict: {'PASS' if ok else 'FAIL'}")
    finally:
        from django.db import connections

        connections.close_all()
        recreate(maintenance_url, args.scratch, drop_only=True)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
