"""The embedded scheduler: Celery beat's schedule, run in-process without a broker.

Production runs `celery beat` + `celery worker` against Redis. The embedded
default has no Redis, so `manage.py run_worker` reads the same
CELERY_BEAT_SCHEDULE and runs each task locally when it falls due. Both paths
call the same task functions, which call the same services.

The loop must not die: a task that fails, outlasts its period or finds the
database locked, and a clock that jumps, all leave it running. Nothing
outside the loop would notice if it stopped; /healthz shows its last beat.
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

# The longest nap between two looks at the schedule, and after an error in
# the loop itself (a locked database, say) before it tries again.
MAX_SLEEP = 5.0


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
        entries.append(Entry(name=name, task=spec["task"], every=period_seconds(spec)))
    return entries


def period_seconds(spec: dict) -> float:
    """An entry's period in seconds, whether the schedule is a timedelta or a number."""
    every = spec["schedule"]
    return every.total_seconds() if isinstance(every, timedelta) else float(every)


def run_task(name: str) -> None:
    """Run one registered task in this process; its exception propagates."""
    # Importing the task modules is idempotent; it registers tasks on first use.
    app.loader.import_default_modules()
    close_old_connections()
    app.tasks[name].apply(throw=True)


def run_due(
    entries: list[Entry],
    now: float,
    runner: Callable[[str], None] = run_task,
    clock: Callable[[], float] | None = None,
) -> list[str]:
    """Run every entry that is due at `now`; a failing task is logged and retried next period."""
    ran = []
    for entry in entries:
        if entry.due_at > now:
            continue
        started = clock() if clock else now
        logger.debug("Scheduled task %s started.", entry.name)
        try:
            runner(entry.task)
            ran.append(entry.name)
        except Exception:
            logger.exception("Scheduled task %s failed; it runs again next period.", entry.name)
        entry.due_at = next_due(entry, started, clock() if clock else now)
    return ran


def next_due(entry: Entry, started: float, finished: float) -> float:
    """The next run, one period after this one began, never in the past and never far ahead."""
    due = started + entry.every
    # A run that outlasted its period runs again at once, but only once:
    # missed periods are skipped, not queued up.
    return max(due, finished) if due - finished <= entry.every else finished + entry.every


def pause(entries: list[Entry], now: float) -> float:
    """How long to sleep: until the next entry is due, within [0, MAX_SLEEP]."""
    for entry in entries:
        # A clock that jumped back would otherwise leave every entry due far
        # ahead; no entry waits longer than its own period.
        entry.due_at = min(entry.due_at, now + entry.every)
    wait = min((e.due_at for e in entries), default=now + MAX_SLEEP) - now
    return min(max(wait, 0.0), MAX_SLEEP)


def run_forever(
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
    runner: Callable[[str], None] = run_task,
    running: Callable[[], bool] = lambda: True,
) -> None:
    """Loop until interrupted (or `running` says stop): nothing a task does ends the loop."""
    entries = schedule_entries()
    logger.info("Embedded scheduler started with %d entries.", len(entries))
    while running():
        try:
            run_due(entries, clock(), runner, clock)
            wait = pause(entries, clock())
        except Exception:
            # The loop's own steps (reading the clock, the database between
            # tasks) can fail too; try again shortly rather than stop.
            logger.exception("Embedded scheduler hit an error; it carries on.")
            wait = MAX_SLEEP
        sleep(wait)
