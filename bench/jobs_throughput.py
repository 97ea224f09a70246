"""What one job worker does for e-mail: jobs per second, commit-to-delivery delay, an outage.

Usage (from the project's top folder; needs the dev extras, for the SMTP server):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/technopark \\
        .venv/bin/python bench/jobs_throughput.py [--jobs 1000] [--outage 200] [--down 60]

It never touches the database named in DATABASE_URL: it creates a scratch
database beside it (``<name>_jobs_bench``), migrates it, seeds people, a site
and a company, and starts one real worker (``manage.py procrastinate worker``,
concurrency 1) on it, as production runs them. E-mails are the real ones
(``mail.send_to`` in a committed transaction, rendered in text and HTML by the
worker, recorded in ``MailDelivery``):

1. throughput: ``--jobs`` e-mails committed at once, to the console backend
   (printed to /dev/null); jobs per second between the first and the last delivery;
2. delay: ``--jobs`` e-mails committed one by one, at half that rate, each
   timed from its commit to its delivery (median, 95th percentile);
3. outage: ``--outage`` e-mails committed while the mail server (SMTP, on a
   local port) is down, which comes up after ``--down`` seconds; then how many
   arrived, and how many arrived twice.

It prints the figures, then stops the worker and drops the scratch database.
"""

import argparse
import logging
import os
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from email import message_from_bytes
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from booking_throughput import recreate, server_version  # noqa: E402


def scratch_url(url: str) -> tuple[str, str, str]:
    """(scratch database URL, its name, the server's maintenance database URL)."""
    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/') or 'technopark'}_jobs_bench"
    return (
        urlunsplit(parts._replace(path=f"/{name}")),
        name,
        urlunsplit(parts._replace(path="/postgres")),
    )


def seed(count: int):
    """``count`` people in three languages, a site, a company and its admin who invites them."""
    from django.contrib.auth.hashers import make_password

    from sites.models import Site, SiteStatus
    from technopark.models import User
    from tenants.models import Company, CompanyStatus

    site = Site.objects.create(
        name="Technopark Bench",
        slug="bench",
        city="Essaouira",
        status=SiteStatus.OPERATING,
        opening_year=2023,
        address="Route de Marrakech",
    )
    company = Company.objects.create(
        legal_name="L'Atelier & Fils SARL",
        ice="000000000000001",
        home_site=site,
        status=CompanyStatus.RESIDENT,
    )
    inviter = User.objects.create_user("founder@bench.test", "x", full_name="Salma Bench")
    languages = ("fr", "ar", "en")
    people = User.objects.bulk_create(
        User(
            email=f"person{n}@bench.test",
            full_name=f"Personne {n}",
            language=languages[n % 3],
            password=make_password(None),
        )
        for n in range(count)
    )
    return company, inviter, people


def commit_one(person, company, inviter) -> float:
    """One e-mail queued in its own committed transaction, as a request does; the commit time."""
    from django.db import transaction

    from technopark import mail

    with transaction.atomic():
        mail.send_to(
            [person],
            "team_invitation",
            {"company": company, "inviter": inviter, "link": "https://bench/x", "days": 7},
        )
    return time.time()


def deliveries() -> dict[str, float]:
    from technopark.models import MailDelivery

    return {to: sent.timestamp() for to, sent in MailDelivery.objects.values_list("to", "sent_at")}


def wait_for(count: int, *, timeout: float) -> dict[str, float]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = deliveries()
        if len(done) >= count:
            return done
        time.sleep(0.05)
    sys.exit(f"Only {len(deliveries())} of {count} e-mails delivered after {timeout:.0f} s.")


