"""``manage.py serve [addrport]``: the development server and a job worker, as one process.

``make demo`` runs it. Ctrl-C (or SIGTERM) stops both; if this process is
killed outright, the kernel stops its children too (``PR_SET_PDEATHSIG`` on
Linux), so no worker is left behind. Production runs the two as separate
process types (see the README).
"""

import ctypes
import ctypes.util
import os
import signal
import subprocess
import sys
import time

from django.core.management.base import BaseCommand

_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:  # pragma: no cover (runs in the child, before exec)
    """Ask Linux to send the child SIGTERM when this process dies, however it dies."""
    libc_name = ctypes.util.find_library("c")
    if sys.platform.startswith("linux") and libc_name:
        ctypes.CDLL(libc_name, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


class Command(BaseCommand):
    help = "Run the development server and a background-job worker; Ctrl-C stops both."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument(
            "--noreload", action="store_true", help="Do not restart the server on code changes."
        )

    def handle(self, *args, addrport, noreload, **options):
        manage = [sys.executable, "manage.py"]
        server = [*manage, "runserver", addrport, *(["--noreload"] if noreload else [])]
        children = [
            self._start([*manage, "procrastinate", "worker"]),
            self._start(server),
        ]
        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True

        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, stop)
        try:
            while not stopping and all(child.poll() is None for child in children):
                time.sleep(0.2)
        finally:
            self._stop(children)

    def _start(self, command: list[str]) -> subprocess.Popen:
        # Its own process group: stopping it reaches what it started (the
        # autoreloader's server), and Ctrl-C in the terminal reaches us only.
        return subprocess.Popen(  # noqa: S603 (our own manage.py)
            command, start_new_session=True, preexec_fn=_die_with_parent
        )

    def _stop(self, children: list[subprocess.Popen]) -> None:
        for child in children:
            if child.poll() is None:
                os.killpg(child.pid, signal.SIGTERM)
        deadline = time.monotonic() + 10
        for child in children:
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(child.pid, signal.SIGKILL)
                child.wait()
        self.stdout.write("Server and worker stopped.")
