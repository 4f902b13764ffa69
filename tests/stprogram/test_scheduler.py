"""The embedded scheduler runs the beat schedule's tasks without a broker, and never dies."""

from __future__ import annotations

import itertools
import os
import signal
import subprocess
import time
from collections import defaultdict
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import OperationalError

from stprogram.scheduler import Entry, period_seconds, run_due, run_forever, schedule_entries

ROOT = Path(__file__).resolve().parents[2]


class Clock:
    """An injected clock: sleeping and running tasks move it, nothing waits for real."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        # time.sleep raises on a negative length; so does this, so a bad
        # computation cannot hide behind the fake.
        if seconds < 0:
            raise ValueError("sleep length must be non-negative")
        self.sleeps.append(seconds)
        self.now += seconds


class Tasks:
    """Stands in for the task runner: records start times, can be slow or fail."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.started: defaultdict[str, list[float]] = defaultdict(list)
        self.duration: dict[str, float] = {}
        self.failing: set[str] = set()

    def __call__(self, task: str) -> None:
        self.started[task].append(self.clock.now)
        self.clock.now += self.duration.get(task, 0.5)
        if task in self.failing:
            raise RuntimeError(f"{task} broke")


def _run_until(clock: Clock, tasks: Tasks, end: float, step=None) -> None:
    def running() -> bool:
        if step:
            step(clock.now)
        return clock.now < end

    run_forever(sleep=clock.sleep, clock=clock, runner=tasks, running=running)


def _periods(settings) -> dict[str, float]:
    return {spec["task"]: period_seconds(spec) for spec in settings.CELERY_BEAT_SCHEDULE.values()}


def test_schedule_is_read_from_settings(settings):
    names = {e.name for e in schedule_entries()}
    assert names == set(settings.CELERY_BEAT_SCHEDULE)
    for spec in settings.CELERY_BEAT_SCHEDULE.values():
        # Each entry expires before the next one is due, so a backlog never piles up.
        assert spec["options"]["expires"] < spec["schedule"].total_seconds()


def test_due_entries_run_and_wait_for_their_period(db):
    cache.delete("stprogram:worker-heartbeat")
    entries = [Entry(name="heartbeat", task="stprogram.tasks.heartbeat", every=60)]
    assert run_due(entries, now=1000.0) == ["heartbeat"]
    assert cache.get("stprogram:worker-heartbeat")
    assert run_due(entries, now=1030.0) == []
    assert run_due(entries, now=1060.0) == ["heartbeat"]


def test_a_failing_task_does_not_stop_the_loop(db):
    entries = [
        Entry(name="broken", task="no.such.task", every=60),
        Entry(name="heartbeat", task="stprogram.tasks.heartbeat", every=60),
    ]
    assert run_due(entries, now=0.0) == ["heartbeat"]


def test_48_hours_every_entry_runs_on_time_and_nothing_crashes(settings):
    clock = Clock()
    tasks = Tasks(clock)
    _run_until(clock, tasks, end=48 * 3600)
    for task, every in _periods(settings).items():
        starts = tasks.started[task]
        assert len(starts) == pytest.approx(48 * 3600 / every, abs=1)
        gaps = [b - a for a, b in itertools.pairwise(starts)]
        # On time: each run within a few seconds of its period after the last.
        assert all(every <= gap <= every + 5 for gap in gaps), (task, max(gaps))
    assert all(0 <= s <= 5 for s in clock.sleeps)


def test_a_task_longer_than_its_period_does_not_end_the_loop(settings):
    """The bug of issue 18: a due time passed while a long task ran, and sleep() was negative."""
    clock = Clock()
    tasks = Tasks(clock)
    tasks.duration["stprogram.tasks.scan_reminders"] = 20 * 60
    _run_until(clock, tasks, end=3 * 3600)
    beats = tasks.started["stprogram.tasks.heartbeat"]
    assert beats[-1] > 2.5 * 3600
    # Minutes missed during the long scan run once afterwards, not as a burst.
    assert len(beats) < 3 * 3600 / 60
    assert all(s >= 0 for s in clock.sleeps)