def start_worker(env: dict, log) -> subprocess.Popen:
    from django.db import connection

    process = subprocess.Popen(  # noqa: S603 (our own manage.py)
        [sys.executable, "manage.py", "procrastinate", "worker", "--concurrency", "1"],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM procrastinate_workers")
            if cursor.fetchone()[0]:
                return process
        time.sleep(0.1)
    process.kill()
    sys.exit("The worker did not start.")


def stop_worker(process: subprocess.Popen) -> None:
    from django.db import connection

    process.terminate()
    process.wait(timeout=30)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM procrastinate_workers")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def throughput_and_delay(jobs: int, log) -> None:
    from technopark.models import MailDelivery

    company, inviter, people = seed(jobs)
    worker = start_worker({"EMAIL_URL": "consolemail://"}, log)
    try:
        # 1. A burst: every job committed before the worker can keep up.
        committed = {}
        for person in people:
            committed[person.email] = commit_one(person, company, inviter)
        done = wait_for(jobs, timeout=600)
        first, last = min(done.values()), max(done.values())
        rate = (jobs - 1) / (last - first)
        burst = [done[email] - at for email, at in committed.items()]
        print(
            f"throughput: {jobs} e-mails by one worker to the console backend in "
            f"{last - first:.1f} s: {rate:.0f} jobs per second"
        )
        print(
            f"  (burst of {jobs} commits: delay median {statistics.median(burst):.2f} s, "
            f"95th percentile {percentile(burst, 0.95):.2f} s: the queue's backlog)"
        )

        # 2. One by one, at half that rate: the delay from each commit to its delivery.
        MailDelivery.objects.all().delete()
        pace = 2 / rate
        committed = {}
        for person in people:
            started = time.time()
            committed[person.email] = commit_one(person, company, inviter)
            time.sleep(max(0.0, pace - (time.time() - started)))
        done = wait_for(jobs, timeout=600)
        delays = [(done[email] - at) * 1000 for email, at in committed.items()]
        print(
            f"delay from commit to delivery over {jobs} e-mails committed one by one "
            f"({1 / pace:.0f} per second): median {statistics.median(delays):.1f} ms, "
            f"95th percentile {percentile(delays, 0.95):.1f} ms, "
            f"max {max(delays):.1f} ms"
        )
    finally:
        stop_worker(worker)


class Inbox:
    """The mail server's side: every message it accepted."""

    def __init__(self):
        self.received = Counter()
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        message = message_from_bytes(envelope.content)
        with self.lock:
            self.received[message["To"]] += 1
        return "250 Message accepted for delivery"


def outage(count: int, down: float, log) -> None:
    import socket

    from aiosmtpd.controller import Controller
    from procrastinate.contrib.django.models import ProcrastinateJob

    from technopark.models import MailDelivery, User
    from tenants.models import Company

    MailDelivery.objects.all().delete()
    company, inviter = Company.objects.get(), User.objects.get(email="founder@bench.test")
    people = list(User.objects.filter(email__startswith="person").order_by("pk")[:count])
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed: the mail server is down
    worker = start_worker({"EMAIL_URL": f"smtp://127.0.0.1:{port}", "EMAIL_TIMEOUT": "5"}, log)
    controller = None
    try:
        started = time.monotonic()
        for person in people:
            commit_one(person, company, inviter)
        queued_in = time.monotonic() - started
        time.sleep(max(0.0, down - queued_in))
        inbox = Inbox()
        controller = Controller(inbox, hostname="127.0.0.1", port=port)
        controller.start()  # the mail server is back
        back = time.monotonic()
        done = wait_for(count, timeout=600)
        all_in = time.monotonic() - back
        time.sleep(5)  # anything sent twice would arrive now
        received = sum(inbox.received.values())
        twice = sum(n - 1 for n in inbox.received.values() if n > 1)
        failed = ProcrastinateJob.objects.filter(task_name="email.send", status="failed").count()
        print(
            f"outage: {count} e-mails committed while the mail server was down for {down:.0f} s"
            f" (queued in {queued_in:.1f} s)"
        )
        print(
            f"  delivered: {len(set(inbox.received))} of {count} people "
            f"({len(done)} deliveries recorded), {all_in:.1f} s after the server came back"
        )
        print(
            f"  messages the server received: {received}, duplicates: {twice}, "
            f"failed jobs: {failed}"
        )
    finally:
        stop_worker(worker)
        if controller is not None:
            controller.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=1000)
    parser.add_argument("--outage", type=int, default=200)
    parser.add_argument("--down", type=float, default=60)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL")
    if not url:
        sys.exit(
            "Set DATABASE_URL to the PostgreSQL server to measure (a scratch database is used)."
        )
    bench_url, name, maintenance_url = scratch_url(url)
    recreate(maintenance_url, name)
    os.environ["DATABASE_URL"] = bench_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "technopark.settings")
    log = open(ROOT / "var" / "jobs_bench_worker.log", "w")  # noqa: SIM115
    try:
        import django
        from django.core.management import call_command

        django.setup()
        logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd's every command
        call_command("migrate", verbosity=0)
        print(f"PostgreSQL {server_version()}, one worker (concurrency 1), {os.cpu_count()} CPUs")
        throughput_and_delay(args.jobs, log)
        outage(min(args.outage, args.jobs), args.down, log)
    finally:
        log.close()
        from django.db import connections

        connections.close_all()
        for conn in connections.all(initialized_only=True):
            if hasattr(conn, "close_pool"):
                conn.close_pool()
        recreate(maintenance_url, name, drop_only=True)


if __name__ == "__main__":
    main()
