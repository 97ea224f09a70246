"""Shared by the job tests: a real SMTP server, real worker processes, an empty queue."""

import os
import socket
import subprocess
import sys
import threading
import time
from email import message_from_bytes
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.db import connection

BASE_DIR = Path(__file__).resolve().parents[2]


def free_port() -> int:
    """A TCP port nothing listens on (closed: connecting to it is refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """What an SMTP server received, message by message (aiosmtpd's handler)."""

    def __init__(self):
        self.messages = []
        self.arrived = threading.Condition()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        with self.arrived:
            self.messages.append(message_from_bytes(envelope.content))
            self.arrived.notify_all()
        return "250 Message accepted for delivery"

    def wait_for(self, count: int, *, timeout: float = 20) -> list:
        with self.arrived:
            self.arrived.wait_for(lambda: len(self.messages) >= count, timeout=timeout)
            return list(self.messages)


@pytest.fixture
def smtp_server():
    """Start a real SMTP server on a port: ``inbox = smtp_server(port)``; stopped afterwards."""
    controllers = []

    def start(port: int) -> Inbox:
        inbox = Inbox()
        controller = Controller(inbox, hostname="127.0.0.1", port=port)
        controller.start()
        controllers.append(controller)
        return inbox

    yield start
    for controller in controllers:
        controller.stop()


def clear_queue() -> None:
    """procrastinate's tables are not Django's to flush: empty them around transactional tests."""
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE procrastinate_events, procrastinate_periodic_defers, procrastinate_jobs,"
            " procrastinate_workers RESTART IDENTITY CASCADE"
        )


@pytest.fixture
def empty_queue(transactional_db):
    clear_queue()
    yield
    clear_queue()


@pytest.fixture
def worker(empty_queue, tmp_path):
    """Start ``manage.py procrastinate worker`` processes on the test database.

    ``worker(EMAIL_URL=...)`` returns the process; each is killed at the end.
    The worker settings (tests/jobs/worker_settings.py) point it at the test
    database and leave the schedule out (it is not what these tests look at).
    """
    processes = []
    database = connection.settings_dict

    def start(**env):
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.jobs.worker_settings",
            "TECHNOPARK_TEST_DATABASE": database["NAME"],
            "JOBS_STALLED_AFTER": "2",
            "PYTHONUNBUFFERED": "1",
            **env,
        }
        log = open(tmp_path / f"worker-{len(processes)}.log", "w")  # noqa: SIM115
        process = subprocess.Popen(  # noqa: S603 (our own manage.py)
            [sys.executable, "manage.py", "procrastinate", "worker", "--concurrency", "1"],
            cwd=BASE_DIR,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        process.log_path = log.name
        processes.append((process, log))
        return process

    yield start
    for process, log in processes:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)
        log.close()


def wait_until(condition, *, timeout: float = 20, every: float = 0.05, what: str = ""):
    """Poll ``condition`` until it returns something true; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"Timed out waiting for {what or condition}")
