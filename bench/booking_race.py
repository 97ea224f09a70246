"""N people ask for the same room slot at the same instant over HTTP: one booking, clean refusals.

Usage (from the project's top folder):

    .venv/bin/python bench/booking_race.py [--clients 50 200] [--servers gunicorn runserver]

DATABASE_URL names the PostgreSQL server only (default
``postgres://postgres@127.0.0.1:5432/technopark``); the script never touches
its database: it creates a scratch database beside it (``technopark_race``,
``--scratch`` for another name), runs ``migrate`` and ``load_network`` on it,
adds a bookable room open all day at an operating site and a resident company
whose admin logs in once per client (N sessions, one person), then starts the
server (after ``collectstatic`` into a temporary folder, as DEBUG=false needs;
gunicorn with 2 workers x 8 threads, and/or ``manage.py runserver``).

For each N it logs the clients in over HTTP (GET the login page for the CSRF
cookie, POST the credentials), fetches the booking form for its token, then
releases the N POSTs of the same room, day and hours together behind a
``threading.Barrier``. It prints, per server and N, the status codes, the
connection errors, and the bookings PostgreSQL holds for that slot. A run
passes when exactly one POST got its redirect (302), the database holds
exactly one booking, the others got the form back with its error (200) or
a 503, no connection failed, and no 5xx other than 503 came back. The
server is stopped and the scratch database dropped at the end; the exit
status is 1 if any run failed.
"""

import argparse
import datetime as dt
import http.client
import http.cookiejar
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
EMAIL = "race-admin@race.test"
PASSWORD = secrets.token_urlsafe(16)
TIMEOUT = 120  # seconds a client waits for its answer
START, END = dt.time(10), dt.time(11)


