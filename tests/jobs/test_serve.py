"""``manage.py serve`` (what ``make demo`` runs): the server and a worker, stopped together."""

import os
import signal
import subprocess
import sys
import urllib.request

import psutil
import pytest
from django.db import connection

from tests.jobs.conftest import BASE_DIR, free_port, wait_until

pytestmark = [pytest.mark.workers, pytest.mark.django_db(transaction=True)]


def _serve(port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.jobs.worker_settings",
        "TECHNOPARK_TEST_DATABASE": connection.settings_dict["NAME"],
    }
    return subprocess.Popen(  # noqa: S603 (our own manage.py)
        [sys.executable, "manage.py", "serve", f"127.0.0.1:{port}", "--noreload"],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz/workers", timeout=2) as r:  # noqa: S310
            return r.status == 200
    except OSError:
        return False


@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL])
def test_the_server_and_its_worker_start_together_and_stop_together(how, empty_queue):
    port = free_port()
    serve = _serve(port)
    try:
        wait_until(lambda: _answers(port), timeout=60, what="the server and a live worker")
        children = psutil.Process(serve.pid).children(recursive=True)
        assert len(children) == 2  # runserver (without its reloader here) and the worker
        serve.send_signal(how)  # Ctrl-C, a stop, or serve itself killed outright
        serve.wait(timeout=20)
        gone, alive = psutil.wait_procs(children, timeout=20)
        assert alive == [], "a child outlived manage.py serve"
    finally:
        if serve.poll() is None:
            serve.kill()
            serve.wait()
