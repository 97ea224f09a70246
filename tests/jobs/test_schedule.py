"""The README's schedule is the schedule: every periodic job is in its table, with its cron line."""

import re
from pathlib import Path

from croniter import croniter

from technopark.jobs import app

README = Path(__file__).resolve().parents[2] / "README.md"


def _documented() -> dict[str, str]:
    text = README.read_text().split("The schedule (cron lines in UTC", 1)[1].split("\n## ", 1)[0]
    return dict(re.findall(r"^\| `([\w.]+)` \| `([^`]+)` \|", text, flags=re.MULTILINE))


def _scheduled() -> dict[str, str]:
    app.perform_import_paths()
    return {
        task.name: periodic.cron
        for (task_name, _), periodic in app.periodic_registry.periodic_tasks.items()
        for task in [periodic.task]
    }


def test_every_periodic_job_is_in_the_readme_with_its_cron_line():
    assert _documented() == _scheduled()


def test_every_cron_line_is_valid_and_every_job_is_named_and_locked():
    for periodic in app.periodic_registry.periodic_tasks.values():
        assert croniter.is_valid(periodic.cron), periodic.cron
        assert not periodic.task.name.startswith(("technopark.tasks", "tenants.tasks")), (
            "give periodic tasks a name: queued jobs find their task by it"
        )
        # Two ticks must never run one job at the same time: the queue refuses the second.
        assert periodic.task.queueing_lock == periodic.task.name


def test_the_cron_lines_are_read_in_utc():
    import datetime as dt

    tick = croniter("5 0 * * *", dt.datetime(2026, 6, 10, 12, tzinfo=dt.UTC).timestamp())
    assert dt.datetime.fromtimestamp(tick.get_next(float), tz=dt.UTC) == dt.datetime(
        2026, 6, 11, 0, 5, tzinfo=dt.UTC
    )
