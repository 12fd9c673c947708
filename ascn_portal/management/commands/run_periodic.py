"""Run the periodic work of the embedded mode, where no beat or worker runs.

`make run` starts this next to the web server. It reads the very schedule that Celery
beat follows in the full stack (CELERY_BEAT_SCHEDULE) and runs each task in this
process when it falls due, so expired links free their seats, reminders go out and the
outbox is swept on a laptop exactly as in production.

A process of its own rather than work done on the back of page requests: the tasks run
on time whether or not anyone is visiting, a slow task never delays a person's page,
and a failing one is logged here without breaking anyone's request.
"""

import logging
import time
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand

from ascn_portal.celery import app

logger = logging.getLogger(__name__)

# How long to sleep at most between two looks at the schedule.
TICK_SECONDS = 30


def _seconds(schedule):
    if isinstance(schedule, timedelta):
        return schedule.total_seconds()
    if isinstance(schedule, int | float):
        return float(schedule)
    raise TypeError(f"Unsupported schedule {schedule!r}: give seconds or a timedelta.")


class Command(BaseCommand):
    help = "Run Celery beat's schedule in this process (embedded mode, no broker)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--once", action="store_true", help="Run every periodic task once, then stop."
        )

    def handle(self, *args, once=False, **options):
        if not settings.CELERY_TASK_ALWAYS_EAGER:
            self.stdout.write("A broker is configured: Celery beat runs the periodic work.")
            return
        app.loader.import_default_modules()
        entries = {
            name: (entry["task"], _seconds(entry["schedule"]))
            for name, entry in settings.CELERY_BEAT_SCHEDULE.items()
        }
        last_run: dict[str, float] = {}
        self.stdout.write(f"Running {len(entries)} periodic tasks in-process.")
        while True:
            now = time.monotonic()
            for name, (task, every) in entries.items():
                if name in last_run and now - last_run[name] < every:
                    continue
                last_run[name] = now
                self._run(name, task)
            if once:
                return
            due = min(last_run[name] + every for name, (_task, every) in entries.items())
            time.sleep(max(1.0, min(TICK_SECONDS, due - time.monotonic())))

    def _run(self, name, task):
        try:
            result = app.tasks[task].apply()
            if result.failed():
                logger.error("Periodic task %s failed: %s", name, result.result)
        except Exception:
            logger.exception("Periodic task %s failed", name)