def test_a_task_that_always_raises_leaves_the_others_running(settings):
    clock = Clock()
    tasks = Tasks(clock)
    tasks.failing.add("stprogram.tasks.scan_reminders")
    _run_until(clock, tasks, end=6 * 3600)
    assert len(tasks.started["stprogram.tasks.scan_reminders"]) == 6
    assert len(tasks.started["stprogram.tasks.heartbeat"]) >= 6 * 60 - 1


@pytest.mark.parametrize("jump", [10 * 3600, -10 * 3600, -1e9])
def test_a_clock_that_jumps_leaves_the_schedule_running(settings, jump):
    clock = Clock()
    tasks = Tasks(clock)
    jumped: list[float] = []
    before: list[int] = []

    def running() -> bool:
        if clock.now >= 600 and not jumped:
            clock.now += jump
            jumped.append(clock.now)
            before.append(len(tasks.started["stprogram.tasks.heartbeat"]))
        return not jumped or clock.now < jumped[0] + 3600

    run_forever(sleep=clock.sleep, clock=clock, runner=tasks, running=running)
    after = tasks.started["stprogram.tasks.heartbeat"][before[0] :]
    # Forward: one catch-up run, not six hundred; back: no hours-long wait.
    assert 58 <= len(after) <= 62
    assert all(0 <= s <= 5 for s in clock.sleeps)


def test_a_database_locked_for_a_while_delays_tasks_but_not_the_loop(settings):
    clock = Clock()
    tasks = Tasks(clock)

    def locked_then_free(task: str) -> None:
        if 600 <= clock.now < 900:
            clock.now += 20  # sqlite's busy timeout, then the error
            raise OperationalError("database is locked")
        tasks(task)

    run_forever(
        sleep=clock.sleep, clock=clock, runner=locked_then_free, running=lambda: clock.now < 3600
    )
    beats = tasks.started["stprogram.tasks.heartbeat"]
    assert any(b >= 900 for b in beats)
    assert not [b for b in beats if 600 <= b < 900]


def test_an_error_in_the_loop_itself_is_survived(settings, monkeypatch):
    """Even the loop's own steps (here: reading the clock) failing does not end it."""
    clock = Clock()
    tasks = Tasks(clock)
    failures = [1, 1, 1]

    def flaky_clock() -> float:
        if clock.now >= 300 and failures:
            failures.pop()
            raise OperationalError("database is locked")
        return clock.now

    run_forever(
        sleep=clock.sleep, clock=flaky_clock, runner=tasks, running=lambda: clock.now < 1200
    )
    assert not failures
    assert tasks.started["stprogram.tasks.heartbeat"][-1] > 1100


def test_the_embedded_scheduler_sends_reminders_without_redis(world, mailoutbox, monkeypatch):
    """`make run` has no broker: the same schedule entries scan and deliver in-process."""
    # The loop drops stale connections between tasks; inside the test's
    # transaction that would close the connection holding the test data.
    monkeypatch.setattr("stprogram.scheduler.close_old_connections", lambda: None)
    from dateutil.relativedelta import relativedelta
    from django.utils import timezone

    from tests.factories import TraineeFactory

    start = timezone.localdate() + relativedelta(days=3) - relativedelta(months=1)
    trainee = TraineeFactory(
        home_unit=world.unit,
        user__email="fresh@blekinge.test",
        start_date=start,
    )
    ran = run_due(schedule_entries(), now=0.0)
    assert {"reminders-scan", "reminders-deliver", "reminders-digest"} <= set(ran)
    [message] = [m for m in mailoutbox if m.to == [trainee.user.email]]
    assert "ST-kontrakt" in message.subject


def test_make_run_restarts_a_worker_that_exits_and_logs_it(tmp_path):
    """scripts/supervise.sh, which `make run` starts the scheduler under."""
    runs = tmp_path / "runs"
    command = f"echo run >> {runs}; exit 3"
    proc = subprocess.Popen(
        [str(ROOT / "scripts/supervise.sh"), "sh", "-c", command],
        env={**os.environ, "SUPERVISE_DELAY": "0.2"},
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and (not runs.exists() or len(runs.read_text().split()) < 3):
        time.sleep(0.1)
    proc.send_signal(signal.SIGTERM)
    _, log = proc.communicate(timeout=10)
    assert len(runs.read_text().split()) >= 3
    assert "exited with status 3" in log
    assert "restarting" in log
    assert proc.returncode == 0
