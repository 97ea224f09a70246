"""Settings of the worker processes the job tests start: the test database, no schedule.

``TECHNOPARK_TEST_DATABASE`` names the test database (the server is the suite's,
from ``DATABASE_URL`` or the embedded one). With ``TECHNOPARK_PAUSE_AFTER_JOB``
set to a file path, the worker writes that file when a job's work is done and
then waits before acknowledging it: the moment a test kills it, as a crash
between the work and the acknowledgement would.
"""

import asyncio
import os
from pathlib import Path

from technopark.settings import *  # noqa: F403
from technopark.settings import DATABASES, PROCRASTINATE_WORKER_DEFAULTS

DATABASES["default"]["NAME"] = os.environ["TECHNOPARK_TEST_DATABASE"]

# The schedule is not under test: no periodic job is deferred by these workers.
PROCRASTINATE_PERIODIC_DEFAULTS = {"max_delay": -1}


async def _pause_after_job(call_next, context, worker):
    result = await call_next()
    marker = os.environ.get("TECHNOPARK_PAUSE_AFTER_JOB")
    if marker and context.job.task_name == "email.send":
        Path(marker).write_text(str(context.job.id))
        await asyncio.sleep(3600)
    return result


PROCRASTINATE_WORKER_DEFAULTS = {
    **PROCRASTINATE_WORKER_DEFAULTS,
    "worker_middleware": [_pause_after_job],
}