def scratch_urls(url: str, name: str) -> tuple[str, str]:
    """(scratch database URL, the server's maintenance database URL)."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}")), urlunsplit(parts._replace(path="/postgres"))


def recreate(maintenance_url: str, name: str, *, drop_only: bool = False) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(maintenance_url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        if not drop_only:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def manage(env: dict, *args: str) -> None:
    subprocess.run([str(PYTHON), "manage.py", *args], cwd=ROOT, env=env, check=True)  # noqa: S603


def seed():
    """A room open all day, every day, at an operating site; a resident company and its admin."""
    from coworking.models import OpeningHours, RoomRules
    from sites.models import Site, SiteStatus, Space, SpaceKind
    from technopark.models import User
    from tenants.models import Company, CompanyStatus, Membership

    site = Site.objects.filter(status=SiteStatus.OPERATING).order_by("pk").first()
    room = Space.objects.create(
        site=site, kind=SpaceKind.MEETING_ROOM, name="Salle de la course", capacity=12,
        bookable=True, hourly_rate=150,
    )  # fmt: skip
    rules = RoomRules.objects.create(space=room, horizon_days=730)
    OpeningHours.objects.bulk_create(
        OpeningHours(rules=rules, weekday=d, opens=dt.time(0), closes=dt.time(23, 30))
        for d in range(7)
    )
    company = Company.objects.create(
        legal_name="Course SARL", ice="000000000000777", home_site=site,
        status=CompanyStatus.RESIDENT,
    )  # fmt: skip
    user = User.objects.create_user(EMAIL, PASSWORD, full_name="Admin Course")
    Membership.objects.create(company=company, user=user, role="admin")
    return site, room


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 302 comes back as the answer, not followed


class Client:
    """One browser: its own cookie jar, so its own session."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )

    def cookie(self, name: str) -> str:
        return next(c.value for c in self.jar if c.name == name)

    def request(self, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        headers = {"Referer": self.base + path} if data is not None else {}
        req = urllib.request.Request(self.base + path, data=body, headers=headers)  # noqa: S310
        try:
            with self.opener.open(req, timeout=TIMEOUT) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode(errors="replace")

    def login(self) -> None:
        status, _ = self.request("/accounts/login/")
        if status != 200 or not any(c.name == "csrftoken" for c in self.jar):
            raise RuntimeError(f"the login page answered {status} without a CSRF cookie")
        status, _ = self.request(
            "/accounts/login/",
            {"csrfmiddlewaretoken": self.cookie("csrftoken"), "username": EMAIL,
             "password": PASSWORD},
        )  # fmt: skip
        if status != 302:
            raise RuntimeError(f"login answered {status}")

    def form_token(self, path: str) -> str:
        status, html = self.request(path)
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        if status != 200 or not found:
            raise RuntimeError(f"the booking form answered {status} without a CSRF token")
        return found.group(1)


def start_server(kind: str, env: dict, port: int) -> subprocess.Popen:
    if kind == "gunicorn":
        command = [
            str(GUNICORN), "technopark.wsgi", "--workers", "2", "--threads", "8",
            "--bind", f"127.0.0.1:{port}", "--backlog", "2048",
        ]  # fmt: skip
    else:
        command = [str(PYTHON), "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"]
    (ROOT / "var").mkdir(exist_ok=True)
    log = open(ROOT / "var" / f"booking_race_{kind}.log", "w")  # noqa: SIM115 - lives with the server
    server = subprocess.Popen(  # noqa: S603 - our own commands
        command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"{kind} exited with {server.returncode}; see {log.name}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:  # noqa: S310
                if r.status == 200:
                    return server
        except OSError:
            time.sleep(0.3)
    stop_server(server)
    sys.exit(f"{kind} did not answer /healthz within 60 s; see {log.name}")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)  # its own session: the server and its workers
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def race(clients: list[Client], form_path: str, room, day: dt.date) -> dict:
    from coworking.models import RoomBooking

    tokens = [c.form_token(form_path) for c in clients]
    payload = {
        "site": room.site_id, "space": room.pk, "day": day.isoformat(),
        "start": START.strftime("%H:%M"), "end": END.strftime("%H:%M"),
        "title": "Course", "attendees": 2, "repeat_until": "",
    }  # fmt: skip
    outcomes: list[str] = [""] * len(clients)
    reasons: Counter = Counter()  # the error text of each refusal
    barrier = threading.Barrier(len(clients))

    def post(index: int) -> None:
        data = {**payload, "csrfmiddlewaretoken": tokens[index]}
        barrier.wait()
        try:
            status, html = clients[index].request(form_path, data)
            outcomes[index] = str(status)
            if status == 200:
                found = re.search(r'class="alert alert-block alert-danger">(.*?)</div>', html, re.S)
                text = re.sub(r"<[^>]+>|\s+", " ", found.group(1)).strip() if found else ""
                reasons[text or "(no error shown)"] += 1
        except (ConnectionError, http.client.HTTPException) as exc:
            outcomes[index] = type(exc).__name__
        except (urllib.error.URLError, TimeoutError) as exc:
            reason = getattr(exc, "reason", exc)
            outcomes[index] = type(reason).__name__

    threads = [threading.Thread(target=post, args=(i,)) for i in range(len(clients))]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    counts = Counter(outcomes)
    from django.utils import timezone
    from psycopg.types.range import Range

    slot = Range(
        timezone.make_aware(dt.datetime.combine(day, START)),
        timezone.make_aware(dt.datetime.combine(day, END)),
    )
    booked = RoomBooking.objects.filter(space=room, during__overlap=slot).count()
    failures = {k: v for k, v in counts.items() if not k.isdigit()}
    bad_5xx = {k: v for k, v in counts.items() if k.isdigit() and k[0] == "5" and k != "503"}
    others = {k: v for k, v in counts.items() if k.isdigit() and k not in {"200", "302", "503"}}
    silent = reasons["(no error shown)"]  # a 200 without its error would be a lost answer
    ok = (
        counts["302"] == 1 and booked == 1 and not failures and not bad_5xx and not others
        and not silent
    )  # fmt: skip
    return {
        "counts": counts, "booked": booked, "failures": failures, "bad_5xx": bad_5xx,
        "elapsed": elapsed, "ok": ok, "reasons": reasons,
    }  # fmt: skip


def print_table(rows: list[tuple[str, int, dict]]) -> None:
    head = (
        f"{'server':<10} {'N':>4} {'302 booked':>10} {'200 refused':>11} {'503':>5} "
        f"{'other 5xx':>9} {'conn. errors':>12} {'DB rows':>7} {'seconds':>7}  verdict"
    )
    print()
    print(head)
    print("-" * len(head))
    for kind, n, r in rows:
        c = r["counts"]
        print(
            f"{kind:<10} {n:>4} {c['302']:>10} {c['200']:>11} {c['503']:>5} "
            f"{sum(r['bad_5xx'].values()):>9} {sum(r['failures'].values()):>12} "
            f"{r['booked']:>7} {r['elapsed']:>7.2f}  {'PASS' if r['ok'] else 'FAIL'}"
        )
    details = [(k, n, r) for k, n, r in rows if not r["ok"] or len(r["counts"]) > 2]
    for kind, n, r in details:
        print(f"  {kind} N={n}: every outcome {dict(r['counts'])}")
    for kind, n, r in rows:
        for text, count in r["reasons"].items():
            print(f"  {kind} N={n}: {count} refused with: {text}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, nargs="+", default=[50, 200])
    parser.add_argument(
        "--servers", nargs="+", choices=["gunicorn", "runserver"], default=["gunicorn"]
    )
    parser.add_argument("--scratch", default="technopark_race", help="scratch database name")
    args = parser.parse_args()
    server_url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/technopark")
    race_url, maintenance_url = scratch_urls(server_url, args.scratch)
    recreate(maintenance_url, args.scratch)
    static_root = tempfile.TemporaryDirectory(prefix="booking_race_static_")
    env = {
        **os.environ,
        "DATABASE_URL": race_url,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "EMAIL_URL": "dummymail://",
        "DJANGO_SETTINGS_MODULE": "technopark.settings",
        "STATIC_ROOT": static_root.name,  # DEBUG=false serves the collected, hashed files
    }
    os.environ.update(env)
    rows: list[tuple[str, int, dict]] = []
    try:
        manage(env, "migrate", "--verbosity", "0")
        manage(env, "load_network")
        manage(env, "collectstatic", "--noinput", "--verbosity", "0")
        import django

        django.setup()
        from django.urls import reverse
        from django.utils import timezone

        site, room = seed()
        form_path = reverse("coworking:room_book")
        print(f"room {room.pk} at {site.name}; form {form_path}; scratch database {args.scratch}")
        first_day = timezone.localdate() + dt.timedelta(days=7)
        for kind in args.servers:
            port = free_port()
            server = start_server(kind, env, port)
            try:
                base = f"http://127.0.0.1:{port}"
                clients = [Client(base) for _ in range(max(args.clients))]
                with ThreadPoolExecutor(8) as pool:  # 8 at a time: logins hash passwords
                    list(pool.map(Client.login, clients))
                print(f"{kind} on port {port}: {len(clients)} clients logged in")
                for n in args.clients:
                    day = first_day + dt.timedelta(days=len(rows))  # a fresh slot per run
                    result = race(clients[:n], form_path, room, day)
                    rows.append((kind, n, result))
                    print(f"{kind} N={n}: {dict(result['counts'])}, {result['booked']} in DB")
            finally:
                stop_server(server)
    finally:
        from django.db import connections

        connections.close_all()
        for conn in connections.all(initialized_only=True):
            if hasattr(conn, "close_pool"):
                conn.close_pool()
        recreate(maintenance_url, args.scratch, drop_only=True)
        static_root.cleanup()
    print_table(rows)
    sys.exit(0 if all(r["ok"] for _, _, r in rows) else 1)


if __name__ == "__main__":
    main()
