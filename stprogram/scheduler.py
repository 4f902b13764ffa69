"""The embedded scheduler: Celery beat's schedule, run in-process without a broker.

Production runs `celery beat` + `celery worker` against Redis. The embedded
default has no Redis, so `manage.py run_worker` reads the same
CELERY_BEAT_SCHEDULE and runs each task locally when it falls due. Both paths
call the same task functions, which call the same services.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import close_old_connections

from stprogram.celery import app

logger = logging.getLogger(__name__)


@dataclass
class Entry:
    name: str
    task: str
    every: float
    due_at: float = 0.0


def schedule_entries() -> list[Entry]:
    """The beat schedule as entries due immediately; only interval schedules are used."""
    entries = []
    for name, spec in settings.CELERY_BEAT_SCHEDULE.items():
        every = spec["schedule"]
        seconds = every.total_seconds() if isinstance(every, timedelta) else float(every)
        entries.append(Entry(name=name, task=spec["task"], every=seconds))
    return entries


def run_due(entries: list[Entry], now: float) -> list[str]:
    """Run every entry that is due at `now`; a failing task is logged and retried next period."""
    # Importing the task modules is idempotent; it registers tasks on first use.
    app.loader.import_default_modules()
    ran = []
    for entry in entries:
        if entry.due_at > now:
            continue
        entry.due_at = now + entry.every
        close_old_connections()
        try:
            app.tasks[entry.task].apply(throw=True)
            ran.append(entry.name)
        except Exception:
            logger.exception("Scheduled task %s failed; it runs again next period.", entry.name)
    return ran


def run_forever(
    sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic
) -> None:
    """Loop until interrupted."""
    entries = schedule_entries()
    logger.info("Embedded scheduler started with %d entries.", len(entries))
    while True:
        run_due(entries, clock())
        sleep(min(5.0, min(e.due_at for e in entries) - clock()) if entries else 5.0)
