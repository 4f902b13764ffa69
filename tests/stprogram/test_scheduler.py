"""The embedded scheduler runs the beat schedule's tasks without a broker."""

from __future__ import annotations

from django.core.cache import cache

from stprogram.scheduler import Entry, run_due, schedule_entries


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


def test_the_embedded_scheduler_sends_reminders_without_redis(world, mailoutbox, monkeypatch):
    """`make run` has no broker: the same schedule entries scan and deliver in-process."""
    # The loop drops stale connections between tasks; inside the test's
    # transaction that would close the connection holding the test data.
    monkeypatch.setattr("stprogram.scheduler.close_old_connections", lambda: None)
    from dateutil.relativedelta import relativedelta
    from django.utils import timezone

    from tests.conftest import make_trainee

    start = timezone.localdate() + relativedelta(days=3) - relativedelta(months=1)
    trainee = make_trainee(world.region, world.unit, "fresh@blekinge.test", start_date=start)
    ran = run_due(schedule_entries(), now=0.0)
    assert {"reminders-scan", "reminders-deliver", "reminders-digest"} <= set(ran)
    [message] = [m for m in mailoutbox if m.to == [trainee.user.email]]
    assert "ST-kontrakt" in message.subject
