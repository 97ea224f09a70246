"""The embedded server starts again after any stop: its handle file is repaired first."""

import json
import os
import subprocess
import sys

from technopark.embedded_db import HANDLE_FILE, repair_handle_file


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])  # noqa: S603
    child.wait()
    return child.pid


def test_an_empty_handle_file_left_by_a_kill_is_reset(tmp_path):
    (tmp_path / HANDLE_FILE).write_text("")
    assert repair_handle_file(tmp_path) == []
    assert json.loads((tmp_path / HANDLE_FILE).read_text()) == []


def test_a_garbled_handle_file_is_reset(tmp_path):
    (tmp_path / HANDLE_FILE).write_text('[12, "x"')
    repair_handle_file(tmp_path)
    assert json.loads((tmp_path / HANDLE_FILE).read_text()) == []


def test_processes_that_died_without_leaving_are_dropped_live_ones_kept(tmp_path):
    dead = _dead_pid()
    (tmp_path / HANDLE_FILE).write_text(json.dumps([dead, os.getpid()]))
    assert repair_handle_file(tmp_path) == [os.getpid()]
    assert json.loads((tmp_path / HANDLE_FILE).read_text()) == [os.getpid()]


def test_no_handle_file_is_nothing_to_repair(tmp_path):
    assert repair_handle_file(tmp_path) == []
    assert not (tmp_path / HANDLE_FILE).exists()


def test_the_file_of_a_running_server_is_left_to_its_users(tmp_path):
    (tmp_path / "postmaster.pid").write_text(f"{os.getpid()}\n/tmp/x\n")
    (tmp_path / HANDLE_FILE).write_text("")  # caught half-written by its owner
    repair_handle_file(tmp_path)
    assert (tmp_path / HANDLE_FILE).read_text() == ""
