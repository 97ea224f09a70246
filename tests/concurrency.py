"""The one harness for concurrency tests: real threads on a real PostgreSQL.

``run_concurrently(calls)`` runs each call in its own thread, holding its own
database connection. Every thread waits at one barrier and all are released at
once, so the calls really race. The barrier and the joins have a timeout: a
thread that never arrives or never returns fails the test instead of hanging
the suite. What each call returned, or the refusal it raised, comes back in the
order of the calls; any other exception fails the test with every traceback.

The rows the threads read must be committed: use
``@pytest.mark.django_db(transaction=True)``.
"""

import threading
import traceback
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import translation


@dataclass(frozen=True)
class Outcome:
    """What one call gave: its ``value``, or the refusal it raised as ``error``."""

    value: Any = None
    error: Exception | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def code(self) -> str:
        """``"ok"``, the refusal's ``code`` (a ValidationError's), or its class name."""
        if self.error is None:
            return "ok"
        return getattr(self.error, "code", None) or type(self.error).__name__

    @property
    def message(self) -> str:
        """``"ok"``, or the refusal's messages in English (the msgids)."""
        if self.error is None:
            return "ok"
        if isinstance(self.error, ValidationError):
            with translation.override("en"):
                return " ".join(self.error.messages)
        return str(self.error)


def run_concurrently(
    calls: Sequence[Callable[[], Any]],
    *,
    refusals: type[Exception] | tuple[type[Exception], ...] = ValidationError,
    timeout: float = 60.0,
    connections: int | None = None,
) -> list[Outcome]:
    """Run ``calls`` in as many threads, released together; their outcomes, in order.

    An exception that is one of ``refusals`` is an outcome; anything else (an
    error, a thread that never reached the barrier or never finished) fails.
    ``connections`` caps the database connections the threads share: they are
    released together, then queue for a connection of a pool that size, as a
    web server's threads do (for more threads than a shared PostgreSQL
    server's ``max_connections`` leaves free).
    """
    if connection.in_atomic_block:
        pytest.fail("the threads cannot see this test's rows: use django_db(transaction=True)")
    barrier = threading.Barrier(len(calls), timeout=timeout)
    outcomes: list[Outcome | None] = [None] * len(calls)
    failures: list[str] = []
    lock = threading.Lock()

    def worker(index: int, call: Callable[[], Any]) -> None:
        try:
            # Connect first: the barrier then releases threads that are ready to write.
            if connections is None:
                connection.ensure_connection()
            barrier.wait()
            outcomes[index] = Outcome(value=call())
        except refusals as refusal:
            outcomes[index] = Outcome(error=refusal)
        except threading.BrokenBarrierError:
            with lock:
                failures.append(f"call {index}: a thread never reached the barrier")
        except BaseException as exc:  # reported below, with its traceback
            barrier.abort()
            with lock:
                failures.append(f"call {index}:\n" + "".join(traceback.format_exception(exc)))
        finally:
            connection.close()

    with _a_pool_for(len(calls) if connections is None else connections, exact=connections):
        threads = [
            threading.Thread(target=worker, args=(i, call), name=f"concurrent-{i}")
            for i, call in enumerate(calls)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=timeout)
        stuck = [thread.name for thread in threads if thread.is_alive()]
    if stuck:
        pytest.fail(f"still running after {timeout}s: {', '.join(stuck)}")
    if failures:
        pytest.fail("\n".join(failures))
    return outcomes  # type: ignore[return-value]  (every slot is filled when nothing failed)


@contextmanager
def _a_pool_for(threads: int, *, exact: int | None = None):
    """A connection pool in which every thread (and the test's own) holds a connection at once.

    With ``exact``, a pool of that many connections, for which the threads queue.
    """
    options = connection.settings_dict.get("OPTIONS", {}).get("pool")
    if not isinstance(options, dict) or (
        exact is None and options.get("max_size", 0) > threads + 1
    ):
        yield
        return
    saved = dict(options)
    connection.close()
    connection.close_pool()
    options.update(max_size=exact or threads + 5, timeout=60)
    try:
        yield
    finally:
        connection.close()
        connection.close_pool()
        options.clear()
        options.update(saved)
